"""Run a command to its end and measure it: wall time, CPU time and peak RSS of its whole process tree."""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class Measured:
    """One finished command."""

    seconds: float
    cpu_seconds: float
    peak_tree_rss: int  # bytes: the largest sum over the process and all its descendants
    peak_process_rss: int  # bytes: the largest single process in the tree
    returncode: int
    output: str


def run(command: list[str], timeout: float, log: Path | None = None, env: dict | None = None,
        interval: float = 0.1) -> Measured:
    """Run `command`, sampling its process tree's memory every `interval` seconds."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    peaks = {"tree": 0, "one": 0, "cpu": 0.0}
    done = threading.Event()
    sampler = threading.Thread(target=_sample, args=(process.pid, peaks, done, interval), daemon=True)
    sampler.start()
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        returncode = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if log:
        out.close()
    output = log.read_text(encoding="utf-8", errors="replace")[-4000:] if log else ""
    return Measured(seconds, peaks["cpu"], peaks["tree"], peaks["one"], returncode, output)


def _sample(pid: int, peaks: dict, done: threading.Event, interval: float) -> None:
    """Track peak RSS and the CPU time seen (processes that ended are counted at their last sample)."""
    cpu: dict[int, float] = {}
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not done.is_set():
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        total = 0
        for proc in tree:
            try:
                rss = proc.memory_info().rss
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total += rss
            peaks["one"] = max(peaks["one"], rss)
            cpu[proc.pid] = times.user + times.system
        peaks["tree"] = max(peaks["tree"], total)
        peaks["cpu"] = sum(cpu.values())
        done.wait(interval)
