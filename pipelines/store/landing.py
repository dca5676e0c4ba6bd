"""Land one staged file: validate in SQL, then write quarantine, items and the ledger row
in a single transaction, so a file lands whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from pipelines.store.warehouse import Warehouse


@dataclass(frozen=True)
class LandingCounts:
    rows_read: int
    landed: int
    duplicate: int
    quarantined: int


@dataclass(frozen=True)
class LedgerEntry:
    """What the ledger records about a file, whatever its fate."""

    path: str
    sha256: str | None
    channel: str | None
    source: str | None
    format: str | None
    encoding: str | None
    started_at: datetime


def _next_ingest_id(wh: Warehouse) -> int:
    return wh.con.execute("SELECT nextval('ingest_id_seq')").fetchone()[0]


def _write_ledger(wh: Warehouse, ingest_id: int, entry: LedgerEntry, counts: LandingCounts,
                  status: str, reason: str | None) -> None:
    wh.con.execute(
        "INSERT INTO ingest_ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ingest_id, entry.path, entry.sha256, entry.channel, entry.source, entry.format,
         entry.encoding, counts.rows_read, counts.landed, counts.duplicate, counts.quarantined,
         status, reason, entry.started_at, datetime.now(timezone.utc)],
    )


def _waiting_in_quarantine(wh: Warehouse, sha256: str | None) -> bool:
    """Whether an earlier ingest of these bytes left rows in quarantine (a fixed mapping may land them)."""
    return sha256 is not None and wh.con.execute(
        "SELECT count(*) FROM quarantine q JOIN ingest_ledger l USING (ingest_id) "
        "WHERE l.sha256 = ? AND q.resolved_by IS NULL", [sha256]).fetchone()[0] > 0


def land_staged(wh: Warehouse, entry: LedgerEntry, *, timezone_name: str, dayfirst: bool,
                salt: str, max_text_chars: int) -> LandingCounts:
    """Validate `staged` and land it; returns what happened to its rows."""
    now = datetime.now(timezone.utc)
    wh.run_file("validate.sql", {
        "channel": entry.channel, "timezone": timezone_name, "dayfirst": dayfirst, "salt": salt,
        "max_text_chars": max_text_chars, "now": now,
        "text_optional_with_score": entry.channel == "survey",
    })
    rows_read, quarantined, copies = wh.con.execute(
        "SELECT count(*), count(reason), count(id) - count(DISTINCT id) FROM checked"
    ).fetchone()
    if copies:
        wh.run_file("drop_copies.sql")
    with wh.transaction():
        ingest_id = _next_ingest_id(wh)
        _, landed = wh.run_file("land.sql", {
            "ingest_id": ingest_id, "path": entry.path, "channel": entry.channel, "now": now,
        })
        if _waiting_in_quarantine(wh, entry.sha256):
            wh.run_file("resolve_quarantine.sql", {"ingest_id": ingest_id, "sha256": entry.sha256})
        counts = LandingCounts(rows_read, landed, rows_read - quarantined - landed, quarantined)
        _write_ledger(wh, ingest_id, entry, counts, "landed", None)
    wh.con.execute("DROP TABLE IF EXISTS checked")
    return counts


def record_rejection(wh: Warehouse, entry: LedgerEntry, reason: str) -> None:
    """A refused file still leaves a ledger row saying why; nothing else is written."""
    with wh.transaction():
        _write_ledger(wh, _next_ingest_id(wh), entry, LandingCounts(0, 0, 0, 0), "rejected", reason)
