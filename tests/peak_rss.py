"""Run a command and report the peak resident memory of every process it started (`python peak_rss.py OUT.json --
COMMAND…`): this process becomes the subreaper of the whole tree, so each descendant, orphaned or not, is waited for
and counted in RUSAGE_CHILDREN, whose ru_maxrss is the largest peak of any one of them."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
ORPHAN_GRACE = 60.0  # seconds left to processes still running after the command ended


def main(argv: list[str]) -> int:
    out, command = argv[0], argv[argv.index("--") + 1:]
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    returncode = subprocess.call(command)
    orphans = reap(time.monotonic() + ORPHAN_GRACE)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as stream:
        json.dump({"returncode": returncode, "max_rss_bytes": usage.ru_maxrss * 1024, "orphans": orphans}, stream)
    return returncode


def reap(deadline: float) -> list[int]:
    """Wait for the descendants that outlived the command; kill those still there at the deadline (returned)."""
    killed: list[int] = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return killed
        if pid:
            continue
        if time.monotonic() > deadline:
            for child in children():
                killed.append(child)
                os.kill(child, signal.SIGKILL)
            deadline = float("inf")
        time.sleep(0.1)


def children() -> list[int]:
    """This process's child processes (orphans reparented to it included)."""
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[1] == me:
                        found.append(int(entry))
            except (OSError, IndexError):
                continue
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
