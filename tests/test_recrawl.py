"""Recrawling unchanged portals: list pages refetched, report pages and files asked conditionally, unchanged
payloads written as revisits that replay in pywb, and almost nothing added to the archive."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from email.message import Message
from pathlib import Path

import pytest
from support import BACKENDS, Store, new_store, query
from warcio.archiveiterator import ArchiveIterator

from crawler.simulator import SimulatedPortals
from crawler.simulator.server import not_modified
from tests.test_replay import fetch, start_replay, stop, timestamp

BIN = Path(sys.executable).parent
SITES = ("panjin", "mingguang", "yanji", "zhangxian")
PDF_KB = 256  # report-sized PDFs: real annual reports weigh hundreds of KB, the simulator's few KB
PROFILE = "http://netpreserve.org/warc/1.1/revisit/"


def xxgk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=300)


def crawl(simulated: SimulatedPortals, store: Store) -> subprocess.CompletedProcess:
    bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
    result = xxgk("crawl", *SITES, *store.args, *bases)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return result


def records(files) -> list[dict]:
    found = []
    for path in sorted(files):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                found.append({"type": record.rec_type, "warc": dict(record.rec_headers.headers),
                              "http": record.http_headers, "body": record.content_stream().read(),
                              "file": path.name})
    return found



@pytest.fixture(scope="module", params=BACKENDS)
def recrawled(tmp_path_factory, request):
    """The four portals (report-sized PDFs) crawled, then crawled again unchanged."""
    store = new_store(request.param, tmp_path_factory.mktemp("recrawl"), request)
    data_dir = store.data_dir
    with SimulatedPortals(pdf_kb=PDF_KB) as simulated:
        crawl(simulated, store)
        first = set((data_dir / "warc").glob("*.warc.gz"))
        sent_before = {name: len(portal.sent) for name, portal in simulated.portals.items()}
        crawl(simulated, store)
        sent = {name: list(portal.sent)[sent_before[name]:] for name, portal in simulated.portals.items()}
        first_sent = {name: list(portal.sent)[:sent_before[name]] for name, portal in simulated.portals.items()}
        report_urls = {url for portal in simulated.portals.values() for url in portal.report_urls}
        attachment_urls = {url for portal in simulated.portals.values() for url in portal.attachment_urls}
    again = set((data_dir / "warc").glob("*.warc.gz")) - first
    return {"dir": store, "first": first, "again": again, "sent": sent, "first_sent": first_sent,
            "reports": report_urls, "attachments": attachment_urls}


def test_recrawl_adds_at_most_five_percent_of_the_first_crawls_bytes(recrawled):
    first = sum(path.stat().st_size for path in recrawled["first"])
    again = sum(path.stat().st_size for path in recrawled["again"])
    assert recrawled["again"], "the recrawl wrote its own WARC files"
    assert again <= 0.05 * first, f"recrawl added {again} bytes, {again / first:.1%} of the first crawl's {first}"


def test_no_unchanged_payload_is_archived_twice(recrawled):
    written = records(recrawled["again"])
    full = [r for r in written if r["type"] == "response" and r["http"].get_statuscode() == "200"]
    # POST answers (Hanweb's dataproxy.jsp) are keyed by their form too, so only GETs must all be revisits
    requests = {r["warc"]["WARC-Concurrent-To"]: r for r in written if r["type"] == "request"}
    gets = [r for r in full if requests[r["warc"]["WARC-Record-ID"]]["http"].protocol == "GET"]
    assert not gets, [r["warc"]["WARC-Target-URI"] for r in gets]
    assert not [r for r in written if r["type"] == "metadata"], "a revisit's outlinks are its original's"


def test_report_pages_and_attachments_are_asked_conditionally_and_answered_304(recrawled):
    sent = [entry for entries in recrawled["sent"].values() for entry in entries]
    not_modified_urls = {entry["url"] for entry in sent if entry["status"] == 304}
    assert recrawled["reports"] <= not_modified_urls
    assert recrawled["attachments"] <= not_modified_urls
    assert all(entry["body"] == b"" for entry in sent if entry["status"] == 304)
    written = records(recrawled["again"])
    asked = {r["warc"]["WARC-Target-URI"]: r["http"] for r in written if r["type"] == "request"}
    etags = {entry["url"]: dict(entry["headers"])["ETag"] for entries in recrawled["first_sent"].values()
             for entry in entries if entry["url"] in recrawled["reports"]}
    for url, etag in etags.items():
        assert asked[url].get_header("If-None-Match") == etag, url
        assert asked[url].get_header("If-Modified-Since"), url


def test_list_pages_are_always_fetched_in_full(recrawled):
    sent = [entry for entries in recrawled["sent"].values() for entry in entries]
    lists = query(recrawled["dir"], "SELECT DISTINCT url FROM captures WHERE kind = 'list'")
    assert lists
    for row in lists:
        answers = [entry for entry in sent if entry["url"] == row["url"]]
        assert answers and all(entry["status"] == 200 and entry["body"] for entry in answers), row["url"]


def test_revisits_name_their_original(recrawled):
    originals = {r["warc"]["WARC-Record-ID"]: r for r in records(recrawled["first"]) if r["type"] == "response"}
    revisits = [r for r in records(recrawled["again"]) if r["type"] == "revisit"]
    profiles = {r["warc"]["WARC-Profile"] for r in revisits}
    assert profiles == {PROFILE + "server-not-modified", PROFILE + "identical-payload-digest"}
    for revisit in revisits:
        original = originals[revisit["warc"]["WARC-Refers-To"]]
        assert revisit["warc"]["WARC-Refers-To-Target-URI"] == original["warc"]["WARC-Target-URI"] \
            == revisit["warc"]["WARC-Target-URI"]
        assert revisit["warc"]["WARC-Refers-To-Date"] == original["warc"]["WARC-Date"]
        assert revisit["warc"]["WARC-Payload-Digest"] == original["warc"]["WARC-Payload-Digest"]
        assert revisit["body"] == b"", "a revisit holds the HTTP head only"
        assert revisit["http"].get_statuscode() == original["http"].get_statuscode() == "200"
    check = subprocess.run([str(BIN / "warcio"), "check", *map(str, recrawled["again"])], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_304_counts_as_seen_without_new_extraction(recrawled):
    data_dir = recrawled["dir"]
    crawls = query(data_dir, "SELECT id, summary FROM crawls ORDER BY id")
    assert len(crawls) == 2 * len(SITES)
    for row in crawls:
        summary = json.loads(row["summary"])
        assert summary["status"] == "ok" and summary["reports"] > 0, summary
    second = [row["id"] for row in crawls[len(SITES):]]
    marks = ",".join("?" * len(second))
    for url in recrawled["reports"]:
        document = query(data_dir, "SELECT * FROM documents WHERE url = ?", url)[0]
        captures = query(data_dir, "SELECT * FROM captures WHERE url = ? ORDER BY id", url)
        assert [c["status"] for c in captures] == [200, 304], url
        original, revisit = captures
        assert revisit["revisit"] == "server-not-modified" and revisit["refers_to"] == original["record_id"]
        assert revisit["crawl_id"] in second and revisit["kind"] == "document" and revisit["outcome"] == "ok"
        assert document["capture_id"] == original["id"], "the document still points at the capture it was read from"
        assert document["last_seen"] == revisit["fetched_at"] and document["first_seen"] == original["fetched_at"]
    cells = query(data_dir, f"SELECT COUNT(*) AS n FROM report_cells WHERE capture_id IN "
                            f"(SELECT id FROM captures WHERE crawl_id IN ({marks}))", *second)
    assert cells[0]["n"] == 0, "nothing was extracted again from an unchanged report"
    assert query(data_dir, "SELECT MAX(version) AS v FROM versions")[0]["v"] == 1
    assert not query(data_dir, f"SELECT * FROM events WHERE crawl_id IN ({marks})", *second)


def test_revisits_replay_the_original_body_in_pywb(recrawled, tmp_path):
    data_dir = recrawled["dir"]
    rows = query(data_dir, "SELECT c.url, c.fetched_at, c.revisit, o.warc_file, o.warc_offset FROM captures c "
                           "JOIN captures o ON o.record_id = c.refers_to WHERE c.revisit IS NOT NULL ORDER BY c.id")
    kinds = {row["revisit"] for row in rows}
    assert kinds == {"server-not-modified", "identical-payload-digest"}
    chosen = [next(row for row in rows if row["revisit"] == kind) for kind in sorted(kinds)]
    chosen += [row for row in rows if row["url"].endswith(".pdf")][:1]
    process, port = start_replay(data_dir.data_dir, tmp_path / "replay.log")
    try:
        for row in chosen:
            with open(data_dir.data_dir / "warc" / row["warc_file"], "rb") as stream:
                stream.seek(row["warc_offset"])
                original = next(iter(ArchiveIterator(stream))).raw_stream.read()
            path = f"/xxgk/{timestamp(row['fetched_at'])}id_/{row['url']}"
            status, headers, body = fetch(port, path, headers={"Accept-Encoding": "gzip"})
            assert status == 200 and body == original, (row["revisit"], row["url"])
            assert any(name.lower() == "memento-datetime" for name, _ in headers)
            cdx_status, _, cdx = fetch(port, f"/xxgk/cdx?url={row['url']}&output=json")
            lines = [json.loads(line) for line in cdx.decode().splitlines()]
            assert cdx_status == 200 and any(line["timestamp"] == timestamp(row["fetched_at"]) and
                                             line["mime"] == "warc/revisit" for line in lines), lines
    finally:
        stop(process)


def test_a_304_whose_archived_copy_is_gone_is_fetched_again(store):
    tmp_path = store.data_dir
    with SimulatedPortals(["panjin"]) as simulated:
        base = f"--base-url=panjin={simulated.base_urls['panjin']}"
        assert xxgk("crawl", "panjin", *store.args, base).returncode == 0
        for path in (tmp_path / "warc").glob("*.warc.gz"):
            path.unlink()
        result = xxgk("crawl", "panjin", *store.args, base)
        assert result.returncode == 0, result.stdout + result.stderr[-2000:]
        url = simulated.portals["panjin"].report_urls[0]
        assert [entry["status"] for entry in simulated.portals["panjin"].sent.for_url(url)] == [200, 304, 200]
    kept = records(set((tmp_path / "warc").glob("*.warc.gz")))
    responses = [r for r in kept if r["type"] == "response" and r["warc"]["WARC-Target-URI"] == url]
    assert [r["http"].get_statuscode() for r in responses] == ["304", "200"] and responses[1]["body"]
    assert not [r for r in kept if r["type"] == "revisit"], "no revisit may point into a deleted file"
    document = query(store, "SELECT c.status, c.revisit FROM documents d JOIN captures c ON c.id = d.capture_id "
                               "WHERE d.url = ?", url)
    assert [tuple(row) for row in document] == [(200, None)]


def test_simulated_portal_answers_conditional_requests(tmp_path):
    with SimulatedPortals(["panjin"]) as simulated:
        portal = simulated.portals["panjin"]
        url = portal.report_urls[0]
        path = url.removeprefix(portal.base_url)
        first = get(portal.base_url, path)
        assert first[0] == 200 and first[1]["ETag"] and first[1]["Last-Modified"]
        assert get(portal.base_url, path, {"If-None-Match": first[1]["ETag"]})[:1] == (304,)
        assert get(portal.base_url, path, {"If-Modified-Since": first[1]["Last-Modified"]})[:1] == (304,)
        assert get(portal.base_url, path, {"If-None-Match": '"other"'})[0] == 200
        list_page = get(portal.base_url, "/html/zfxxgknb/index.html")
        assert list_page[0] == 200 and "ETag" not in list_page[1], "list pages carry no validators"
        logged = portal.sent.for_url(url)
        assert [entry["status"] for entry in logged] == [200, 304, 304, 200]
        assert logged[1]["body"] == b"" and ("ETag", first[1]["ETag"]) in logged[1]["headers"]
        portal.edit("年度报告", "年度报告（修订）", path)
        changed = get(portal.base_url, path, {"If-None-Match": first[1]["ETag"]})
        assert changed[0] == 200 and changed[1]["ETag"] != first[1]["ETag"]
        assert changed[1]["Last-Modified"] != first[1]["Last-Modified"]
        assert "年度报告（修订）".encode() in changed[2]


def test_if_none_match_takes_precedence_over_if_modified_since():
    headers = Message()
    headers["If-None-Match"] = '"a"'
    headers["If-Modified-Since"] = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert not not_modified(headers, '"b"', 1704067200.0)
    assert not_modified(headers, 'W/"a"', 1704067200.0)


def get(base_url: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_a_revalidation_window_skips_recently_archived_reports_but_reads_every_list(store):
    """XXGK_REVALIDATE_AFTER: reports seen within the window are not asked for; the lists still are, so a
    retitle shows; reports archived before the window are asked for again."""
    with SimulatedPortals(sites=["yanji"]) as simulated:
        portal = simulated.portals["yanji"]
        base = [f"--base-url=yanji={simulated.base_urls['yanji']}", *store.args]
        assert xxgk("crawl", "yanji", *base).returncode == 0
        before = len(portal.sent)
        first_title = query(store, "SELECT list_title FROM documents ORDER BY url LIMIT 1")[0][0]
        archived = {url for (url,) in query(store, "SELECT url FROM documents")}
        portal.retitle(first_title, first_title + "（修订）")
        result = xxgk("crawl", "yanji", *base, "--revalidate-after", "7")
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        asked = {entry["url"] for entry in list(portal.sent)[before:]}
        listed = {entry["url"] for (entries,) in query(store, "SELECT entries FROM listings")
                  for entry in json.loads(entries)}
        # a listed URL that redirects (`.htm` -> `.html`) is asked for again: its document is under the target
        assert asked & archived == archived - listed, "a report archived minutes ago was asked for again"
        assert {url for url in asked if "index" in url}, "the list pages were read"
        summary = json.loads(query(store, "SELECT summary FROM crawls ORDER BY id DESC LIMIT 1")[0][0])
        assert summary["status"] == "ok" and summary["reports"] == len(portal.report_urls), summary
        kinds = [kind for (kind,) in query(store, "SELECT kind FROM events WHERE crawl_id = "
                                                     "(SELECT max(id) FROM crawls)")]
        assert kinds == ["retitled"], kinds

        before = len(portal.sent)
        result = xxgk("crawl", "yanji", *base, "-s", "XXGK_REVALIDATE_AFTER=0.000001")
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        asked = {entry["url"] for entry in list(portal.sent)[before:]}
        assert set(portal.report_urls) <= asked, "reports archived before the window are asked for again"
