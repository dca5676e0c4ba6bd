"""Open the configured warehouse with errors a person can act on."""

from __future__ import annotations

import sys

from pipelines.store import Warehouse, WarehouseError
from voc.config import Settings


def open_warehouse(settings: Settings, *, read_only: bool = False) -> Warehouse | None:
    """The warehouse, or None after printing why it cannot be opened."""
    try:
        return Warehouse(settings.db_path, read_only=read_only)
    except WarehouseError as exc:
        print(f"voc: {exc}", file=sys.stderr)
        return None
