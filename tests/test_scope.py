"""Scope, address and trap guards, and a crawl through them (split articles, a pagination trap, session ids)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawler.middlewares.scope import ScopeMiddleware, is_private_address
from crawler.middlewares.traps import TrapGuardMiddleware, is_calendar, repeated_segments, strip_session_ids
from crawler.simulator import SimulatedPortals, unknown
from crawler.sites import load_registry
from spiders.sites import site_settings

BIN = Path(sys.executable).parent


def test_session_ids_are_stripped():
    assert strip_session_ids("http://a/x/c_1.jhtml;jsessionid=8E1F") == "http://a/x/c_1.jhtml"
    assert strip_session_ids("http://a/l.jsp?col=3&PHPSESSID=abc&page=2") == "http://a/l.jsp?col=3&page=2"
    assert strip_session_ids("http://a/gkmlpt/api/all/5?page=1&sid=2") == "http://a/gkmlpt/api/all/5?page=1&sid=2"


def test_repeated_segments_and_calendars():
    assert repeated_segments("/a/b/a/b/c.html") and repeated_segments("/x/x/x/")
    assert not repeated_segments("/html/zfxxgknb2018/index_2.html")
    assert is_calendar("http://a/calendar/?month=2024-01", 1990, 2026)
    assert is_calendar("http://a/list?year=1899", 1990, 2026)
    assert not is_calendar("http://a/module/xxgk/xxgkAnnualReport.jsp?fbtime=2017&area=1", 1990, 2026)


def test_private_addresses():
    assert all(map(is_private_address, ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1")))
    assert not is_private_address("202.96.134.133")


def guard_for(site: str, base_url: str, allow: list[str] | None = None) -> ScopeMiddleware:
    registered = load_registry()[site]
    crawler = get_crawler(settings_dict={"XXGK_ALLOW_PRIVATE_HOSTS": allow or []})
    crawler.spider = SimpleNamespace(site=registered, base_url=base_url)
    return ScopeMiddleware.from_crawler(crawler)


def test_scope_allows_the_given_base_url_and_refuses_other_hosts():
    guard = guard_for("yanji", "http://127.0.0.1:8001")
    assert asyncio.run(guard.process_request(Request("http://127.0.0.1:8001/xxgk/"))) is None
    with pytest.raises(IgnoreRequest):
        asyncio.run(guard.process_request(Request("http://evil.example/xxgk/")))
    assert guard.stats.get_value("xxgk/faults/offsite") == 1


def test_private_address_refused_unless_allowed():
    site = load_registry()["yanji"]
    guard = guard_for("yanji", site.base_url)  # the real portal, which must never resolve to loopback
    guard._resolved[site.host] = ["127.0.0.1"]  # as a hostile DNS answer would
    with pytest.raises(IgnoreRequest):
        asyncio.run(guard.process_request(Request(site.url("/xxgk/"))))
    assert guard.stats.get_value("xxgk/faults/private_address") == 1
    allowed = guard_for("yanji", site.base_url, allow=[site.host])
    allowed._resolved[site.host] = ["127.0.0.1"]
    assert asyncio.run(allowed.process_request(Request(site.url("/xxgk/")))) is None


def test_trap_guard_caps_pagination():
    guard = TrapGuardMiddleware(get_crawler().stats, max_list_pages=3, max_url_length=200, min_year=1990)
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://a/list?page=4", meta={"page": 4, "column": "http://a/list"}))
    assert guard.process_request(Request("http://a/list?page=3", meta={"page": 3})) is None
    cleaned = guard.process_request(Request("http://a/x.html;jsessionid=1"))
    assert cleaned.url == "http://a/x.html"


def test_per_site_politeness_from_the_registry():
    assert site_settings(load_registry()["yanji"]) == {}
    from dataclasses import replace
    custom = replace(load_registry()["yanji"], robots=False, concurrency=1, delay=5.0)
    assert site_settings(custom) == {"ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                                     "DOWNLOAD_DELAY": 5.0, "AUTOTHROTTLE_START_DELAY": 5.0}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("scope")
    with SimulatedPortals(["mohrss", "hnxxjkq"]) as sim:
        bases = [f"--base-url={site}={url}" for site, url in sim.base_urls.items()]
        result = subprocess.run([str(BIN / "xxgk"), "crawl", "mohrss", "hnxxjkq", "--data-dir", str(data_dir), *bases],
                                capture_output=True, text=True, timeout=300)
        yield data_dir, result, sim


def rows(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        return conn.execute(sql).fetchall()


def test_split_reports_stored_once_with_every_part_archived(crawled):
    data_dir, result, sim = crawled
    assert result.returncode == 0, result.stdout + result.stderr
    portal = sim.portals["mohrss"]
    documents = {url for (url,) in rows(data_dir, "SELECT url FROM documents WHERE site = 'mohrss'")}
    assert documents == set(portal.report_urls)
    archived = {url for (url,) in rows(data_dir, "SELECT url FROM captures")} | {
        e["url"] for e in portal.sent if e["status"] == 200}
    assert set(portal.part_urls) <= archived and not set(portal.part_urls) & documents


def test_generic_crawl_survives_the_trap_and_session_ids(crawled):
    data_dir, result, sim = crawled
    portal = sim.portals["hnxxjkq"]
    documents = {url for (url,) in rows(data_dir, "SELECT url FROM documents WHERE site = 'hnxxjkq'")}
    listed_file = portal.url(unknown.PDF_PATH)  # a report published only as a PDF is a document of its own
    assert documents == set(portal.report_urls) | {listed_file}
    pages = [e["url"] for e in portal.sent if "/zwgk/zfxxgknb/?page=" in e["url"]]
    assert len(pages) <= 5  # one page past the last, then it stops
    assert not [e for e in portal.sent if "jsessionid" in e["url"] or "/calendar/" in e["url"]]
    [(summary,)] = rows(data_dir, "SELECT summary FROM crawls WHERE site = 'hnxxjkq'")
    assert json.loads(summary)["years"]["2020"] >= 2
