"""The shared queue when pieces fail, for real (Redis, PostgreSQL, worker processes, simulated portals):
- Redis loses every message (FLUSHALL, as a restart without appendonly would): `xxgk schedule sweep` sends the lost
  runs again, the running run of a worker that died meanwhile too, exactly once from two sweepers at once;
- two registry sites on one portal host are never crawled at once (the lease is the host's);
- a worker paused (SIGSTOP) past its lease while another takes its site over commits nothing once it resumes.

Every fault is fired by an event (the portal's Nth request), never by time; waits are bounded by WAIT only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import redis
from dramatiq import Message
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from support import BIN, SHARED_REGISTRY, SITES, on_request, shared_portal

from crawler.simulator import SimulatedPortals

PER_SITE = 2  # CONCURRENT_REQUESTS_PER_DOMAIN of every crawl
DELAY = 0.05  # as in test_queue.py: a crawl alone never sends more than PER_SITE at once
WAIT = float(os.environ.get("QUEUE_TEST_WAIT", "600"))  # a bound so a broken run cannot hang the suite
QUEUE_KEYS = ("dramatiq:sites.msgs", "dramatiq:sites.DQ.msgs")  # where dramatiq keeps every live message


def environment_for(database_url: str, queue_url: str, archive: Path, **more: str) -> dict[str, str]:
    """Short heartbeat and lease so a dead or paused worker is noticed within seconds (production: a minute)."""
    return {**os.environ, "XXGK_DATABASE_URL": database_url, "XXGK_QUEUE_URL": queue_url, "XXGK_ARCHIVE": str(archive),
            "XXGK_WORKER_HEARTBEAT_MS": "2000", "XXGK_QUEUE_MAINTENANCE": "1000000",
            "XXGK_LEASE_SECONDS": "3", "XXGK_LEASE_RENEW_SECONDS": "0.5", **more}


def start_worker(tmp_path: Path, environment: dict[str, str], number: int, slots: int = 1) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "xxgk"), "worker", "--data-dir", str(tmp_path / f"w{number}"),
                             "--slots", str(slots)],
                            env=environment, stdout=subprocess.DEVNULL, stderr=(tmp_path / f"w{number}.err").open("ab"),
                            start_new_session=True)


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGCONT)  # a paused one must run to hear SIGTERM
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=120)


def rows(engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).mappings().all()


def wait_for(what: str, condition, engine=None):
    """Poll `condition()` until it returns something true (bounded by WAIT)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    extra = rows(engine, "SELECT id, site, status, attempt FROM runs ORDER BY id") if engine is not None else ""
    raise AssertionError(f"{what} never happened {extra}")


def finished_runs(engine, count: int):
    found = rows(engine, "SELECT * FROM runs ORDER BY id")
    return found if len(found) == count and all(run["status"] not in ("queued", "running") for run in found) else None


def crawling_pid(engine, site: str) -> int:
    [run] = rows(engine, "SELECT pid FROM runs WHERE site = :site AND status = 'running'", site=site)
    return run["pid"]


def queue_crawls(environment: dict[str, str], where: Path, sites, base_urls: dict[str, str]) -> list[int]:
    bases = [f"--base-url={site}={url}" for site, url in base_urls.items()]
    queued = subprocess.run([str(BIN / "xxgk"), "crawl", *sites, "--data-dir", str(where), *bases,
                             "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_SITE}", "-s", f"DOWNLOAD_DELAY={DELAY}"],
                            env=environment, capture_output=True, text=True, timeout=120)
    assert queued.returncode == 0, queued.stdout + queued.stderr
    assert f"queued {len(sites)} site runs" in queued.stdout


def sweep_lines(environment: dict[str, str], where: Path, processes: int = 1) -> list[list[str]]:
    """`xxgk schedule sweep --grace 600` run by `processes` processes at once (as on several machines): their
    lines."""
    started = [subprocess.Popen([str(BIN / "xxgk"), "schedule", "sweep", "--grace", "600", "--data-dir", str(where)],
                                env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(processes)]
    outputs = []
    for process in started:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0 and "Traceback" not in err, out + err
        outputs.append(out.splitlines())
    return outputs


def assert_every_report_once(engine, expected: set[str]) -> None:
    documents = [row["url"] for row in rows(engine, "SELECT url FROM documents")]
    assert len(documents) == len(set(documents)), "no document stored twice"
    assert expected <= set(documents), f"missing: {sorted(expected - set(documents))[:5]}"


def test_sweep_sends_again_the_runs_whose_message_redis_lost(postgres, redis_server, tmp_path):
    database_url = postgres.database()
    engine = create_engine(database_url, poolclass=NullPool)
    environment = environment_for(database_url, redis_server.url, tmp_path / "archive")
    client = redis.Redis.from_url(redis_server.url)
    victim, kill_at = "yanji", 12
    with SimulatedPortals() as simulated:
        killed: list[int] = []

        def kill() -> None:
            pid = crawling_pid(engine, victim)
            os.killpg(pid, signal.SIGKILL)
            killed.append(pid)

        on_request(simulated.portals[victim], kill_at, kill)
        queue_crawls(environment, tmp_path / "enqueuer", SITES, simulated.base_urls)
        workers = [start_worker(tmp_path, environment, 0)]  # one slot: the sites one after another
        try:
            wait_for("the victim's worker killed", lambda: killed, engine)
            workers[0].wait(timeout=60)
            client.flushall()  # Redis restarted without appendonly: every message is gone, the dead worker's too
            before = {run["id"]: run for run in rows(engine, "SELECT * FROM runs ORDER BY id")}
            [victim_run] = [run for run in before.values() if run["site"] == victim]
            assert victim_run["status"] == "running", "the killed worker's run is left running"
            lost = {run_id for run_id, run in before.items() if run["status"] in ("queued", "running")}
            # the dead worker's lease runs out (3 s here): from then on its running run may be sent again
            wait_for("the dead worker's lease run out", lambda: rows(
                engine, "SELECT 1 FROM site_leases WHERE run_id = :id AND lease_until <= now()", id=victim_run["id"]))

            # found an hour later (the grace is 10 minutes): a run sent again is queued anew, within its grace
            with engine.begin() as conn:
                conn.execute(text("UPDATE runs SET queued_at = queued_at - interval '1 hour'"))
            first, second = sweep_lines(environment, tmp_path / "sweeper", processes=2)
            sent = [int(line.split("run ")[1].split()[0]) for line in first + second]
            assert sorted(sent) == sorted(lost), (first, second)  # each lost run sent once, by one of the two
            assert sweep_lines(environment, tmp_path / "sweeper") == [[]], "nothing is lost any more"
            assert any("running without a live lease" in line for line in first + second)

            # a duplicate message is harmless: one more for every run, finished ones included
            for run in before.values():
                duplicate(redis_server.url, run["id"], run["site"], run["options"] or {})
            workers += [start_worker(tmp_path, environment, n, slots=2) for n in (1, 2)]
            runs = wait_for("every run finished", lambda: finished_runs(engine, len(SITES)), engine)
            wait_for("every message acknowledged", lambda: not any(client.hlen(key) for key in QUEUE_KEYS))
            runs = rows(engine, "SELECT * FROM runs ORDER BY id")
        finally:
            stop_workers(workers)
        expected = {url for portal in simulated.portals.values() for url in portal.report_urls}
        peaks = {name: portal.peak for name, portal in simulated.portals.items()}

    assert {run["status"] for run in runs} == {"ok"}, [(run["site"], (run["stats"] or {}).get("problems"))
                                                       for run in runs if run["status"] != "ok"]
    by_site = {run["site"]: run for run in runs}
    assert by_site[victim]["attempt"] == 2, "the dead worker's run crawled once more, not once per message"
    assert all(run["attempt"] == 1 for run in runs if run["site"] != victim), "a duplicate message crawls nothing"
    crawls = Counter(row["site"] for row in rows(engine, "SELECT site FROM crawls"))
    assert crawls == {site: by_site[site]["attempt"] for site in SITES}, crawls
    assert_every_report_once(engine, expected)
    assert all(1 <= peak <= PER_SITE for peak in peaks.values()), peaks
    assert all(lease["holder"] is None for lease in rows(engine, "SELECT holder FROM site_leases"))


def duplicate(queue_url: str, run_id: int, site: str, options: dict) -> None:
    """One more message for a run, sent as `xxgk crawl` sends it."""
    from dramatiq.brokers.redis import RedisBroker

    from crawler.queue import send

    target = RedisBroker(url=queue_url)
    send(target, run_id, site, options)
    target.client.close()


def test_schedule_run_sends_again_a_run_whose_message_was_lost(postgres, redis_server, tmp_path):
    database_url = postgres.database()
    environment = environment_for(database_url, redis_server.url, tmp_path / "archive", XXGK_QUEUE_SWEEP_GRACE="0")
    queue_crawls(environment, tmp_path / "enqueuer", ["yanji"], {})  # run 1; no worker takes it
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    command = [str(BIN / "xxgk"), "schedule", "run", "--once", "--sites", "yanji", "--data-dir", str(tmp_path),
               "--now", "2026-03-04T05:00:00+00:00"]  # a Wednesday: yanji's slot is due too (run 2)
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "yanji: run 1 sent again (it was queued and its message was lost)" in result.stdout, result.stdout
    assert "yanji: run 2 queued" in result.stdout
    bodies = client.hvals(QUEUE_KEYS[0])
    assert sorted(Message.decode(body).args[0] for body in bodies) == [1, 2], "one message per run"


def test_a_lease_is_per_portal_host_and_a_site_is_leased_under_one_key_at_a_time(postgres):
    from crawler import database as db
    from crawler import leases

    engine = db.connect(postgres.database())
    host = leases.politeness_key("http://www.yanji.gov.cn/xxgk/")
    assert host == leases.politeness_key("HTTP://www.Yanji.gov.cn:80") == "http://www.yanji.gov.cn:80"
    assert host != leases.politeness_key("https://www.yanji.gov.cn") != leases.politeness_key("https://yanji.gov.cn")

    city = leases.claim(engine, host, "a", 30, site="yanji")
    assert isinstance(city, leases.Lease) and city.name == "yanji on http://www.yanji.gov.cn:80"
    department = leases.claim(engine, host, "b", 30, site="yanji_rsj")  # another site of the same portal host
    assert isinstance(department, leases.Busy) and department.site == "yanji"
    assert "yanji on http://www.yanji.gov.cn:80 is crawled by a" in department.describe()
    elsewhere = leases.claim(engine, "http://127.0.0.1:8000", "b", 30, site="yanji")  # the site at another address
    assert isinstance(elsewhere, leases.Busy) and (elsewhere.key, elsewhere.site) == (host, "yanji")
    leases.release(engine, city)
    department = leases.claim(engine, host, "b", 30, site="yanji_rsj")
    assert isinstance(department, leases.Lease) and department.epoch == city.epoch + 1
    assert isinstance(leases.claim(engine, "http://127.0.0.1:8000", "c", 30, site="yanji"), leases.Lease)


def test_two_sites_on_one_portal_host_are_never_crawled_at_once(postgres, redis_server, tmp_path):
    from crawler.leases import politeness_key

    database_url = postgres.database()
    engine = create_engine(database_url, poolclass=NullPool)
    portal = shared_portal()
    portal.latency = (0.01, 0.05)  # each crawl lasts long enough for the two to overlap if they could
    portal.start()
    try:
        registry = tmp_path / "sites.toml"
        registry.write_text(SHARED_REGISTRY.format(city="shared_city", department="shared_rsj",
                                                   base_url=portal.base_url), encoding="utf-8")
        environment = environment_for(database_url, redis_server.url, tmp_path / "archive",
                                      XXGK_REGISTRY=str(registry))
        queue_crawls(environment, tmp_path / "enqueuer", ["shared_city", "shared_rsj"], {})
        workers = [start_worker(tmp_path, environment, n, slots=2) for n in (0, 1)]  # room for both at once
        try:
            runs = wait_for("both runs finished", lambda: finished_runs(engine, 2), engine)
        finally:
            stop_workers(workers)
    finally:
        portal.stop()

    assert {run["status"] for run in runs} == {"ok"}, [(run["site"], (run["stats"] or {}).get("problems"))
                                                       for run in runs if run["status"] != "ok"]
    assert 1 <= portal.peak <= PER_SITE, f"the host saw {portal.peak} requests at once"
    first, second = sorted(runs, key=lambda run: run["started_at"])
    assert first["finished_at"] <= second["started_at"], "one crawl of the host at a time"
    [lease] = rows(engine, "SELECT key, epoch, holder FROM site_leases")
    assert (lease["key"], lease["epoch"], lease["holder"]) == (politeness_key(portal.base_url), 2, None)
    assert_every_report_once(engine, set(portal.report_urls))


# What a crawl stores, all fenced by its lease. Not `warc_files`: the paused worker's WARC file is still published
# once it resumes (its records are the portal's real answers; no capture names them), as a dead worker's file is by
# the next worker started on its machine.
FINGERPRINTED = ("crawls", "captures", "documents", "attachments", "listings", "column_crawls", "report_cells",
                 "versions", "events", "digests", "runs")


def fingerprint(engine) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows."""
    found = {}
    for table in FINGERPRINTED:
        [row] = rows(engine, f"SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                             f"AS digest FROM {table} AS t")
        found[table] = (row["n"], row["digest"])
    return found


def test_a_worker_paused_past_its_lease_commits_nothing_after_another_took_its_site_over(postgres, redis_server,
                                                                                           tmp_path):
    database_url = postgres.database()
    engine = create_engine(database_url, poolclass=NullPool)
    environment = environment_for(database_url, redis_server.url, tmp_path / "archive")
    site, pause_at = "yanji", 12
    with SimulatedPortals([site]) as simulated:
        portal = simulated.portals[site]
        portal.latency = (0.01, 0.05)
        paused: list[int] = []

        def pause() -> None:  # the worker crawling the site stops, as a VM migrated or a process SIGSTOPped would
            pid = crawling_pid(engine, site)
            os.killpg(pid, signal.SIGSTOP)
            paused.append(pid)

        asked = on_request(portal, pause_at, pause)
        queue_crawls(environment, tmp_path / "enqueuer", [site], simulated.base_urls)
        workers = [start_worker(tmp_path, environment, n) for n in (0, 1)]
        try:
            wait_for("the crawling worker paused", lambda: paused, engine)
            [zombie] = [n for n, worker in enumerate(workers) if worker.pid == paused[0]]
            [run] = wait_for("the run taken over and finished", lambda: finished_runs(engine, 1), engine)
            taken_over, asked_before = fingerprint(engine), asked["n"]
            os.killpg(paused[0], signal.SIGCONT)
            wait_for("the resumed worker noticed its lost lease", lambda: "lost its lease" in worker_log(tmp_path,
                                                                                                       zombie))
            wait_for("every message acknowledged", lambda: not any(
                redis.Redis.from_url(redis_server.url).hlen(key) for key in QUEUE_KEYS))
            after, asked_late = fingerprint(engine), asked["n"] - asked_before
        finally:
            stop_workers(workers)
        peak = portal.peak
        expected = set(portal.report_urls)

    crawls = rows(engine, "SELECT id, status FROM crawls ORDER BY id")
    assert [crawl["status"] for crawl in crawls] == ["crashed", "ok"], "the paused crawl was found dead, no more"
    assert (run["status"], run["attempt"], run["crawl_id"]) == ("ok", 2, crawls[1]["id"]), run
    assert run["pid"] != paused[0], "the run is recorded by the worker that finished it"
    changed = {table for table in FINGERPRINTED if taken_over[table] != after[table]}
    assert not changed, f"the resumed worker wrote to {sorted(changed)} after the takeover"
    # requests the paused worker still sends when it resumes: only those it was transferring when it stopped (at
    # most its per-site concurrency), never the ones waiting in its downloader for their turn
    assert asked_late <= PER_SITE, f"{asked_late} requests reached the portal after the paused worker resumed"
    log = worker_log(tmp_path, zombie)
    assert "lost the lease of yanji on http://127.0.0.1:" in log and "Spider closed (lease_lost)" in log, log[-3000:]
    assert_every_report_once(engine, expected)
    assert 1 <= peak <= PER_SITE, peak
    archived = {row["name"] for row in rows(engine, "SELECT name FROM warc_files WHERE state = 'archived'")}
    assert {row["warc_file"] for row in rows(engine, "SELECT DISTINCT warc_file FROM captures")} <= archived


def worker_log(tmp_path: Path, number: int) -> str:
    return "".join(path.read_text(encoding="utf-8", errors="replace")
                   for path in sorted((tmp_path / f"w{number}" / "logs").glob("worker-*.log")))


def test_sweep_needs_a_queue(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "XXGK_QUEUE_URL"}
    result = subprocess.run([str(BIN / "xxgk"), "schedule", "sweep", "--data-dir", str(tmp_path)], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "no queue: set XXGK_QUEUE_URL" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
