"""Nightly benchmark: the nightly flow over an inbox holding 1,000,000 items, against the same
pipelines calls made directly without Prefect, in the same run.

    python bench/nightly.py [--items 1000000] [--repeat 1] [--out bench/out/nightly]

Every run starts from an empty warehouse and a fresh copy of the inbox, in its own process;
peak RSS is the sum over that process and its children (classification helper, temporary
Prefect server). "prefect" is `voc run nightly` with no server configured: a temporary local
server starts and stops inside the timed run. Its database (PREFECT_HOME) is created and
migrated once, by an untimed run over an empty inbox, as on any machine after its first night;
that first start is printed apart. With --repeat N the two kinds of run alternate N times
and the medians are compared (this machine's speed drifts by several percent in minutes).
Texts are the team-written labelled items. Targets (issue 4): Prefect overhead <= 10%, end to
end < 6 minutes on 2 cores, peak RSS < 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.classify import TreeMemory, corpus  # noqa: E402


def make_inbox(folder: Path, items: int, files: int = 10) -> None:
    """Half survey answers (CSV), half social posts (JSON Lines), over the last 8 weeks."""
    texts = corpus(5000)
    rng = random.Random(5)
    per_file = items // files
    for f in range(files):
        channel = "survey" if f % 2 == 0 else "social"
        (folder / channel).mkdir(parents=True, exist_ok=True)
        if channel == "survey":
            with open(folder / channel / f"nps_{f:02d}.csv", "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["response_id", "submitted_at", "nps", "comment", "score_staff"])
                for i in range(per_file):
                    writer.writerow([f"S{f:02d}-{i:07d}", f"2026-10-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00",
                                     rng.randint(0, 10), rng.choice(texts), rng.randint(0, 10)])
        else:
            with open(folder / channel / f"posts_{f:02d}.jsonl", "w", encoding="utf-8") as out:
                for i in range(per_file):
                    out.write(json.dumps({"id": f"P{f:02d}-{i:07d}", "created_at": f"2026-10-{1 + i % 28:02d}T{i % 24:02d}:30:00Z",
                                          "author": f"@u{rng.randint(1, 90000)}", "text": rng.choice(texts)},
                                         ensure_ascii=False) + "\n")


def write_config(site: Path) -> None:
    (site / "voc.toml").write_text(textwrap.dedent(f"""
        [warehouse]
        path = "{site}/voc.duckdb"
        [ingest]
        mappings = "{ROOT}/data/mappings"
        [models]
        dir = "{ROOT}/models"
        [taxonomy]
        path = "{ROOT}/data/taxonomy.yaml"
        [runs]
        inbox = "{site}/inbox"
        reports = "{site}/reports"
        [classify]
        workers = 2
        """))


DIRECT = """
import sys, time
sys.path.insert(0, {root!r})
from datetime import date, timedelta
from flows import nightly as n
from voc.config import load_settings
settings = load_settings()
day = date(2026, 10, 29)
stages = {{}}
t = time.perf_counter()
def stage(name):
    global t
    now = time.perf_counter()
    stages[name] = round(now - t, 1)
    t = now
files, _ = n.scan_inbox.fn(settings.inbox)
reports = [n.ingest.fn(settings.db_path, p, settings.ingest) for p in files]
stage("ingest")
classified = n.classify_new.fn(settings.db_path, settings, settings.workers)
stage("classify")
n.build_callbacks.fn(settings.db_path, settings, settings.callbacks, classified["model"], day,
                     settings.reports / "callbacks")
stage("callbacks")
n.spike_alerts.fn(settings.db_path, settings, settings.alerts, classified["model"], day - timedelta(days=1),
                  settings.report_timezone, settings.reports / "alerts")
stage("alerts")
for r in reports:
    n.file_away.fn(settings.inbox, r, day)
stage("file away")
print(classified)
print("stages (s):", stages)
"""


def timed_run(site: Path, command: list[str], prefect_home: Path) -> dict:
    env = {**os.environ, "VOC_CONFIG": str(site / "voc.toml"), "VOC_SALT": "bench",
           "PREFECT_HOME": str(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    with TreeMemory() as memory:
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command} failed:\n{done.stderr[-3000:]}")
    return {"seconds": seconds, "peak_mb": memory.peak / 2**20, "tail": done.stdout[-300:]}


def last_flow_seconds(prefect_home: Path) -> float | None:
    """How long the latest flow run took by the Prefect database (the rest of a run's time is the
    temporary server's start and stop); None where the database cannot be read."""
    try:
        with sqlite3.connect(prefect_home / "prefect.db") as db:
            (value,), = db.execute("SELECT total_run_time FROM flow_run ORDER BY created DESC LIMIT 1").fetchall()
    except (sqlite3.Error, ValueError):
        return None
    clock = str(value).split(" ")[-1]
    h, m, sec = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(sec)


def prepare_site(out: Path, name: str, template: Path | None) -> Path:
    site = out / name
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    if template is not None:
        shutil.copytree(template, site / "inbox")
    else:
        (site / "inbox").mkdir()
    write_config(site)
    return site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="alternate direct and prefect runs N times")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "nightly")
    args = parser.parse_args()
    template = args.out / "inbox-template"
    if args.out.exists():
        shutil.rmtree(args.out)
    print(f"writing an inbox of {args.items:,} items ...", flush=True)
    make_inbox(template, args.items)
    prefect_home = args.out / "prefect-home"
    nightly = [sys.executable, "-m", "voc.cli", "run", "nightly", "--today", "2026-10-29"]
    first = timed_run(prepare_site(args.out, "first-start", None), nightly, prefect_home)
    print(f"first start of the temporary Prefect server (fresh database, empty inbox): {first['seconds']:.1f} s",
          flush=True)
    runs: dict[str, list[dict]] = {"direct": [], "prefect": []}
    for round_ in range(args.repeat):
        for name, command in (("direct", [sys.executable, "-c", DIRECT.format(root=str(ROOT))]),
                              ("prefect", nightly)):
            site = prepare_site(args.out, name, template)
            print(f"{name} run {round_ + 1} ...", flush=True)
            result = timed_run(site, command, prefect_home if name == "prefect" else site / "prefect")
            if name == "prefect":
                result["flow_seconds"] = last_flow_seconds(prefect_home)
            runs[name].append(result)
            detail = (f"flow {result['flow_seconds']:.1f} s inside the run" if result.get("flow_seconds")
                      else (result["tail"].strip().splitlines() or [""])[-1])
            print(f"  {result['seconds']:.1f} s, peak RSS {result['peak_mb']:,.0f} MB; {detail}", flush=True)
    print(f"{'run':<10} {'seconds (median)':>17} {'items/s':>9} {'peak RSS (max)':>15}")
    summary = {}
    for name, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        peak = max(r["peak_mb"] for r in results)
        summary[name] = (seconds, peak)
        print(f"{name:<10} {seconds:>17.1f} {args.items / seconds:>9,.0f} {peak:>13,.0f}MB")
    overhead = summary["prefect"][0] / summary["direct"][0] - 1
    print(f"Prefect overhead: {overhead:+.1%}")
    ok = overhead <= 0.10 and summary["prefect"][0] < 360 and max(p for _, p in summary.values()) < 2048
    print("targets (overhead <= 10%, < 6 minutes, peak RSS < 2 GB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
