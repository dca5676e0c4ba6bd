"""Prepare and classify what the warehouse holds, in batches; each batch lands whole."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Callable

from pipelines.classify.bundle import Classifier, Prediction
from pipelines.store import Warehouse
from pipelines.store import classified as store
from pipelines.text.language import LanguageDetector
from pipelines.text.prepare import PREP_VERSION, prepare

Advance = Callable[[int], None]


def prediction_row(item_id: str, prediction: Prediction, model_version: str) -> dict:
    return {
        "item_id": item_id, "model_version": model_version, "sentiment": prediction.sentiment,
        "sentiment_score": prediction.sentiment_score, "pain_points": prediction.pain_points,
        "scores": json.dumps(prediction.scores), "uncertain": prediction.uncertain,
        "spans": json.dumps([asdict(s) for s in prediction.spans], ensure_ascii=False),
    }


def prepare_pending(wh: Warehouse, detector: LanguageDetector, *, names: bool = True,
                    batch_size: int = 5000, advance: Advance = lambda _: None) -> int:
    """Prepare every feedback item that has no prepared text of the current version."""
    done = 0
    for batch in store.items_to_prepare(wh, PREP_VERSION, batch_size):
        ids, texts = batch.column("id").to_pylist(), batch.column("text").to_pylist()
        prepared = prepare(texts, detector, names=names)
        store.save_prepared(wh, ids, PREP_VERSION, [p.text for p in prepared], [p.language for p in prepared])
        done += len(ids)
        advance(len(ids))
    return done


def classify_pending(wh: Warehouse, classifier: Classifier, *, batch_size: int = 5000,
                     advance: Advance = lambda _: None) -> int:
    """Classify every prepared item that has no prediction from this model version."""
    done = 0
    for batch in store.items_to_classify(wh, PREP_VERSION, classifier.version, batch_size):
        ids, texts = batch.column("item_id").to_pylist(), batch.column("text_clean").to_pylist()
        predictions = classifier.predict(texts)
        store.save_predictions(wh, [prediction_row(i, p, classifier.version) for i, p in zip(ids, predictions)])
        done += len(ids)
        advance(len(ids))
    return done


def pending_counts(wh: Warehouse, model_version: str) -> tuple[int, int]:
    """(items to prepare, prepared items to classify) — the second grows once preparation runs."""
    return (store.count_pending(wh, "to_prepare", prep_version=PREP_VERSION),
            store.count_pending(wh, "to_classify", prep_version=PREP_VERSION, model_version=model_version))
