"""Turn readers' label files (one per batch, written outside the repository) into the project's
label files: dataset-and-id names, the reader, how each item was picked; never the text.

  python tools/merge_labels.py --batches /tmp/batches --labels /tmp/labels_out \\
      --readers readers.toml --out data/labels

readers.toml maps each batch name to its reader, e.g. `"twcs-0" = "reader-03"`. Batches whose
name starts with "agreement-" are second readings: they go to agreement/second_reader.jsonl.
Items of reserved corpora go to reserved/<corpus>.jsonl, the rest to real/<corpus>.jsonl.
Stops, naming the file and line, on any missing, doubled or invalid decision.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.classify.corpora import RESERVED, corpus_of  # noqa: E402
from pipelines.classify.labels import SENTIMENTS  # noqa: E402
from pipelines.classify.taxonomy import load_taxonomy  # noqa: E402

LANGS = {"en", "fr", "he", "ru", "other"}


def decisions(path: Path, batch: list[dict], keys: list[str]) -> dict[str, dict]:
    wanted = {row["id"] for row in batch}
    out: dict[str, dict] = {}
    problems = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{path}:{number}: not JSON ({exc.msg})")
                continue
            item = row.get("id")
            if item not in wanted:
                problems.append(f"{path}:{number}: id {item!r} is not in the batch")
            elif item in out:
                problems.append(f"{path}:{number}: id {item!r} labelled twice")
            elif row.get("sentiment") not in SENTIMENTS:
                problems.append(f"{path}:{number}: sentiment {row.get('sentiment')!r}")
            elif not isinstance(row.get("pain_points"), list) or set(row["pain_points"]) - set(keys):
                problems.append(f"{path}:{number}: pain_points {row.get('pain_points')!r}")
            elif row.get("lang") not in LANGS:
                problems.append(f"{path}:{number}: lang {row.get('lang')!r}")
            else:
                out[item] = row
    missing = wanted - set(out)
    if missing:
        problems.append(f"{path}: {len(missing)} item(s) of the batch not labelled, e.g. {sorted(missing)[0]}")
    if problems:
        raise SystemExit("\n".join(problems))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=Path, required=True)
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--readers", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("data/labels"))
    parser.add_argument("--taxonomy", type=Path, default=Path("data/taxonomy.yaml"))
    args = parser.parse_args(argv)
    keys = load_taxonomy(args.taxonomy).keys
    readers = tomllib.loads(args.readers.read_text("utf-8"))
    files: dict[Path, list[dict]] = {}
    for name, reader in readers.items():
        batch = [json.loads(line) for line in open(args.batches / f"{name}.jsonl", encoding="utf-8")]
        labelled = decisions(args.labels / f"{name}.jsonl", batch, keys)
        for row in batch:
            decided = labelled[row["id"]]
            corpus = corpus_of(row["id"])
            if name.startswith("agreement-"):
                target = args.out / "agreement" / "second_reader.jsonl"
            else:
                target = args.out / ("reserved" if corpus in RESERVED else "real") / f"{corpus}.jsonl"
            files.setdefault(target, []).append({
                "id": row["id"], "source": row["id"], "lang": decided["lang"], "sentiment": decided["sentiment"],
                "pain_points": [k for k in keys if k in decided["pain_points"]], "annotator": reader,
                "sampling": row["sampling"]})
    for target, rows in sorted(files.items()):
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            for row in sorted(rows, key=lambda r: r["id"]):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{target}: {len(rows)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
