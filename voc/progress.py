"""Progress for long work: a live line with rate and ETA on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Count `done` towards `total` (any unit) and report at most every `every` seconds off a TTY."""

    def __init__(self, total: float, *, label: str, unit: str = "items", stream: TextIO | None = None,
                 every: float = 10.0) -> None:
        self.total, self.label, self.unit = total, label, unit
        self.stream = stream or sys.stderr
        self.every = every
        self.done = 0.0
        self.started = time.monotonic()
        self._last = self.started
        self.live = self.stream.isatty()

    def advance(self, amount: float = 1, note: str = "") -> None:
        self.done += amount
        now = time.monotonic()
        if self.live or now - self._last >= self.every or self.done >= self.total:
            self._last = now
            self._show(note)

    def _show(self, note: str) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        remaining = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta = "?" if remaining == float("inf") else f"{remaining:,.0f} s"
        share = 100 * self.done / self.total if self.total else 100.0
        line = (f"{self.label}: {share:5.1f}% ({self.done:,.0f}/{self.total:,.0f} {self.unit}, "
                f"{rate:,.0f} {self.unit}/s, ETA {eta}) {note}")
        if self.live:
            self.stream.write("\r\x1b[K" + line[:200])
            if self.done >= self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
