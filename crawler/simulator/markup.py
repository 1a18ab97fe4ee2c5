"""Pieces every simulated portal shares: page frames, attachments, publication dates."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote, urljoin, urlsplit

from crawler.simulator import documents
from crawler.simulator.documents import Document
from crawler.simulator.render import render_report
from crawler.simulator.reports import Report, generated_report
from crawler.simulator.server import Portal, Reply, Request, redirect

CHARSET_RE = re.compile(r"(charset\s*=\s*[\"']?)[\w-]+", re.IGNORECASE)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "wps": "application/kswps",
}


def frame(site: str, title: str, body: str, charset: str = "utf-8", crumbs: str = "") -> str:
    """A portal page: header, navigation, breadcrumbs and footer around `body`."""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="{escape(site)}">
<title>{escape(title)}-{escape(site)}</title>
<link rel="stylesheet" href="/css/style.css">
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top"><span class="welcome">欢迎访问{escape(site)}</span> <a href="#">登录</a> <a href="#">注册</a>
<a href="javascript:void(0)" id="wza">无障碍浏览</a> <a href="#">繁體</a></div>
<div class="header"><h1 class="logo"><a href="/">{escape(site)}</a></h1>
<form class="search" action="/search"><input name="q" type="text"><button>搜索</button></form></div>
<div class="nav"><a href="/">首页</a> <a href="#">政务动态</a> <a href="#">政务公开</a> <a href="#">政务服务</a>
<a href="#">互动交流</a> <a href="#">走进本地</a></div>
{f'<div class="position">当前位置：{crumbs}</div>' if crumbs else ''}
<div class="main">
{body}
</div>
<div class="footer"><p>主办：{escape(site)}办公室　承办：信息中心</p>
<p>网站标识码：0000000000　ICP备案号：00000000号</p><p>建议使用1024×768分辨率浏览</p></div>
</body>
</html>
"""


def link_list(links: list[tuple[str, str]]) -> str:
    """A plain <ul> of links."""
    return "<ul>" + "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links) + "</ul>"


def encode_page(html: str, charset: str) -> bytes:
    """Encode a page, rewriting its declared charset to match (gb2312 pages are really GBK)."""
    declared = "gb2312" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset
    return CHARSET_RE.sub(lambda m: m.group(1) + declared, html).encode(charset, "xmlcharrefreplace")


def publish_date(report_year: int, rng: random.Random) -> str:
    """When a report for `report_year` plausibly went online (due 31 Jan since 2019, 31 Mar before)."""
    month = 1 if report_year >= 2018 else rng.choice((2, 3))
    return f"{report_year + 1}-{month:02d}-{rng.randint(5, 28):02d}"


def pdf_file(stream: bytes, fonts: list[bytes]) -> bytes:
    """A one-page PDF drawing `stream` with font F1 (the first of `fonts`, object 5; the others follow it), with its
    cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        *fonts,
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_bytes(title: str, lines: int = 120) -> bytes:
    """A small valid one-page PDF (ASCII text, standard font), a few KB long."""
    text = [f"({_pdf_escape(title)}) Tj", "0 -18 Td"]
    for n in range(lines):
        text.append(f"(Line {n + 1}: government information disclosure annual report, statistics table.) Tj 0 -6 Td")
    stream = ("BT /F1 9 Tf 40 800 Td " + "\n".join(text) + " ET").encode("ascii")
    return pdf_file(stream, [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def cjk_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is Chinese: an Identity-H font (not embedded) with a ToUnicode map, as office
    suites write CJK text, so text extraction reads the characters (it is not meant to be looked at)."""
    def hexs(text: str) -> str:
        return "<" + "".join(f"{ord(c):04X}" for c in text if ord(c) < 0x10000) + ">"
    ops = ["BT /F1 10 Tf 40 800 Td 14 TL"] + [f"{hexs(line)} Tj T*" for line in lines] + ["ET"]
    stream = "\n".join(ops).encode("ascii")
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
            "/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            + "".join(f"1 beginbfrange <{h:02X}00> <{h:02X}FF> <{h:02X}00> endbfrange\n" for h in range(256))
            + "endcmap CMapName currentdict /CMap defineresource pop end end").encode("ascii")
    return pdf_file(stream, [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /CIDToGIDMap /Identity /FontDescriptor 8 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>",
    ])


def pad_pdf(pdf: bytes, size: int, seed: str) -> bytes:
    """The PDF with `size` more bytes: an unreferenced binary stream before its xref (startxref moved to match),
    as embedded fonts and images make real report PDFs hundreds of KB."""
    blob = random.Random(seed).randbytes(size)
    xref = pdf.rindex(b"\nxref\n") + 1
    padded = pdf[:xref] + b"%% padding\n<< /Length %d >>\nstream\n" % size + blob + b"\nendstream\n"
    return padded + re.sub(rb"startxref\n\d+", b"startxref\n%d" % len(padded), pdf[xref:])


def _pdf_escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@dataclass
class FileRoute:
    """An attached report file (PDF, DOCX, XLS), rendered when first asked for; `pad` bytes added to a PDF."""

    document: Document
    kind: str
    headers: list[tuple[str, str]]
    pad: int = 0

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    def __call__(self, request: Request | None = None) -> Reply:
        body = documents.render(self.document, self.kind)
        if self.pad:
            body = pad_pdf(body, self.pad, self.document.title)
        return Reply(body=body, content_type=self.content_type, headers=self.headers, compressible=False)


def attachment_reply(href: str, name: str, report: Report | None = None) -> Reply | FileRoute:
    """An attachment as government servers send it (raw GBK bytes for the file name in Content-Disposition): the
    report's own content as a PDF, DOCX or XLS file (without a report, a file holding only its title), or for
    another extension a text file naming it."""
    path = unquote(urlsplit(href).path)
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else "pdf"
    filename = name if name.lower().endswith("." + ext) else f"{name}.{ext}"
    # http.server writes header text as latin-1, so GBK bytes decoded as latin-1 go out unchanged
    disposition = 'attachment; filename="' + filename.encode("gbk", "replace").decode("latin-1") + '"'
    headers = [("Content-Disposition", disposition), ("Accept-Ranges", "bytes")]
    if ext in documents.KINDS:
        title, blocks = report.file_content() if report else (filename.rsplit(".", 1)[0], [])
        document = documents.Document(title, tuple(blocks))
        documents.will_serve(document)
        return FileRoute(document, ext, headers)
    return Reply(body=f"{filename}\n".encode("gb18030") * 200,
                 content_type=CONTENT_TYPES.get(ext, "application/octet-stream"), headers=headers,
                 compressible=False)


def generated(family: str, specs: list[tuple[int, str]], first_id: int, step: int, seed: int) -> list[Report]:
    """Reports for (report year, agency) pairs, with stable ids and publication dates."""
    rng = random.Random(seed)
    return [
        generated_report(family, year, agency, str(first_id + n * step), publish_date(year, rng))
        for n, (year, agency) in enumerate(specs)
    ]


def newest_first(reports: list[Report]) -> list[Report]:
    """Reports in the order columns list them."""
    return sorted(reports, key=lambda report: (report.publish_date, report.id), reverse=True)


def serve_report(portal: Portal, path: str, report: Report, charset: str = "utf-8", linked: bool = True,
                 toolbar: bool = False) -> str:
    """Serve a report page (in its family's template) and its attachments; return the page's URL."""
    html = encode_page(render_report(report, toolbar=toolbar), charset)
    portal.add_report(path, report, html, f"text/html; charset={charset}", linked=linked)
    url = portal.url(path)
    for href, text in report.attachments if linked else ():
        target = urljoin(url, href)
        portal.add(urlsplit(target).path, attachment_reply(target, text, report))
        portal.attachment_urls.append(target)
    return url


def serve_redirect(portal: Portal, old_path: str, new_path: str, status: int = 301) -> None:
    """Answer a listed old URL with a redirect to where the page lives now."""
    portal.add(old_path, redirect(new_path, status))
    portal.redirects[portal.url(old_path)] = portal.url(new_path)


def serve_missing(portal: Portal, path: str) -> None:
    """Remember a listed URL that answers 404 (it simply has no route)."""
    portal.routes.pop(path, None)
    portal.missing_urls.append(portal.url(path))


def serve_page(portal: Portal, path: str, html: str, charset: str = "utf-8") -> None:
    """Serve an HTML page (home, section, list) in `charset`."""
    portal.add(path, Reply(body=encode_page(html, charset), content_type=f"text/html; charset={charset}"))
