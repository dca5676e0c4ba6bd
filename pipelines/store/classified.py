"""Reading work for the text and classify steps, writing what they produce."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

import pyarrow as pa

from pipelines.store.status import named_queries
from pipelines.store.warehouse import Warehouse


def _batches(wh: Warehouse, query: str, params: dict[str, Any], batch_size: int) -> Iterator[pa.RecordBatch]:
    """Stream a query's rows on a second cursor so the caller can write between batches."""
    reader = wh.con.cursor()
    try:
        result = reader.sql(query, params=params).to_arrow_reader(batch_size)
        yield from result
    finally:
        reader.close()


def count_pending(wh: Warehouse, step: str, since: datetime | None = None, **params: str) -> int:
    return wh.con.execute(named_queries("pending.sql")[f"count_{step}"], {**params, "since": since}).fetchone()[0]


def items_to_prepare(wh: Warehouse, prep_version: str, batch_size: int,
                     since: datetime | None = None) -> Iterator[pa.RecordBatch]:
    """Feedback items (id, text) with no prepared text of this version (received since `since`)."""
    return _batches(wh, named_queries("pending.sql")["to_prepare"], {"prep_version": prep_version, "since": since},
                    batch_size)


def items_to_classify(wh: Warehouse, prep_version: str, model_version: str, batch_size: int,
                      since: datetime | None = None) -> Iterator[pa.RecordBatch]:
    """Prepared items (item_id, text_clean, language) with no prediction from this model."""
    return _batches(wh, named_queries("pending.sql")["to_classify"],
                    {"prep_version": prep_version, "model_version": model_version, "since": since}, batch_size)


def _append(wh: Warehouse, table: str, rows: pa.Table) -> None:
    wh.register("incoming_rows", rows)
    try:
        with wh.transaction():
            wh.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows")
    finally:
        wh.con.unregister("incoming_rows")


def save_prepared(wh: Warehouse, ids: list[str], prep_version: str, texts: list[str], languages: list[str]) -> None:
    now = datetime.now(timezone.utc)
    _append(wh, "prepared", pa.table({
        "item_id": ids, "prep_version": [prep_version] * len(ids), "language": languages,
        "text_clean": texts, "prepared_at": pa.array([now] * len(ids), pa.timestamp("us", tz="UTC")),
    }))


def save_predictions(wh: Warehouse, ids: list[str], model_version: str, columns: dict[str, list]) -> None:
    """Columns sentiment, sentiment_score, pain_points, scores (JSON text), uncertain, spans
    (JSON text), one value per item id."""
    now = datetime.now(timezone.utc)
    table = pa.table({
        "item_id": pa.array(ids, pa.string()), "model_version": pa.array([model_version] * len(ids), pa.string()),
        "sentiment": pa.array(columns["sentiment"], pa.string()),
        "sentiment_score": pa.array(columns["sentiment_score"], pa.float64()),
        "pain_points": pa.array(columns["pain_points"], pa.list_(pa.string())),
        "scores": pa.array(columns["scores"], pa.string()), "uncertain": pa.array(columns["uncertain"], pa.bool_()),
        "spans": pa.array(columns["spans"], pa.string()),
        "predicted_at": pa.array([now] * len(ids), pa.timestamp("us", tz="UTC")),
    })
    wh.register("incoming_rows", table)
    try:
        with wh.transaction():  # an item re-prepared (new preparation version) keeps its first prediction
            wh.con.execute("INSERT INTO predictions BY NAME SELECT * FROM incoming_rows n WHERE NOT EXISTS "
                           "(SELECT 1 FROM predictions p WHERE p.item_id = n.item_id "
                           "AND p.model_version = n.model_version)")
    finally:
        wh.con.unregister("incoming_rows")
