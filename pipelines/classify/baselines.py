"""Baselines shown beside every evaluation: keyword rules per language, VADER for English."""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.classify.taxonomy import Taxonomy


class KeywordRules:
    """A pain point is found when one of its language's keyword patterns matches."""

    name = "keywords"

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.labels = taxonomy.keys
        self._patterns: dict[str, dict[str, re.Pattern]] = {}
        for point in taxonomy.pain_points:
            for lang, patterns in point.keywords.items():
                if patterns:
                    self._patterns.setdefault(lang, {})[point.key] = re.compile(
                        "|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    def predict(self, texts: list[str], languages: list[str]) -> list[list[str] | None]:
        """Pain points per text; None where the language has no rules."""
        out: list[list[str] | None] = []
        for text, lang in zip(texts, languages):
            rules = self._patterns.get(lang)
            out.append(None if rules is None else [k for k, p in rules.items() if p.search(text)])
        return out


@lru_cache(maxsize=1)
def _vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()


def vader_sentiment(texts: list[str], languages: list[str]) -> list[str | None]:
    """VADER's label for English texts (compound >= 0.05 positive, <= -0.05 negative); None otherwise."""
    analyzer = _vader()
    out: list[str | None] = []
    for text, lang in zip(texts, languages):
        if analyzer is None or lang != "en":
            out.append(None)
            continue
        compound = analyzer.polarity_scores(text)["compound"]
        out.append("positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral")
    return out
