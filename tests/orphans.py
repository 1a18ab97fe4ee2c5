"""Servers the tests (and benchmarks) start stop with the process that started them, however it ends: a test run
killed at CI's time limit, or with SIGKILL, once left its PostgreSQL cluster running."""

from __future__ import annotations

import ctypes
import signal
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def stops_with_us(sig: signal.Signals = signal.SIGTERM) -> Callable[[], None]:
    """Popen's preexec_fn: the child receives `sig` when the thread that started it ends (Linux)."""

    def preexec() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig))

    return preexec
