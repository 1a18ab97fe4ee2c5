"""Archive fidelity: capture the fixture server and compare every record with the bytes it sent."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

sys.path.insert(0, str(Path(__file__).parent))
from fidelity import GBK_FILENAME, FidelityServer  # noqa: E402

BIN = Path(sys.executable).parent
# Documented in the warcinfo record: the HTTP client consumes chunked framing and its header before Scrapy
# sees the response, so the stored message has neither (were the header left, it would be X-Orig-…).
CONSUMED = {"transfer-encoding"}


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    with FidelityServer() as server:
        result = subprocess.run(
            [str(BIN / "xxgk"), "capture", f"{server.base}/", "--depth", "2", "--scope", "host", "--forms",
             "--data-dir", str(data_dir)],
            capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        records = []
        for path in sorted((data_dir / "warc").glob("*.warc.gz")):
            with open(path, "rb") as stream:
                for record in ArchiveIterator(stream):
                    records.append({
                        "type": record.rec_type, "warc": record.rec_headers, "http": record.http_headers,
                        "body": record.raw_stream.read(), "file": path,
                    })
        yield server, data_dir, records


def responses_for(records: list[dict], url: str) -> list[dict]:
    return [r for r in records if r["type"] == "response" and r["warc"].get_header("WARC-Target-URI") == url]


def test_every_response_sent_is_archived_with_status_headers_and_body(captured):
    server, _, records = captured
    assert len(server.sent) >= 15
    for sent in server.sent:
        found = responses_for(records, sent["url"])
        assert found, f"not archived: {sent['url']}"
        record = found[0]
        assert int(record["http"].get_statuscode()) == sent["status"], sent["url"]
        assert record["body"] == sent["body"], sent["url"]
        stored = [(name.lower(), value) for name, value in record["http"].headers]
        for name, value in sent["headers"]:
            if name.lower() in CONSUMED:
                assert name.lower() not in dict(stored), (sent["url"], name)
            else:
                assert (name.lower(), value) in stored, (sent["url"], name, value)


def test_the_awkward_cases_are_all_there(captured):
    server, _, records = captured
    urls = {sent["url"] for sent in server.sent}
    statuses = {sent["url"].removeprefix(server.base): sent["status"] for sent in server.sent}
    assert statuses["/index.html"] == 301 and statuses["/chain/1"] == 302 and statuses["/chain/2"] == 301
    assert f"{server.secure_base}/secure/page.html" in urls, "the http→https hop was followed"
    assert f"{server.base}/chain/end?x=1&y=%E5%B9%B4" in urls
    assert any("%E6%8A%A5%E5%91%8A" in url for url in urls), "the non-ASCII path"
    [root] = responses_for(records, f"{server.base}/")
    assert root["http"].get_header("Content-Encoding") == "gzip" and root["body"][:2] == b"\x1f\x8b"
    cookies = [value for name, value in root["http"].headers if name.lower() == "set-cookie"]
    assert cookies == ["a=1; Path=/", "b=2; Path=/; HttpOnly"]
    assert root["http"].get_header("ETag") == '"idx-1"'
    [pdf] = responses_for(records, f"{server.base}/files/report.pdf")
    assert len(pdf["body"]) > 3_000_000
    assert GBK_FILENAME in pdf["http"].get_header("Content-Disposition").encode("latin-1")


def test_requests_are_archived_as_sent(captured):
    server, _, records = captured
    requests = {r["warc"].get_header("WARC-Target-URI"): r for r in records if r["type"] == "request"}
    [post] = [s for s in server.sent if s["method"] == "POST"]
    record = requests[post["url"]]
    assert record["http"].protocol == "POST" and record["http"].statusline == "/search/result HTTP/1.1"
    assert record["body"] == post["request_body"] and b"q=" in record["body"]
    chain_end = requests[f"{server.base}/chain/end?x=1&y=%E5%B9%B4"]
    assert chain_end["http"].statusline == "/chain/end?x=1&y=%E5%B9%B4 HTTP/1.1"
    assert chain_end["http"].get_header("Host") == server.base.removeprefix("http://")
    assert "gzip" in chain_end["http"].get_header("Accept-Encoding")
    by_id = {r["warc"].get_header("WARC-Record-ID"): r for r in records}
    for request in requests.values():
        response = by_id[request["warc"].get_header("WARC-Concurrent-To")]
        assert response["warc"].get_header("WARC-Target-URI") == request["warc"].get_header("WARC-Target-URI")
        assert response["file"] == request["file"], "a pair never spans two files"


def test_warc_fields_digests_and_ip(captured):
    server, data_dir, records = captured
    files = sorted({r["file"] for r in records})
    result = subprocess.run([str(BIN / "warcio"), "check", "-v", *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0 and "digest fail" not in result.stdout, result.stdout
    info = next(r for r in records if r["type"] == "warcinfo")
    assert b"simplified HTTP/1.1" in info["body"] and b"xxgk/" in info["body"]
    for record in records:
        if record["type"] == "response":
            assert record["warc"].get_header("WARC-IP-Address") == "127.0.0.1"
            assert record["warc"].get_header("WARC-Payload-Digest").startswith("sha1:")


def test_page_metadata_requisites_index_and_database(captured):
    server, data_dir, records = captured
    [meta] = [r for r in records if r["type"] == "metadata" and r["warc"].get_header("WARC-Target-URI") == f"{server.base}/"]
    assert f"outlink: {server.base}/chunked.html L a/@href".encode() in meta["body"]
    assert f"outlink: {server.base}/style.css E embed".encode() in meta["body"]
    assert b"hopsFromSeed: \r\n" in meta["body"]
    assert responses_for(records, f"{server.base}/style.css"), "the stylesheet was fetched as a requisite"
    index = "".join(path.read_text() for path in (data_dir / "indexes").glob("*.cdxj"))
    for sent in server.sent:
        assert f'"url": "{sent["url"]}"' in index, sent["url"]
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        [(name,)] = conn.execute("SELECT filename FROM attachments WHERE url LIKE '%report.pdf'").fetchall()
    assert name == GBK_FILENAME.decode("gbk")


def test_replay_through_pywb_gives_back_what_the_server_sent(captured, tmp_path):
    from test_replay import PREFIXED, fetch, start_replay, stop, timestamp

    server, data_dir, records = captured
    process, port = start_replay(data_dir, tmp_path / "replay.log")
    try:
        for sent in server.sent:
            if sent["method"] != "GET":
                continue  # POST captures replay only for the same POSTed body (covered in test_replay)
            [record] = responses_for(records, sent["url"])[:1]
            path = f"/xxgk/{timestamp(record['warc'].get_header('WARC-Date'))}id_/{sent['url']}"
            status, headers, body = fetch(port, path, headers={"Accept-Encoding": "gzip"})
            assert status == sent["status"], sent["url"]
            assert body == sent["body"], sent["url"]
            replayed = [(name.lower(), value) for name, value in headers]
            for name, value in sent["headers"]:
                if name.lower() in CONSUMED:
                    continue
                # pywb's documented rename of some headers in id_ mode; values are untouched
                expected = f"x-archive-orig-{name.lower()}" if name.lower() in PREFIXED else name.lower()
                assert (expected, value) in replayed, (sent["url"], name, value, headers)
    finally:
        stop(process)
