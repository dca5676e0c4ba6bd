"""voc ingest: land export files in the warehouse."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from pipelines import CHANNELS
from pipelines.ingest import FileReport, ingest_file
from voc.config import load_settings
from voc.display import printable
from voc.progress import Progress
from voc.warehouse_access import open_warehouse

from pipelines.ingest.inbox import INGESTIBLE

_EPILOG = """examples:
  voc ingest data/samples
  voc ingest inbox/social/2026-10-03.jsonl inbox/survey/nps.csv
  voc ingest "Réclamations août.csv" --channel complaint_book --encoding cp1252

A folder is searched for .csv .tsv .jsonl .ndjson .json .xlsx files; the channel comes from
--channel, a mapping in data/mappings/, a parent folder named complaint_book/social/survey,
or the columns. Bad rows go to quarantine with file, line and reason; a file that is not what
it claims is rejected whole. Exit code 1 when any file was rejected, 3 on an internal error."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="land export files (CSV, .xlsx, JSON Lines)",
                       description=__doc__, epilog=_EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to ingest")
    p.add_argument("--channel", choices=CHANNELS, help="channel of every file given")
    p.add_argument("--encoding", help="text encoding, when detection guesses wrong (e.g. cp1255)")
    p.add_argument("--json", action="store_true", help="print one JSON object per file")


def expand(paths: list[str]) -> list[Path]:
    """Files named, and ingestible files under folders named, in a stable order."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in INGESTIBLE and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return found


def describe(report: FileReport) -> str:
    if report.status == "rejected":
        return f"REJECTED  {printable(report.path)}: {printable(report.reason)}"
    return (f"landed    {printable(report.path)} [{report.channel}/{printable(report.source)}, {report.encoding}]: "
            f"{report.rows_read} rows -> {report.landed} new, {report.duplicate} duplicate, "
            f"{report.quarantined} quarantined ({report.seconds:.2f} s)")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    files = expand(args.paths)
    if not files:
        print(f"voc ingest: no ingestible files under {args.paths}", file=sys.stderr)
        return 1
    wh = open_warehouse(settings)
    if wh is None:
        return 2
    options = replace(settings.ingest, channel=args.channel, encoding=args.encoding)
    sizes = {f: (f.stat().st_size if f.is_file() else 0) for f in files}
    progress = Progress(sum(sizes.values()) or 1, label="ingest", unit="bytes") if len(files) > 1 else None
    rejected = failed = 0
    with wh:
        for path in files:
            if not path.exists() and not path.is_symlink():
                rejected += 1  # nothing to record: no file, no ledger row
                print(f"REJECTED  {printable(path)}: no such file", flush=True)
                continue
            try:
                report = ingest_file(wh, path, options)
            except Exception as exc:  # a bug must not stop the other files; say so loudly
                failed += 1
                print(f"FAILED    {printable(path)}: internal error {type(exc).__name__}: {exc}; nothing from this "
                      "file was written. Please report it with the file's first lines.", file=sys.stderr)
                continue
            rejected += report.status == "rejected"
            print(json.dumps(asdict(report), ensure_ascii=False) if args.json else describe(report), flush=True)
            if progress:
                progress.advance(sizes[path], note=path.name)
    if not args.json:
        print(f"{len(files)} file(s), {rejected} rejected, {failed} failed; warehouse {settings.db_path}")
    return 3 if failed else 1 if rejected else 0
