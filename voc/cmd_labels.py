"""voc labels: what to label next (with pre-annotations), labels in, disagreements out."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from pipelines.classify.active import STRATEGIES, select
from pipelines.classify.labelio import FORMATS, label_studio_config, read_label_file, export_rows
from pipelines.classify.taxonomy import load_taxonomy
from pipelines.store import labels as store
from voc.config import load_settings
from voc.models import load_model_or_say
from voc.warehouse_access import open_warehouse

_EPILOG = """examples:
  voc labels export --strategy uncertain --n 200 --lang he --format label-studio --out he-batch.json
  voc labels export --strategy per-label --n 100 --format csv --out rare.csv
  voc labels import he-batch-annotated.json
  voc labels import rare.csv --annotator dana
  voc labels disagreements

Exports carry the production model's predictions as pre-annotations; a Label Studio export
is written with its labelling config (<out>.label_config.xml). Imports are validated against
data/taxonomy.yaml: bad rows are listed with their line (or task) and the rest lands; the
same label imported twice is kept once. Labels are never overwritten: each annotator's
label is kept, and `disagreements` lists items where annotators differ."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("labels", help="export items to label, import labels, list disagreements",
                       description=__doc__, epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ex = which.add_parser("export", help="items most worth labelling next", epilog=_EPILOG,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("--strategy", choices=STRATEGIES, default="uncertain")
    ex.add_argument("--n", type=int, default=200, help="how many items (default 200)")
    ex.add_argument("--lang", help="only items in this language (en, fr, he, ru...)")
    ex.add_argument("--format", choices=FORMATS, default="jsonl")
    ex.add_argument("--out", help="file to write (default: standard output)")
    ex.add_argument("--model", help="model whose predictions to use (default: production)")
    ex.add_argument("--seed", type=int, default=0, help="seed of the random strategy")
    im = which.add_parser("import", help="add labels from JSONL, CSV or a Label Studio export", epilog=_EPILOG,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    im.add_argument("file", type=Path)
    im.add_argument("--annotator", help="annotator for rows that name none")
    im.add_argument("--format", choices=FORMATS, help="default: from the file name and content")
    which.add_parser("disagreements", help="items whose annotators gave different labels")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    keys = load_taxonomy(settings.taxonomy).keys
    wh = open_warehouse(settings)
    if wh is None:
        return 2
    with wh:
        if args.verb == "import":
            return _import(wh, args, keys)
        if args.verb == "disagreements":
            return _disagreements(wh)
        return _export(wh, args, settings, keys)


def _import(wh, args, keys) -> int:
    try:
        text = args.file.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"voc labels: cannot read {args.file} as UTF-8 text: {exc}", file=sys.stderr)
        return 2
    rows, problems = read_label_file(text, args.file.name, keys, annotator=args.annotator, fmt=args.format)
    missing = [r for r in rows if r["text"] is None]
    if missing:
        known = store.known_items(wh, [r["item_id"] for r in missing])
        for r in missing:
            if r["item_id"] not in known:
                problems.append(_problem(r, "item is not in the warehouse and the row has no text"))
        rows = [r for r in rows if r["text"] is not None or r["item_id"] in known]
    added, duplicates = store.save_labels(wh, rows, source=str(args.file))
    for problem in problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    print(f"{args.file}: {added} label(s) added, {duplicates} already there, {len(problems)} rejected")
    return 1 if problems else 0


def _problem(row, reason):
    from pipelines.classify.labelio import Problem

    return Problem(f"id {row['item_id']}", reason)


def _disagreements(wh) -> int:
    by_item: dict[str, list[dict]] = {}
    for row in store.labels(wh):
        by_item.setdefault(row["item_id"], []).append(row)
    found = 0
    for item_id, rows in by_item.items():
        latest = {}
        for r in rows:  # each annotator's latest label
            latest[r["annotator"]] = r
        if len(latest) < 2:
            continue
        sentiments = {r["sentiment"] for r in latest.values() if r["sentiment"]}
        points = {tuple(sorted(r["pain_points"])) for r in latest.values() if r["pain_points"] is not None}
        if len(sentiments) < 2 and len(points) < 2:
            continue
        found += 1
        text = (rows[-1]["text"] or "").replace("\n", " ")
        print(f"{item_id} [{rows[-1]['lang']}] {text[:100]}")
        for who, r in sorted(latest.items()):
            pts = ",".join(r["pain_points"]) if r["pain_points"] is not None else "-"
            print(f"    {who:<16} {r['sentiment'] or '-':<9} {pts or '[]'}")
    print(f"{found} item(s) with disagreeing annotators")
    return 0


def _export(wh, args, settings, keys) -> int:
    model = load_model_or_say(settings.models_dir, args.model, "labels")
    if model is None:
        return 2
    frame = store.candidates(wh, model.version, args.lang, random=args.strategy == "random")
    counts = Counter(p for r in store.labels(wh) for p in (r["pain_points"] or []))
    disagreeing = store.model_disagreements(wh) if args.strategy == "disagreement" else None
    chosen = select(frame, args.strategy, args.n, thresholds=dict(model.thresholds), disagreeing=disagreeing,
                    label_counts=dict(counts), seed=args.seed)
    text = export_rows(chosen, args.format, model.version)
    if args.out:
        Path(args.out).write_text(text, "utf-8")
        if args.format == "label-studio":
            Path(args.out + ".label_config.xml").write_text(label_studio_config(keys), "utf-8")
        print(f"{len(chosen)} item(s) ({args.strategy}{', ' + args.lang if args.lang else ''}) written to {args.out}",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    if not chosen:
        why = ("no two model versions disagree on any unlabelled item; classify with a second model first "
               "(voc reclassify --model VERSION)" if args.strategy == "disagreement" else
               "no unlabelled item has a prediction from this model; run voc classify first")
        print(f"voc labels: nothing to export: {why}", file=sys.stderr)
    return 0
