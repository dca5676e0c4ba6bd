"""Open the DuckDB warehouse, apply migrations, run the project's SQL files."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import duckdb

_STATEMENT_BREAK = re.compile(r"^\s*--\s*;;\s*$", re.MULTILINE)


DEFAULT_MEMORY_LIMIT = "1GB"
STREAMING_MEMORY_LIMIT = "256MB"  # for work that streams batches through (classification)


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or used as asked."""


class WarehouseBusy(WarehouseError):
    """Another process holds the warehouse file (DuckDB allows one writer)."""


def read_sql(name: str) -> str:
    """Text of `pipelines/store/sql/<name>`."""
    return resources.files("pipelines.store").joinpath("sql", name).read_text("utf-8")


def split_statements(sql: str) -> list[str]:
    """Statements of a file whose statements are separated by `-- ;;` lines."""
    return [part.strip() for part in _STATEMENT_BREAK.split(sql) if part.strip()]


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("pipelines.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{3})_(\w+)\.sql", entry.name)
        if match:
            found.append((int(match[1]), match[2], entry.read_text("utf-8")))
    return sorted(found)


class Warehouse:
    """A DuckDB warehouse: a file (the embedded default) or in memory when `path` is None."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 memory_limit: str = DEFAULT_MEMORY_LIMIT) -> None:
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        target = ":memory:" if self.path is None else str(self.path)
        if self.path is not None and not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path is not None and read_only and not self.path.exists():
            raise WarehouseError(f"warehouse {self.path} does not exist yet: run `voc ingest` first")
        try:
            self.con = duckdb.connect(target, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                holder = re.search(r"\(PID (\d+)\)", str(exc))
                who = f" (process {holder[1]})" if holder else ""
                raise WarehouseBusy(
                    f"warehouse {self.path} is in use by another process{who}; "
                    "wait for it to finish, or point VOC_DB at another file"
                ) from exc
            raise WarehouseError(f"cannot open warehouse {self.path}: {exc}") from exc
        self.con.execute("SET TimeZone = 'UTC'")
        # DuckDB's default (80% of RAM) lets one run's buffers crowd out the classification
        # workers on a small machine; beyond this it spills to disk.
        self.memory_limit = memory_limit
        self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if not read_only:
            self._migrate()
        for statement in split_statements(read_sql("macros.sql")):
            self.con.execute(statement)

    # -- life cycle ---------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
        applied = {row[0] for row in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        for version, name, sql in _migrations():
            if version in applied:
                continue
            with self.transaction():
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [version, name, datetime.now(timezone.utc)],
                )

    @property
    def schema_version(self) -> int:
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    # -- helpers for the other store modules ---------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside land together or not at all."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    @contextmanager
    def memory_limited(self, limit: str = STREAMING_MEMORY_LIMIT) -> Iterator[None]:
        """A lower DuckDB memory limit for a while: streaming work needs few buffers, and the
        classifiers running beside it need the memory more."""
        self.con.execute(f"SET memory_limit = '{limit}'")
        try:
            yield
        finally:
            self.con.execute(f"SET memory_limit = '{self.memory_limit}'")

    def run_file(self, name: str, params: dict[str, Any] | None = None) -> list[int]:
        """Run every statement of an SQL file; return the first value each statement returned."""
        counts = []
        for statement in split_statements(read_sql(name)):
            code = re.sub(r"--[^\n]*", "", statement)
            wanted = {k: v for k, v in (params or {}).items() if re.search(rf"\${k}\b", code)}
            row = self.con.execute(statement, wanted).fetchone()
            counts.append(row[0] if row else 0)
        return counts

    def query(self, sql: str, params: list | dict | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def records(self, sql: str, params: list | dict | None = None) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def frame(self, sql: str, params: list | dict | None = None):
        """Rows as a pandas DataFrame whose text and list columns hold Python objects (fast to
        iterate, unlike Arrow-backed strings)."""
        import pandas as pd

        columns = self.con.execute(sql, params or []).fetchnumpy()
        return pd.DataFrame({name: pd.Series(values, dtype=object) if values.dtype.kind in "OUS" else values
                             for name, values in columns.items()})

    def register(self, name: str, table: object) -> None:
        """Expose an Arrow table to SQL as `name` (finishing any half-read result first)."""
        self.con.complete()
        self.con.register(name, table)
