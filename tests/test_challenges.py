"""Anti-bot challenges: recognised, passed with real headless Chromium when possible, reported blocked when not."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.http import Response

from crawler.middlewares.challenge import challenge_signature, response_signature
from crawler.simulator import SimulatedPortals
from crawler.simulator.challenge import RIVERS_PAGE, jsl_page

BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")


def test_signatures_of_the_known_front_ends():
    rivers = RIVERS_PAGE.format(blob="a" * 64, cd="b" * 64).encode()
    assert challenge_signature(412, rivers) == "rivers"
    assert challenge_signature(521, jsl_page("1.2|0|x")) == "jiasule"
    assert challenge_signature(200, b"<html>waiting</html>", [b"safedog-flow-item=1; path=/"]) == "safedog"
    assert challenge_signature(200, b"<html><body>yunsuo_session_verify</body></html>") == "yunsuo"
    assert challenge_signature(200, "<html><body>请稍候，正在进行安全验证</body></html>".encode()) == "generic"
    assert challenge_signature(412, b"<html></html>") == "generic"


def test_real_pages_are_not_challenges():
    assert challenge_signature(200, b'<html><body><ul class="list">') is None  # a TRS stub page
    assert challenge_signature(200, b"<html><body>" + "年度报告正文".encode() * 500) is None
    assert challenge_signature(404, b"<html><body>404 Not Found</body></html>") is None
    pdf = Response("http://x/a.pdf", status=200, body=b"%PDF-1.4 safedog", headers={"Content-Type": "application/pdf"})
    assert response_signature(pdf) is None


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl of the two challenged portals with real headless Chromium (no browser delay on loopback)."""
    assert CHROMIUM.exists(), "Debian's chromium is needed (apt-get install chromium)"
    data_dir = tmp_path_factory.mktemp("challenge")
    with SimulatedPortals(["zongyang", "hebei"]) as sim:
        bases = [f"--base-url={site}={url}" for site, url in sim.base_urls.items()]
        slots = json.dumps({"xxgk-browser": {"concurrency": 1, "delay": 0}})
        result = subprocess.run([str(BIN / "xxgk"), "crawl", "zongyang", "hebei", "--data-dir", str(data_dir), *bases,
                                 "-s", f"DOWNLOAD_SLOTS={slots}"], capture_output=True, text=True, timeout=300)
        yield data_dir, result, sim


def summaries(data_dir: Path) -> dict[str, tuple[str, dict]]:
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        rows = conn.execute("SELECT site, status, summary FROM crawls WHERE finished_at IS NOT NULL").fetchall()
    return {site: (status, json.loads(summary)) for site, status, summary in rows}


def test_browser_passes_the_cookie_challenge_once_and_cookies_are_reused(crawled):
    data_dir, result, sim = crawled
    status, summary = summaries(data_dir)["zongyang"]
    assert status == "ok" and summary["passes"] == 1 and summary["blocked"] == 0
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM documents WHERE site = 'zongyang'")}
        texts = [row[0] or "" for row in conn.execute("SELECT text FROM documents WHERE site = 'zongyang'")]
    assert set(sim.portals["zongyang"].report_urls) <= urls
    assert not any("__jsl_clearance" in text or "document.cookie" in text for text in texts)
    challenged = [e for e in sim.portals["zongyang"].sent if e["status"] == 521]
    assert 1 <= len(challenged) <= 10  # only what was in flight before the browser passed


def test_permanently_blocked_site_is_blocked_with_evidence(crawled):
    data_dir, result, _ = crawled
    assert result.returncode == 1
    status, summary = summaries(data_dir)["hebei"]
    assert status == "blocked" and summary["blocked"] >= 1 and summary["reports"] == 0
    assert "HTTP 412 rivers" in summary["blocked_evidence"][0]
    assert "hebei     blocked" in result.stdout and "blocked by an anti-bot front end" in result.stdout
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents WHERE site = 'hebei'").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM listings WHERE site = 'hebei'").fetchone()[0] == 0
