"""voc forget: remove everything the warehouse holds about one customer (a right-to-be-forgotten
request): their items, the prepared texts, predictions, labels and callbacks derived from them,
and quarantined rows that hold the handle or address as written. What went is counted in the
warehouse (forget_log), never who it was. Callback lists already written under reports/callbacks
lose the customer's rows; other files under reports/ that still name them are listed."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from pipelines.store import forget as store
from voc.config import load_settings
from voc.display import printable
from voc.warehouse_access import open_warehouse

_EPILOG = """examples:
  voc forget --email jane.doe@example.com
  voc forget --handle @jane_d --dry-run          # say what would go, change nothing
  voc forget --customer c_4f1e2a9b0c3d5e6f7a8b   # a reference from a callback list

The handle, e-mail or phone is turned into the same salted reference ingest gave the customer
(so it needs the warehouse's salt); it is never stored. Exit code 0 also when nothing matched."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forget", help="remove one customer's data (right to be forgotten)", description=__doc__,
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", metavar="REF", help="the customer reference (c_...)")
    who.add_argument("--handle", help="social handle, e.g. @jane_d")
    who.add_argument("--email", help="e-mail address")
    who.add_argument("--phone", help="phone number, any formatting")
    p.add_argument("--dry-run", action="store_true", help="count what would be removed; change nothing")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.db_path.exists():
        print(f"voc forget: no warehouse at {settings.db_path}: nothing to forget", file=sys.stderr)
        return 0
    wh = open_warehouse(settings)
    if wh is None:
        return 2
    given = args.handle or args.email or args.phone
    with wh:
        ref = args.customer or store.customer_ref(wh, given, settings.ingest.salt)
        if args.dry_run:
            result = store.count_only(wh, ref, needle=given)
        else:
            result = store.forget_customer(wh, ref, needle=given)
    verb = "would remove" if args.dry_run else "removed"
    print(f"{verb} {result.items} item(s), {result.prepared} prepared text(s), {result.predictions} prediction(s), "
          f"{result.labels} label(s), {result.callbacks} callback(s), {result.quarantined} quarantined row(s)")
    if not args.dry_run:
        scrubbed, still = _scrub_reports(settings.reports, ref)
        if scrubbed:
            print(f"callback lists rewritten without the customer: {', '.join(printable(p.name) for p in scrubbed)}")
        if still:
            print("files under reports/ that still name the customer (regenerate or delete them): "
                  + ", ".join(printable(str(p)) for p in still))
    return 0


def _scrub_reports(reports: Path, ref: str) -> tuple[list[Path], list[Path]]:
    """Callback CSVs lose the customer's rows; other report files that mention the reference are listed."""
    scrubbed, still = [], []
    if not reports.is_dir():
        return scrubbed, still
    for path in sorted(p for p in reports.rglob("*") if p.is_file()):
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if ref not in text:
            continue
        if path.parent.name == "callbacks" and path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(text)))
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows([r for r in rows if ref not in r])
            path.write_text(out.getvalue(), "utf-8")
            scrubbed.append(path)
        else:
            still.append(path)
    return scrubbed, still
