"""A trained classifier as users meet it: scorer + per-label thresholds + uncertainty band.

Saved as a folder (see save()): the scorer's weights, the config it was trained with,
thresholds, metrics, library versions and a model card.
"""

from __future__ import annotations

import json
import platform
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import joblib
import numpy as np

from pipelines.classify.labels import SENTIMENTS
from pipelines.classify.spans import sentence_spans

_PLACEHOLDER = re.compile(r"\[[A-Z]+\]")

_VERSIONED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib", "torch", "transformers")


class Scorer(Protocol):
    name: str
    labels: list[str]

    def predict_proba(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class Span:
    pain_point: str
    start: int
    end: int
    sentiment: str
    sentiment_score: float


UNSCORED_LANGUAGE = "other"  # text in a language the models never learned: not scored
_LETTER = re.compile(r"[^\W\d_]")


def _unscored(text: str, language: str) -> bool:
    """Words in a language the model never learned. Texts too short to have a language (empty,
    emoji, "ok", a bare [URL]) are also "other" but are scored as before."""
    return language == UNSCORED_LANGUAGE and len(_LETTER.findall(_PLACEHOLDER.sub(" ", text))) >= 3


@dataclass(frozen=True)
class Prediction:
    sentiment: str | None   # None: not scored (a language the model never learned)
    sentiment_score: float | None  # P(positive) - P(negative), in [-1, 1]
    pain_points: list[str]
    scores: dict[str, float]  # probability per pain point
    uncertain: bool
    spans: list[Span] = field(default_factory=list)


def sentiments_of(proba: np.ndarray) -> tuple[list[str], list[float]]:
    """Per row of sentiment probabilities: the likeliest sentiment, and P(positive) - P(negative)
    rounded to 4 places."""
    if not len(proba):
        return [], []
    return ([SENTIMENTS[i] for i in proba.argmax(axis=1)],
            [round(x, 4) for x in (proba[:, 2] - proba[:, 0]).tolist()])


def library_versions() -> dict[str, str]:
    from importlib import metadata

    found = {"python": platform.python_version()}
    for name in _VERSIONED_LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


class Classifier:
    """Decides sentiment, pain points, spans and uncertainty for texts."""

    def __init__(self, *, scorer: Scorer, thresholds: dict[str, float], uncertain_band: float = 0.1,
                 version: str = "unsaved", config: dict[str, Any] | None = None,
                 metrics: dict[str, Any] | None = None,
                 language_thresholds: dict[str, dict[str, float]] | None = None) -> None:
        missing = [label for label in scorer.labels if label not in thresholds]
        if missing:
            raise ValueError(f"no threshold for {missing}")
        self.scorer = scorer
        self.thresholds = thresholds
        # Per language, where training had enough examples to tune them; else `thresholds`.
        self.language_thresholds = language_thresholds or {}
        self.uncertain_band = uncertain_band
        self.version = version
        self.config = config or {}
        self.metrics = metrics or {}
        self.path: Path | None = None  # the folder it was loaded from or saved to

    @property
    def labels(self) -> list[str]:
        return self.scorer.labels

    def threshold_matrix(self, languages: list[str] | None, n: int) -> np.ndarray:
        """(n, labels) thresholds: each item's language's own where tuned, else the global ones."""
        default = np.array([self.thresholds[label] for label in self.labels], dtype=np.float32)
        if not languages or not self.language_thresholds:
            return np.tile(default, (n, 1))
        rows = {lang: np.array([table.get(label, self.thresholds[label]) for label in self.labels], dtype=np.float32)
                for lang, table in self.language_thresholds.items()}
        return np.vstack([rows.get(lang, default) for lang in languages])

    def decide(self, pain_proba: np.ndarray, languages: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(decisions (n, labels) bool, uncertain (n,) bool) from probabilities."""
        t = self.threshold_matrix(languages, len(pain_proba))
        decisions = pain_proba >= t
        margin = np.abs(pain_proba - t).min(axis=1) if len(self.labels) else np.ones(len(pain_proba))
        return decisions, margin < self.uncertain_band

    def predict(self, texts: list[str], languages: list[str] | None = None) -> list[Prediction]:
        """One Prediction per text (empty texts are neutral with no pain point). With the
        texts' languages, each language's own thresholds apply where the model has them, and a
        text in a language the model never learned ("other") is not scored: sentiment None, no
        pain point (a Dutch review scored by an English/French model is a guess, not a finding)."""
        if not texts:
            return []
        if languages is not None and any(_unscored(t, lang) for t, lang in zip(texts, languages)):
            return self._predict_known_languages(texts, languages)
        sentiment, pain = self.scorer.predict_proba([t or " " for t in texts])
        decisions, uncertain = self.decide(pain, languages)
        spans = self._spans(texts, decisions, self.threshold_matrix(languages, len(texts)), sentiment)
        names, scores = sentiments_of(sentiment)
        out = []
        for i, text in enumerate(texts):
            label, score = (names[i], scores[i]) if text.strip() else ("neutral", 0.0)
            chosen = [self.labels[j] for j in np.flatnonzero(decisions[i])] if text.strip() else []
            out.append(Prediction(
                sentiment=label, sentiment_score=score, pain_points=chosen,
                scores={lab: round(float(pain[i, j]), 4) for j, lab in enumerate(self.labels)},
                uncertain=bool(uncertain[i]) if text.strip() else False, spans=spans.get(i, []),
            ))
        return out

    def _predict_known_languages(self, texts: list[str], languages: list[str]) -> list[Prediction]:
        known = [i for i, (text, lang) in enumerate(zip(texts, languages)) if not _unscored(text, lang)]
        scored = iter(self.predict([texts[i] for i in known], [languages[i] for i in known]))
        unscored = Prediction(sentiment=None, sentiment_score=None, pain_points=[], scores={}, uncertain=False)
        keep = set(known)
        return [next(scored) if i in keep else unscored for i in range(len(texts))]

    def _spans(self, texts: list[str], decisions: np.ndarray, thresholds: np.ndarray,
               item_sentiment: np.ndarray) -> dict[int, list[Span]]:
        """For each pain point found, the sentences that carry it and their sentiment.

        A one-sentence item is its own span (scored already); only longer items' sentences
        are scored again, in one batch."""
        result: dict[int, list[Span]] = {}
        pieces: list[tuple[int, int, int]] = []  # (item, start, end) of items with several sentences
        item_names, item_scores = sentiments_of(item_sentiment)
        for i in np.flatnonzero(decisions.any(axis=1)):
            sentences = sentence_spans(texts[i])
            if len(sentences) == 1:
                (a, b), name, score = sentences[0], item_names[i], item_scores[i]
                result[int(i)] = [Span(self.labels[j], a, b, name, score) for j in np.flatnonzero(decisions[i])]
            else:
                pieces += [(int(i), a, b) for a, b in sentences]
        if not pieces:
            return result
        sentiment, pain = self.scorer.predict_proba([texts[i][a:b] for i, a, b in pieces])
        piece_names, piece_scores = sentiments_of(sentiment)
        by_item: dict[int, list[int]] = {}
        for k, (i, _, _) in enumerate(pieces):
            by_item.setdefault(i, []).append(k)
        for i, ks in by_item.items():
            for j in np.flatnonzero(decisions[i]):
                label = self.labels[j]
                best = max(ks, key=lambda k: pain[k, j])
                carry = [k for k in ks if pain[k, j] >= 0.8 * thresholds[i, j]] or [best]
                for k in carry:
                    result.setdefault(i, []).append(
                        Span(label, pieces[k][1], pieces[k][2], piece_names[k], piece_scores[k]))
        return result

    # -- persistence -------------------------------------------------------
    def save(self, folder: Path, *, card: str = "") -> Path:
        """Write the model folder: weights, config, thresholds, metrics, versions, card."""
        folder.mkdir(parents=True, exist_ok=False)
        joblib.dump(self.scorer, folder / "scorer.joblib", compress=3)
        meta = {
            "version": self.version, "scorer": self.scorer.name, "labels": self.labels,
            "thresholds": self.thresholds, "language_thresholds": self.language_thresholds,
            "uncertain_band": self.uncertain_band,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "libraries": library_versions(),
        }
        (folder / "model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
        (folder / "config.json").write_text(json.dumps(self.config, indent=2, ensure_ascii=False) + "\n", "utf-8")
        (folder / "metrics.json").write_text(json.dumps(self.metrics, indent=2, ensure_ascii=False) + "\n", "utf-8")
        if card:
            (folder / "MODEL_CARD.md").write_text(card, "utf-8")
        self.path = folder
        return folder

    @classmethod
    def load(cls, folder: Path) -> "Classifier":
        """Load a model folder; refuses one saved with another scikit-learn major.minor."""
        meta_path = folder / "model.json"
        if not meta_path.is_file():
            raise FileNotFoundError(f"{folder} is not a model folder (no model.json)")
        meta = json.loads(meta_path.read_text("utf-8"))
        saved = meta.get("libraries", {}).get("scikit-learn", "")
        here = library_versions().get("scikit-learn", "")
        if saved.split(".")[:2] != here.split(".")[:2]:
            raise RuntimeError(
                f"{folder} was saved with scikit-learn {saved}, this environment has {here}: "
                "retrain it with `voc train` or install the recorded version"
            )
        scorer = joblib.load(folder / "scorer.joblib")
        metrics_path = folder / "metrics.json"
        config_path = folder / "config.json"
        model = cls(
            scorer=scorer, thresholds=meta["thresholds"], uncertain_band=meta["uncertain_band"],
            language_thresholds=meta.get("language_thresholds", {}),
            version=meta["version"],
            config=json.loads(config_path.read_text("utf-8")) if config_path.is_file() else {},
            metrics=json.loads(metrics_path.read_text("utf-8")) if metrics_path.is_file() else {},
        )
        model.path = folder
        return model


def predictions_as_records(predictions: list[Prediction]) -> list[dict[str, Any]]:
    return [asdict(p) for p in predictions]


def prediction_columns(predictions: list[Prediction]) -> dict[str, list]:
    """Predictions as warehouse columns (scores and spans as JSON text), built where they are
    computed so that only compact columns travel between processes."""
    return {
        "sentiment": [p.sentiment for p in predictions],
        "sentiment_score": [p.sentiment_score for p in predictions],
        "pain_points": [p.pain_points for p in predictions],
        "scores": [json.dumps(p.scores) for p in predictions],
        "uncertain": [p.uncertain for p in predictions],
        "spans": [json.dumps([asdict(s) for s in p.spans], ensure_ascii=False) for p in predictions],
    }
