"""One nightly run at a time per warehouse: a lock file beside it (DuckDB has one writer)."""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class RunLocked(RuntimeError):
    """Another run holds the warehouse; the message says which and what to do."""


def _lock_path(db_path: Path, name: str) -> Path:
    return db_path.with_name(db_path.name + f".{name}.lock")


def _busy_message(name: str, db_path: Path, holder: str) -> str:
    return (f"a {name} run is already working on {db_path} ({holder}); this one stops without "
            f"touching anything — wait for it to finish, then run again")


def ensure_free(db_path: Path, *, name: str) -> None:
    """RunLocked at once if another run holds the lock (checked before anything slow starts,
    such as a temporary Prefect server); the run itself still takes the lock with run_lock."""
    lock_path = _lock_path(db_path, name)
    if not lock_path.exists():
        return
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise RunLocked(_busy_message(name, db_path, handle.read().strip() or "another process")) from None
        fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def run_lock(db_path: Path, *, name: str, wait_seconds: float = 0) -> Iterator[None]:
    lock_path = _lock_path(db_path, name)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise RunLocked(_busy_message(name, db_path, holder)) from None
                time.sleep(1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
