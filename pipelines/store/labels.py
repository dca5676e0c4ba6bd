"""Warehouse side of labelling: store labels (all annotators kept), candidates to label next,
items on which models or annotators disagree."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pandas as pd
import pyarrow as pa

from pipelines.store.status import named_queries
from pipelines.store.warehouse import Warehouse

_LABEL_ROWS = pa.schema([("item_id", pa.string()), ("text", pa.string()), ("lang", pa.string()),
                         ("sentiment", pa.string()), ("pain_points", pa.list_(pa.string())),
                         ("annotator", pa.string()), ("labelled_at", pa.timestamp("us", tz="UTC")),
                         ("source", pa.string()), ("imported_at", pa.timestamp("us", tz="UTC")),
                         ("sampling", pa.string())])


def _q(name: str) -> str:
    return named_queries("labels.sql")[name]


def known_items(wh: Warehouse, ids: list[str]) -> set[str]:
    return {row[0] for row in wh.query(_q("known_items"), {"ids": ids})} if ids else set()


def save_labels(wh: Warehouse, rows: list[dict[str, Any]], source: str) -> tuple[int, int]:
    """Add label rows in one transaction; a row equal to a stored one (same item, annotator,
    sentiment and pain points) is a duplicate and adds nothing. Returns (added, duplicates)."""
    if not rows:
        return 0, 0
    now = datetime.now(timezone.utc)
    table = pa.Table.from_pylist([
        {"item_id": r["item_id"], "text": r.get("text"), "lang": r.get("lang"), "sentiment": r.get("sentiment"),
         "pain_points": None if r.get("pain_points") is None else sorted(r["pain_points"]),
         "annotator": r["annotator"], "labelled_at": r.get("labelled_at") or now, "source": source,
         "imported_at": now, "sampling": r.get("sampling")} for r in rows], schema=_LABEL_ROWS)
    wh.register("new_labels", table)
    try:
        with wh.transaction():
            added = wh.con.execute(
                "INSERT INTO labels BY NAME SELECT DISTINCT ON (item_id, annotator, sentiment, pain_points) * FROM new_labels n "
                "WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = n.item_id AND l.annotator = n.annotator "
                "AND l.sentiment IS NOT DISTINCT FROM n.sentiment "
                "AND list_sort(l.pain_points) IS NOT DISTINCT FROM n.pain_points)").fetchone()[0]
    finally:
        wh.con.unregister("new_labels")
    return int(added), len(rows) - int(added)


def labels(wh: Warehouse) -> list[dict[str, Any]]:
    return wh.records(_q("labels"))


def candidates(wh: Warehouse, model_version: str, lang: str | None = None, *, random: bool = False) -> pd.DataFrame:
    """Items scored by `model_version` (not "other"), with their predictions, that nobody
    labelled yet; for a random sample (`random`), every scored item not in a random sample yet."""
    return wh.frame(_q("candidates"), {"model_version": model_version, "lang": lang, "random": random})


def model_disagreements(wh: Warehouse) -> set[str]:
    return {row[0] for row in wh.query(_q("model_disagreements"))}
