"""voc report: the committee report for a month (report.html, report.md, causes.csv)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.store import WarehouseError
from voc.config import load_settings
from voc.models import ModelNotFound

_EPILOG = """examples:
  voc report --month 2026-10
  voc report --month 2026-10 --out /tmp/committee --model tfidf-20261123-1e855cce

Writes reports/YYYY-MM/ (or --out): report.html (self-contained, prints on A4),
report.md, causes.csv and report.json. The monthly flow runs the same code."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the monthly committee report", description=__doc__, epilog=_EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--month", required=True, help="YYYY-MM (or 'latest': the newest month in the warehouse)")
    p.add_argument("--out", help="output folder (default: reports/YYYY-MM/ under [runs] reports)")
    p.add_argument("--model", help="model version whose predictions to use (default: production)")


def latest_month(settings) -> str | None:
    from pipelines.store import Warehouse
    from pipelines.store.status import warehouse_status

    with Warehouse(settings.db_path, read_only=True) as wh:
        return warehouse_status(wh)["latest_month"]


def run(args: argparse.Namespace) -> int:
    from voc.reporting import compose, write

    settings = load_settings()
    try:
        month = latest_month(settings) if args.month == "latest" else args.month
        if month is None:
            print("voc report: the warehouse holds no items yet; run `voc ingest` or `voc run nightly`", file=sys.stderr)
            return 2
        report = compose(settings, month, args.model)
    except (ModelNotFound, WarehouseError) as exc:
        print(f"voc report: {exc}", file=sys.stderr)
        return 2
    files = write(report, Path(args.out) if args.out else settings.reports / month)
    top = ", ".join(f"{r['rank']}. {r['cause']}" for r in report["ranking"][:3]) or "no causes"
    print(f"report for {month} ({report['totals']['items']:,} items, model {report['model']}): {top}")
    if report["data_note"]:
        print(f"note: {report['data_note']}")
    for path in files:
        print(f"  {path}")
    return 0
