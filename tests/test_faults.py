"""Each defence against a hostile server on its own: decoding by the bytes, malformed HTML, size caps checked before
reading, worker memory, retries that hold a site's slot instead of the reactor, traps, challenges, fault accounting,
the browser's scope, and commands given broken input."""

from __future__ import annotations

import asyncio
import codecs
import inspect
import io
import json
import resource
import struct
import subprocess
import sys
import time
import zlib
from email.utils import formatdate
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure
from twisted.web._newclient import ParseError, ResponseNeverReceived
from warcio.warcwriter import WARCWriter

from crawler import faults
from crawler import settings as project_defaults
from crawler.browser import BrowserScope
from crawler.extensions.summary import format_table, summarize
from crawler.extract import ExtractionError, extract
from crawler.extract.document import check_text_kept, decode_page, load, parse
from crawler.limits import MAX_PAGE_BYTES, TooLarge, check_image, check_pdf, check_zip
from crawler.middlewares.challenge import challenge_signature
from crawler.middlewares.charset import CharsetMiddleware
from crawler.middlewares.limits import LimitsMiddleware
from crawler.middlewares.retry import DEADLINE_META, BackoffRetryMiddleware, retry_after
from crawler.middlewares.traps import LoopGuardRedirectMiddleware, is_calendar
from crawler.simulator.faults import docx_bomb
from crawler.sites import load_registry
from pipelines.extraction import pool
from spiders.base import attachment_filename, safe_filename

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent
CORPUS = HERE / "eval" / "corpus"
REPORT = "盘锦市人民政府2019年政府信息公开工作年度报告。本年度报告依据《中华人民共和国政府信息公开条例》编制，" * 3
PAGE = '<html><head><meta charset="{meta}"><title>年度报告</title></head><body><p>' + REPORT + "</p></body></html>"


# -- decoding by what the bytes are -----------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "header", "encoding", "fault"), [
    (PAGE.format(meta="utf-8").encode("gbk"), None, "gb18030", "charset_mismatch"),  # meta utf-8, bytes GBK
    (PAGE.format(meta="gb2312").encode("gbk"), "utf-8", "gb18030", "charset_mismatch"),  # nginx's header wins
    (PAGE.format(meta="gb2312").encode("utf-8"), None, "utf-8", "charset_mismatch"),  # meta gb2312, bytes UTF-8
    (PAGE.format(meta="gb2312").encode("gbk"), "gbk", "gb18030", None),  # declared right
    (PAGE.format(meta="utf-8").encode("utf-8"), "utf-8", "utf-8", None),
    (PAGE.replace('<meta charset="{meta}">', "").encode("gbk"), None, "gb18030", "no_charset"),
    (PAGE.format(meta="utf-8").encode("gbk"), "iso-8859-1", "gb18030", "charset_mismatch"),  # a server default
    (b"<html><body>plain ASCII</body></html>", "gbk", "utf-8", None),
])
def test_pages_are_decoded_by_what_their_bytes_are(body, header, encoding, fault):
    decoded = decode_page(body, header)
    assert (decoded.encoding, decoded.fault) == (encoding, fault)
    assert REPORT in decoded.text or b"ASCII" in body


def test_a_bom_decides():
    decoded = decode_page(codecs.BOM_UTF8 + PAGE.format(meta="gbk").encode("utf-8"))
    assert decoded.encoding == "utf-8" and REPORT in decoded.text and decoded.fault is None


def test_the_charset_middleware_overrules_the_declaration_and_counts_it():
    crawler = get_crawler()
    middleware = CharsetMiddleware.from_crawler(crawler)
    response = HtmlResponse("http://a/x.html", body=PAGE.format(meta="utf-8").encode("gbk"),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    assert "\ufffd" in response.text  # what Scrapy alone would store
    fixed = middleware.process_response(Request(response.url), response)
    assert REPORT in fixed.text and fixed.body == response.body  # the archive keeps the bytes
    assert crawler.stats.get_value("xxgk/faults/charset_mismatch") == 1


# -- malformed HTML -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    "<html><head><title>t</title></head><body></body></html><div><h1>2023年报告</h1><p>{}</p></div>",
    "<html><head></html><body><p>{}</p></body></html>",
    "<html><head></head></html><body><h1>标题</h1><p>{}</p>",
    "<html><body><div>页头</div></body></html>\n<html><body><p>{}</p></body></html>",
])
def test_text_after_stray_end_tags_is_kept_as_browsers_keep_it(html):
    page = html.format(REPORT)
    assert REPORT in parse(load(page)).text_content()
    assert "".join(REPORT.split("，")[0].split()) in extract(page)["text"]


def test_a_tree_that_lost_the_text_is_an_extraction_error():
    import lxml.html

    mangled = lxml.html.document_fromstring("<html><body><p>页头</p></body></html>")
    with pytest.raises(ExtractionError, match="no text extracted"):
        check_text_kept(PAGE.format(meta="utf-8"), mangled)
    check_text_kept("<p>短</p>", mangled)  # too little text to judge


# -- size caps, checked before reading ---------------------------------------------------------------------------

def test_a_page_over_the_cap_is_refused_before_parsing():
    with pytest.raises(ExtractionError, match=r"too large: page of \d+ bytes"):
        load(b"<html><body>" + b"x" * MAX_PAGE_BYTES + b"</body></html>")


def test_zip_bomb_refused_from_its_directory_and_real_files_pass():
    with pytest.raises(TooLarge, match="word/document.xml unpacks to 1073741824 bytes"):
        check_zip(docx_bomb())
    check_zip((CORPUS / "seed_004.docx").read_bytes())
    ratio = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(ratio, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:t>a</w:t>" * (3 << 20))  # 36 MB at ~1000:1
    with pytest.raises(TooLarge, match="ZIP bomb"):
        check_zip(ratio.getvalue())


def pdf_with_stream(inflated: int) -> bytes:
    """A PDF whose one FlateDecode content stream inflates to `inflated` bytes of spaces."""
    compressor, spaces = zlib.compressobj(9), b" " * (1 << 20)
    first = compressor.compress(spaces) + compressor.flush(zlib.Z_FULL_FLUSH)  # with the zlib header
    block = compressor.compress(spaces) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = first + block * ((inflated >> 20) - 1) + compressor.flush()
    head = f"%PDF-1.4\n1 0 obj\n<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode()
    return head + data + b"\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n"


def test_pdf_stream_bomb_refused_while_inflating_with_a_bounded_buffer():
    with pytest.raises(TooLarge, match="inflates past"):
        check_pdf(pdf_with_stream(512 << 20))
    check_pdf(pdf_with_stream(8 << 20))
    check_pdf((CORPUS / "seed_004.pdf").read_bytes())


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_image_claiming_too_many_pixels_refused_from_its_header():
    with pytest.raises(TooLarge):
        check_image(png_claiming(15000, 15000))
    with pytest.raises(TooLarge, match="8000x8000"):
        check_image(png_claiming(8000, 8000))
    check_image((CORPUS / "scan_t4.png").read_bytes())


def test_extraction_workers_run_within_their_memory_limit():
    limit = 512 << 20
    with pool(1, limit) as workers:
        assert workers.submit(resource.getrlimit, resource.RLIMIT_AS).result() == (limit, limit)
        with pytest.raises(MemoryError):
            workers.submit(bytearray, 1 << 30).result()


def peak(tmp_path: Path, *command: str) -> tuple[subprocess.CompletedProcess, int]:
    """Run a command under tests/peak_rss.py: its result and its process tree's peak resident bytes."""
    out = tmp_path / "rss.json"
    result = subprocess.run([sys.executable, str(HERE / "peak_rss.py"), str(out), "--", *command],
                            capture_output=True, text=True, timeout=300)
    return result, json.loads(out.read_text())["max_rss_bytes"]


def test_report_on_a_zip_bomb_is_one_line_and_reads_nothing(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb())
    result, rss = peak(tmp_path, str(BIN / "xxgk"), "report", str(bomb))
    assert result.returncode == 1 and "too large" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert rss < 500_000_000  # the issue measured 2.5 GB


def test_report_on_an_empty_file_is_an_error(tmp_path):
    empty = tmp_path / "report.pdf"
    empty.write_bytes(b"")
    result = subprocess.run([str(BIN / "xxgk"), "report", str(empty)], capture_output=True, text=True)
    assert result.returncode == 1 and "empty file" in result.stderr and "format" not in result.stdout


def test_extract_on_a_huge_page_is_one_line(tmp_path):
    page = tmp_path / "huge.html"
    page.write_bytes(b"<html><body>" + "<p>年度报告正文</p>".encode() * (MAX_PAGE_BYTES // 20) + b"</body></html>")
    result, rss = peak(tmp_path, str(BIN / "xxgk"), "extract", str(page))
    assert result.returncode == 1 and "too large" in result.stderr and "Traceback" not in result.stderr
    assert rss < 500_000_000


# -- broken archives --------------------------------------------------------------------------------------------

def write_warc(path: Path, records: int) -> bytes:
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=True)
    for n in range(records):
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + bytes(range(256)) * 8
        writer.write_record(writer.create_warc_record(f"http://a/{n}", "response", payload=io.BytesIO(payload)))
    path.write_bytes(stream.getvalue())
    return stream.getvalue()


def test_index_reports_a_truncated_and_a_corrupt_warc_in_one_line_each(tmp_path):
    warcs = tmp_path / "warc"
    warcs.mkdir()
    whole = write_warc(warcs / "a-good.warc.gz", 20)
    (warcs / "b-half.warc.gz").write_bytes(whole[:len(whole) // 2])
    corrupt = bytearray(whole)
    corrupt[len(whole) // 3:len(whole) // 3 + 64] = b"\0" * 64
    (warcs / "c-corrupt.warc.gz").write_bytes(bytes(corrupt))
    # a WARC whose record's Content-Length is 10 bytes short: warcio itself would print a
    # multi-line warning with a dump of the bytes
    plain = io.BytesIO()
    writer = WARCWriter(plain, gzip=False)
    writer.write_record(writer.create_warc_record("http://a/x", "resource", payload=io.BytesIO(b"x" * 100),
                                                  warc_content_type="text/plain"))
    short = plain.getvalue().replace(b"Content-Length: 100", b"Content-Length: 90")
    (warcs / "d-length.warc.gz").write_bytes(zlib.compress(short, wbits=31))
    result = subprocess.run([str(BIN / "xxgk"), "index", "--data-dir", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3, errors
    assert "b-half.warc.gz: truncated" in errors[0] and "; 10 records readable" in errors[0]
    assert "c-corrupt.warc.gz: unreadable" in errors[1] and "records readable" in errors[1]
    assert "d-length.warc.gz: " in errors[2] and "Content-Length" in errors[2]
    assert "indexed 1 WARC files (20 records)" in result.stdout


# -- retries that hold back the site, not the reactor -------------------------------------------------------------

def retry_middleware(**settings) -> tuple[BackoffRetryMiddleware, Slot]:
    crawler = get_crawler(settings_dict={"XXGK_RETRY_BACKOFF_BASE": 2.0, **settings})
    slot = Slot(concurrency=2, delay=0, jitter=0)
    downloader = SimpleNamespace(slots={"a": slot}, get_slot_key=lambda request: "a")
    crawler.engine = SimpleNamespace(downloader=downloader)
    crawler.spider = SimpleNamespace(name="s", crawler=crawler)
    return BackoffRetryMiddleware.from_crawler(crawler), slot


def test_retry_after_is_parsed_as_seconds_or_a_date():
    def answer(value: str) -> Response:
        return Response("http://a/", status=503, headers={"Retry-After": value})

    assert retry_after(answer("120")) == 120
    now = 1_800_000_000.0
    assert retry_after(answer(formatdate(now + 30, usegmt=True)), now=now) == 30
    assert retry_after(answer("soon")) is None and retry_after(Response("http://a/", status=503)) is None


def test_a_retry_holds_the_sites_slot_for_what_retry_after_asks_and_sleeps_nowhere():
    middleware, slot = retry_middleware()
    assert not inspect.iscoroutinefunction(middleware.process_response)
    before = time.monotonic()
    retry = middleware.process_response(Request("http://a/x"), Response("http://a/x", status=429,
                                                                         headers={"Retry-After": "30"}))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert slot.lastseen >= before + 30 and slot.delay > 0  # Scrapy waits only on a slot with a delay
    assert middleware.stats.get_value("xxgk/faults/retry_after") == 1
    assert middleware.process_response(retry, Response("http://a/x", status=200)).status == 200
    assert middleware.stats.get_value("xxgk/faults/recovered") == 1


def test_retry_after_beyond_the_bound_is_not_waited_for():
    middleware, slot = retry_middleware(XXGK_RETRY_AFTER_MAX=60)
    response = Response("http://a/x", status=503, headers={"Retry-After": "86400"})
    assert middleware.process_response(Request("http://a/x"), response) is response
    assert slot.lastseen == 0


def test_backoff_holds_the_slot_longer_each_attempt(monkeypatch):
    middleware, slot = retry_middleware()
    monkeypatch.setattr("crawler.middlewares.retry.time.monotonic", lambda: 1000.0)  # the clock stands still
    first = middleware.process_response(Request("http://a/x"), Response("http://a/x", status=503))
    held = slot.lastseen - 1000.0
    second = middleware.process_response(first, Response("http://a/x", status=503))
    assert isinstance(second, Request) and (held, slot.lastseen - 1000.0) == (2.0, 4.0)


def test_timeouts_are_retried_once_and_not_at_all_once_the_site_had_too_many():
    middleware, _ = retry_middleware(XXGK_TIMEOUT_RETRIES=1, XXGK_SITE_TIMEOUTS=3)
    timeout = DownloadTimeoutError("took longer than 20 seconds")
    retry = middleware.process_exception(Request("http://a/1"), timeout)
    assert isinstance(retry, Request)
    assert middleware.process_exception(retry, timeout) is None
    assert isinstance(middleware.process_exception(Request("http://a/2"), timeout), Request)
    assert middleware.process_exception(Request("http://a/3"), timeout) is None  # the site's 4th timeout
    assert middleware.stats.get_value("xxgk/attempts/timeout") == 4


def test_no_retry_past_a_urls_deadline():
    middleware, _ = retry_middleware()
    late = Request("http://a/x", meta={DEADLINE_META: time.monotonic() - 1})
    assert middleware.process_response(late, Response("http://a/x", status=503)).status == 503
    assert middleware.stats.get_value("xxgk/faults/deadline") == 1
    fresh = middleware.process_exception(Request("http://a/y", meta={"download_timeout": 20}),
                                         DownloadTimeoutError())
    assert fresh.meta[DEADLINE_META] > time.monotonic() and fresh.meta["download_timeout"] <= 20


# -- per-request caps and the site deadline ---------------------------------------------------------------------

def test_pages_and_files_get_their_own_caps_and_the_site_its_deadline():
    names = ("XXGK_PAGE_MAXSIZE", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE", "XXGK_FILE_TIMEOUT", "XXGK_SITE_DEADLINE")
    crawler = get_crawler(settings_dict={name: getattr(project_defaults, name) for name in names})
    middleware = LimitsMiddleware.from_crawler(crawler)
    page, attachment = Request("http://a/x.html"), Request("http://a/x.pdf", meta={"document_url": None})
    middleware.process_request(page)
    middleware.process_request(attachment)
    assert page.meta["download_maxsize"] == MAX_PAGE_BYTES and page.meta["download_timeout"] == 20
    assert attachment.meta["download_maxsize"] == 200 * 1024 * 1024 and attachment.meta["download_timeout"] == 120
    middleware.started -= project_defaults.XXGK_SITE_DEADLINE + 1
    with pytest.raises(faults.Refused):
        middleware.process_request(Request("http://a/later.html"))
    summary = summarize("a", crawler.stats.get_stats(), "finished")
    assert summary["faults"] == {"site_deadline": 1} and summary["status"] == "failed"
    assert "incomplete: the site's time budget ran out" in format_table([summary])


# -- traps ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "calendar"), [
    ("http://a/xxgk/?d=2024-03-02", True), ("http://a/list?day=20240302", True), ("http://a/x?riqi=2024年3月", True),
    ("http://a/list?page=2", False), ("http://a/content.jsp?id=20240302", False), ("http://a/x?nf=2019", False),
])
def test_date_parameter_calendars(url, calendar):
    assert is_calendar(url, 1990, 2030) is calendar


def test_a_redirect_back_into_its_own_chain_is_a_counted_loop():
    crawler = get_crawler()
    middleware = LoopGuardRedirectMiddleware.from_crawler(crawler)
    first = Request("http://a/a.html")
    to_b = middleware.process_response(first, Response(first.url, status=302, headers={"Location": "/b.html"}))
    with pytest.raises(IgnoreRequest):
        middleware.process_response(to_b, Response(to_b.url, status=302, headers={"Location": "/a.html"}))
    assert faults.evidence(crawler.stats.get_stats()) == {"redirect_loop": ["http://a/a.html"]}


# -- challenges decided on the body, not the cookie alone --------------------------------------------------------

YUNSUO = [b"yunsuo_session_verify=2a87ab8e; path=/; HttpOnly"]


def test_a_real_page_setting_the_waf_cookie_is_not_a_challenge():
    short_real = ('<html><body><h2>2019年政府信息公开工作年度报告</h2><p>全文见附件。</p>'
                  '<a href="/u/2019.pdf">附件</a></body></html>').encode()
    assert challenge_signature(200, short_real, YUNSUO) is None
    assert challenge_signature(404, b"<html><body><h1>404 Not Found</h1></body></html>", YUNSUO) is None
    assert challenge_signature(200, "<html><body>系统繁忙，请稍后再试</body></html>".encode()) is None


def test_a_challenge_page_with_the_cookie_is_one():
    script = (b'<html><body><script>document.cookie="srcurl=687474703a2f2f;path=/";'
              b'window.location.href="/?security_verify_data=313932302c31303830";</script></body></html>')
    assert challenge_signature(200, script, YUNSUO) == "yunsuo"
    assert challenge_signature(200, "<html><body><script>x()</script>请稍候…</body></html>".encode()) == "generic"


# -- what is a page, and what failed ------------------------------------------------------------------------------

def html(body: str | bytes, status: int = 200) -> HtmlResponse:
    data = body.encode() if isinstance(body, str) else body
    return HtmlResponse("http://a/x.html", status=status, body=data, headers={"Content-Type": "text/html"})


def test_page_faults():
    assert faults.page_fault(html(b"")) == "empty" and faults.page_fault(html(b"  \r\n ")) == "empty"
    assert faults.page_fault(html("<html><body><p>对不起，您访问的页面不存在！</p></body></html>")) == "soft_404"
    assert faults.page_fault(html("<html><body>数据库连接失败 ORA-12541</body></html>")) == "error_page"
    assert faults.page_fault(html(PAGE.format(meta="utf-8"))) is None
    assert faults.page_fault(html(f"<html><body><p>{REPORT * 4}</p><p>共404条</p></body></html>")) is None
    framed = f"<html><head><title>页面不存在 - 某县人民政府</title></head><body><p>{REPORT * 4}</p></body></html>"
    assert faults.page_fault(html(framed)) == "soft_404"  # the portal's frame around the message
    titled = f"<html><head><title>关于印发X政发〔2019〕404号的通知</title></head><body><p>{REPORT}</p></body></html>"
    assert faults.page_fault(html(titled)) is None
    pdf = Response("http://a/x.pdf", body=b"%PDF-1.4 not found", headers={"Content-Type": "application/pdf"})
    assert faults.page_fault(pdf) is None


@pytest.mark.parametrize(("exception", "kind"), [
    (DownloadTimeoutError(), "timeout"),
    (IgnoreRequest("max redirections reached"), "redirect_loop"),
    (IgnoreRequest("Ignored response <200 x> because its body exceeded DOWNLOAD_MAXSIZE (10 B)"), "too_large"),
    (ResponseNeverReceived([Failure(ConnectionResetError())]), "connection"),
    (ResponseNeverReceived([Failure(ParseError("non-integer status code", b"HTTP/1.1 2OO"))]), "bad_response"),
    (faults.Refused("offsite", "http://b/"), None),
    (IgnoreRequest("Forbidden by robots.txt"), None),
])
def test_failures_are_classified_by_kind(exception, kind):
    assert faults.failure_kind(Failure(exception)) == kind


def test_http_errors_are_classified():
    response = TextResponse("http://a/", status=500, body=b"")
    assert faults.failure_kind(Failure(HttpError(response))) == "http_error"


@pytest.mark.parametrize(("given", "safe"), [
    ("../../../../etc/cron.d/统计表.pdf", "统计表.pdf"), ("D:\\upload\\2020\\..\\附件2.pdf", "附件2.pdf"),
    ("..\x00.bashrc", "bashrc"), ("年度报告.pdf", "年度报告.pdf"),
])
def test_file_names_lose_their_directories(given, safe):
    assert safe_filename(given) == safe
    disposition = 'attachment; filename="' + given.encode("gbk").decode("latin-1") + '"'
    response = Response("http://a/f?id=1", headers={"Content-Disposition": disposition.encode("latin-1")})
    assert attachment_filename(response) == safe


# -- the browser's scope --------------------------------------------------------------------------------------------

def browser_for(site: str, base_url: str):
    crawler = get_crawler(settings_dict={"XXGK_BASE_URLS": {site: base_url}})
    crawler.spider = SimpleNamespace(site=load_registry()[site], base_url=base_url)
    return BrowserScope(crawler), crawler


def test_the_browser_refuses_what_the_scope_refuses_and_counts_it():
    handler, crawler = browser_for("yanji", "http://127.0.0.1:8001")
    refused = [url for url in ("http://127.0.0.1:8001/page.html", "http://127.0.0.2:8001/banner.png",
                               "http://[::1]:8001/qr.png", "ws://127.0.0.2:8001/ws", "data:image/png;base64,AA",
                               "file:///etc/passwd", "https://www.google-analytics.com/ga.js")
               if asyncio.run(handler.refuse(url))]
    assert refused == ["http://127.0.0.2:8001/banner.png", "http://[::1]:8001/qr.png", "ws://127.0.0.2:8001/ws",
                       "file:///etc/passwd", "https://www.google-analytics.com/ga.js"]
    assert crawler.stats.get_value("xxgk/faults/offsite") == 5


def test_the_browser_resolves_only_the_sites_hosts_in_a_fresh_profile():
    handler, _ = browser_for("yanji", "http://127.0.0.1:8001")
    args = handler.launch_options(project_defaults.PLAYWRIGHT_LAUNCH_OPTIONS)["args"]
    assert "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" in args
    assert any(arg.startswith("--optimization-guide-manifest-override") for arg in args)
    profile = handler.new_profile("default")
    assert json.loads((profile / "Default" / "Preferences").read_text())["alternate_error_pages"] == {"enabled": False}
    handler.close()
    assert not profile.exists()
