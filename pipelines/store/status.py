"""What the warehouse holds, for `voc status`."""

from __future__ import annotations

import re
from typing import Any

from pipelines.store.warehouse import Warehouse, read_sql


def named_queries(name: str) -> dict[str, str]:
    """Queries of an SQL file whose sections start with `-- name: <key>`."""
    parts = re.split(r"^--\s*name:\s*(\w+)\s*$", read_sql(name), flags=re.MULTILINE)
    return {key: sql.strip() for key, sql in zip(parts[1::2], parts[2::2])}


def warehouse_status(wh: Warehouse) -> dict[str, Any]:
    """Counts per channel, language, month and kind, quarantine reasons, latest ingests."""
    q = named_queries("status.sql")
    status: dict[str, Any] = {}
    status.update(wh.records(q["totals"])[0])
    status["items_by_channel"] = {r["channel"]: r["n"] for r in wh.records(q["by_channel"])}
    status["items_by_kind"] = {r["kind"]: r["n"] for r in wh.records(q["by_kind"])}
    by_language: dict[str, dict[str, int]] = {}
    for r in wh.records(q["by_channel_language"]):
        by_language.setdefault(r["channel"], {})[r["language"]] = r["n"]
    status["feedback_by_channel_language"] = by_language
    status.update(wh.records(q["other_language"])[0])
    by_month: dict[str, dict[str, int]] = {}
    for r in wh.records(q["by_month"]):
        by_month.setdefault(r["month"], {})[r["channel"]] = r["n"]
    status["feedback_by_month"] = by_month
    status.update(wh.records(q["quarantine_total"])[0])
    status["quarantine_reasons"] = {r["reason"]: r["n"] for r in wh.records(q["quarantine_reasons"])}
    status.update(wh.records(q["files"])[0])
    status["last_ingests"] = wh.records(q["last_ingests"])
    status["predictions_by_model"] = wh.records(q["predictions"])
    status["schema_version"] = wh.schema_version
    return status
