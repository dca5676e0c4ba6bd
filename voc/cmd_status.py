"""voc status: what the warehouse holds."""

from __future__ import annotations

import argparse
import json

from pipelines.store.status import warehouse_status
from voc.config import load_settings
from voc.display import printable
from voc.warehouse_access import open_warehouse

_EPILOG = """examples:
  voc status
  voc status --json | jq .items_by_channel"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="items per channel and language, ingests, quarantine",
                       description=__doc__, epilog=_EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def render(status: dict) -> str:
    months = (f"months {status['earliest_month']} .. {status['latest_month']}" if status["items_total"]
              else "nothing ingested yet: voc ingest FILE, or voc run nightly")
    lines = [f"items: {status['items_total']} ({status['feedback_total']} feedback), {months}"]
    for channel, n in status["items_by_channel"].items():
        langs = ", ".join(f"{lang} {k}" for lang, k in status["feedback_by_channel_language"].get(channel, {}).items())
        lines.append(f"  {channel:<15} {n:>8}   feedback by language: {langs or '-'}")
    if status.get("other_language_not_scored"):
        lines.append(f"  {status['other_language_not_scored']} feedback items in a language outside [text] languages: "
                     "counted as 'other', not scored")
    kinds = ", ".join(f"{k} {n}" for k, n in status["items_by_kind"].items())
    lines.append(f"  kinds: {kinds or '-'}")
    resolved = (f" (and {status['quarantine_resolved']} landed since by a later ingest of the same file)"
                if status.get("quarantine_resolved") else "")
    lines.append(f"quarantine: {status['quarantined_total']} rows{resolved}")
    for reason, n in status["quarantine_reasons"].items():
        lines.append(f"  {n:>6}  {reason}")
    for row in status.get("predictions_by_model", []):
        lines.append(f"model {row['model_version']}: {row['items']} classified, {row['with_pain_points']} with "
                     f"pain points, {row['uncertain']} uncertain (last run {row['last_run']})")
    lines.append(f"files: {status['files_landed']} landed, {status['files_rejected']} rejected; latest:")
    for row in status["last_ingests"]:
        what = (f"{row['landed']} new, {row['duplicate']} dup, {row['quarantined']} quarantined"
                if row["status"] == "landed" else f"rejected: {row['reason']}")
        lines.append(f"  {row['finished_at']}  {printable(row['path'])}  {printable(what)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.db_path.exists():
        status_empty = {"items_total": 0, "items_by_channel": {}, "quarantined_total": 0, "latest_month": None}
        print(json.dumps(status_empty) if args.json else f"warehouse {settings.db_path} is empty: run `voc ingest` first")
        return 0
    wh = open_warehouse(settings, read_only=True)
    if wh is None:
        return 2
    with wh:
        status = warehouse_status(wh)
    print(json.dumps(status, ensure_ascii=False, default=str, indent=2) if args.json else render(status))
    return 0
