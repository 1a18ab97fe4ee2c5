"""One crawl per site at a time, whoever starts it: a second crawl ends at once, `skipped`, touching nothing."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime

from support import BIN, query, stored_time

from crawler import database
from crawler.extensions.lock import SiteLock
from crawler.extensions.summary import SKIPPED_EXIT
from crawler.simulator import SimulatedPortals

REPO = BIN.parent.parent


def test_a_crawl_of_a_locked_site_is_skipped_by_xxgk_and_by_scrapy(tmp_path):
    with SimulatedPortals(sites=["yanji"]) as simulated:
        base = simulated.base_urls["yanji"]
        lock = SiteLock("yanji", tmp_path, f"sqlite:///{tmp_path / 'xxgk.sqlite'}")  # another crawl of yanji
        assert lock.acquire()
        try:
            crawl = subprocess.run([str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path),
                                    f"--base-url=yanji={base}"], capture_output=True, text=True, timeout=300)
            scrapy = subprocess.run([str(BIN / "scrapy"), "crawl", "yanji", "-s", f"XXGK_DATA_DIR={tmp_path}",
                                     "-s", f"XXGK_BASE_URLS={json.dumps({'yanji': base})}"],
                                    cwd=REPO, capture_output=True, text=True, timeout=300)
            assert not simulated.portals["yanji"].sent.for_url(base + "/robots.txt"), "the portal was asked nothing"
        finally:
            lock.release()
        for result in (crawl, scrapy):
            assert result.returncode == SKIPPED_EXIT, result.stdout + result.stderr[-3000:]
            assert "skipped: another crawl of yanji is running" in result.stdout + result.stderr
            assert "Traceback" not in result.stderr
        assert not (tmp_path / "xxgk.sqlite").exists(), "a skipped crawl writes no crawls row"
        assert not (tmp_path / "jobs" / "yanji").exists() and not (tmp_path / "warc").exists()

        done = subprocess.run([str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path),
                               f"--base-url=yanji={base}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert lock.is_free(), "the crawl released the lock when it ended"


def test_a_crawl_row_left_running_is_marked_crashed_by_the_next_crawl(tmp_path):
    with database.connect(f"sqlite:///{tmp_path / 'xxgk.sqlite'}").begin() as conn:
        conn.execute(database.crawls.insert().values(site="yanji", started_at="2026-01-01T00:00:00+00:00",
                                                     status="running"))
        conn.execute(database.crawls.insert().values(site="panjin", started_at="2026-01-01T00:00:00+00:00",
                                                     status="running"))
    with SimulatedPortals(sites=["yanji"]) as simulated:
        result = subprocess.run([str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path),
                                 f"--base-url=yanji={simulated.base_urls['yanji']}"],
                                capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    rows = {(row["site"], row["status"]): row for row in query(tmp_path, "SELECT * FROM crawls")}
    assert set(rows) == {("yanji", "crashed"), ("panjin", "running"), ("yanji", "ok")}
    crashed = json.loads(rows["yanji", "crashed"]["summary"])
    assert crashed["status"] == "crashed" and crashed["noticed_at"] >= "2026"
    noticed = datetime.fromisoformat(crashed["noticed_at"])  # ISO 8601 in UTC, as commands print times
    assert noticed.tzinfo is not None and noticed <= stored_time(rows["yanji", "ok"]["finished_at"])


def test_the_postgresql_lock_holds_across_data_dirs_and_hosts(postgres, tmp_path):
    """On PostgreSQL the lock is in the server: a crawl using another data directory (another host) sees it."""
    database_url = postgres.database()
    here, there = SiteLock("yanji", tmp_path / "a", database_url), SiteLock("yanji", tmp_path / "b", database_url)
    assert here.acquire()
    try:
        assert not there.acquire() and not there.is_free()
        assert SiteLock("panjin", tmp_path / "b", database_url).is_free(), "one lock per site"
        with SimulatedPortals(sites=["yanji"]) as simulated:
            result = subprocess.run([str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path / "b"),
                                     f"--base-url=yanji={simulated.base_urls['yanji']}",
                                     "-s", f"XXGK_DATABASE_URL={database_url}"],
                                    capture_output=True, text=True, timeout=300)
        assert result.returncode == SKIPPED_EXIT, result.stdout + result.stderr[-3000:]
        assert "skipped: another crawl of yanji is running" in result.stdout
    finally:
        here.release()
    assert there.acquire()
    assert there.lease.epoch > 1, "every grant of the site's lease has a new epoch (the crawl's took one too)"
    there.release()


def test_two_sites_of_one_portal_host_never_hold_their_locks_at_once(store):
    """On both databases: a city's column and a department's on one host take turns (SQLite: a second file lock,
    the host's, beside the site's; PostgreSQL: the host's lease); a site on another host, or the same site
    elsewhere, is not held up by the host, and the site's own lock still holds under any key."""
    host, other = "http://www.yanji.gov.cn:80", "http://www.panjin.gov.cn:80"
    store.data_dir.mkdir(exist_ok=True)
    city = SiteLock("yanji", store.data_dir, store.url, key=host)
    assert city.acquire()
    try:
        department = SiteLock("yanji_rsj", store.data_dir, store.url, key=host)
        assert not department.acquire() and department.other_site() == "yanji"
        assert SiteLock("panjin", store.data_dir, store.url, key=other).is_free()
        assert not SiteLock("yanji", store.data_dir, store.url, key=other).is_free(), "one crawl per site"
    finally:
        city.release()
    assert department.acquire(), "the host is free once the city's crawl released it"
    department.release()
