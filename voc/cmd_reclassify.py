"""voc reclassify: score stored items with another model; earlier predictions are kept."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time
from zoneinfo import ZoneInfo

from pipelines.classify.batch import pending_count
from voc.cmd_classify import classify_with_progress
from voc.config import load_settings
from voc.models import load_model_or_say
from voc.warehouse_access import open_warehouse

_EPILOG = """examples:
  voc reclassify --since 2026-09-01 --model tfidf-20261201-0a1b2c3d
  voc reclassify --since 2026-10-01            (the production model)
  voc report --month 2026-10 --model tfidf-20261201-0a1b2c3d

Predictions are kept per model version, never overwritten: items received since DATE (in the
[runs] time zone) that have no prediction from the model get one. Reports, label exports and
`voc models compare` can then use either version."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reclassify", help="re-score stored items with another model version", description=__doc__,
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--since", required=True, help="YYYY-MM-DD: items received on or after this day")
    p.add_argument("--model", help="model version (default: production)")
    p.add_argument("--batch-size", type=int, default=5000)
    p.add_argument("--workers", type=int)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        since = datetime.combine(datetime.strptime(args.since, "%Y-%m-%d").date(), time(0),
                                 ZoneInfo(settings.report_timezone))
    except ValueError:
        print(f"voc reclassify: --since {args.since!r} is not a date like 2026-09-01", file=sys.stderr)
        return 2
    model = load_model_or_say(settings.models_dir, args.model, "reclassify")
    if model is None:
        return 2
    wh = open_warehouse(settings)
    if wh is None:
        return 2
    with wh:
        if pending_count(wh, model.version, since) == 0:
            print(f"every item received since {args.since} has a prediction from {model.version} already")
            return 0
        prepared, classified = classify_with_progress(wh, settings, model, batch_size=args.batch_size,
                                                      workers=args.workers, since=since, label="reclassify")
    print(f"classified {classified} item(s) received since {args.since} with {model.version} "
          f"({prepared} prepared first); earlier predictions are kept")
    return 0
