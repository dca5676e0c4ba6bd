"""The model card: what a model was trained on, how well it does, per label and language."""

from __future__ import annotations

from typing import Any

TARGETS = {"pain_points_en": 0.80, "pain_points_other": 0.75, "sentiment": 0.85}


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def target_checks(test: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for lang, block in test.get("by_language", {}).items():
        target = TARGETS["pain_points_en"] if lang == "en" else TARGETS["pain_points_other"]
        got = block["pain_points"]["macro_f1"]
        rows.append([f"pain points macro-F1 ({lang})", target, got, "met" if got >= target else "NOT met"])
    got = test["sentiment"]["macro_f1"]
    rows.append(["sentiment macro-F1 (all)", TARGETS["sentiment"], got, "met" if got >= TARGETS["sentiment"] else "NOT met"])
    for lang, block in test.get("by_language", {}).items():
        got = block["sentiment"]["macro_f1"]
        rows.append([f"sentiment macro-F1 ({lang})", TARGETS["sentiment"], got,
                     "met" if got >= TARGETS["sentiment"] else "NOT met"])
    return rows


def model_card(metrics: dict[str, Any], *, labels: list[str], description: str) -> str:
    """Markdown for MODEL_CARD.md."""
    parts = [f"# Model {metrics['version']}", "", description, ""]
    data = metrics["data"]
    parts += ["## Training data (items per language)", ""]
    columns = ["items", "negative", "neutral", "positive", "no_pain_point", *labels]
    for split in ("train", "test"):
        rows = [[lang, *(counts.get(c, 0) for c in columns)] for lang, counts in sorted(data[split].items())]
        parts += [f"### {split}", "", _table(["lang", *columns], rows), ""]
    per_lang = metrics.get("language_thresholds", {})
    langs = sorted(per_lang)
    parts += ["## Thresholds (tuned on out-of-fold predictions; per language where it had enough examples)", "",
              _table(["pain point", "all", *langs],
                     [[k, v, *(per_lang[lang].get(k, "-") for lang in langs)] for k, v in metrics["thresholds"].items()]), ""]
    test = metrics.get("test")
    if test:
        parts += ["## Held-out test split", "", f"{test['n']} items; {test['uncertain']} marked uncertain.", "",
                  "### Targets", "", _table(["measure", "target", "got", ""], target_checks(test)), "",
                  "### Pain points per label (all languages)", ""]
        rows = [[k, m["precision"], m["recall"], m["f1"], m["support"]]
                for k, m in test["pain_points"]["per_label"].items()]
        parts += [_table(["pain point", "precision", "recall", "F1", "support"], rows), "",
                  f"Macro-F1 {test['pain_points']['macro_f1']}, micro-F1 {test['pain_points']['micro_f1']}.", "",
                  "### Per language", ""]
        rows = [[lang, b["n"], b["pain_points"]["macro_f1"], b["sentiment"]["accuracy"], b["sentiment"]["macro_f1"]]
                for lang, b in test["by_language"].items()]
        parts += [_table(["lang", "items", "pain-point macro-F1", "sentiment accuracy", "sentiment macro-F1"], rows), ""]
        confusion = test["sentiment"]["confusion"]
        parts += ["### Sentiment confusion (rows: gold, columns: predicted)", "",
                  _table(["", *confusion], [[g, *row.values()] for g, row in confusion.items()]), ""]
        baselines = metrics.get("baselines", {})
        if baselines:
            rows = [[lang, b["pain_points"]["macro_f1"], b["pain_points"]["n"]]
                    for lang, b in baselines["keywords"]["by_language"].items()]
            vader = baselines["vader"]["by_language"].get("en", {}).get("sentiment", {})
            parts += ["### Baselines on the same split", "",
                      _table(["lang", "keyword rules pain-point macro-F1", "items"], rows), "",
                      f"VADER sentiment (English): accuracy {vader.get('accuracy')}, macro-F1 {vader.get('macro_f1')}.", ""]
    for name, block in metrics.get("external", {}).items():
        parts += [f"### Real data: {name}", "", block.get("note", ""), "",
                  _table(["model", "items", "accuracy", "macro-F1"],
                         [[m, r["n"], r["accuracy"], r["macro_f1"]] for m, r in block["results"].items()]), ""]
    parts += ["## Libraries", "", _table(["library", "version"], [[k, v] for k, v in metrics["libraries"].items()]),
              "", f"Training took {metrics['training_seconds']} s.", ""]
    return "\n".join(parts)
