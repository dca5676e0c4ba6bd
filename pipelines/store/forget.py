"""Erasure: remove everything the warehouse holds about one customer, in one transaction.

Items are otherwise never changed or removed; a customer's right to be forgotten is the
exception. What went is counted in forget_log, never who it was."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.store.status import named_queries
from pipelines.store.warehouse import Warehouse


@dataclass(frozen=True)
class Forgotten:
    customer_ref: str
    items: int
    predictions: int
    prepared: int
    labels: int
    callbacks: int
    quarantined: int


def customer_ref(wh: Warehouse, value: str, salt: str) -> str:
    """The salted reference ingest gives a handle, e-mail or phone (same canonical form)."""
    return wh.query(named_queries("forget.sql")["customer_ref"], {"value": value, "salt": salt})[0][0]


def forget_customer(wh: Warehouse, ref: str, *, needle: str | None = None, dry_run: bool = False) -> Forgotten:
    """Delete the customer's items and what was derived from them (predictions, prepared text,
    labels, callbacks), and quarantined rows that hold `needle` (the handle or address as written)."""
    q = named_queries("forget.sql")
    ids = [row[0] for row in wh.query(q["items"], {"ref": ref})]
    counts: dict[str, int] = {}
    with wh.transaction():
        for table in ("predictions", "prepared", "labels", "callbacks", "quarantine", "items"):
            params = {"ids": ids, "ref": ref, "needle": needle}
            used = {k: v for k, v in params.items() if f"${k}" in q[f"delete_{table}"]}
            counts[table] = wh.con.execute(q[f"delete_{table}"], used).fetchone()[0]
        result = Forgotten(ref, counts["items"], counts["predictions"], counts["prepared"], counts["labels"],
                           counts["callbacks"], counts["quarantine"])
        if dry_run:
            raise _Rollback(result)
        wh.con.execute(q["log"], {"items": result.items, "predictions": result.predictions,
                                  "prepared": result.prepared, "labels": result.labels,
                                  "callbacks": result.callbacks, "quarantined": result.quarantined})
    return result


class _Rollback(Exception):
    def __init__(self, result: Forgotten) -> None:
        super().__init__("dry run")
        self.result = result


def count_only(wh: Warehouse, ref: str, *, needle: str | None = None) -> Forgotten:
    """What forget_customer would remove, leaving everything in place."""
    try:
        return forget_customer(wh, ref, needle=needle, dry_run=True)
    except _Rollback as done:
        return done.result
