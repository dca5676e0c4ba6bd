"""Prepare and classify what the warehouse holds, in batches; each batch lands whole."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from pipelines.classify.bundle import Classifier
from pipelines.classify.parallel import Workers
from pipelines.store import Warehouse
from pipelines.store import classified as store
from pipelines.text.prepare import PREP_VERSION, PreparedText

Advance = Callable[[int], None]


def classify_pending(wh: Warehouse, model: Classifier, *, languages: tuple[str, ...] = ("en", "fr", "he", "ru"),
                     names: bool = False, workers: int = 1, batch_size: int = 5000,
                     advance: Advance = lambda _: None, since: datetime | None = None) -> tuple[int, int]:
    """Prepare every feedback item with no prepared text of the current version, then classify
    every prepared item with no prediction from this model. Returns (prepared, classified);
    each batch lands in its own transaction, so an interrupted run resumes where it stopped."""
    prepared = classified = 0
    with wh.memory_limited(), Workers(model, languages=languages, names=names, workers=workers) as pool:
        batches = store.items_to_prepare(wh, PREP_VERSION, batch_size, since)
        ids: list[list[str]] = []

        def raw_texts():
            for batch in batches:
                ids.append(batch.column("id").to_pylist())
                yield batch.column("text").to_pylist()

        for texts, columns in pool.map(raw_texts(), raw=True):
            batch_ids = ids.pop(0)
            save_batch(wh, batch_ids, texts, columns, model.version)
            prepared += len(batch_ids)
            classified += len(batch_ids)
            advance(len(batch_ids))
        # Items prepared earlier (by another model's run) need only this model's predictions.
        batches = store.items_to_classify(wh, PREP_VERSION, model.version, batch_size, since)
        for batch in batches:
            batch_ids = batch.column("item_id").to_pylist()
            job = (batch.column("text_clean").to_pylist(), batch.column("language").to_pylist())
            (_, columns), = pool.map([job], raw=False)
            store.save_predictions(wh, batch_ids, model.version, columns)
            classified += len(batch_ids)
            advance(len(batch_ids))
    return prepared, classified


def save_batch(wh: Warehouse, ids: list[str], prepared: list[PreparedText] | None,
               columns: dict[str, list], model_version: str) -> None:
    """Prepared texts (when new) and prediction columns of one batch."""
    if prepared is not None:
        store.save_prepared(wh, ids, PREP_VERSION, [p.text for p in prepared], [p.language for p in prepared])
    store.save_predictions(wh, ids, model_version, columns)


def unprepared_batches(wh: Warehouse, batch_size: int) -> list[tuple[list[str], list[str]]]:
    """All (ids, texts) waiting for preparation, in batches (for a distributed run)."""
    return [(b.column("id").to_pylist(), b.column("text").to_pylist())
            for b in store.items_to_prepare(wh, PREP_VERSION, batch_size)]


def pending_count(wh: Warehouse, model_version: str, since: datetime | None = None) -> int:
    """Items this model has still to classify (prepared or not), received since `since`."""
    return (store.count_pending(wh, "to_prepare", since, prep_version=PREP_VERSION)
            + store.count_pending(wh, "to_classify", since, prep_version=PREP_VERSION, model_version=model_version))
