"""End to end: the real spiders crawl every simulated portal; archive and database hold all they served."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from support import BACKENDS, BIN, SHARED_REGISTRY, SITES, Store, new_store, query, shared_portal
from warcio.archiveiterator import ArchiveIterator

from crawler.simulator import SimulatedPortals

REPO = Path(__file__).resolve().parent.parent


def xxgk(*args: str, timeout: int = 300, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def crawl(simulated: SimulatedPortals, store: Store) -> subprocess.CompletedProcess:
    bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
    return xxgk("crawl", *SITES, *store.args, *bases)


@pytest.fixture(scope="module")
def simulated():
    with SimulatedPortals() as portals:
        yield portals


@pytest.fixture(scope="module", params=BACKENDS)
def crawled(simulated, tmp_path_factory, request):
    store = new_store(request.param, tmp_path_factory.mktemp("data"), request)
    before = {site: len(portal.sent) for site, portal in simulated.portals.items()}
    result = crawl(simulated, store)
    assert result.returncode == 0, result.stdout + result.stderr
    # what the portals sent this crawl (the portals serve each backend's crawls in turn)
    sent = [entry for site, portal in simulated.portals.items() for entry in list(portal.sent)[before[site]:]]
    return store, result, sent


def warc_responses(data_dir: Path) -> list[dict]:
    found = []
    for path in sorted((data_dir / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    found.append({
                        "url": record.rec_headers.get_header("WARC-Target-URI"),
                        "status": int(record.http_headers.get_statuscode()),
                        "body": record.raw_stream.read(),
                    })
    return found


def test_summary_table_lists_every_site(crawled):
    store, result, _ = crawled
    for site in SITES:
        assert re.search(rf"^{site}\s+ok\s+[1-9]\d*\s+[1-9]\d*", result.stdout, re.M), result.stdout
    shown = store.data_dir / "xxgk.sqlite" if store.backend == "sqlite" else store.server_url
    assert f"database: {shown}" in result.stdout and "warc" in result.stdout


def test_json_is_stored_as_readable_utf8(crawled):
    """The raw text of every JSON column (what Datasette and psql show) has no \\u escapes, and those holding
    titles and text show Chinese characters."""
    store, *_ = crawled
    cast = "::text" if store.backend == "postgresql" else ""
    chinese = {("events", "details"), ("versions", "fields"), ("listings", "entries"), ("documents", "sections")}
    for table, column in (*chinese, ("crawls", "summary"), ("documents", "checks"), ("documents", "attachment_urls"),
                          ("attachments", "checks")):
        texts = [text for (text,) in query(store, f"SELECT {column}{cast} FROM {table} WHERE {column} IS NOT NULL")]
        assert texts, f"{table}.{column} is stored"
        assert not [text for text in texts if "\\u" in text], f"{table}.{column} holds \\u escapes"
        if (table, column) in chinese:
            assert any(re.search(r"[\u4e00-\u9fff]", text) for text in texts), f"{table}.{column}: no Chinese text"


def test_no_browser_is_started_when_no_page_needs_one(crawled):
    store, *_ = crawled
    log = sorted((store.data_dir / "logs").glob("crawl-*.log"))[0]
    text = log.read_text(encoding="utf-8")
    assert "Spider opened" in text and "Starting download handler" not in text, "Playwright starts lazily"


def test_every_report_page_and_attachment_is_stored_with_its_capture(crawled, simulated):
    store, *_ = crawled
    for site in SITES:
        portal = simulated.portals[site]
        documents = {row["url"]: row for row in query(store, "SELECT * FROM documents WHERE site = ?", site)}
        assert set(portal.report_urls) <= set(documents), f"{site}: missing {set(portal.report_urls) - set(documents)}"
        attachments = {row["url"] for row in query(store, "SELECT url FROM attachments WHERE site = ?", site)}
        assert set(portal.attachment_urls) <= attachments
        for url in portal.report_urls:
            capture = query(store, "SELECT * FROM captures WHERE id = ?", documents[url]["capture_id"])[0]
            assert capture["url"] == url and capture["status"] == 200
            assert (store.data_dir / "warc" / capture["warc_file"]).exists()


def test_capture_offsets_point_at_the_response_record(crawled):
    store, *_ = crawled
    for capture in query(store, "SELECT * FROM captures"):
        with open(store.data_dir / "warc" / capture["warc_file"], "rb") as stream:
            stream.seek(capture["warc_offset"])
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == capture["url"]
            assert record.rec_headers.get_header("WARC-Record-ID") == capture["record_id"]


def test_extracted_fields_match_what_each_page_shows(crawled, simulated):
    store, *_ = crawled
    checked = 0
    for site in SITES:
        for url, report in simulated.portals[site].reports.items():
            rows = query(store, "SELECT * FROM documents WHERE url = ?", url)
            if not report.expected or not rows:
                continue
            row = rows[0]
            for key, value in report.expected.items():
                if key == "text":
                    assert re.sub(r"\s+", "", row["text"] or "") == re.sub(r"\s+", "", value), url
                elif key in row.keys():
                    assert row[key] == value, f"{url} {key}: {row[key]!r} != {value!r}"
            checked += 1
    assert checked >= 5, "the seed pages at least are checked field by field"


def test_every_response_sent_is_archived_with_the_same_bytes(crawled, simulated):
    store, *_ = crawled
    archived = {}
    for response in warc_responses(store.data_dir):
        archived.setdefault(response["url"], []).append(response)
    sent = crawled[2]
    assert sent
    for entry in sent:
        matches = archived.get(entry["url"], [])
        assert any(m["status"] == entry["status"] and m["body"] == entry["body"] for m in matches), entry["url"]


def test_warc_files_are_closed_and_pass_warcio_check(crawled):
    data_dir = crawled[0].data_dir
    files = list((data_dir / "warc").glob("*.warc.gz"))
    assert files and not list((data_dir / "warc").glob("*.open"))
    result = subprocess.run([str(BIN / "warcio"), "check", *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_crawling_again_does_not_duplicate_documents(crawled, simulated):
    store, *_ = crawled
    before = query(store, "SELECT COUNT(*) AS n FROM documents")[0]["n"]
    captures_before = query(store, "SELECT COUNT(*) AS n FROM captures")[0]["n"]
    result = crawl(simulated, store)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(store, "SELECT COUNT(*) AS n FROM documents")[0]["n"] == before
    assert query(store, "SELECT COUNT(*) AS n FROM captures")[0]["n"] > captures_before
    crawls = query(store, "SELECT site, status, summary FROM crawls WHERE finished_at IS NOT NULL")
    assert len(crawls) == 2 * len(SITES) and {row["status"] for row in crawls} == {"ok"}
    assert all(json.loads(row["summary"])["reports"] > 0 for row in crawls)


def test_scrapy_list_and_scrapy_crawl_work(simulated, store):
    listed = subprocess.run([str(BIN / "scrapy"), "list"], cwd=REPO, capture_output=True, text=True)
    assert set(SITES) <= set(listed.stdout.split()), listed.stderr
    bases = json.dumps({"panjin": simulated.base_urls["panjin"]})
    result = subprocess.run(
        [str(BIN / "scrapy"), "crawl", "panjin", "-s", f"XXGK_BASE_URLS={bases}", "-s",
         f"XXGK_DATA_DIR={store.data_dir}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0"],
        cwd=REPO, capture_output=True, text=True, timeout=300, env=store.environment(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = query(store, "SELECT COUNT(*) AS n FROM documents WHERE site = 'panjin'")
    assert rows[0]["n"] >= len(simulated.portals["panjin"].report_urls)


@pytest.mark.parametrize("args, message", [
    (("crawl", "atlantis"), "unknown site 'atlantis'"),
    (("crawl",), "name at least one SITE"),
    (("extract", "/nonexistent/page.html"), "/nonexistent/page.html"),
    (("crawl", "panjin", "--base-url", "pajin=http://127.0.0.1:9"), "unknown site 'pajin'"),
    (("column", "nosuch", "--at", "2024-01-01"), "unknown site 'nosuch'"),
])
def test_bad_input_gets_one_line_error_and_nonzero_exit(args, message, tmp_path):
    result = xxgk(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_every_rotated_warc_is_indexed_by_the_background_workers(tmp_path):
    """WARC files closed by rotation mid-crawl are indexed in worker processes; the crawl ends once all are."""
    from archive.index import index_warc

    with SimulatedPortals(sites=["yanji"]) as simulated:
        result = xxgk("crawl", "yanji", "--data-dir", str(tmp_path), f"--base-url=yanji={simulated.base_urls['yanji']}",
                      "-s", "XXGK_WARC_MAX_SIZE=20000")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert len(warcs) > 3, "the small size limit rotates the WARC file several times"
    for warc in warcs:
        written = (tmp_path / "indexes" / f"{warc.name}.cdxj").read_text()
        assert written and written == index_warc(warc).read_text(), warc.name


def test_processes_share_the_sites_out_and_all_end(store):
    """`--processes 2`: each site crawled in its own process (WARC names carry the pid), every file indexed, and
    the command returns (a worker pool left running inside a shard once kept it from exiting). Both processes
    meet a new, empty database and create its schema at once: the migration lock makes them take turns."""
    tmp_path = store.data_dir
    with SimulatedPortals(sites=["yanji", "panjin"]) as simulated:
        bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
        result = xxgk("crawl", "yanji", "panjin", "--processes", "2", *store.args, *bases, timeout=180)
        reports = {site: set(portal.report_urls) for site, portal in simulated.portals.items()}
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    stored = {site: {url for (url,) in query(store, "SELECT url FROM documents WHERE site = ?", site)}
              for site in reports}
    assert all(reports[site] <= stored[site] for site in reports)
    warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert len({path.name.rsplit("-", 1)[1].split("~")[0] for path in warcs}) == 2, [p.name for p in warcs]
    assert all((tmp_path / "indexes" / f"{path.name}.cdxj").stat().st_size for path in warcs)


PER_SITE = 2  # CONCURRENT_REQUESTS_PER_DOMAIN of the crawls below


def crawl_shared_host(store: Store, tmp_path: Path, *options: str, latency=(0.01, 0.05), stop_at: int = 0):
    """`xxgk crawl` of the two registry sites of one portal host (support.SHARED_REGISTRY); SIGINT when the host
    has answered `stop_at` requests (0: never). The portal, and the command's result."""
    import signal
    import time

    portal = shared_portal()
    portal.latency = latency
    portal.start()
    registry = tmp_path / "sites.toml"
    registry.write_text(SHARED_REGISTRY.format(city="shared_city", department="shared_rsj", base_url=portal.base_url),
                        encoding="utf-8")
    try:
        command = [str(BIN / "xxgk"), "crawl", "shared_city", "shared_rsj", *options, *store.args,
                   "--set", f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_SITE}", "--set", "DOWNLOAD_DELAY=0.01"]
        running = subprocess.Popen(command, env={**store.environment(), "XXGK_REGISTRY": str(registry)},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while stop_at and len(portal.sent) < stop_at and running.poll() is None:
            time.sleep(0.05)
        if stop_at:
            running.send_signal(signal.SIGINT)
        stdout, stderr = running.communicate(timeout=180)
    finally:
        portal.stop()
    return portal, subprocess.CompletedProcess(command, running.returncode, stdout, stderr)


@pytest.mark.parametrize("processes", ["1", "2"])
def test_sites_of_one_portal_host_are_crawled_in_turn(store, tmp_path, processes):
    """Two registry sites on one host (a city's column and a department's, as 延吉市's portal hosts its bureaus'),
    crawled in one process or dealt to two: one after the other. Both used to start at once: on SQLite (a lock
    per site) the host saw both crawls' requests together; on PostgreSQL the second was skipped, its host's
    lease held."""
    portal, result = crawl_shared_host(store, tmp_path, "--processes", processes)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert 1 <= portal.peak <= PER_SITE, f"the host saw {portal.peak} requests at once"
    crawls = query(store, "SELECT site, status, started_at, finished_at FROM crawls ORDER BY started_at")
    assert [(row[0], row[1]) for row in crawls] == [("shared_city", "ok"), ("shared_rsj", "ok")]
    assert crawls[0][3] <= crawls[1][2], "the second crawl of the host began after the first ended"
    stored = {url for (url,) in query(store, "SELECT url FROM documents")}
    assert set(portal.report_urls) <= stored


def test_a_stopped_run_starts_no_next_turn(tmp_path):
    """Ctrl-C during the first site of a host: the crawl closes, and the site waiting for its turn is not started
    (the reactor's end would cut it off half-begun) but said not crawled."""
    store = Store(tmp_path)
    portal, result = crawl_shared_host(store, tmp_path, latency=(0.2, 0.3), stop_at=3)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert "shared_rsj: not crawled: the run stopped before its turn" in result.stdout, result.stdout
    assert [tuple(row) for row in query(store, "SELECT site FROM crawls")] == [("shared_city",)]
