"""Three workers on the shared queue (Redis + dramatiq), one PostgreSQL database, separate data directories as
separate machines would have: every report stored once, a worker SIGKILLed mid-site has its site finished by another,
and no portal ever sees more requests at once than its per-site limit, whichever worker sends them.

The kill is fired by an event, never by time: the victim site's portal kills the worker crawling it just before
answering its Nth request, so the crawl is provably mid-site when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from support import BIN, SITES, on_request

from crawler.leases import politeness_key
from crawler.simulator import SimulatedPortals

PER_SITE = 2  # CONCURRENT_REQUESTS_PER_DOMAIN of every crawl
# Not the loopback crawls' 1 ms: Scrapy 2.19 can start a request before the one it started a millisecond earlier
# counts as transferring, so one crawl alone then sometimes sends PER_SITE + 1 (seen here: 3 with a limit of 2).
DELAY = 0.05
VICTIM, KILL_AT = "yanji", 12  # the worker crawling yanji dies before the portal answers its 12th request
WAIT = float(os.environ.get("QUEUE_TEST_WAIT", "600"))  # a bound so a broken run cannot hang the suite


def worker_environment(database_url: str, queue_url: str, archive: Path | str) -> dict[str, str]:
    """Short heartbeat and lease so a dead worker is noticed within seconds (production: a minute)."""
    return {**os.environ, "XXGK_DATABASE_URL": database_url, "XXGK_QUEUE_URL": queue_url, "XXGK_ARCHIVE": str(archive),
            "XXGK_WORKER_HEARTBEAT_MS": "2000", "XXGK_QUEUE_MAINTENANCE": "1000000",
            "XXGK_LEASE_SECONDS": "3", "XXGK_LEASE_RENEW_SECONDS": "0.5"}


def start_workers(tmp_path: Path, environment: dict[str, str], numbers=(0, 1, 2)) -> list[subprocess.Popen]:
    return [subprocess.Popen([str(BIN / "xxgk"), "worker", "--data-dir", str(tmp_path / f"w{n}"), "--slots", "2"],
                             env=environment, stdout=subprocess.DEVNULL, stderr=(tmp_path / f"w{n}.err").open("ab"),
                             start_new_session=True)
            for n in numbers]


def wait_until_empty(warc_dir: Path) -> None:
    deadline = time.monotonic() + WAIT
    while list(warc_dir.glob("*.warc.gz*")):
        assert time.monotonic() < deadline, f"{warc_dir}: files never published"
        time.sleep(0.2)


def rows(engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).mappings().all()


def kill_when_asked(portal, engine, after: int, killed: list[int]) -> None:
    """Make `portal` SIGKILL the worker crawling it just before it answers its `after`-th request."""
    def kill() -> None:
        [run] = rows(engine, "SELECT pid FROM runs WHERE site = :site AND status = 'running'", site=portal.name)
        os.killpg(run["pid"], signal.SIGKILL)
        killed.append(run["pid"])

    on_request(portal, after, kill)


def enqueue(simulated: SimulatedPortals, environment: dict[str, str], where: Path, *options: str) -> None:
    """Queue a run of every site (with these `-s NAME=VALUE` options as well) for the workers."""
    bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
    queued = subprocess.run([str(BIN / "xxgk"), "crawl", *SITES, "--data-dir", str(where), *bases,
                             "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_SITE}", "-s", f"DOWNLOAD_DELAY={DELAY}",
                             *(part for option in options for part in ("-s", option))],
                            env=environment, capture_output=True, text=True, timeout=120)
    assert queued.returncode == 0, queued.stdout + queued.stderr
    assert f"queued {len(SITES)} site runs" in queued.stdout


def wait_for_runs(engine, count: int) -> list:
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
    archive = tmp_path / "archive"  # the shared directory every worker publishes to
    environment = worker_environment(database_url, redis_server.url, archive)
    with SimulatedPortals() as simulated:
        killed: list[int] = []
        for portal in simulated.portals.values():
            portal.latency = (0.01, 0.05)  # a crawl lasts long enough for several workers to overlap
        kill_when_asked(simulated.portals[VICTIM], engine, KILL_AT, killed)
        enqueue(simulated, environment, tmp_path / "enqueuer")
        workers = start_workers(tmp_path, environment)
        try:
            runs = wait_for_runs(engine, len(SITES))
            # the killed worker's machine comes back: its new worker publishes the files the dead one left
            [index] = [n for n, worker in enumerate(workers) if worker.pid == killed[0]]
            workers[index].wait(timeout=60)  # reaped: a zombie's pid would still look alive to its successor
            workers += start_workers(tmp_path, environment, [index])
            wait_until_empty(tmp_path / f"w{index}" / "warc")
            enqueue(simulated, environment, tmp_path / "enqueuer")  # again: conditional requests, revisits
            second = wait_for_runs(engine, 2 * len(SITES))[len(SITES):]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=120)
        peaks = {name: portal.peak for name, portal in simulated.portals.items()}
        expected = {url for portal in simulated.portals.values() for url in portal.report_urls}
        hosts = {politeness_key(url): site for site, url in simulated.base_urls.items()}

    assert len(killed) == 1, "the victim's portal killed its worker mid-site"
    by_site = {run["site"]: run for run in runs}
    assert {run["status"] for run in runs} == {"ok"}, [(run["site"], (run["stats"] or {}).get("problems"))
                                                       for run in runs if run["status"] != "ok"]
    victim = by_site[VICTIM]
    assert victim["attempt"] == 2 and victim["pid"] != killed[0], "another worker finished the killed worker's site"
    attempts = rows(engine, "SELECT id, status FROM crawls WHERE site = :site ORDER BY id", site=VICTIM)
    assert [row["status"] for row in attempts][:2] == ["crashed", "ok"], "the dead attempt is marked crashed"
    assert victim["crawl_id"] == attempts[1]["id"], "the run names the crawl of its attempt that finished"

    documents = [row["url"] for row in rows(engine, "SELECT url FROM documents")]
    assert len(documents) == len(set(documents)), "no document stored twice"
    assert expected <= set(documents), f"missing: {sorted(expected - set(documents))[:5]}"
    assert all(1 <= peak <= PER_SITE for peak in peaks.values()), peaks
    leases = rows(engine, "SELECT key, site, epoch, holder FROM site_leases")
    assert {lease["key"]: lease["site"] for lease in leases} == hosts, "a lease per portal host, granted for its site"
    assert all(lease["holder"] is None for lease in leases)
    attempts_made = sum(run["attempt"] for run in rows(engine, "SELECT attempt FROM runs WHERE site = :site",
                                                       site=VICTIM))
    assert {lease["site"]: lease["epoch"] for lease in leases}[VICTIM] == attempts_made == 3, "one grant per attempt"

    # the shared archive: every WARC file and its index moved there, none left on a worker's disk
    archived = {row["name"] for row in rows(engine, "SELECT name FROM warc_files WHERE state = 'archived'")}
    assert archived == {path.name for path in (archive / "warc").glob("*.warc.gz")}
    assert {f"{name}.cdxj" for name in archived} == {path.name for path in (archive / "indexes").glob("*.cdxj")}
    assert not list(tmp_path.glob("w*/warc/*.warc.gz")), "published files leave the workers' disks"
    captured = {row["warc_file"] for row in rows(engine, "SELECT DISTINCT warc_file FROM captures")}
    assert captured <= archived

    # the second round's 304s became revisits: their originals read back from the archive, no worker's disk
    assert {run["status"] for run in second} == {"ok"}, [(run["site"], (run["stats"] or {}).get("problems"))
                                                         for run in second if run["status"] != "ok"]
    # (the first round has none: a fresh database, and the dead attempt flushed no digest entries)
    revisits = rows(engine, "SELECT revisit FROM captures WHERE revisit IS NOT NULL")
    assert any(row["revisit"] == "server-not-modified" for row in revisits), "304s archived as revisits"

    # export and replay serve the whole archive, from any data directory
    out = tmp_path / "all.wacz"
    exported = subprocess.run([str(BIN / "xxgk"), "export", "wacz", str(out), "--data-dir", str(tmp_path / "reader")],
                              env=environment, capture_output=True, text=True, timeout=300)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with zipfile.ZipFile(out) as package:
        assert {Path(name).name for name in package.namelist() if name.startswith("archive/")} >= archived


def test_schedule_run_queues_due_sites_once_per_slot(postgres, redis_server, tmp_path):
    import redis

    database_url = postgres.database()
    environment = worker_environment(database_url, redis_server.url, tmp_path / "archive")
    command = [str(BIN / "xxgk"), "schedule", "run", "--once", "--sites", "yanji", "--data-dir", str(tmp_path),
               "--now", "2026-03-04T05:00:00+00:00"]
    first = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "yanji: run 1 queued" in first.stdout
    again = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "no crawl was due" in again.stdout, again.stdout + again.stderr
    engine = create_engine(database_url, poolclass=NullPool)
    [run] = rows(engine, "SELECT site, status, scheduled_for, attempt FROM runs")
    assert (run["site"], run["status"], run["attempt"]) == ("yanji", "queued", 0) and run["scheduled_for"]
    client = redis.Redis.from_url(redis_server.url)
    assert client.hlen("dramatiq:sites.msgs") == 1, "one message for the one slot"


def test_a_queue_needs_a_database_every_worker_reaches(redis_server, tmp_path):
    environment = {**os.environ, "XXGK_QUEUE_URL": redis_server.url}
    environment.pop("XXGK_DATABASE_URL", None)
    for command in (["crawl", "yanji"], ["worker"]):
        result = subprocess.run([str(BIN / "xxgk"), *command, "--data-dir", str(tmp_path)], env=environment,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1 and "needs a PostgreSQL database" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
