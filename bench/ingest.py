"""Ingest benchmark: 1,000,000 survey rows and 1,000,000 social posts into a fresh DuckDB file.

Each measurement runs in its own process so that its peak RSS is its own. The baseline is a
plain DuckDB `read_csv` / `read_json` of the same file into a table, measured in the same run.

    python bench/ingest.py [--rows 1000000] [--out bench/out]

Targets (issue 2): >= 200,000 rows/s, >= 0.2 of the plain read speed, peak RSS < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

# A small hand-written vocabulary; the bench measures throughput, not language.
_COMMENTS = [
    "On hold for an hour, then the line dropped.",
    "Très bon accueil en boutique, merci à Julie !",
    "חיכיתי שעה על הקו ואף אחד לא ענה",
    "Оператор три раза переспросил номер договора.",
    "The app logs me out every time I try to pay my bill 😡",
    "Press 1, press 2, press 9... never reached a human.",
    "",
    "Fine.",
]


def make_survey(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("response_id,submitted_at,nps,comment,score_wait_time,score_staff\n")
        for i in range(rows):
            comment = rng.choice(_COMMENTS).replace('"', '""')
            day, minute = 1 + i % 28, i % 1440
            out.write(f'S{i:08d},2026-10-{day:02d} {minute // 60:02d}:{minute % 60:02d}:00,{rng.randint(0, 10)},'
                      f'"{comment}",{rng.randint(0, 10)},{rng.randint(0, 10)}\n')


def make_social(path: Path, rows: int) -> None:
    rng = random.Random(11)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(rows):
            post = {"id": f"p{i:09d}", "created_at": f"2026-10-{1 + i % 28:02d}T{i % 24:02d}:15:00Z",
                    "platform": "x", "author": f"@user{rng.randint(1, 50000)}",
                    "text": rng.choice(_COMMENTS) or "?", "in_reply_to": None}
            out.write(json.dumps(post, ensure_ascii=False) + "\n")


def measure(kind: str, data: Path, db: Path) -> dict:
    """Run one measurement in a child process; returns seconds, rows and peak RSS."""
    code = f"""
import json, resource, time, duckdb
from pathlib import Path
db, data, kind = Path({str(db)!r}), Path({str(data)!r}), {kind!r}
db.unlink(missing_ok=True)
start = time.perf_counter()
if kind.startswith('plain'):
    con = duckdb.connect(str(db))
    reader = "read_csv" if data.suffix == ".csv" else "read_json"
    con.execute(f"CREATE TABLE t AS SELECT * FROM {{reader}}(?)", [str(data)])
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
else:
    from pipelines.ingest import IngestOptions, ingest_file
    from pipelines.store import Warehouse
    with Warehouse(db) as wh:
        report = ingest_file(wh, data, IngestOptions(salt="bench"))
    assert report.status == "landed", report.reason
    rows = report.rows_read
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "rows": rows,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    survey, social = args.out / "survey.csv", args.out / "social" / "posts.jsonl"
    social.parent.mkdir(exist_ok=True)
    print(f"generating {args.rows:,} survey rows and {args.rows:,} social posts in {args.out} ...", flush=True)
    make_survey(survey, args.rows)
    make_social(social, args.rows)
    ok = True
    print(f"{'file':<8} {'what':<10} {'rows':>9} {'seconds':>8} {'rows/s':>10} {'peak RSS':>9}  vs plain")
    for name, data in (("survey", survey), ("social", social)):
        plain = measure("plain", data, args.out / f"plain_{name}.duckdb")
        voc = measure("voc", data, args.out / f"voc_{name}.duckdb")
        ratio = plain["seconds"] / voc["seconds"]
        for what, m in (("plain", plain), ("voc ingest", voc)):
            rate = m["rows"] / m["seconds"]
            tail = f"{ratio:.2f}" if what != "plain" else ""
            print(f"{name:<8} {what:<10} {m['rows']:>9,} {m['seconds']:>8.2f} {rate:>10,.0f} {m['peak_rss_mb']:>7,.0f}MB  {tail}")
        rate = voc["rows"] / voc["seconds"]
        ok &= rate >= 200_000 and ratio >= 0.2 and voc["peak_rss_mb"] < 2048
    print("targets (>= 200,000 rows/s, >= 0.2 of plain, peak RSS < 2 GB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
