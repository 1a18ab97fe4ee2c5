"""The servers tests start stop by themselves when the test process is killed (tests/orphans.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

STARTER = """
import sys, time
sys.path.insert(0, {tests!r})
from postgres import PostgresServer
from redis_server import RedisServer
servers = [PostgresServer().start(), RedisServer().start()]
print(*[server.process.pid for server in servers], flush=True)
time.sleep(600)
"""


def running(pid: int) -> bool:
    """Alive and not a zombie (one the container's init has not reaped yet has stopped all the same)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_servers_stop_when_the_process_that_started_them_is_killed():
    starter = subprocess.Popen([sys.executable, "-c", STARTER.format(tests=str(Path(__file__).parent))],
                               stdout=subprocess.PIPE, text=True)
    pids = [int(pid) for pid in starter.stdout.readline().split()]
    assert len(pids) == 2 and all(running(pid) for pid in pids)
    starter.kill()  # SIGKILL: no fixture teardown, no atexit
    starter.wait()
    for _ in range(300):  # a bound, not a timing: a server left running fails here
        if not any(running(pid) for pid in pids):
            break
        time.sleep(0.1)
    assert not any(running(pid) for pid in pids), f"left running: {pids}"
