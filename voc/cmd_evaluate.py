"""voc evaluate: measure a model on any labelled file, beside the baselines."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from pipelines.classify.baselines import KeywordRules, vader_sentiment
from pipelines.classify.evaluate import evaluate
from pipelines.classify.labels import read_labels
from pipelines.classify.taxonomy import load_taxonomy
from pipelines.text.language import LanguageDetector
from pipelines.text.prepare import prepare
from voc.config import load_settings
from voc.models import load_model, load_model_or_say

_EPILOG = """examples:
  voc evaluate --gold data/labels/test
  voc evaluate --gold held_out.jsonl --model tfidf-20261123-1a2b3c4d --json

FILE is JSON Lines in the labels format (see data/labels/GUIDELINES.md); items without a
"lang" get the detected language. Texts are prepared exactly as `voc classify` prepares them.
--json prints one object: n, pain_points.{macro_f1, per_label.<key>.f1...}, sentiment.{accuracy,
macro_f1}, by_language.<lang>..., and baselines (keyword rules, VADER for English, and any
transformer model trained here with models/configs/minilm.toml)."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="precision/recall/F1 of a model on a labelled file",
                       description=__doc__, epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gold", required=True, type=Path, nargs="+", metavar="FILE", help="labelled JSON Lines file(s) or folders")
    p.add_argument("--model", help="model version (default: production)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _render(report: dict, version: str) -> str:
    pp, st = report["pain_points"], report["sentiment"]
    lines = [f"model {version}: {report['n']} items",
             f"pain points: macro-F1 {pp['macro_f1']:.3f}, micro-F1 {pp['micro_f1']:.3f} ({pp['n']} items)",
             f"  {'pain point':<16} {'prec':>6} {'recall':>6} {'F1':>6} {'support':>8}"]
    lines += [f"  {k:<16} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {m['support']:>8}"
              for k, m in pp["per_label"].items()]
    lines.append(f"sentiment: accuracy {st['accuracy']:.3f}, macro-F1 {st['macro_f1']:.3f} ({st['n']} items)")
    for name, block in report["baselines"].items():
        if name.startswith("transformer:"):
            lines.append(f"{name}: pain-point macro-F1 {block['pain_points']['macro_f1']:.3f}, "
                         f"sentiment macro-F1 {block['sentiment']['macro_f1']:.3f}")
    lines.append(f"  {'lang':<6} {'items':>6} {'pain macro-F1':>14} {'sent. acc':>10} {'sent. macro-F1':>15}"
                 f" {'keywords F1':>12} {'VADER F1':>9}")
    for lang, b in report["by_language"].items():
        kw = report["baselines"]["keywords"]["by_language"][lang]["pain_points"]
        vd = report["baselines"]["vader"]["by_language"][lang]["sentiment"]
        lines.append(f"  {lang:<6} {b['n']:>6} {b['pain_points']['macro_f1']:>14.3f} {b['sentiment']['accuracy']:>10.3f}"
                     f" {b['sentiment']['macro_f1']:>15.3f} {kw['macro_f1'] if kw['n'] else float('nan'):>12.3f}"
                     f" {vd['macro_f1'] if vd['n'] else float('nan'):>9.3f}")
    return "\n".join(lines)


def transformer_models(models_dir: Path, *, exclude: str) -> list:
    """Transformer models trained here (models/configs/minilm.toml): shown beside the default."""
    found = []
    for meta_path in sorted(models_dir.glob("*/model.json")):
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("scorer") == "transformer.v1" and meta.get("version") != exclude:
            found.append(load_model(models_dir, meta["version"]))
    return found


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    taxonomy = load_taxonomy(settings.taxonomy)
    model = load_model_or_say(settings.models_dir, args.model, "evaluate")
    if model is None:
        return 2
    items = read_labels(args.gold, taxonomy.keys, strict=False)
    if not items:
        print(f"voc evaluate: no usable labelled items in {[str(g) for g in args.gold]}", file=sys.stderr)
        return 2
    prepared = prepare([i.text for i in items], LanguageDetector(languages=settings.languages),
                       names=settings.redact_names)
    items = [i if i.lang != "other" else replace(i, lang=p.language) for i, p in zip(items, prepared)]
    texts = [p.text for p in prepared]
    predictions = model.predict(texts, [i.lang for i in items])
    report = evaluate(items, [p.sentiment for p in predictions], [p.pain_points for p in predictions], taxonomy.keys)
    langs = [i.lang for i in items]
    report["uncertain"] = sum(p.uncertain for p in predictions)
    report["model"] = model.version
    report["baselines"] = {
        "keywords": evaluate(items, [None] * len(items), KeywordRules(taxonomy).predict(texts, langs), taxonomy.keys),
        "vader": evaluate(items, vader_sentiment(texts, langs), [None] * len(items), taxonomy.keys),
    }
    for other in transformer_models(settings.models_dir, exclude=model.version):
        ours = other.predict(texts, langs)
        report["baselines"][f"transformer:{other.version}"] = evaluate(
            items, [p.sentiment for p in ours], [p.pain_points for p in ours], taxonomy.keys)
    print(json.dumps(report, ensure_ascii=False) if args.json else _render(report, model.version))
    return 0
