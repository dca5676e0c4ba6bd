"""A Python API for notebooks: load a model by version, classify strings or a DataFrame.

    from voc.api import load_model
    model = load_model()                              # production; or load_model("tfidf-20261123-1e855cce")
    model.classify(["On hold for an hour", "Merci, super service"])
    model.classify(frame, text_column="comment")       # a DataFrame in, the same rows out with columns added

Texts are prepared exactly as `voc classify` prepares them (normalised, language detected,
personal data redacted) before the model sees them.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

import pandas as pd

from pipelines.classify.bundle import Classifier
from pipelines.text.language import LanguageDetector
from pipelines.text.prepare import prepare
from voc import models as registry
from voc.config import load_settings


class Model:
    def __init__(self, classifier: Classifier, languages: tuple[str, ...] = ("en", "fr", "he", "ru"),
                 names: bool = False) -> None:
        self.classifier = classifier
        self.version = classifier.version
        self.labels = list(classifier.labels)
        self._detector = LanguageDetector(languages=languages)
        self._names = names

    def classify(self, data: Iterable[str] | pd.DataFrame, *, text_column: str = "text") -> pd.DataFrame:
        """One row per text: language, prepared text, sentiment, score, pain points, one
        probability column per pain point, uncertain, spans (JSON). A DataFrame comes back
        with its own columns first and the same index."""
        if isinstance(data, pd.DataFrame):
            if text_column not in data.columns:
                raise KeyError(f"no column {text_column!r}; the DataFrame has {list(data.columns)}")
            texts = ["" if pd.isna(t) else str(t) for t in data[text_column]]
            index = data.index
        else:
            if isinstance(data, str):
                raise TypeError("pass a list of strings (or a DataFrame), not one string")
            texts = ["" if t is None else str(t) for t in data]
            index = pd.RangeIndex(len(texts))
        prepared = prepare(texts, self._detector, names=self._names)
        predictions = self.classifier.predict([p.text for p in prepared], [p.language for p in prepared])
        out = pd.DataFrame({
            "language": [p.language for p in prepared],
            "prepared_text": [p.text for p in prepared],
            "sentiment": [p.sentiment for p in predictions],
            "sentiment_score": [p.sentiment_score for p in predictions],
            "pain_points": [list(p.pain_points) for p in predictions],
            **{f"p_{key}": [p.scores.get(key, float("nan")) for p in predictions] for key in self.labels},
            "uncertain": [p.uncertain for p in predictions],
            "spans": [json.dumps([asdict(s) for s in p.spans], ensure_ascii=False) for p in predictions],
            "model_version": self.version,
        }, index=index)
        if isinstance(data, pd.DataFrame):
            return pd.concat([data, out], axis=1)
        return pd.concat([pd.DataFrame({"text": texts}, index=index), out], axis=1)


def load_model(version: str | None = None, models_dir: str | Path | None = None) -> Model:
    """A model by version (default: production) from `models_dir` (default: voc.toml's)."""
    settings = load_settings()
    folder = Path(models_dir) if models_dir is not None else settings.models_dir
    return Model(registry.load_model(folder, version), languages=settings.languages, names=settings.redact_names)


def versions(models_dir: str | Path | None = None) -> list[str]:
    return registry.versions(Path(models_dir) if models_dir is not None else load_settings().models_dir)
