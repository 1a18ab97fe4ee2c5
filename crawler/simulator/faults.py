"""A hostile portal: fifteen real reports among every fault a broken, slow or guarded government server shows.

A county portal on a home-made CMS (the generic spider reads it) whose report column `/xxgk/ndbg/` lists, under
report titles, the real reports (`portal.report_urls`) and the fault pages. Each route says which real behaviour it
follows. Some real reports carry a fault they survive (a wrong charset, a retry, a challenge, a traversal file name,
a zip bomb attached): they must be stored with their text and the fault counted. `portal.faults` maps each URL
with a fault (fault page, real report or attachment) to the kind of crawler/faults.py a crawl must count it as.

It has no entry in the bundled registry: tests name it in a user registry (DATA_DIR/sites.toml).
"""

from __future__ import annotations

import functools
import itertools
import struct
import threading
import time
import zlib
from collections.abc import Callable
from html import escape
from urllib.parse import urlsplit

from crawler.simulator import challenge, markup
from crawler.simulator.render import render_report
from crawler.simulator.reports import Report
from crawler.simulator.server import Portal, RawConnection, Reply, Request, Route, redirect

SITE = "某县人民政府"
COLUMN = "/xxgk/ndbg/"
PER_PAGE = 12
AGENCIES = ("某县人民政府办公室", "某县财政局", "某县教育局", "某县卫生健康局", "某县自然资源局")
SPECS = [(year, AGENCIES[n % len(AGENCIES)]) for n, year in enumerate(range(2009, 2024))]
MiB = 1 << 20
DRIP_SECONDS = 300  # a dripping reply gives up after this long (the client should have long before)


def build(portal: Portal) -> None:
    """Home, the three-page column with its calendar, fifteen reports and the fault pages."""
    entries: list[tuple[str, str, str]] = []
    reports = markup.newest_first(markup.generated("generic", SPECS, 5101, 7, 661300))
    for n, report in enumerate(reports):
        report.attachments = []  # attachments come from the variants below, not the generated ones
        url = REPORT_VARIANTS[n](portal, report)
        entries.append((url.removeprefix(portal.base_url), report.title, report.publish_date))
    port = urlsplit(portal.base_url).port
    for n, (path, kind, route) in enumerate(fault_routes(port)):
        if route is not None:
            portal.add(urlsplit(path).path, route)
        if kind is None:
            continue  # served, not listed (the other end of a redirect)
        url = path if path.startswith("http") else portal.url(path)  # links off the portal are never requested
        portal.faults[url] = kind
        href = url.removeprefix(portal.base_url)
        entries.insert(2 + n * 3 % len(entries), (href, fault_title(n), f"20{10 + n % 13}-01-15"))
    portal.faults[portal.url(f"{COLUMN}?d=2024-03-02")] = "calendar"  # the last page's » (see column_page)
    pages = [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
    portal.add(COLUMN, lambda request: column_page(request, pages))
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([(COLUMN, "政府信息公开年报")])))


def fault_title(n: int) -> str:
    """A report title for a fault page: the column lists faults as it lists reports."""
    agency = ("某县住房和城乡建设局", "某县水利局", "某县民政局", "某县统计局")[n % 4]
    return f"{agency}{2010 + n % 13}年政府信息公开工作年度报告"


def column_page(request: Request, pages: list[list[tuple[str, str, str]]]) -> Reply:
    """Page `page` of the column; every page carries the portal's calendar widget, which pages by ?d= dates with
    arrows, and the last page has no 下一页, only the widget (the ?d= calendar of the issue: followed, it lists
    another day for ever)."""
    number = max(1, min(int(request.query.get("page") or 1), len(pages)))
    rows = "".join(f'<li><a href="{escape(url)}" title="{escape(title)}">{escape(title)}</a><span>{date}</span></li>\n'
                   for url, title, date in pages[number - 1])
    day = request.query.get("d") or "2024-03-01"
    calendar = (f'<div class="rili"><a href="{COLUMN}?d=2024-02-29">«</a> {escape(day)} '
                f'<a href="{COLUMN}?d=2024-03-02">»</a></div>')
    pager = f'<div class="page">第{number}/{len(pages)}页 '
    pager += f'<a href="{COLUMN}?page={number + 1}">下一页</a></div>' if number < len(pages) else "</div>"
    body = f'<ul class="list">\n{rows}</ul>{pager}{calendar}'
    html = markup.frame(SITE, "政府信息公开年报", body, crumbs="首页 &gt; 政务公开 &gt; 政府信息公开年报")
    return Reply(body=markup.encode_page(html, "utf-8"))


# -- the real reports, each with what it survives -------------------------------------------------------------

def report_path(report: Report) -> str:
    return f"{COLUMN}{report.publish_date[:4]}/art_{report.id}.html"


def serve(portal: Portal, report: Report, route: Route, path: str | None = None, survives: str | None = None) -> str:
    """Serve a real report at its path through `route`, remember it (and the fault it `survives`, to be counted);
    return its URL."""
    path = path or report_path(report)
    portal.add(path, route)
    portal.reports[portal.url(path)] = report
    portal.report_urls.append(portal.url(path))
    if survives:
        portal.faults[portal.url(path)] = survives
    return portal.url(path)


def page(report: Report, charset: str = "utf-8", meta: str | None = None, header: str | None = "same") -> Reply:
    """The report page encoded in `charset`, its <meta> declaring `meta` (None: no meta) and its Content-Type
    header `header` ("same": `charset`, None: no charset parameter)."""
    html = render_report(report)
    declared = charset if meta is None and header == "same" else meta
    html = html.replace('<meta charset="utf-8">', f'<meta charset="{declared}">' if declared else "")
    content_type = "text/html" + (f"; charset={charset if header == 'same' else header}" if header else "")
    return Reply(body=html.encode(charset, "xmlcharrefreplace"), content_type=content_type)


def plain_utf8(portal: Portal, report: Report) -> str:
    """A report as most portals serve it: UTF-8, declared."""
    return serve(portal, report, page(report))


def plain_gbk(portal: Portal, report: Report) -> str:
    """A GBK report declared gb2312, as older Chinese CMSs serve them (GBK is a superset)."""
    return serve(portal, report, page(report, "gbk", "gb2312", "gb2312"))


def gbk_meta_utf8(portal: Portal, report: Report) -> str:
    """GBK bytes under <meta charset="utf-8"> and no header charset: a template switched to UTF-8 while old
    articles stayed GBK in the database."""
    return serve(portal, report, page(report, "gbk", "utf-8", None), survives="charset_mismatch")


def gbk_header_utf8(portal: Portal, report: Report) -> str:
    """GBK bytes, <meta gb2312>, but `Content-Type: …; charset=utf-8` from nginx's `charset utf-8;` (browsers
    believe the header)."""
    return serve(portal, report, page(report, "gbk", "gb2312", "utf-8"), survives="charset_mismatch")


def utf8_meta_gb2312(portal: Portal, report: Report) -> str:
    """UTF-8 bytes under <meta charset="gb2312">: a page saved from a UTF-8 editor into an old GB template."""
    return serve(portal, report, page(report, "utf-8", "gb2312", None), survives="charset_mismatch")


def no_charset(portal: Portal, report: Report) -> str:
    """GBK bytes, no charset in the header nor in the page (static files from an IIS server)."""
    return serve(portal, report, page(report, "gbk", "", None), survives="no_charset")


def stray_end_tags(portal: Portal, report: Report) -> str:
    """A header include that closes the document (</body></html>) before the article: browsers show the article
    anyway; libxml2 2.14 drops everything after it."""
    reply = page(report)
    reply.body = reply.body.replace(b'<div id="main">', b'</div></body></html>\n<div id="main">', 1)
    return serve(portal, report, reply)


def recovers_after_503(portal: Portal, report: Report) -> str:
    """Two 503s from an overloaded upstream behind nginx, then the page (every third request answers)."""
    return serve(portal, report, failing(page(report), 2, lambda: Reply(503, ERROR_503, compressible=False)),
                 survives="recovered")


def rate_limited(portal: Portal, report: Report) -> str:
    """A WAF's rate limit: 429 with `Retry-After: 2` every other request."""
    limited = Reply(429, b"<html><body><h1>429 Too Many Requests</h1></body></html>",
                    headers=[("Retry-After", "2")], compressible=False)
    return serve(portal, report, failing(page(report), 1, lambda: limited), survives="retry_after")


def reset_once(portal: Portal, report: Report) -> str:
    """A load balancer that resets every other connection (a dead backend in its pool)."""
    return serve(portal, report, failing(page(report), 1, lambda: Reply(raw=RawConnection.reset)), survives="recovered")


def yunsuo_real_page(portal: Portal, report: Report) -> str:
    """A short real page (the report is its PDF) on a site behind 云锁, which sets `yunsuo_session_verify` on every
    answer: the cookie alone must not make it a challenge."""
    title = escape(report.title)
    pdf = f"/uploads/{report.publish_date[:4]}/{report.id}.pdf"
    html = (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h2 class="ctitle">{title}</h2>'
            f'<p class="cinfo">时间：<span>{report.publish_date}</span></p><div class="cbody"><p>{title}全文见附件。</p>'
            f'<p><a href="{pdf}">附件：年度报告全文.pdf</a></p></div></body></html>')
    cookie = ("Set-Cookie", "yunsuo_session_verify=2a87ab8e8e6e8c8f1f4d0a1e0c8d2c1b; "
                            "expires=Mon, 05-Jan-26 08:00:00 GMT; path=/; HttpOnly")
    portal.add(pdf, markup.attachment_reply(portal.url(pdf), "年度报告全文"))
    portal.attachment_urls.append(portal.url(pdf))
    report.blocks = [f"{report.title}全文见附件。"]
    return serve(portal, report, Reply(body=html.encode(), headers=[cookie]))


def script_in_title(portal: Portal, report: Report) -> str:
    """Markup pasted into a title field: a <script> in <title> (RCDATA: text to a browser) and in the heading."""
    reply = page(report)
    marked = report.title + "<script>alert(document.cookie)</script>"
    reply.body = reply.body.replace(f"<title>{escape(report.title)}</title>".encode(),
                                    f"<title>{marked}</title>".encode(), 1)
    return serve(portal, report, reply)


def traversal_names(portal: Portal, report: Report) -> str:
    """Attachments whose Content-Disposition names a path: `../../` from a hostile or broken server, and a full
    Windows path as IIS upload handlers send it."""
    links = []
    for n, name in enumerate(("../../../../etc/cron.d/统计表.pdf", "D:\\upload\\2020\\..\\..\\附件2.pdf")):
        path = f"/uploads/{report.publish_date[:4]}/{report.id}_{n + 1}.pdf"
        reply = markup.attachment_reply(portal.url(path), "x")
        reply.headers = [("Content-Disposition", 'attachment; filename="' + name.encode("gbk").decode("latin-1") + '"')]
        portal.add(path, reply)
        portal.attachment_urls.append(portal.url(path))
        portal.faults[portal.url(path)] = "unsafe_filename"
        links.append((path, f"附件{n + 1}：统计表"))
    report.attachments = links
    return serve(portal, report, page(report))


def zip_bomb_attached(portal: Portal, report: Report) -> str:
    """A report with a .docx whose document.xml unpacks to 1 GiB (1.2 MB sent): the issue's zip bomb."""
    path = f"/uploads/{report.publish_date[:4]}/{report.id}.docx"
    report.attachments = [(path, "附件：统计表.docx")]
    portal.add(path, Reply(body=docx_bomb(), content_type=markup.CONTENT_TYPES["docx"], compressible=False,
                           headers=[("Content-Disposition", 'attachment; filename="tongji.docx"')]))
    portal.attachment_urls.append(portal.url(path))
    return serve(portal, report, page(report))


def behind_challenge(portal: Portal, report: Report) -> str:
    """A directory behind 加速乐 (a browser passes it) whose page, once passed, loads images from a private address
    and [::1], opens a WebSocket and a preconnect to them: none of it may leave the portal."""
    port = urlsplit(portal.base_url).port
    reply = page(report)
    escape_hatches = (f'<img src="http://127.0.0.2:{port}/images/banner.png">'
                      f'<img src="http://[::1]:{port}/images/qrcode.png">'
                      f'<link rel="preconnect" href="http://127.0.0.2:{port}">'
                      f'<script>try {{ new WebSocket("ws://127.0.0.2:{port}/ws"); }} catch (e) {{}}'
                      f'fetch("http://[::1]:{port}/api/stat").catch(function () {{}});</script>')
    reply.body = reply.body.replace(b"</body>", escape_hatches.encode() + b"</body>", 1)
    return serve(portal, report, challenge.jsl_gated(portal, reply), f"{COLUMN}jsl/art_{report.id}.html",
                 survives="challenge")


REPORT_VARIANTS: list[Callable[[Portal, Report], str]] = [
    plain_utf8, gbk_meta_utf8, recovers_after_503, plain_gbk, gbk_header_utf8, rate_limited, utf8_meta_gb2312,
    reset_once, no_charset, stray_end_tags, yunsuo_real_page, script_in_title, traversal_names, zip_bomb_attached,
    behind_challenge,
]


def failing(good: Route, failures: int, bad: Callable[[], Reply]) -> Callable[[Request], Reply | None]:
    """`bad()` for the first `failures` of every `failures + 1` requests, then `good` (so each crawl of the portal
    meets the same faults)."""
    counter, lock = itertools.count(), threading.Lock()

    def answer(request: Request) -> Reply | None:
        with lock:
            n = next(counter)
        if n % (failures + 1) < failures:
            return bad()
        return good(request) if callable(good) else good

    return answer


# -- the faults -----------------------------------------------------------------------------------------------

ERROR_503 = b"<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service " \
            b"Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>"


def fault_routes(port: int) -> list[tuple[str, str | None, Route | None]]:
    """(path or off-portal URL, the fault kind it must be counted as (None: not listed), route (None: not served))
    for every fault page."""
    f = COLUMN + "f/"
    return [
        # nginx in front of a dead PHP-FPM: 500 for good
        (f"{f}500.html", "http_error", Reply(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                                            compressible=False)),
        # maintenance for a day: Retry-After far beyond what a crawl waits
        (f"{f}later.html", "http_error", Reply(503, ERROR_503, headers=[("Retry-After", "86400")],
                                              compressible=False)),
        # a backend that crashes on this page: the connection reset every time
        (f"{f}reset.html", "connection", Reply(raw=RawConnection.reset)),
        # an overloaded server sending the body a byte at a time (never idle, never done)
        (f"{f}drip.html", "timeout", Reply(raw=drip_body)),
        # ... or even the status line
        (f"{f}drip_head.html", "timeout", Reply(raw=drip_head)),
        # a pre-compressed page that unpacks to 1 GiB (a gzip bomb, 1 MB sent)
        (f"{f}bomb.html", "too_large", Reply(body=gzip_bomb(), compressible=False,
                                            headers=[("Content-Encoding", "gzip")])),
        # a 20 MB page: a report pasted from Word with its images inlined as base64
        (f"{f}big.html", "too_large", Reply(body=big_page(), compressible=False)),
        # a redirect that adds to its own address for ever (a login filter appending a return URL)
        (f"{f}loop.html", "redirect_loop", endless_redirect),
        # two pages redirecting to each other (an http/https or www/no-www rule fighting another)
        (f"{f}cycle_a.html", "redirect_loop", redirect(f"{f}cycle_b.html", 302)),
        (f"{f}cycle_b.html", None, redirect(f"{f}cycle_a.html", 302)),
        # a body cut short of its Content-Length (a worker killed mid-send)
        (f"{f}truncated.html", "truncated", Reply(raw=truncated)),
        # a status line no parser accepts (a broken CMS plugin writing its own headers)
        (f"{f}garbage.html", "bad_response", Reply(raw=garbage_status)),
        # 200 with nothing (a template that rendered nothing)
        (f"{f}empty.html", "empty", Reply(body=b"", compressible=False)),
        # the CMS's not-found page, sent with 200 (a soft 404)
        (f"{f}gone.html", "soft_404", Reply(body=SOFT_404)),
        # a missing file answered by the same page, under a file's name
        (f"/uploads/2019/{port}_missing.pdf", "soft_404", Reply(body=SOFT_404)),
        # a database error shown with 200
        (f"{f}dberror.html", "error_page", Reply(body=DB_ERROR)),
        # one directory behind 瑞数: 412 and a script nothing passes
        (f"{f}rs/2019nb.html", "blocked", challenge.rivers_reply),
        # report links to intranet addresses and [::1] (content pasted from the intranet)
        (f"http://127.0.0.2:{port}{f}nb2019.html", "offsite", None),
        (f"http://[::1]:{port}{f}nb2018.html", "offsite", None),
        # a redirect to a private address (the server's own admin page on another interface)
        (f"{f}jump.html", "offsite", redirect(f"http://127.0.0.2:{port}/admin/", 302)),
        # a meta refresh to [::1] (a hijacked page)
        (f"{f}refresh.html", "offsite", Reply(body=(
            f'<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=http://[::1]:{port}/">'
            "</head><body>正在跳转</body></html>").encode())),
    ]


SOFT_404 = ('<html><head><meta charset="utf-8"><title>提示信息</title></head><body><div class="error">'
            '<img src="/images/404.png"><p>对不起，您访问的页面不存在或已被删除！</p><a href="/">返回首页</a></div>'
            "</body></html>").encode()
DB_ERROR = ('<html><head><meta charset="utf-8"><title>系统提示</title></head><body><p>数据库连接失败，请稍后再试。'
            "</p><p>Error: ORA-12541: TNS:no listener</p></body></html>").encode()


def drip_body(conn: RawConnection) -> None:
    """Headers, then one byte every half second."""
    conn.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 1000000\r\n\r\n")
    _drip(conn, itertools.repeat(b" "))


def drip_head(conn: RawConnection) -> None:
    """The status line itself, one byte every half second."""
    _drip(conn, (bytes([c]) for c in itertools.cycle(b"HTTP/1.1 200 OK\r\nX-Wait: ")))


def _drip(conn: RawConnection, chunks) -> None:
    deadline = time.monotonic() + DRIP_SECONDS
    for chunk in chunks:
        if time.monotonic() > deadline or not conn.write(chunk):
            return
        time.sleep(0.5)


def truncated(conn: RawConnection) -> None:
    """Content-Length 8000, 3000 bytes sent, the connection closed."""
    body = ('<html><head><meta charset="utf-8"><title>年度报告</title></head><body>' + "正文" * 2000).encode()
    conn.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 8000\r\n\r\n"
               + body[:3000])
    conn.close()


def garbage_status(conn: RawConnection) -> None:
    conn.write(b"HTTP/1.1 2OO 0K\r\nContent-Type: text/html\r\n\r\n<html><body>ok</body></html>")
    conn.close()


def endless_redirect(request: Request) -> Reply:
    step = int(request.query.get("n") or 0)
    return redirect(f"{COLUMN}f/loop.html?n={step + 1}", 302)


@functools.cache
def gzip_bomb(size: int = 1024 * MiB) -> bytes:
    """A gzip file of `size` spaces: one member of 16 MiB compressed once, repeated (gzip readers read members one
    after another)."""
    import gzip

    member = gzip.compress(b" " * (16 * MiB), compresslevel=9, mtime=0)
    return member * (size // (16 * MiB))


@functools.cache
def big_page(size: int = 20 * MiB) -> bytes:
    """A report page carrying `size` bytes of inline base64 image."""
    head = ('<html><head><meta charset="utf-8"><title>2019年度报告</title></head><body><p>见下图</p>'
            '<img src="data:image/png;base64,')
    tail = '"></body></html>'
    return head.encode() + b"iVBORw0KGgo" * ((size - len(head) - len(tail)) // 11) + tail.encode()


@functools.cache
def docx_bomb(size: int = 1024 * MiB) -> bytes:
    """A .docx whose word/document.xml unpacks to `size` bytes: one deflated MiB of paragraphs, full-flushed so
    the same compressed block repeats."""
    paragraph = "<w:p><w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p>".encode()
    block = (paragraph * (MiB // len(paragraph) + 1))[:MiB]
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // MiB
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    data = chunk * count + compressor.flush()
    return zip_file([
        ("[Content_Types].xml", CONTENT_TYPES_XML, None),
        ("_rels/.rels", RELS_XML, None),
        ("word/document.xml", data, (crc, count * MiB)),
    ])


CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def zip_file(members: list[tuple[str, bytes, tuple[int, int] | None]]) -> bytes:
    """A ZIP of deflated members: (name, data, None) deflates `data`; (name, deflated, (crc, size)) takes it as
    already deflated."""
    out, directory = bytearray(), bytearray()
    for name, data, known in members:
        if known is None:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            crc, size, data = zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush()
        else:
            crc, size = known
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(data), size)
        directory += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0,
                                                                                 0, len(out)) + encoded
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + data
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + end)
