"""Worker processes that end with the process that started them, however it dies (SIGKILL included).

A crawl runs extraction and CDXJ indexing in spawned worker processes (and `xxgk crawl --processes` its shards).
When the crawl is killed, nothing tells them: they would wait on their task queue forever. Linux can: a worker
asks for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG). Elsewhere, or had the parent died before the
request was made, a watchdog thread notices the worker was handed to another parent and exits.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def exit_with_parent() -> None:
    """In a worker process: be killed when the process that started it dies."""
    parent = multiprocessing.parent_process()
    parent_pid = parent.pid if parent is not None and parent.pid else os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the watchdog alone
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the request took effect
    threading.Thread(target=_watch, args=(parent_pid,), name="exit-with-parent", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def process_alive(pid: int) -> bool:
    """Whether a process of this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    return True
