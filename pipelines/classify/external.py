"""Whole reserved corpora that carry their own sentiment labels (crowd or gold): sentiment on
words our models were never trained on, beside the samples our readers labelled. Texts are read
at run time from the shared data folder and stay in memory, never in the repository."""

from __future__ import annotations

from pathlib import Path

from pipelines.classify.corpora import CORPORA, CorpusMissing, read_corpus
from pipelines.classify.labels import LabelledItem

GOLD_SENTIMENT = {
    "airline_tweets": "all 14,640 US airline tweets, crowd-labelled sentiment (English; reserved)",
    "hebrew_test": "Amram et al. Hebrew Facebook comments, test_gold file, gold sentiment (reserved; political)",
}


def load_external(root: Path) -> dict[str, tuple[list[LabelledItem], str]]:
    """Every such corpus found under `root`: name -> (items, description). Missing ones are skipped."""
    found = {}
    for name, description in GOLD_SENTIMENT.items():
        try:
            corpus = read_corpus(root, name)
        except CorpusMissing:
            continue
        items = [LabelledItem(r.source, r.text, r.lang or "other", r.gold_sentiment, None, r.source)
                 for r in corpus.values() if r.gold_sentiment]
        found[name] = (items, f"{description}; {CORPORA[name].path}")
    return found
