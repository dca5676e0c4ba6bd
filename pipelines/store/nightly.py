"""Warehouse side of the nightly run: callback candidates and lists, daily counts, alerts."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pyarrow as pa

from pipelines.store.status import named_queries
from pipelines.store.warehouse import Warehouse


def _records(wh: Warehouse, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return wh.records(named_queries("nightly.sql")[name], params)


def callback_candidates(wh: Warehouse, model_version: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    return _records(wh, "callback_candidates", {"model_version": model_version, "start": start, "end": end})


def save_callbacks(wh: Warehouse, rows: list[dict[str, Any]]) -> int:
    """Insert callback rows (one per item, ever); returns how many were new."""
    if not rows:
        return 0
    now = datetime.now(timezone.utc)
    table = pa.Table.from_pylist([{**r, "created_at": now} for r in rows])
    wh.register("new_callbacks", table)
    try:
        with wh.transaction():
            return wh.con.execute(
                "INSERT INTO callbacks BY NAME SELECT * FROM new_callbacks n "
                "WHERE NOT EXISTS (SELECT 1 FROM callbacks c WHERE c.item_id = n.item_id)").fetchone()[0]
    finally:
        wh.con.unregister("new_callbacks")


def daily_counts(wh: Warehouse, model_version: str, tz: str, start: datetime, end: datetime) -> dict[tuple[date, str], int]:
    rows = _records(wh, "daily_counts", {"model_version": model_version, "timezone": tz, "start": start, "end": end})
    return {(r["day"], r["pain_point"]): r["n"] for r in rows}


def save_alerts(wh: Warehouse, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    now = datetime.now(timezone.utc)
    wh.register("new_alerts", pa.Table.from_pylist([{**r, "created_at": now} for r in rows]))
    try:
        with wh.transaction():
            return wh.con.execute(
                "INSERT INTO alerts BY NAME SELECT * FROM new_alerts n WHERE NOT EXISTS "
                "(SELECT 1 FROM alerts a WHERE a.day = n.day AND a.pain_point = n.pain_point "
                "AND a.model_version = n.model_version)").fetchone()[0]
    finally:
        wh.con.unregister("new_alerts")


def alert_items(wh: Warehouse, model_version: str, tz: str, day: date, pain_point: str, limit: int = 20) -> list[dict[str, Any]]:
    return _records(wh, "alert_items", {"model_version": model_version, "timezone": tz, "day": day,
                                        "pain_point": pain_point, "limit": limit})


def callbacks_listed(wh: Warehouse, day: date) -> list[dict[str, Any]]:
    """Everything put on the callback list on `day`, with the prepared text."""
    return _records(wh, "callbacks_listed", {"day": day})
