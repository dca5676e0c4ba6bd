"""Child processes that end with their parent: a run killed with kill -9 leaves no helper or
server running under PID 1."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None) -> None:
    """Call in the child (a pool initializer, a Popen preexec_fn). Linux: the kernel sends it
    SIGTERM when the parent dies; a child whose parent is already gone exits at once. Elsewhere
    nothing happens."""
    if parent_pid is None or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:
        os._exit(1)
