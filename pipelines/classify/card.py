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
    sources = data.get("sources")
    if sources:
        parts += [f"{sources.get('label_files', 0):,} items from label files and {sources.get('warehouse_labels', 0):,} "
                  "from labels given in the warehouse (`voc labels import`); by where the labels come from: "
                  f"{sources.get('team', 0):,} team-written, {sources.get('real', 0):,} real items read in full by a reader, "
                  f"{sources.get('corpus', 0):,} corpus sentiment labels or star ratings.", ""]
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
    parts += reserved_section(metrics, labels)
    for name, block in metrics.get("external", {}).items():
        parts += [f"### Real data: {name}", "", block.get("note", ""), "",
                  _table(["model", "items", "accuracy", "macro-F1"],
                         [[m, r["n"], r["accuracy"], r["macro_f1"]] for m, r in block["results"].items()]), ""]
    parts += ["## Libraries", "", _table(["library", "version"], [[k, v] for k, v in metrics["libraries"].items()]),
              "", f"Training took {metrics['training_seconds']} s.", ""]
    return "\n".join(parts)


def _figure(block: dict[str, Any], value: float | None, key: str) -> str:
    if value is None:
        return "–"
    interval = block.get("intervals", {}).get(key)
    return f"{value:.3f} [{interval[0]:.2f}, {interval[1]:.2f}]" if interval else f"{value:.3f}"


def _headline(block: dict[str, Any]) -> list[str]:
    sentiment = block["sentiment"]
    negative = sentiment["per_class"]["negative"]["f1"] if sentiment["per_class"]["negative"]["support"] else None
    return [_figure(block, block["pain_points"]["macro_f1_min10"] if block["pain_points"]["n"] else None,
                    "pain_macro_f1_min10"),
            _figure(block, sentiment["macro_f1"] if sentiment["n"] else None, "sentiment_macro_f1"),
            _figure(block, sentiment["accuracy"] if sentiment["n"] else None, "sentiment_accuracy"),
            _figure(block, negative, "sentiment_negative_f1")]


def reserved_section(metrics: dict[str, Any], labels: list[str]) -> list[str]:
    """Figures on the reserved real corpora (never trained on): per corpus and language, per
    label, beside the model that was in production when this one was trained."""
    reserved = metrics.get("reserved")
    if not reserved or not reserved.get("by_corpus"):
        return []
    parts = ["## Reserved real corpora (never trained on, never used to tune or choose)", "",
             "Random samples, each read in full and labelled by a reader (`data/labels/reserved`; its data card says who the readers were); the Hebrew "
             "test file with its own gold labels. Bootstrap 95% intervals (1,000 resamples). Pain-point macro-F1 "
             "averages the pain points with at least 10 gold items in that corpus.", ""]
    rows = []
    for corpus, block in reserved["by_corpus"].items():
        for lang, b in [("all", block), *block["by_language"].items()]:
            if lang != "all" and len(block["by_language"]) == 1:
                continue
            rows.append([corpus, lang, b["n"], *_headline(b)])
    parts += [_table(["corpus", "lang", "items", "pain macro-F1", "sentiment macro-F1", "sentiment accuracy",
                      "negative F1"], rows), ""]
    if reserved.get("not_scored_other_language"):
        parts += [f"{reserved['not_scored_other_language']} item(s) a reader marked as another language were not "
                  "scored, as in production.", ""]
    previous = metrics.get("reserved_previous")
    if previous:
        parts += [f"### Before and after: {previous['version']} (production when this model was trained) against "
                  "this model", ""]
        rows = []
        for corpus, block in reserved["by_corpus"].items():
            old = previous.get("by_corpus", {}).get(corpus)
            if old is None:
                continue
            before, after = _headline(old), _headline(block)
            rows.append([corpus, block["n"], before[0], after[0], before[1], after[1], before[3], after[3]])
        parts += [_table(["corpus", "items", "pain macro-F1 before", "after", "sentiment macro-F1 before", "after",
                          "negative F1 before", "after"], rows), ""]
    rows = []
    for corpus, block in reserved["by_corpus"].items():
        for key in labels:
            m = block["pain_points"]["per_label"].get(key, {})
            if m.get("support"):
                interval = block.get("intervals", {}).get("pain_f1", {}).get(key)
                rows.append([corpus, key, m["support"], m["predicted"], m["precision"], m["recall"],
                             f"{m['f1']:.3f}" + (f" [{interval[0]:.2f}, {interval[1]:.2f}]" if interval else "")])
    if rows:
        parts += ["### Reserved corpora per pain point", "",
                  "What the committee report corrects counts with (pooled over the corpora) until a company has "
                  "its own random labels.", "",
                  _table(["corpus", "pain point", "gold", "predicted", "precision", "recall", "F1 [95%]"], rows), ""]
        pooled = reserved["pain_points"]["per_label"]
        parts += [_table(["pain point (all reserved corpora)", "gold", "predicted", "precision", "recall", "F1"],
                         [[k, m["support"], m["predicted"], m["precision"], m["recall"], m["f1"]]
                          for k, m in pooled.items()]), ""]
    return parts
