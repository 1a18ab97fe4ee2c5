"""`make bench` step for the shared queue (issue 15): N simulated portals in one process, crawled by 1 and by 3
`xxgk worker` processes at a politeness of 1 request per second per site.

    .venv/bin/python -m bench.scale [--sites 500] [--workers 1,3] [--out bench/results/scale.json]

Each portal is a TRS column (crawler/simulator/trs.py `build_column`) of 3–24 reports (real county columns hold a
few to a few dozen annual reports), answering after 100–300 ms. PostgreSQL and Redis are started here (the test
suite's own helpers). Reported: wall time from enqueue to the last run's end, the politeness floor (the largest
site's requests ÷ 1 request/s), their ratio, the 3-worker/1-worker speed-up, each worker's peak RSS (sampled every
second, the worker process and its extraction/index children) and the most requests any portal saw at once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's PostgreSQL and Redis helpers

from postgres import PostgresServer  # noqa: E402
from redis_server import RedisServer  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from crawler.simulator import trs  # noqa: E402
from crawler.simulator.assets import serve_assets  # noqa: E402
from crawler.simulator.server import Portal  # noqa: E402

BIN = Path(sys.executable).parent
RATE = 1.0  # requests per second per site
POLITE = ["-s", f"DOWNLOAD_DELAY={1 / RATE}", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", "-s",
          "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "AUTOTHROTTLE_ENABLED=False"]


def build_portals(count: int, seed: int = 15) -> list[Portal]:
    rng = random.Random(seed)
    portals = []
    for number in range(count):
        portal = Portal(f"bench{number:04d}", "trs")
        trs.build_column(portal, rng.randint(3, 24))
        serve_assets(portal)
        portal.latency = (0.1, 0.3)
        portals.append(portal)
    return portals


def registry(portals: list[Portal], path: Path) -> None:
    entries = [f'[[site]]\nname = "{p.name}"\ngovernment = "{p.name}"\nfamily = "trs"\nbase_url = "{p.base_url}"\n'
               f'home = "/"\ncolumns = ["/xxgk/zfxxgknb/index.html"]\nallow_private = true\n' for p in portals]
    path.write_text("\n".join(entries), encoding="utf-8")


def process_tree(pid: int) -> list[int]:
    """A process and its live descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found.append(current)
        pending += [int(child) for child in children]
    return found


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants."""
    total = 0
    for current in process_tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
        except (OSError, StopIteration):
            continue
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process and its live descendants have used so far."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for current in process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def high_water_kb(pid: int) -> int:
    """The process's own peak resident memory so far (VmHWM), 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0)


class CpuCap:
    """A cgroup (v1 `cpu` or v2) holding a worker and its children to `cpus` cores: one small machine of its own.

    Two cores cannot hold three machines' worth of CPU; capped at half a core each, one worker and three are both
    CPU-bound, and three have three times the CPU. PostgreSQL, Redis and the portals stay uncapped, as they run
    elsewhere in a deployment."""

    def __init__(self, name: str, cpus: float) -> None:
        period, quota = 100_000, int(cpus * 100_000)
        v1 = Path("/sys/fs/cgroup/cpu")
        self.path = v1 / name if (v1 / "cpu.cfs_quota_us").exists() else Path("/sys/fs/cgroup") / name
        try:
            self.path.mkdir(exist_ok=True)
            if self.path.parent == v1:
                (self.path / "cpu.cfs_period_us").write_text(str(period))
                (self.path / "cpu.cfs_quota_us").write_text(str(quota))
            else:
                (self.path / "cpu.max").write_text(f"{quota} {period}")
        except OSError as exc:
            raise SystemExit(f"--cpus-per-worker: cannot make the cgroup {self.path} ({exc}); run as root") from exc

    def enter(self) -> None:
        """In the child, before exec: the worker and everything it starts run capped."""
        (self.path / "cgroup.procs").write_text("0")

    def remove(self) -> None:
        try:
            self.path.rmdir()
        except OSError as exc:  # a child still exiting: the empty group is harmless, reused by the next round
            print(f"could not remove the cgroup {self.path}: {exc}", file=sys.stderr)


def one_round(portals: list[Portal], workers: int, work: Path, environment: dict[str, str], engine,
              cpus: float = 0.0) -> dict:
    for portal in portals:
        portal.sent.clear()
        portal.peak = 0
    slots = -(-len(portals) // workers)
    enqueued = time.monotonic()
    names = [portal.name for portal in portals]  # not --all: the bundled registry's real portals stay out of it
    queued = subprocess.run([str(BIN / "xxgk"), "crawl", *names, "--data-dir", str(work / "enqueuer"), *POLITE],
                            env=environment, capture_output=True, text=True)
    if queued.returncode:
        raise SystemExit(queued.stdout + queued.stderr)
    caps = [CpuCap(f"xxgk-bench-w{n}", cpus) for n in range(workers)] if cpus else [None] * workers
    processes = [subprocess.Popen([str(BIN / "xxgk"), "worker", "--data-dir", str(work / f"w{workers}-{n}"),
                                   "--slots", str(slots)], env=environment, stdout=subprocess.DEVNULL,
                                  stderr=(work / f"w{workers}-{n}.err").open("wb"), start_new_session=True,
                                  preexec_fn=cap.enter if cap else None)
                 for n, cap in enumerate(caps)]
    peaks, own, cpu = [0] * workers, [0] * workers, [0.0] * workers
    try:
        while True:
            peaks = [max(peak, tree_rss_kb(p.pid)) for peak, p in zip(peaks, processes, strict=True)]
            cpu = [max(used, tree_cpu_seconds(p.pid)) for used, p in zip(cpu, processes, strict=True)]
            own = [max(peak, high_water_kb(p.pid)) for peak, p in zip(own, processes, strict=True)]
            with engine.connect() as conn:
                left = conn.execute(text("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')")).scalar()
            if not left:
                break
            time.sleep(1)
        elapsed = time.monotonic() - enqueued
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait()
        for cap in caps:
            if cap:
                cap.remove()
    with engine.begin() as conn:
        statuses = dict(conn.execute(text("SELECT status, count(*) FROM runs GROUP BY status")).all())
        conn.execute(text("DELETE FROM runs"))
    floor = max(len(portal.sent) for portal in portals) / RATE
    return {"workers": workers, "cpus_per_worker": cpus or None, "slots_per_worker": slots,
            "seconds": round(elapsed, 1), "floor_seconds": floor,
            "time_over_floor": round(elapsed / floor, 2), "runs": statuses,
            "requests": sum(len(portal.sent) for portal in portals),
            "peak_rss_mb_per_worker": [round(kb / 1024) for kb in peaks],  # with its extraction and index processes
            "peak_rss_mb_worker_process": [round(kb / 1024) for kb in own],  # the crawling process alone (VmHWM)
            "max_concurrent_per_site": max(portal.peak for portal in portals),
            # CPU seconds each worker used, with its children (the projection below)
            "cpu_seconds_per_worker": [round(used, 1) for used in cpu]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--workers", default="1,3", help="Worker counts to compare (comma-separated).")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "scale.json")
    parser.add_argument("--archive-only", action="store_true",
                        help="Crawl with extraction deferred (XXGK_EXTRACT=False; `xxgk reextract` runs it later).")
    parser.add_argument("--cpus-per-worker", type=float, default=0.0,
                        help="Hold each worker and its children to this many cores (a cgroup; needs root): "
                             "several small machines on one.")
    args = parser.parse_args(argv)
    portals = build_portals(args.sites)
    work = Path(tempfile.mkdtemp(prefix="xxgk-scale-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    registry(portals, work / "sites.toml")
    postgres, redis = PostgresServer().start(), RedisServer().start()
    for portal in portals:
        portal.start()
    results = {"sites": args.sites, "archive_only": args.archive_only, "cpus_per_worker": args.cpus_per_worker or None,
               "rate_per_site": RATE, "latency_ms": [100, 300], "cores": os.cpu_count(),
               "load_average_before": os.getloadavg(), "rounds": []}
    try:
        database = postgres.database("scale")
        environment = {**os.environ, "XXGK_DATABASE_URL": database, "XXGK_QUEUE_URL": redis.url,
                       "XXGK_REGISTRY": str(work / "sites.toml"), "XXGK_ARCHIVE": str(work / "archive"),
                       "XXGK_BROWSER_ENABLED": "False", "XXGK_EXTRACT": str(not args.archive_only)}
        engine = create_engine(database, poolclass=NullPool)
        for count in [int(n) for n in args.workers.split(",")]:
            # a fresh database per round: the second round must not be a cheap re-crawl of the first
            environment["XXGK_DATABASE_URL"] = database = postgres.database("scale")
            engine = create_engine(database, poolclass=NullPool)
            result = one_round(portals, count, work, environment, engine, args.cpus_per_worker)
            print(json.dumps(result), flush=True)
            results["rounds"].append(result)
        by_count = {r["workers"]: r["seconds"] for r in results["rounds"]}
        if 1 in by_count and 3 in by_count:
            results["speedup_3_over_1"] = round(by_count[1] / by_count[3], 2)
            if not args.cpus_per_worker:  # capped, the rounds measure it
                # Three workers on a machine each, projected: each taking its CPU seconds on one core or the
                # floor, whichever is longer. Two cores cannot show it (the three share them). The projection
                # assumes the workers do not wait on each other: their CPU seconds summing to about one worker's
                # says they do not.
                three = next(r for r in results["rounds"] if r["workers"] == 3)
                alone = max(three["floor_seconds"], *three["cpu_seconds_per_worker"])
                results["projected_speedup_3_over_1_one_machine_each"] = round(by_count[1] / alone, 2)
    finally:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(32) as pool:  # each server takes up to half a second to notice its shutdown
            list(pool.map(Portal.stop, portals))
        redis.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "rounds"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
