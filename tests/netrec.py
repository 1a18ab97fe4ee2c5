"""A network namespace with only loopback, and every connection attempt of a traced process tree.

`NetNS` holds a namespace (`unshare --net`) that commands join with nsenter; `traced` runs one under
`strace -f`, whose trace records every connect/sendto/sendmsg with its destination (the crawler, its worker
processes, Playwright's driver and every Chromium process) and every execve (which program each pid is). A
namespace with only `lo` lets nothing out: an attempt elsewhere fails at once and is still in the trace.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ADDRESS = re.compile(
    r"^(?P<pid>\d+)\s+(?P<call>connect|sendto|sendmsg|sendmmsg)\((?P<fd>\d+)(?:<(?P<fdinfo>[^>]*)>)?,"
    r".*?sa_family=AF_INET6?, sin6?_port=htons\((?P<port>\d+)\)"
    r".*?(?:inet_addr\(\"(?P<v4>[^\"]+)\"\)|inet_pton\(AF_INET6, \"(?P<v6>[^\"]+)\")")
EXECVE = re.compile(r'^(?P<pid>\d+)\s+execve\("(?P<path>[^"]+)", \[(?P<args>.*?)\]')
CLONE = re.compile(r"^(?P<pid>\d+)\s+(?:<\.\.\. (?:clone3?|fork|vfork) resumed>|(?:clone3?|fork|vfork)\((?P<args>.*))")
RESULT = re.compile(r"= (\d+)$")
NEEDED = ("unshare", "nsenter", "ip", "strace")


@dataclass(frozen=True)
class Attempt:
    """One connection attempt (or datagram) to an IPv4/IPv6 address."""

    pid: int
    call: str
    host: str
    port: int
    proto: str  # tcp | udp | ?


def missing_tools() -> list[str]:
    return [tool for tool in NEEDED if shutil.which(tool) is None]


class NetNS:
    """A network namespace with loopback up, held by a sleeping process until close()."""

    def __init__(self) -> None:
        self.holder = subprocess.Popen(["unshare", "--net", "--", "sleep", "infinity"])
        self.path = f"/proc/{self.holder.pid}/ns/net"
        deadline = time.monotonic() + 30
        while os.readlink(self.path) == os.readlink("/proc/self/ns/net"):  # until unshare has switched
            if self.holder.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("unshare --net failed (this test needs root: CI runs as root)")
            time.sleep(0.01)
        self.run(["ip", "link", "set", "lo", "up"], check=True)

    def argv(self, command: list[str]) -> list[str]:
        return ["nsenter", f"--net={self.path}", "--", *command]

    def run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(self.argv(command), **kwargs)

    def popen(self, command: list[str], **kwargs) -> subprocess.Popen:
        return subprocess.Popen(self.argv(command), **kwargs)

    def traced(self, command: list[str], trace: Path, **kwargs) -> subprocess.CompletedProcess:
        """Run `command` in the namespace under strace; the trace goes to `trace`."""
        strace = ["strace", "-f", "-qq", "--seccomp-bpf", "-yy", "-s", "300", "-e", "signal=none",
                  "-e", "trace=connect,sendto,sendmsg,sendmmsg,execve,clone,clone3,fork,vfork", "-o", str(trace), "--"]
        return self.run([*strace, *command], **kwargs)

    def close(self) -> None:
        self.holder.send_signal(signal.SIGTERM)
        self.holder.wait()


def attempts(trace: Path) -> list[Attempt]:
    """Every destination address a traced process connected or sent to."""
    found = []
    for line in trace.read_text(errors="replace").splitlines():
        if match := ADDRESS.search(line):
            info = match["fdinfo"] or ""
            proto = "udp" if info.startswith("UDP") else "tcp" if info.startswith("TCP") else "?"
            found.append(Attempt(int(match["pid"]), match["call"], match["v4"] or match["v6"], int(match["port"]),
                                 proto))
    return found


def programs(trace: Path) -> dict[int, str]:
    """Every traced thread id -> the program its process runs, with a Chromium process's type
    ("exe utility network.mojom.NetworkService"): strace names threads, the clone calls say whose they are."""
    group: dict[int, int] = {}  # thread id -> its process (thread group) id
    program: dict[int, str] = {}  # process id -> what it runs
    threads: dict[int, bool] = {}  # a clone call waiting for its result: does it make a thread?
    for line in trace.read_text(errors="replace").splitlines():
        pid = int(line.split(None, 1)[0])
        process = group.setdefault(pid, pid)
        if (match := EXECVE.search(line)) and "= -1" not in line:
            program[process] = _label(match["path"], match["args"])
        elif match := CLONE.search(line):
            if match["args"] is not None:
                threads[pid] = "CLONE_THREAD" in match["args"]
            if child := RESULT.search(line.rstrip()):
                child_id, thread = int(child[1]), threads.pop(pid, False)
                group[child_id] = process if thread else child_id
                if not thread and process in program:
                    program.setdefault(child_id, program[process])
    return {thread: program.get(process, "?") for thread, process in group.items()}


def _label(path: str, args: str) -> str:
    kind = re.search(r'"--type=([\w-]+)"', args)
    sub = re.search(r'"--utility-sub-type=([\w.]+)"', args)
    name = Path(path).name
    if name == "exe":  # Chromium starts its helpers as /proc/self/exe
        name = "chromium"
    return " ".join(x for x in (name, kind and kind[1], sub and sub[1]) if x)
