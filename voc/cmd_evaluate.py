"""voc evaluate: measure a model on any labelled file, beside the baselines."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from pipelines.classify.baselines import KeywordRules, vader_sentiment
from pipelines.classify.corpora import CorpusMissing
from pipelines.classify.evaluate import evaluate
from pipelines.classify.labels import LabelFileError, read_labels
from pipelines.classify.taxonomy import load_taxonomy
from pipelines.text.language import LanguageDetector
from pipelines.text.prepare import prepare
from voc.config import load_settings
from voc.models import load_model, load_model_or_say

_EPILOG = """examples:
  voc evaluate --gold data/labels/test
  voc evaluate --gold held_out.jsonl --model tfidf-20261123-1a2b3c4d --json
  voc evaluate --gold data/labels/reserved          # the reserved real corpora, each apart

FILE is JSON Lines in the labels format (see data/labels/GUIDELINES.md); items without a
"lang" get the detected language; items marked "other" are not scored, as in production.
Texts are prepared exactly as `voc classify` prepares them.
Items labelled from real corpora name them ("source": "airline_tweets:5703...") instead of
carrying text: their texts are read from the shared data folder ([evaluation] shared_data in
voc.toml, or VOC_SHARED_DATA). Every block has bootstrap 95% intervals (1,000 resamples).
--json prints one object: n, pain_points.{macro_f1, macro_f1_min10 (labels with >= 10 gold
items), per_label.<key>.f1...}, sentiment.{accuracy, macro_f1}, intervals, by_language.<lang>...,
by_corpus.<corpus>.{..., by_language, sampling} when real corpora are present, and baselines
(keyword rules, VADER for English, any transformer model trained with models/configs/minilm.toml)."""


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
        pain = b['pain_points']['macro_f1'] if b['pain_points']['n'] else float('nan')
        lines.append(f"  {lang:<6} {b['n']:>6} {pain:>14.3f} {b['sentiment']['accuracy']:>10.3f}"
                     f" {b['sentiment']['macro_f1']:>15.3f} {kw['macro_f1'] if kw['n'] else float('nan'):>12.3f}"
                     f" {vd['macro_f1'] if vd['n'] else float('nan'):>9.3f}")
    if report.get("by_corpus"):
        lines.append("per corpus (95% bootstrap intervals; pain macro-F1 over labels with >= 10 gold items):")
        lines.append(f"  {'corpus':<20} {'lang':<5} {'items':>6} {'pain macro-F1':>22} {'sentiment macro-F1':>22}")
        for corpus, block in report["by_corpus"].items():
            for lang, b in [("all", block), *block["by_language"].items()]:
                lines.append(f"  {corpus:<20} {lang:<5} {b['n']:>6} "
                             f"{_with_interval(b['pain_points']['macro_f1_min10'], b, 'pain_macro_f1_min10'):>22} "
                             f"{_with_interval(b['sentiment']['macro_f1'] if b['sentiment']['n'] else None, b, 'sentiment_macro_f1'):>22}")
    if report.get("not_scored_other_language"):
        lines.append(f"{report['not_scored_other_language']} item(s) in a language the model was not trained on: not scored")
    return "\n".join(lines)


def _with_interval(value: float | None, block: dict, key: str) -> str:
    if value is None:
        return "-"
    low_high = block.get("intervals", {}).get(key)
    return f"{value:.3f} [{low_high[0]:.2f}, {low_high[1]:.2f}]" if low_high else f"{value:.3f}"


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
    try:
        items = read_labels(args.gold, taxonomy.keys, strict=False, shared=settings.shared_data)
    except (CorpusMissing, LabelFileError) as exc:
        print(f"voc evaluate: {exc}", file=sys.stderr)
        return 2
    if not items:
        print(f"voc evaluate: no usable labelled items in {[str(g) for g in args.gold]}", file=sys.stderr)
        return 2
    prepared = prepare([i.text for i in items], LanguageDetector(languages=settings.languages),
                       names=settings.redact_names)
    items = [i if i.lang else replace(i, lang=p.language) for i, p in zip(items, prepared)]
    texts = [p.text for p in prepared]
    predictions = model.predict(texts, [i.lang for i in items])
    report = evaluate(items, [p.sentiment for p in predictions],
                      [None if p.sentiment is None else p.pain_points for p in predictions], taxonomy.keys,
                      intervals=True)
    report["not_scored_other_language"] = sum(p.sentiment is None for p in predictions)
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
