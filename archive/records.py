"""Build WARC records from Scrapy requests and responses, byte-faithfully.

HTTP header bytes are kept as latin-1 (warcio would %-encode non-ASCII values,
losing e.g. the raw GBK bytes of a Content-Disposition file name).
"""

from __future__ import annotations

import socket
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from twisted.web.http_headers import _nameEncoder
from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

import crawler

BUILDER = RecordBuilder(warc_version="1.1")

# Headers the HTTP client consumed: the stored body no longer matches them.
FRAMING_HEADERS = {"transfer-encoding"}


class Latin1Headers(StatusAndHeaders):
    """HTTP headers serialised as the latin-1 bytes they arrived as."""

    def compute_headers_buffer(self, header_filter=None) -> None:
        self.headers_buff = self.to_str(header_filter).encode("latin-1") + b"\r\n"


def _header_pairs(headers: scrapy.http.headers.Headers) -> list[tuple[str, str]]:
    """Every value of every header (repeated Set-Cookie included), decoded as latin-1.

    The client keeps no original name case; Twisted's canonical form is the closest
    (ETag, WWW-Authenticate, where Scrapy's title case would say Etag).
    """
    return [
        (_nameEncoder.encode(name).decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _stored_response_headers(response: Response) -> list[tuple[str, str]]:
    """Response headers, with those contradicting the stored body renamed X-Orig-…."""
    pairs = []
    for name, value in _header_pairs(response.headers):
        lower = name.lower()
        if lower in FRAMING_HEADERS or (lower == "content-length" and value.strip() != str(len(response.body))):
            name = f"X-Orig-{name}"
        pairs.append((name, value))
    return pairs


def host_header(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.hostname if parts.port in (None, default) else f"{parts.hostname}:{parts.port}"


def response_record(response: Response, date: str) -> ArcWarcRecord:
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    http_headers = Latin1Headers(
        f"{response.status} {_reason(response.status)}".strip(), _stored_response_headers(response), protocol=protocol
    )
    warc_headers = {"WARC-Date": date}
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    return BUILDER.create_warc_record(
        response.url, "response", payload=BytesIO(response.body), length=len(response.body),
        http_headers=http_headers, warc_headers_dict=warc_headers,
    )


def request_record(request: Request, date: str, concurrent_to: str) -> ArcWarcRecord:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = [("Host", host_header(request.url))] + [
        pair for pair in _header_pairs(request.headers) if pair[0].lower() not in ("host", "proxy-authorization")
    ]
    http_headers = Latin1Headers(f"{request.method} {target} HTTP/1.1", pairs, is_http_request=True)
    return BUILDER.create_warc_record(
        request.url, "request", payload=BytesIO(request.body), length=len(request.body),
        http_headers=http_headers, warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
    )


def metadata_record(url: str, date: str, concurrent_to: str, fields: list[tuple[str, str]]) -> ArcWarcRecord:
    """Heritrix-style metadata about a capture: via, hopsFromSeed, fetchTimeMs, outlink lines."""
    block = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")
    return BUILDER.create_warc_record(
        url, "metadata", payload=BytesIO(block), length=len(block), warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
    )


def warcinfo_record(filename: str, settings: dict) -> ArcWarcRecord:
    info = {
        "software": f"xxgk/{crawler.__version__} (Scrapy {scrapy.__version__}, warcio {version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "hostname": socket.gethostname(),
        "http-messages": (
            "simplified HTTP/1.1: rebuilt from the client's parsed response; chunked framing and its "
            "Transfer-Encoding header are consumed by the client (any left is renamed X-Orig-Transfer-Encoding, "
            "as is a Content-Length that does not match); body stored as received, content-encoding kept; "
            "header names in canonical case"
        ),
        **{f"setting-{key}": value for key, value in settings.items()},
    }
    return BUILDER.create_warcinfo_record(filename, info)

