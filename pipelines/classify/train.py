"""labels -> fitted Classifier + metrics + model card. Reproducible: same data and config,
same model and metrics."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from pipelines.classify.baselines import KeywordRules, vader_sentiment
from pipelines.classify.bundle import Classifier, library_versions
from pipelines.classify.evaluate import evaluate, sentiment_metrics
from pipelines.classify.labels import LabelledItem
from pipelines.classify.registry import build_scorer
from pipelines.classify.taxonomy import Taxonomy

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainConfig:
    name: str = "tfidf"
    scorer: str = "tfidf_logreg.v1"
    scorer_params: dict[str, Any] = field(default_factory=dict)
    seed: int = 13
    threshold_folds: int = 5
    uncertain_band: float = 0.1
    # Weight of each item in the fit by where its label comes from ([weights] in the config):
    # "team" (team-written), "real" (real text read by a person), "corpus" (a corpus's own
    # sentiment label or star rating). Missing kinds weigh 1.
    weights: dict[str, float] = field(default_factory=dict)
    # "all": thresholds from every item's out-of-fold prediction; "real": from real items only,
    # for each pain point with at least MIN_POSITIVES_PER_LANGUAGE real positives (else all).
    thresholds_from: str = "all"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrainConfig":
        known = {"name", "scorer", "scorer_params", "seed", "threshold_folds", "uncertain_band", "weights",
                 "thresholds_from"}
        config = cls(**{k: v for k, v in data.items() if k in known})
        if config.thresholds_from not in ("all", "real"):
            raise ValueError(f"thresholds_from = {config.thresholds_from!r}: use \"all\" or \"real\"")
        unknown = set(config.weights) - {"team", "real", "corpus"}
        if unknown:
            raise ValueError(f"[weights] {sorted(unknown)}: the kinds are team, real and corpus")
        return config


def label_origin(item: LabelledItem) -> str:
    """"team" (written by the team, or labelled in the warehouse), "real" (a real corpus item a
    person read) or "corpus" (a corpus's own sentiment label or star rating, no pain points)."""
    if not item.corpus:
        return "team"
    return "real" if item.pain_points is not None else "corpus"


def origin_counts(items: list[LabelledItem]) -> dict[str, int]:
    """Training items by where their labels come from (team, real, corpus), for the model card."""
    counts = {"team": 0, "real": 0, "corpus": 0}
    for item in items:
        counts[label_origin(item)] += 1
    return counts


def item_weights(config: TrainConfig, items: list[LabelledItem]) -> np.ndarray | None:
    if not config.weights:
        return None
    return np.array([float(config.weights.get(label_origin(i), 1.0)) for i in items])


def pain_matrix(items: list[LabelledItem], labels: list[str]) -> np.ndarray:
    """(n, labels): 1/0 where labelled, -1 where an item carries no pain-point labels."""
    out = np.full((len(items), len(labels)), -1, dtype=np.int8)
    for i, item in enumerate(items):
        if item.pain_points is not None:
            out[i] = [label in item.pain_points for label in labels]
    return out


def folds_of(items: list[LabelledItem], k: int, seed: int) -> list[int]:
    """A fold number per item, stable across runs and balanced within each language."""
    def rank(item: LabelledItem) -> str:
        return hashlib.sha256(f"{seed}:{item.id}".encode()).hexdigest()

    fold = [0] * len(items)
    by_lang: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        by_lang.setdefault(item.lang, []).append(i)
    for indices in by_lang.values():
        for position, i in enumerate(sorted(indices, key=lambda j: rank(items[j]))):
            fold[i] = position % k
    return fold


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability cut that maximises F1 (ties: the middle of the best plateau)."""
    if y.sum() == 0:
        return 0.5
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    scores = []
    for t in grid:
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    scores = np.array(scores)
    best = np.flatnonzero(scores >= scores.max() - 1e-9)
    return float(grid[best[len(best) // 2]])


MIN_POSITIVES_PER_LANGUAGE = 15


def tune_thresholds(config: TrainConfig, items: list[LabelledItem], labels: list[str],
                    progress: Progress) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Thresholds from out-of-fold predictions, so no item scores itself: one per label, and
    one per label and language where that language has enough positive examples. Folds fit on
    every item, as the final model does (sentiment-only items shape its vocabulary too); only
    items labelled for a pain point choose its threshold."""
    texts = [item.text for item in items]
    sentiments = [item.sentiment for item in items]
    matrix = pain_matrix(items, labels)
    fold = np.array(folds_of(items, config.threshold_folds, config.seed))
    oof = np.zeros(matrix.shape, dtype=np.float32)
    for k in range(config.threshold_folds):
        progress(f"threshold fold {k + 1}/{config.threshold_folds}")
        train_idx, held_idx = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        scorer = build_scorer(config.scorer, labels, config.scorer_params, config.seed)
        scorer.fit([texts[i] for i in train_idx], [sentiments[i] for i in train_idx], matrix[train_idx],
                   **_weights_kw(item_weights(config, [items[i] for i in train_idx])))
        oof[held_idx] = scorer.predict_proba([texts[i] for i in held_idx])[1]
    real = np.array([label_origin(item) == "real" for item in items])

    def tuned_on(rows_of: np.ndarray, j: int) -> np.ndarray:
        """Rows to tune label j on: real ones when asked and enough of them are positive."""
        if config.thresholds_from == "real" and (matrix[rows_of & real, j] == 1).sum() >= MIN_POSITIVES_PER_LANGUAGE:
            return rows_of & real
        return rows_of

    thresholds = {}
    for j, label in enumerate(labels):
        rows = tuned_on(matrix[:, j] >= 0, j)
        thresholds[label] = best_threshold(matrix[rows, j], oof[rows, j])
    by_language: dict[str, dict[str, float]] = {}
    languages = np.array([item.lang for item in items])
    for lang in sorted(set(languages)):
        for j, label in enumerate(labels):
            rows = tuned_on((matrix[:, j] >= 0) & (languages == lang), j)
            if (matrix[rows, j] == 1).sum() >= MIN_POSITIVES_PER_LANGUAGE:
                by_language.setdefault(str(lang), {})[label] = best_threshold(matrix[rows, j], oof[rows, j])
    return thresholds, by_language


def _weights_kw(weights: np.ndarray | None) -> dict[str, Any]:
    """Pass weights only when there are some, so scorers without weighting still work."""
    return {} if weights is None else {"weights": weights}


def data_fingerprint(config: TrainConfig, items: list[LabelledItem]) -> str:
    digest = hashlib.sha256(json.dumps(config.__dict__, sort_keys=True).encode())
    for item in items:
        digest.update(f"{item.id}\t{item.text}\t{item.sentiment}\t{item.pain_points}\n".encode())
    return digest.hexdigest()[:8]


def train(config: TrainConfig, taxonomy: Taxonomy, train_items: list[LabelledItem],
          test_items: list[LabelledItem], *, version: str, progress: Progress = lambda _: None) -> Classifier:
    """Fit on all training items with thresholds tuned out-of-fold, then measure on the test split."""
    labels = taxonomy.keys
    started = time.perf_counter()
    thresholds, language_thresholds = tune_thresholds(config, train_items, labels, progress)
    progress("final fit on all training items")
    scorer = build_scorer(config.scorer, labels, config.scorer_params, config.seed)
    scorer.fit([i.text for i in train_items], [i.sentiment for i in train_items], pain_matrix(train_items, labels),
               **_weights_kw(item_weights(config, train_items)))
    classifier = Classifier(scorer=scorer, thresholds=thresholds, uncertain_band=config.uncertain_band,
                            version=version, config={"train": config.__dict__},
                            language_thresholds=language_thresholds)
    progress("evaluating on the test split")
    metrics: dict[str, Any] = {
        "version": version, "training_seconds": round(time.perf_counter() - started, 1),
        "data": data_counts(train_items, test_items, labels), "thresholds": thresholds,
        "language_thresholds": language_thresholds,
        "libraries": library_versions(),
    }
    if test_items:
        metrics["test"] = evaluate_classifier(classifier, test_items, labels)
        metrics["baselines"] = evaluate_baselines(taxonomy, test_items)
    classifier.metrics = metrics
    return classifier


def evaluate_classifier(classifier: Classifier, items: list[LabelledItem], labels: list[str], *,
                        intervals: bool = False) -> dict[str, Any]:
    predictions = classifier.predict([item.text for item in items], [item.lang for item in items])
    report = evaluate(items, [p.sentiment for p in predictions],
                      [None if p.sentiment is None else p.pain_points for p in predictions], labels,
                      intervals=intervals)
    report["not_scored_other_language"] = sum(p.sentiment is None for p in predictions)
    report["uncertain"] = sum(p.uncertain for p in predictions)
    return report


def evaluate_baselines(taxonomy: Taxonomy, items: list[LabelledItem]) -> dict[str, Any]:
    texts, langs = [i.text for i in items], [i.lang for i in items]
    keywords = KeywordRules(taxonomy).predict(texts, langs)
    vader = vader_sentiment(texts, langs)
    return {"keywords": evaluate(items, [None] * len(items), keywords, taxonomy.keys),
            "vader": evaluate(items, vader, [None] * len(items), taxonomy.keys)}


def evaluate_external(classifier: Classifier, corpora: dict[str, tuple[list[LabelledItem], str]],
                      prepare_texts: Callable[[list[str]], list[str]]) -> dict[str, Any]:
    """Sentiment on real labelled corpora (never trained on), beside VADER for English."""
    out = {}
    for name, (items, description) in corpora.items():
        texts = prepare_texts([i.text for i in items])
        golds = [i.sentiment for i in items]
        ours = [p.sentiment for p in classifier.predict(texts, [i.lang for i in items])]
        results = {classifier.version: sentiment_metrics(golds, ours)}
        vader = vader_sentiment(texts, [i.lang for i in items])
        if all(v is not None for v in vader):
            results["VADER"] = sentiment_metrics(golds, vader)
        out[name] = {"note": description, "results": {
            k: {"n": v["n"], "accuracy": v["accuracy"], "macro_f1": v["macro_f1"]} for k, v in results.items()}}
    return out


def data_counts(train_items: list[LabelledItem], test_items: list[LabelledItem], labels: list[str]) -> dict[str, Any]:
    def counts(items: list[LabelledItem]) -> dict[str, Any]:
        by_lang: dict[str, dict[str, int]] = {}
        for item in items:
            row = by_lang.setdefault(item.lang, {"items": 0, "no_pain_point": 0, "negative": 0,
                                                 "neutral": 0, "positive": 0, **{k: 0 for k in labels}})
            row["items"] += 1
            if item.sentiment:
                row[item.sentiment] += 1
            if item.pain_points is not None:
                row["no_pain_point"] += not item.pain_points
                for key in item.pain_points:
                    row[key] += 1
        return by_lang
    return {"train": counts(train_items), "test": counts(test_items)}
