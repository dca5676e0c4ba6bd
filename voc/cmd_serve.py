"""voc serve: run the schedules (nightly 02:00, monthly 1st 06:00, retrain Sunday 03:00).

Starts a local Prefect server bound to 127.0.0.1 when none is configured (PREFECT_API_URL),
serves the three deployments until Ctrl-C, then stops the server it started.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request

from pipelines.lifetime import die_with_parent
from voc.cmd_run import quiet_prefect_environment
from voc.config import load_settings

_EPILOG = """examples:
  voc serve                 schedules in the [runs] timezone of voc.toml; UI at http://127.0.0.1:4200
  voc serve --port 4300

Cron expressions and the time zone are set in voc.toml [schedules]. Stop with Ctrl-C."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the nightly, monthly and retrain schedules", description=__doc__,
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=4200, help="port of the local Prefect server (default 4200)")


def _wait_healthy(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped at start (exit {server.returncode}); see its log")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"the Prefect server at {url} did not answer within {seconds:.0f} s")


def start_local_server(port: int, log_path) -> tuple[subprocess.Popen, str]:
    url = f"http://127.0.0.1:{port}/api"
    log = open(log_path, "ab")
    parent = os.getpid()
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
        # the UI this command's start-up line points to (`voc run` keeps it off for its short-lived server)
        env={**os.environ, "PREFECT_API_URL": url, "PREFECT_UI_ENABLED": "true"},
        start_new_session=True,  # Ctrl-C reaches `voc serve` only; it stops the server after itself
        preexec_fn=lambda: die_with_parent(parent))  # and kill -9 of `voc serve` takes the server along
    _wait_healthy(url, server)
    return server, url


def deployments(settings):
    from prefect.schedules import Cron

    from flows.monthly import monthly
    from flows.nightly import nightly
    from flows.retrain import retrain

    tz = settings.report_timezone
    crons = settings.schedules
    return [
        nightly.to_deployment(name="nightly", schedules=[Cron(crons["nightly"], timezone=tz)]),
        monthly.to_deployment(name="monthly", schedules=[Cron(crons["monthly"], timezone=tz)]),
        retrain.to_deployment(name="retrain", schedules=[Cron(crons["retrain"], timezone=tz)]),
    ]


def run(args: argparse.Namespace) -> int:
    quiet_prefect_environment()
    os.environ["PREFECT_LOGGING_LEVEL"] = os.environ.get("VOC_SERVE_LOG_LEVEL", "INFO")
    settings = load_settings()
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        log_path = settings.db_path.with_name("prefect-server.log")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        print(f"starting a local Prefect server on 127.0.0.1:{args.port} (log: {log_path}) ...", flush=True)
        server, url = start_local_server(args.port, log_path)
        os.environ["PREFECT_API_URL"] = url
        print(f"Prefect UI: http://127.0.0.1:{args.port}", flush=True)
    try:
        from prefect import serve

        print("serving nightly ({nightly}), monthly ({monthly}), retrain ({retrain}) in {tz}; Ctrl-C stops".format(
            tz=settings.report_timezone, **settings.schedules), flush=True)
        serve(*deployments(settings), print_starting_message=False)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    print("stopped", flush=True)
    return 0
