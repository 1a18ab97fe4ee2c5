"""Replay through a real pywb: what the crawl archived comes back byte for byte, listed by the CDX API and TimeMap."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from support import query
from warcio.archiveiterator import ArchiveIterator

from archive.replay import ReplayError, replay_python
from crawler.simulator import SimulatedPortals

BIN = Path(sys.executable).parent
SITES = ("panjin", "mingguang", "yanji", "zhangxian")
READY = re.compile(r"xxgk replay: http://([\d.]+):(\d+)/xxgk/")
STARTUP_SECONDS = 60
# pywb's DefaultHeaderRewriter renames these to X-Archive-Orig-<Name> even in id_ (raw) mode.
PREFIXED = {
    "age", "alt-svc", "cache-control", "connection", "content-md5", "content-security-policy",
    "content-security-policy-report-only", "date", "etag", "expires", "last-modified", "p3p", "pragma",
    "public-key-pins", "retry-after", "server", "status", "strict-transport-security", "trailer", "tk",
    "transfer-encoding", "upgrade", "upgrade-insecure-requests", "vary", "via", "warning", "x-frame-options",
    "x-xss-protection",
}
# ...and these too when it decodes the body (a client that did not send Accept-Encoding: gzip).
PREFIXED_WHEN_DECODED = {"content-encoding", "content-length"}


def xxgk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The four simulated portals crawled once into a fresh data directory."""
    directory = tmp_path_factory.mktemp("replay-data")
    with SimulatedPortals() as simulated:
        bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
        result = xxgk("crawl", *SITES, "--data-dir", str(directory), *bases)
    assert result.returncode == 0, result.stdout + result.stderr
    return directory


def start_replay(data_dir: Path, log: Path) -> tuple[subprocess.Popen, int]:
    """Start `xxgk replay --port 0` and wait until pywb answers; return the process and its port."""
    try:
        replay_python()
    except ReplayError as exc:
        pytest.fail(f"{exc} (the replay tests need pywb)")
    with open(log, "wb") as output:  # a file, not a pipe: pywb's access log must never block on a full pipe
        # SIGINT as a terminal leaves it: a test run started in the background (`pytest &`) ignores it, and an
        # ignored SIGINT is inherited, so Ctrl-C would not reach the server.
        process = subprocess.Popen([str(BIN / "xxgk"), "replay", "--port", "0", "--data-dir", str(data_dir)],
                                   stdout=output, stderr=subprocess.STDOUT,
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        found = READY.search(log.read_text(errors="replace"))
        if found and answers(int(found.group(2))):
            return process, int(found.group(2))
        time.sleep(0.2)
    stop(process)
    pytest.fail(f"xxgk replay did not start:\n{log.read_text(errors='replace')[-3000:]}")


def answers(port: int) -> bool:
    try:
        status, _, _ = fetch(port, "/xxgk/cdx?url=http://example.invalid/&output=json")
    except OSError:
        return False
    return status == 200


def stop(process: subprocess.Popen) -> int:
    """Stop `xxgk replay` as Ctrl-C would; kill it if it does not go."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@pytest.fixture(scope="module")
def server(data_dir, tmp_path_factory) -> Iterator[int]:
    """A running `xxgk replay` on a free loopback port, stopped when the module ends (also on failure)."""
    process, port = start_replay(data_dir, tmp_path_factory.mktemp("replay-log") / "replay.log")
    try:
        yield port
    finally:
        stop(process)


def fetch(port: int, path: str, method: str = "GET", body: bytes | None = None,
          headers: dict | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request to the replay server, redirects not followed, bodies not decoded."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()



def stored(data_dir: Path, warc_file: str, offset: int) -> dict:
    """The response record at `offset`: date, status, headers and payload exactly as stored."""
    with open(data_dir / "warc" / warc_file, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return {
            "date": record.rec_headers.get_header("WARC-Date"),
            "status": int(record.http_headers.get_statuscode()),
            "headers": list(record.http_headers.headers),
            "payload": record.raw_stream.read(),
        }


def captured(data_dir: Path, kind: str) -> list[dict]:
    """Every capture of one kind (document, attachment) with its stored record."""
    rows = query(data_dir, "SELECT * FROM captures WHERE kind = ? AND warc_file IS NOT NULL ORDER BY id", kind)
    return [{**dict(row), **stored(data_dir, row["warc_file"], row["warc_offset"])} for row in rows]


def report_pages(data_dir: Path) -> list[dict]:
    """The latest capture of every report page, with its title."""
    rows = query(data_dir, "SELECT d.title, c.* FROM documents d JOIN captures c ON c.id = d.capture_id")
    assert rows, "the crawl stored report pages"
    return [{**dict(row), **stored(data_dir, row["warc_file"], row["warc_offset"])} for row in rows]


def timestamp(warc_date: str) -> str:
    """The 14-digit CDX timestamp of a WARC-Date."""
    return re.sub(r"\D", "", warc_date)[:14]


def replay_path(record: dict, modifier: str) -> str:
    return f"/xxgk/{timestamp(record['date'])}{modifier}/{record['url']}"


def replayed_headers(headers: list[tuple[str, str]], decoded: bool) -> list[tuple[str, str]]:
    """The archived headers as pywb sends them: some renamed X-Archive-Orig-<Name>, values untouched."""
    renamed = PREFIXED | (PREFIXED_WHEN_DECODED if decoded else set())
    return [(f"X-Archive-Orig-{name}" if name.lower() in renamed else name, value) for name, value in headers]


def assert_headers_replayed(record: dict, sent: list[tuple[str, str]], decoded: bool) -> None:
    received = [(name.lower(), value) for name, value in sent]
    for name, value in replayed_headers(record["headers"], decoded):
        assert (name.lower(), value) in received, f"{record['url']}: {name}: {value!r} not in {sent}"


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name.lower()), None)


def test_id_returns_each_report_page_with_its_archived_status_headers_and_bytes(data_dir, server):
    pages = report_pages(data_dir)
    for page in pages:
        status, headers, body = fetch(server, replay_path(page, "id_"), headers={"Accept-Encoding": "gzip"})
        assert status == page["status"] == 200, page["url"]
        assert body == page["payload"], f"{page['url']}: replayed body differs from the WARC record's payload"
        assert_headers_replayed(page, headers, decoded=False)
        memento = format_datetime(datetime.fromisoformat(page["date"].replace("Z", "+00:00")), usegmt=True)
        assert header(headers, "Memento-Datetime") == memento
    assert any(header(page["headers"], "Content-Encoding") == "gzip" for page in pages), "gzip pages are covered"


def test_id_decodes_gzip_for_clients_that_do_not_accept_it(data_dir, server):
    gzipped = [page for page in report_pages(data_dir) if header(page["headers"], "Content-Encoding") == "gzip"]
    assert gzipped
    for page in gzipped:
        status, headers, body = fetch(server, replay_path(page, "id_"), headers={"Accept-Encoding": "identity"})
        assert status == 200 and body == gzip.decompress(page["payload"]), page["url"]
        assert header(headers, "Content-Encoding") is None
        assert header(headers, "X-Archive-Orig-Content-Encoding") == "gzip"
        assert_headers_replayed(page, headers, decoded=True)


def test_attachments_replay_with_raw_gbk_file_names(data_dir, server):
    attachments = captured(data_dir, "attachment")
    assert attachments
    gbk_names = 0
    for attachment in attachments:
        status, headers, body = fetch(server, replay_path(attachment, "id_"), headers={"Accept-Encoding": "gzip"})
        assert (status, body) == (attachment["status"], attachment["payload"]), attachment["url"]
        assert_headers_replayed(attachment, headers, decoded=False)
        disposition = header(headers, "Content-Disposition") or ""
        if "年".encode("gbk") in disposition.encode("latin-1"):
            gbk_names += 1
    assert gbk_names, "some attachment names are raw GBK bytes, replayed unchanged"


def test_mp_returns_the_rewritten_page_with_its_title(data_dir, server):
    for page in report_pages(data_dir):
        status, headers, body = fetch(server, replay_path(page, "mp_"), headers={"Accept-Encoding": "identity"})
        assert status == 200, page["url"]
        charset = re.search(r"charset=([\w-]+)", header(headers, "Content-Type") or "", re.I)
        html = body.decode(charset.group(1) if charset else "utf-8")
        assert page["title"] in html, page["url"]
        assert f'wbinfo.url = "{page["url"]}"' in html, "pywb inserted its replay script"


def test_cdx_api_lists_each_capture_with_its_digest_and_location(data_dir, server):
    for page in report_pages(data_dir):
        status, _, body = fetch(server, f"/xxgk/cdx?url={quote(page['url'], safe='')}&output=json")
        assert status == 200
        lines = [json.loads(line) for line in body.decode().splitlines()]
        match = [line for line in lines if line["timestamp"] == timestamp(page["date"])]
        assert match, f"{page['url']}: {lines}"
        assert match[0]["digest"] == page["digest"]
        assert match[0]["status"] == str(page["status"])
        assert (match[0]["filename"], int(match[0]["offset"])) == (page["warc_file"], page["warc_offset"])


def test_timemap_lists_the_memento(data_dir, server):
    for page in report_pages(data_dir):
        status, headers, body = fetch(server, f"/xxgk/timemap/link/{page['url']}")
        assert status == 200 and header(headers, "Content-Type") == "application/link-format"
        memento = f"/xxgk/{timestamp(page['date'])}mp_/{page['url']}>; rel=\"memento\""
        assert memento in body.decode(), body.decode()


def test_redirects_and_error_answers_replay_as_archived(data_dir, server):
    answers = [r for r in all_responses(data_dir) if r["status"] >= 300]
    assert {r["status"] // 100 for r in answers} >= {3, 4}, "the simulated portals redirect and have a dead link"
    for record in answers:
        status, headers, body = fetch(server, replay_path(record, "id_"), headers={"Accept-Encoding": "gzip"})
        assert (status, body) == (record["status"], record["payload"]), record["url"]
        assert header(headers, "Location") == header(record["headers"], "Location"), "id_ leaves Location alone"


def test_post_requests_replay_when_posted_with_the_archived_body(data_dir, server):
    posts = [r for r in all_responses(data_dir) if r["method"] == "POST"]
    assert posts, "the Hanweb portal's dataproxy.jsp is POSTed"
    for record in posts:
        status, _, body = fetch(server, replay_path(record, "id_"), method="POST", body=record["request_body"],
                                headers={"Content-Type": record["request_type"], "Accept-Encoding": "gzip"})
        assert (status, body) == (record["status"], record["payload"]), record["url"]


def all_responses(data_dir: Path) -> list[dict]:
    """Every response record with its request's method and body (pairs are adjacent, request second)."""
    found, requests = [], {}
    for path in sorted((data_dir / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    found.append({
                        "id": record.rec_headers.get_header("WARC-Record-ID"),
                        "url": record.rec_headers.get_header("WARC-Target-URI"),
                        "date": record.rec_headers.get_header("WARC-Date"),
                        "status": int(record.http_headers.get_statuscode()),
                        "headers": list(record.http_headers.headers),
                        "payload": record.raw_stream.read(),
                    })
                elif record.rec_type == "request":  # warcio puts a request line's method in `protocol`
                    requests[record.rec_headers.get_header("WARC-Concurrent-To")] = (
                        record.http_headers.protocol, record.http_headers.get_header("Content-Type") or "",
                        record.raw_stream.read(),
                    )
    for response in found:
        method, content_type, body = requests.get(response["id"], ("GET", "", b""))
        response.update(method=method, request_type=content_type, request_body=body)
    return found


def test_replay_without_pywb_environment_says_how_to_get_one(data_dir):
    env = {**os.environ, "XXGK_REPLAY_PYTHON": "/nonexistent/python"}
    result = xxgk("replay", "--data-dir", str(data_dir), env=env)
    assert result.returncode != 0
    assert "XXGK_REPLAY_PYTHON=/nonexistent/python" in result.stderr and "Traceback" not in result.stderr
    env["XXGK_REPLAY_PYTHON"] = sys.executable  # a Python without pywb
    result = xxgk("replay", "--port", "0", "--data-dir", str(data_dir), env=env)
    assert result.returncode != 0 and "make replay-env" in result.stderr, result.stderr


@pytest.mark.parametrize("command", ["replay", "index"])
def test_commands_on_a_directory_without_warcs_fail_in_one_line(command, tmp_path):
    result = xxgk(command, "--data-dir", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert "no WARC directory" in result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_stops_the_server_and_pywb_with_it(data_dir, tmp_path):
    process, port = start_replay(data_dir, tmp_path / "replay.log")
    assert stop(process) == 0
    with pytest.raises(OSError):
        fetch(port, "/xxgk/cdx?url=http://example.invalid/")


def test_index_salvages_a_torn_open_file_and_reindexes(data_dir, tmp_path):
    source = sorted((data_dir / "warc").glob("*.warc.gz"))[0]
    (tmp_path / "warc").mkdir()
    torn = tmp_path / "warc" / (source.name + ".open")  # its writer (the finished crawl) is gone
    torn.write_bytes(source.read_bytes() + gzip.compress(b"WARC/1.1\r\n" + os.urandom(5000))[:100])
    result = xxgk("index", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"salvaged {source.name}:" in result.stdout and "100 torn bytes cut" in result.stdout
    assert (tmp_path / "warc" / source.name).read_bytes() == source.read_bytes()
    index = tmp_path / "indexes" / f"{source.name}.cdxj"
    assert index.read_text() == (data_dir / "indexes" / f"{source.name}.cdxj").read_text()
    records = index.read_text().count("\n")
    assert f"indexed 1 WARC files ({records} records)" in result.stdout


ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def test_a_browser_sees_the_replayed_script_built_column_with_its_titles_styled(data_dir, server):
    """The Hanweb column's list is built by jpage.js from the page's datastore: replay must serve the scripts too."""
    from playwright.sync_api import sync_playwright

    [column] = query(data_dir, "SELECT l.url, l.entries, c.fetched_at FROM listings l JOIN captures c "
                               "ON c.id = l.capture_id WHERE l.site = 'zhangxian' AND l.page = 1")
    titles = [entry["title"] for entry in json.loads(column["entries"])][:3]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            # The address a person opens: pywb's frame around the replayed page (`mp_`) in an iframe.
            page.goto(f"http://127.0.0.1:{server}/xxgk/{timestamp(column['fetched_at'])}/{column['url']}")
            links = page.frame_locator("#replay_iframe").locator("ul.jpage-list li a")
            links.first.wait_for(timeout=30_000)
            shown = links.all_text_contents()
            color = links.first.evaluate("link => getComputedStyle(link).color")
            page.screenshot(path=str(ARTIFACTS / "replay-zhangxian-column.png"), full_page=True)
        finally:
            browser.close()
    assert shown == titles, "the replayed list shows the archived records"
    assert color == "rgb(181, 18, 27)", "the archived stylesheet applies"
