"""voc run: run a flow now (nightly, monthly, retrain) with no Prefect server to set up."""

from __future__ import annotations

import argparse
import json
import os
import sys

_EPILOG = """examples:
  voc run nightly                         the inbox in voc.toml ([runs] inbox, default data/inbox)
  voc run nightly --inbox data/samples    any folder with one sub-folder per channel
  voc run monthly --month 2026-10
  voc run retrain

With no Prefect server configured (PREFECT_API_URL unset) a temporary local one runs for the
duration; `voc serve` runs the schedules. Nothing leaves this machine (analytics are off).

exit codes: 0 done; 2 configuration error; 4 another nightly run holds the warehouse (checked
first, in well under a second; set [runs] lock_wait_seconds to wait instead); 130 interrupted."""

BUSY = 4


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the nightly, monthly or retrain flow now",
                       description=__doc__, epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = p.add_subparsers(dest="flow", metavar="FLOW", required=True)
    nightly = which.add_parser("nightly", help="ingest the inbox, classify, callbacks, spike alerts",
                               epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    nightly.add_argument("--inbox", help="folder with complaint_book/, social/, survey/ sub-folders")
    nightly.add_argument("--workers", type=int, help="cores for classification: this process and N-1 helpers")
    nightly.add_argument("--today", help="run as if today were this date (YYYY-MM-DD)")
    cluster = nightly.add_mutually_exclusive_group()
    cluster.add_argument("--dask-address", help="run classification batches on this Dask scheduler (tcp://host:8786)")
    cluster.add_argument("--dask-workers", type=int, help="start a local Dask cluster with N workers for them")
    monthly = which.add_parser("monthly", help="the committee ranking for a month",
                               epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    monthly.add_argument("--month", help="YYYY-MM, or 'latest' for the newest month in the warehouse "
                         "(default: the previous calendar month)")
    retrain = which.add_parser("retrain", help="train, evaluate, promote past the gate",
                               epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    retrain.add_argument("--config", default="models/configs/default.toml")
    retrain.add_argument("--version", help="model version name")


def quiet_prefect_environment() -> None:
    """Offline, no telemetry, terse logs; set before Prefect is imported."""
    for key, value in {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                       "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_UI_ENABLED": "false",
                       "DASK_LOGGING__DISTRIBUTED": "warning",
                       # a first start migrates a fresh database: 20 s (the default) is not always enough on 2 cores
                       "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}.items():
        os.environ.setdefault(key, value)


def run(args: argparse.Namespace) -> int:
    quiet_prefect_environment()
    from flows.runlock import RunLocked

    try:
        if args.flow == "nightly":
            from flows.runlock import ensure_free
            from voc.config import load_settings

            settings = load_settings()
            if not settings.lock_wait_seconds:
                ensure_free(settings.db_path, name="nightly")  # before the temporary server starts
            from flows.nightly import nightly

            if args.dask_address or args.dask_workers:
                from prefect_dask import DaskTaskRunner

                runner = (DaskTaskRunner(address=args.dask_address) if args.dask_address else
                          DaskTaskRunner(cluster_kwargs={"n_workers": args.dask_workers, "threads_per_worker": 1,
                                                         "processes": True, "dashboard_address": None}))
                result = nightly.with_options(task_runner=runner)(
                    inbox=args.inbox, workers=args.workers, today=args.today, distributed=True)
            else:
                result = nightly(inbox=args.inbox, workers=args.workers, today=args.today)
        elif args.flow == "monthly":
            from flows.monthly import monthly

            month = args.month
            if month == "latest":
                from voc.cmd_report import latest_month
                from voc.config import load_settings

                month = latest_month(load_settings())
            result = monthly(month=month)
        else:
            from flows.retrain import retrain

            result = retrain(config=args.config, version=args.version)
    except RunLocked as exc:
        print(f"voc run: {exc}", file=sys.stderr)
        return BUSY
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0
