"""The hostile web: the fault portal crawled by `xxgk crawl` (through a user registry) and by `xxgk capture --depth`,
each inside a network namespace with only loopback, under strace, its process tree's peak memory measured.

Asserted: the crawl ends within its bounds (attempt counts and deadline stats, no clock), every real report is
archived and stored with its text, no fault becomes a document, every fault is counted by kind, no process of the
tree (crawler, extraction workers, Playwright's driver, every Chromium process) passes 1 GB resident, and nothing
tried to reach any address but the portal's.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from netrec import Attempt, NetNS, attempts, missing_tools, programs

from crawler.simulator import SimulatedPortals

HERE = Path(__file__).parent
PYTHON = sys.executable
XXGK = str(Path(sys.executable).parent / "xxgk")
PORT = 18790  # inside the namespace nothing else listens
BASE = f"http://127.0.0.1:{PORT}"
GB = 1_000_000_000
# Chromium's IPv6 reachability probe: a UDP socket connected to Google's resolver, no packet sent (no switch
# turns it off); the only attempt allowed outside the portal
IPV6_PROBE = ("2001:4860:4860::8888", 443, "udp", "connect")
# the same bounds in both runs: a loopback page arrives in milliseconds, a dripping one never
LIMITS = ["-s", "DOWNLOAD_TIMEOUT=10", "-s", "XXGK_FILE_TIMEOUT=20", "-s", "XXGK_RETRY_BACKOFF_BASE=0.5",
          "-s", 'DOWNLOAD_SLOTS={"xxgk-browser": {"concurrency": 1, "delay": 0}}']
REGISTRY = """[[site]]
name = "faults"
government = "某县人民政府（模拟：恶意门户）"
family = ""
base_url = "http://www.faults.example"
columns = ["/xxgk/ndbg/"]
notes = "tests/test_hostile.py: crawler/simulator/faults.py"
"""


@dataclass
class Run:
    command: str  # crawl | capture
    result: subprocess.CompletedProcess
    data_dir: Path
    rss: dict
    attempts: list[Attempt]
    programs: dict[int, str]

    def summary(self) -> dict:
        [(summary,)] = self.query("SELECT summary FROM crawls")
        return json.loads(summary)

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.data_dir / "xxgk.sqlite") as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def portal():
    """What the fault portal serves (built, not started): paths of reports, faults and their kinds."""
    simulated = SimulatedPortals(["faults"])
    served = simulated.portals["faults"]
    simulated.stop()
    local = served.base_url
    return {"reports": {url.removeprefix(local): report for url, report in served.reports.items()},
            "faults": {url.removeprefix(local): kind for url, kind in served.faults.items()},
            "attachments": [url.removeprefix(local) for url in served.attachment_urls]}


def run_in_namespace(arguments: list[str], data_dir: Path, work: Path) -> Run:
    """Start the fault portal in a fresh namespace and run `xxgk ARGUMENTS` there, traced and measured."""
    assert not missing_tools(), f"needs {', '.join(missing_tools())} (the Makefile's DEBIAN_PACKAGES)"
    namespace = NetNS()
    server = namespace.popen([PYTHON, "-m", "crawler.simulator", "--sites", "faults", "--port-base", str(PORT),
                              "--duration", "1800"], stdout=subprocess.PIPE, text=True)
    try:
        assert BASE in server.stdout.readline()
        rss, trace = work / "rss.json", work / "trace"
        result = namespace.traced([PYTHON, str(HERE / "peak_rss.py"), str(rss), "--", XXGK, *arguments,
                                   "--data-dir", str(data_dir), *LIMITS], trace,
                                  capture_output=True, text=True, timeout=1200)
    finally:
        server.terminate()
        server.wait()
        namespace.close()
    return Run(arguments[0], result, data_dir, json.loads(rss.read_text()), attempts(trace), programs(trace))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Run:
    data_dir = tmp_path_factory.mktemp("hostile-crawl")
    (data_dir / "sites.toml").write_text(REGISTRY, encoding="utf-8")
    return run_in_namespace(["crawl", "faults", "--base-url", f"faults={BASE}"], data_dir,
                            tmp_path_factory.mktemp("hostile-crawl-run"))


@pytest.fixture(scope="module")
def captured(tmp_path_factory) -> Run:
    return run_in_namespace(["capture", f"{BASE}/xxgk/ndbg/", "--depth", "4", "--scope", "host"],
                            tmp_path_factory.mktemp("hostile-capture"), tmp_path_factory.mktemp("hostile-capture-run"))


@pytest.fixture(scope="module", params=["crawl", "capture"])
def run(request) -> Run:
    return request.getfixturevalue("crawled" if request.param == "crawl" else "captured")


def test_the_crawl_ends_within_its_bounds(crawled, portal):
    summary = crawled.summary()
    assert summary["finish_reason"] == "finished", crawled.result.stdout + crawled.result.stderr
    # the one URL behind a challenge nothing passes makes the site blocked, and exit 1; nothing else does
    assert summary["status"] == "blocked" and crawled.result.returncode == 1
    assert [evidence.split()[0] for evidence in summary["blocked_evidence"]] == [f"{BASE}/xxgk/ndbg/f/rs/2019nb.html"]
    dripping = sum(kind == "timeout" for kind in portal["faults"].values())
    assert summary["timeouts"] == dripping * 2, "each dripping URL is tried once more (XXGK_TIMEOUT_RETRIES), no more"
    assert "deadline" not in summary["faults"] and "site_deadline" not in summary["faults"]
    failing = sum(kind in ("http_error", "connection", "truncated", "bad_response", "recovered", "retry_after")
                  for kind in portal["faults"].values())
    assert summary["retries"] <= 2 * failing + dripping  # RETRY_TIMES each, timeouts once


def test_every_real_report_is_archived_and_stored_with_its_text(run, portal):
    archived = {url for (url,) in run.query("SELECT url FROM captures WHERE status = 200")}
    stored = {url: (text, error) for url, text, error in run.query("SELECT url, text, extract_error FROM documents")}
    for path, report in portal["reports"].items():
        assert BASE + path in archived, path
        text, error = stored[BASE + path]
        assert error is None, (path, error)
        flat = "".join((text or "").split())
        missing = [block for block in report.blocks if isinstance(block, str) and "".join(block.split()) not in flat]
        assert not missing, (path, missing[:1])


def test_no_fault_becomes_a_document(run, portal):
    documents = {url for (url,) in run.query("SELECT url FROM documents")}
    attachments = {url for (url,) in run.query("SELECT url FROM attachments")}
    fault_pages = {BASE + path for path in portal["faults"] if path.startswith("/") and path not in portal["reports"]
                   and path not in portal["attachments"]}
    assert not fault_pages & (documents | attachments)
    reports = {BASE + path for path in portal["reports"]}
    assert reports <= documents
    stored_as_faults = {url for (url,) in run.query("SELECT url FROM captures WHERE outcome = 'fault'")}
    assert {f"{BASE}/xxgk/ndbg/f/empty.html", f"{BASE}/xxgk/ndbg/f/gone.html"} <= stored_as_faults


def test_the_crawl_stores_exactly_the_reports(crawled, portal):
    documents = {url for (url,) in crawled.query("SELECT url FROM documents")}
    assert documents == {BASE + path for path in portal["reports"]}


def test_every_fault_is_counted_by_kind(run, portal):
    counted = run.summary()["faults"]
    expected = Counter(portal["faults"].values())
    if run.command == "capture":
        # a capture follows no link off the host; the redirects there, and the browser's requests, are refused as
        # private addresses (a capture has no site hosts, only the rule against private addresses)
        expected.pop("offsite")
        expected["private_address"] = 2
    short = {kind: (counted.get(kind, 0), n) for kind, n in expected.items() if counted.get(kind, 0) < n}
    assert not short, f"counted, expected at least: {short}"
    refused_in_browser = run.summary()["fault_urls"]["offsite" if "offsite" in expected else "private_address"]
    assert f"http://127.0.0.2:{PORT}/images/banner.png" in refused_in_browser  # after the challenge was passed
    assert f"http://[::1]:{PORT}/images/qrcode.png" in refused_in_browser


def test_bombs_and_traversal_names_are_recorded_on_their_attachments(run):
    files = {url.rsplit("/", 1)[-1]: (name, error) for url, name, error in
             run.query("SELECT url, filename, extract_error FROM attachments")}
    bomb = next(value for key, value in files.items() if key.endswith(".docx"))
    assert bomb[1].startswith("too large: word/document.xml unpacks to 1073741824 bytes")
    names = {name for name, _ in files.values()}
    assert {"统计表.pdf", "附件2.pdf"} <= names and not any("/" in name or "\\" in name for name in names)


def test_no_process_passes_1_gb(run):
    assert run.rss["orphans"] == [], "processes outlived the command"
    assert 50_000_000 < run.rss["max_rss_bytes"] <= GB


def test_nothing_tries_to_reach_anything_but_the_portal(run):
    outside = [a for a in run.attempts if (a.host, a.port) != ("127.0.0.1", PORT)
               and (a.host, a.port, a.proto, a.call) != IPV6_PROBE]
    assert not outside, [(a, run.programs.get(a.pid)) for a in outside]
    to_portal = {run.programs.get(a.pid, "?").split()[0] for a in run.attempts if a.port == PORT}
    assert {"xxgk", "chromium"} <= to_portal, "both the crawler and the browser were traced"
