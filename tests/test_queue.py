"""Three workers on the shared queue (Redis + dramatiq), one PostgreSQL database, separate data directories as
separate machines would have: every report stored once, a worker SIGKILLed mid-site has its site finished by another,
and no portal ever sees more requests at once than its per-site limit, whichever worker sends them.

The kill is fired by an event, never by time: the victim site's portal kills the worker crawling it just before
answering its Nth request, so the crawl is provably mid-site when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from redis_server import RedisServer
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from support import BIN, SITES

from crawler.simulator import SimulatedPortals

PER_SITE = 2  # CONCURRENT_REQUESTS_PER_DOMAIN of every crawl
VICTIM, KILL_AT = "yanji", 12  # the worker crawling yanji dies before the portal answers its 12th request
WAIT = float(os.environ.get("QUEUE_TEST_WAIT", "600"))  # a bound so a broken run cannot hang the suite


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


def worker_environment(database_url: str, queue_url: str) -> dict[str, str]:
    """Short heartbeat and lease so a dead worker is noticed within seconds (production: a minute)."""
    return {**os.environ, "XXGK_DATABASE_URL": database_url, "XXGK_QUEUE_URL": queue_url,
            "XXGK_WORKER_HEARTBEAT_MS": "2000", "XXGK_QUEUE_MAINTENANCE": "1000000",
            "XXGK_LEASE_SECONDS": "3", "XXGK_LEASE_RENEW_SECONDS": "0.5"}


def start_workers(tmp_path: Path, environment: dict[str, str], count: int = 3) -> list[subprocess.Popen]:
    return [subprocess.Popen([str(BIN / "xxgk"), "worker", "--data-dir", str(tmp_path / f"w{n}"), "--slots", "2"],
                             env=environment, stdout=subprocess.DEVNULL, stderr=(tmp_path / f"w{n}.err").open("wb"),
                             start_new_session=True)
            for n in range(count)]


def rows(engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).mappings().all()


def kill_when_asked(portal, engine, after: int, killed: list[int]) -> None:
    """Make `portal` SIGKILL the worker crawling it just before it answers its `after`-th request."""
    answer, seen, lock = portal.answer, Counter(), threading.Lock()

    def answering(request):
        with lock:
            seen["n"] += 1
            due = seen["n"] == after
        if due:
            [run] = rows(engine, "SELECT pid FROM runs WHERE site = :site AND status = 'running'", site=portal.name)
            os.killpg(run["pid"], signal.SIGKILL)
            killed.append(run["pid"])
        return answer(request)

    portal.answer = answering


def wait_for_runs(engine, count: int, workers: list[subprocess.Popen]) -> list:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = rows(engine, "SELECT * FROM runs ORDER BY id")
        if len(found) == count and all(run["status"] not in ("queued", "running") for run in found):
            return found
        time.sleep(0.5)
    raise AssertionError(f"runs did not finish: {rows(engine, 'SELECT id, site, status, attempt FROM runs')}")


def test_three_workers_store_every_report_once_and_take_over_a_killed_workers_site(postgres, redis_server, tmp_path):
    database_url = postgres.database()
    engine = create_engine(database_url, poolclass=NullPool)
    environment = worker_environment(database_url, redis_server.url)
    with SimulatedPortals() as simulated:
        killed: list[int] = []
        for portal in simulated.portals.values():
            portal.latency = (0.01, 0.05)  # a crawl lasts long enough for several workers to overlap
        kill_when_asked(simulated.portals[VICTIM], engine, KILL_AT, killed)
        bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
        queued = subprocess.run([str(BIN / "xxgk"), "crawl", *SITES, "--data-dir", str(tmp_path / "enqueuer"), *bases,
                                 "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_SITE}"],
                                env=environment, capture_output=True, text=True, timeout=120)
        assert queued.returncode == 0, queued.stdout + queued.stderr
        assert "queued 4 site runs" in queued.stdout
        workers = start_workers(tmp_path, environment)
        try:
            runs = wait_for_runs(engine, len(SITES), workers)
        finally:
            for worker in workers:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=120)
        peaks = {name: portal.peak for name, portal in simulated.portals.items()}
        expected = {url for portal in simulated.portals.values() for url in portal.report_urls}

    assert len(killed) == 1, "the victim's portal killed its worker mid-site"
    by_site = {run["site"]: run for run in runs}
    assert {run["status"] for run in runs} == {"ok"}, runs
    victim = by_site[VICTIM]
    assert victim["attempt"] == 2 and victim["pid"] != killed[0], "another worker finished the killed worker's site"
    attempts = rows(engine, "SELECT status FROM crawls WHERE site = :site ORDER BY id", site=VICTIM)
    assert [row["status"] for row in attempts] == ["crashed", "ok"], "the dead attempt is marked crashed"

    documents = [row["url"] for row in rows(engine, "SELECT url FROM documents")]
    assert len(documents) == len(set(documents)), "no document stored twice"
    assert expected <= set(documents), f"missing: {sorted(expected - set(documents))[:5]}"
    assert all(1 <= peak <= PER_SITE for peak in peaks.values()), peaks
    leases = rows(engine, "SELECT key, epoch, holder FROM site_leases")
    assert {lease["key"] for lease in leases} == set(SITES) and all(lease["holder"] is None for lease in leases)
    assert {lease["key"]: lease["epoch"] for lease in leases}[VICTIM] == 2, "one grant per attempt"
