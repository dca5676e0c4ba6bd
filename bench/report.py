"""Report benchmark: build the committee report for one month of 100,000 items among
2,000,000 stored (20 months), against a plain SQL count of the same month's causes, in the
same run.

    python bench/report.py [--items 2000000] [--months 20] [--out bench/out/report]

The warehouse is filled directly in SQL (items, prepared texts, predictions): texts are the
team-written labelled items, their gold labels stand in for predictions, survey items get
NPS and touchpoint scores. The report build (warehouse queries, ranking maths, sub-causes
with clustering, verbatims with name redaction, sub-cause registry writes, HTML, Markdown,
CSV) runs in its own process; peak RSS is that process's. Target (issue 5): under 10 s on
2 cores.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTH = "2026-10"


def fill(db: Path, items: int, months: int) -> None:
    from pipelines.store import Warehouse

    labels = []
    for path in sorted((ROOT / "data" / "labels" / "train").glob("*.jsonl")):
        labels += [json.loads(line) for line in path.open(encoding="utf-8")]
    with Warehouse(db) as wh:
        import pyarrow as pa

        wh.register("labels", pa.Table.from_pylist([
            {"k": k, "text": r["text"], "lang": r["lang"], "sentiment": r["sentiment"],
             "pain_points": r["pain_points"]} for k, r in enumerate(labels)]))
        wh.con.execute("CREATE TEMP TABLE l AS SELECT * FROM labels")
        n_labels = len(labels)
        wh.con.execute(f"""
            CREATE TEMP TABLE g AS
            SELECT i, i % {months} AS m, (hash(i) % {n_labels})::BIGINT AS k,
                   ['complaint_book', 'social', 'survey'][(i % 3) + 1] AS channel,
                   (TIMESTAMPTZ '2026-10-01 00:00:00+00' - INTERVAL (i % {months}) MONTH
                    + INTERVAL ((i // {months}) % (27 * 86400)) SECOND + INTERVAL 2 HOUR) AS received_at
            FROM range({items}) t(i)""")
        now = "TIMESTAMPTZ '2026-11-01 03:00:00+00'"
        wh.con.execute(f"""
            INSERT INTO items (id, channel, source, source_id, kind, received_at, text, customer_ref, score,
                               language, parent_id, extra, ingest_id, line, ingested_at)
            SELECT 'b' || i, channel, 'bench', 's' || i, 'feedback', received_at, l.text, md5(i::VARCHAR),
                   CASE WHEN channel = 'survey' THEN CASE l.sentiment WHEN 'negative' THEN hash(i) % 7
                        WHEN 'positive' THEN 8 + hash(i) % 3 ELSE 6 + hash(i) % 3 END END,
                   NULL, NULL,
                   CASE WHEN channel = 'survey' THEN json_object('touchpoints',
                        json_object('wait_time', hash(i + 1) % 11, 'staff', hash(i + 2) % 11)) END,
                   1, i, {now}
            FROM g JOIN l USING (k)""")
        wh.con.execute(f"""
            INSERT INTO prepared SELECT 'b' || i, 'bench', l.lang, l.text, {now} FROM g JOIN l USING (k)""")
        wh.con.execute(f"""
            INSERT INTO predictions
            SELECT 'b' || i, 'bench-model', l.sentiment,
                   CASE l.sentiment WHEN 'negative' THEN -0.7 WHEN 'positive' THEN 0.7 ELSE 0.0 END,
                   l.pain_points, '{{}}', hash(i) % 10 = 0, '[]', {now}
            FROM g JOIN l USING (k)""")


def _metrics() -> dict:
    per_label = {k: {"precision": 0.8, "recall": 0.75, "support": 150, "predicted": 140}
                 for k in ("long_wait", "self_service", "repeat_info", "incompetence", "no_authority", "not_valued",
                           "paid_contact", "menu_navigation")}
    return {"test": {"pain_points": {"per_label": per_label}}}


def build(db: str, out: str, queue) -> None:
    started = time.perf_counter()
    from pipelines.classify.taxonomy import load_taxonomy
    from pipelines.report import build_report, causes_csv, render_html, render_markdown
    from pipelines.store import Warehouse
    from pipelines.text.redact import NameRedactor

    labels = {p.key: p.label for p in load_taxonomy(ROOT / "data" / "taxonomy.yaml").pain_points}
    imported = time.perf_counter()
    with NameRedactor() as redact_names, Warehouse(db) as wh:
        report = build_report(wh, month=MONTH, model_version="bench-model", metrics=_metrics(), labels=labels,
                              tz="Europe/London", redact_display=redact_names)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.html").write_text(render_html(report), "utf-8")
    (folder / "report.md").write_text(render_markdown(report), "utf-8")
    (folder / "causes.csv").write_text(causes_csv(report), "utf-8")
    done = time.perf_counter()
    queue.put({"seconds": done - imported, "import_seconds": imported - started, "items": report["totals"]["items"],
               "groups": sum(len(g) for g in report["subcauses"].values()),
               "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def plain_count(db: str, queue) -> None:
    from pipelines.store import Warehouse

    started = time.perf_counter()
    with Warehouse(db, read_only=True) as wh:
        rows = wh.query("""
            SELECT cause, count(*) FROM (
                SELECT unnest(p.pain_points) AS cause FROM items i JOIN predictions p ON p.item_id = i.id
                WHERE i.received_at >= TIMESTAMPTZ '2026-09-30 23:00:00+00'
                  AND i.received_at < TIMESTAMPTZ '2026-10-31 23:59:59+00') GROUP BY cause""")
    queue.put({"seconds": time.perf_counter() - started, "causes": len(rows)})


def _in_process(target, *args) -> dict:
    queue = mp.get_context("spawn").Queue()
    process = mp.get_context("spawn").Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2_000_000)
    parser.add_argument("--months", type=int, default=20)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "report"))
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    db = out / "bench.duckdb"
    started = time.perf_counter()
    print(f"filling a warehouse with {args.items:,} items over {args.months} months ...", flush=True)
    fill(db, args.items, args.months)
    print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)
    plain = _in_process(plain_count, str(db))
    first = _in_process(build, str(db), str(out / MONTH))
    second = _in_process(build, str(db), str(out / MONTH))  # a re-run: sub-causes matched to the first run's
    print(f"month {MONTH}: {first['items']:,} items, {first['groups']} sub-cause groups")
    print(f"plain SQL count of the month's causes: {plain['seconds']:.2f} s")
    for name, run in (("report build", first), ("report re-run", second)):
        print(f"{name}: {run['seconds']:.2f} s ({run['items'] / run['seconds']:,.0f} items/s; "
              f"{run['seconds'] / plain['seconds']:.0f}x the plain count; imports {run['import_seconds']:.1f} s "
              f"before), peak RSS {run['rss_mb']:,.0f} MB")
    print("target: under 10 s on 2 cores -- " + ("met" if max(first["seconds"], second["seconds"]) < 10 else "NOT met"))


if __name__ == "__main__":
    main()
