"""Warehouse side of the committee report: the month's items, cause history, callback
statistics, the committee's actions and the sub-cause registry."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

import pandas as pd
import pyarrow as pa

from pipelines.store.status import named_queries
from pipelines.store.warehouse import Warehouse, WarehouseError


def _q(name: str) -> str:
    return named_queries("report.sql")[name]


def _records(wh: Warehouse, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return wh.records(_q(name), params or {})


def month_items(wh: Warehouse, model_version: str, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per feedback item received in [start, end) with its prediction by `model_version`."""
    return wh.frame(_q("month_items"), {"model_version": model_version, "start": start, "end": end})


def cause_history(wh: Warehouse, model_version: str, tz: str, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """{month: {cause: items, '*': all items}} for feedback received in [start, end)."""
    out: dict[str, dict[str, int]] = {}
    for r in _records(wh, "cause_history", {"model_version": model_version, "timezone": tz,
                                            "start": start, "end": end}):
        out.setdefault(r["month"], {})[r["cause"]] = int(r["n"])
    return out


def random_label_predictions(wh: Warehouse, model_version: str) -> list[tuple[list[str], list[str]]]:
    """(gold, predicted) pain points of the items people labelled from a random sample
    (`voc labels export --strategy random`), latest label per item, scored by `model_version`."""
    if "sampling" not in {r[0] for r in wh.query("SELECT column_name FROM information_schema.columns "
                                                 "WHERE table_name = 'labels'")}:
        return []
    return [(list(r["gold"]), list(r["predicted"])) for r in _records(wh, "random_labels", {"model_version": model_version})]


def callback_stats(wh: Warehouse, start: datetime, end: datetime) -> list[dict[str, Any]]:
    return _records(wh, "callback_stats", {"start": start, "end": end})


# -- actions --------------------------------------------------------------------------------
def add_action(wh: Warehouse, *, month: str, cause: str, owner: str, action: str, subcause: str | None = None,
               due: date | None = None, source: str = "cli") -> int:
    return add_actions(wh, [{"month": month, "cause": cause, "subcause": subcause, "owner": owner, "action": action,
                             "due": due}], source)[0]


def add_actions(wh: Warehouse, rows: list[dict[str, Any]], source: str) -> list[int]:
    """Several actions in one transaction (an imported file lands whole or not at all)."""
    ids = []
    now = datetime.now(timezone.utc)
    with wh.transaction():
        for r in rows:
            action_id = wh.con.execute("SELECT nextval('action_id_seq')").fetchone()[0]
            wh.con.execute(
                "INSERT INTO actions (action_id, month, cause, subcause, owner, action, due, status, opened_at, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                [action_id, r["month"], r["cause"], r.get("subcause"), r["owner"], r["action"], r.get("due"),
                 now, source])
            ids.append(int(action_id))
    return ids


def actions(wh: Warehouse) -> list[dict[str, Any]]:
    return _records(wh, "actions")


def close_action(wh: Warehouse, action_id: int, note: str) -> None:
    found = wh.query("SELECT status FROM actions WHERE action_id = ?", [action_id])
    if not found:
        raise WarehouseError(f"there is no action {action_id}; `voc actions list` shows them")
    if found[0][0] == "closed":
        raise WarehouseError(f"action {action_id} is already closed")
    with wh.transaction():
        wh.con.execute("UPDATE actions SET status = 'closed', closed_at = ?, close_note = ? WHERE action_id = ?",
                       [datetime.now(timezone.utc), note, action_id])


# -- sub-causes -----------------------------------------------------------------------------
def subcauses(wh: Warehouse) -> dict[str, dict[str, Any]]:
    rows = _records(wh, "subcauses")
    return {r["subcause_id"]: {**r, "terms": json.loads(r["terms"])} for r in rows}


def previous_subcause_month(wh: Warehouse, model_version: str, month: str) -> tuple[str | None, dict[str, dict]]:
    """The latest month before `month` with sub-causes, and {subcause_id: {items, terms}}."""
    rows = _records(wh, "subcause_month", {"model_version": model_version, "month": month})
    if not rows:
        return None, {}
    return rows[0]["month"], {r["subcause_id"]: {"items": r["items"], "terms": json.loads(r["terms"])} for r in rows}


def same_month_subcauses(wh: Warehouse, model_version: str, month: str) -> dict[str, dict]:
    """{subcause_id: {items, terms}} already recorded for this month (by an earlier run)."""
    rows = _records(wh, "subcause_same_month", {"model_version": model_version, "month": month})
    return {r["subcause_id"]: {"items": r["items"], "terms": json.loads(r["terms"])} for r in rows}


def subcause_items(wh: Warehouse, model_version: str, subcause_id: str) -> dict[str, int]:
    """{month: items} of one sub-cause, for the months whose report has been built."""
    rows = _records(wh, "subcause_items", {"model_version": model_version, "subcause_id": subcause_id})
    return {r["month"]: int(r["items"]) for r in rows}


def save_subcause_month(wh: Warehouse, month: str, model_version: str, groups: list[dict[str, Any]]) -> None:
    """Replace the month's sub-causes for this model; register new ones, refresh terms of known ones.

    `groups`: {subcause_id, cause, language, label, terms, items, new}."""
    now = datetime.now(timezone.utc)
    rows = pa.Table.from_pylist([
        {"month": month, "model_version": model_version, "subcause_id": g["subcause_id"], "cause": g["cause"],
         "language": g["language"], "label": g["label"], "items": int(g["items"]),
         "terms": json.dumps(g["terms"], ensure_ascii=False), "new": bool(g["new"]), "created_at": now}
        for g in groups], schema=_SUBCAUSE_ROWS)
    wh.register("new_subcauses", rows)
    try:
        with wh.transaction():
            wh.con.execute("DELETE FROM subcause_months WHERE month = ? AND model_version = ?", [month, model_version])
            wh.con.execute("INSERT INTO subcauses SELECT subcause_id, cause, language, label, CAST(terms AS JSON), "
                           "$month FROM new_subcauses n WHERE NOT EXISTS "
                           "(SELECT 1 FROM subcauses s WHERE s.subcause_id = n.subcause_id)", {"month": month})
            wh.con.execute("UPDATE subcauses s SET terms = CAST(n.terms AS JSON) FROM new_subcauses n "
                           "WHERE s.subcause_id = n.subcause_id AND NOT n.new")
            wh.con.execute("INSERT INTO subcause_months BY NAME SELECT month, model_version, subcause_id, items, "
                           "CAST(terms AS JSON) AS terms, created_at FROM new_subcauses")
    finally:
        wh.con.unregister("new_subcauses")


_SUBCAUSE_ROWS = pa.schema([("month", pa.string()), ("model_version", pa.string()), ("subcause_id", pa.string()),
                            ("cause", pa.string()), ("language", pa.string()), ("label", pa.string()),
                            ("items", pa.int32()), ("terms", pa.string()), ("new", pa.bool_()),
                            ("created_at", pa.timestamp("us", tz="UTC"))])
