"""Build WARC records from Scrapy requests and responses, byte-faithfully.

HTTP header bytes are kept as latin-1 (warcio would %-encode non-ASCII values,
losing e.g. the raw GBK bytes of a Content-Disposition file name).
"""

from __future__ import annotations

import socket
from datetime import UTC, datetime
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

IDENTICAL = "identical-payload-digest"
NOT_MODIFIED = "server-not-modified"
PROFILE_BASE = "http://netpreserve.org/warc/1.1/revisit/"


def warc_date(now: datetime | None = None) -> str:
    """WARC 1.1 date with microseconds, in UTC (now, or the given aware time)."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# What a 304 may not change in the stored response (RFC 9111 §4.3.4): its framing.
NOT_FRESHENED = {"content-length", "transfer-encoding", "content-encoding"}

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


def stored_headers(pairs: list[tuple[str, str]], body: bytes, renamed: set[str] = FRAMING_HEADERS) -> list[tuple[str, str]]:
    """Response headers, with those contradicting the stored body renamed X-Orig-…."""
    stored = []
    for name, value in pairs:
        lower = name.lower()
        if lower in renamed or (lower == "content-length" and value.strip() != str(len(body))):
            name = f"X-Orig-{name}"
        stored.append((name, value))
    return stored


def host_header(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.hostname if parts.port in (None, default) else f"{parts.hostname}:{parts.port}"


def http_response_record(url: str, status: int, headers: list[tuple[str, str]], body: bytes, date: str,
                         ip: str | None = None, protocol: str = "HTTP/1.1", reason: str | None = None) -> ArcWarcRecord:
    """A `response` record from an exchange's parts (headers as stored, latin-1)."""
    statusline = f"{status} {reason if reason is not None else _reason(status)}".strip()
    warc_headers = {"WARC-Date": date, **({"WARC-IP-Address": ip} if ip else {})}
    return BUILDER.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body),
        http_headers=Latin1Headers(statusline, headers, protocol=protocol), warc_headers_dict=warc_headers,
    )


def http_request_record(url: str, method: str, headers: list[tuple[str, str]], body: bytes, date: str,
                        concurrent_to: str) -> ArcWarcRecord:
    """A `request` record: request line with path and query, Host first, the headers sent, the body."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = [("Host", host_header(url))] + [
        pair for pair in headers if pair[0].lower() not in ("host", ":authority", "proxy-authorization")
    ]
    return BUILDER.create_warc_record(
        url, "request", payload=BytesIO(body), length=len(body),
        http_headers=Latin1Headers(f"{method} {target} HTTP/1.1", pairs, is_http_request=True),
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
    )


def revisit_record(url: str, profile: str, status: int, headers: list[tuple[str, str]], date: str, original: dict,
                   ip: str | None = None, protocol: str = "HTTP/1.1", reason: str | None = None) -> ArcWarcRecord:
    """A `revisit` record (profile IDENTICAL or NOT_MODIFIED): the HTTP head only, the payload in the original."""
    statusline = f"{status} {reason if reason is not None else _reason(status)}".strip()
    warc_headers = {"WARC-Date": date, "WARC-Refers-To": original["record_id"], **({"WARC-IP-Address": ip} if ip else {})}
    record = BUILDER.create_revisit_record(
        url, original["digest"], original["url"], original["date"],
        http_headers=Latin1Headers(statusline, headers, protocol=protocol), warc_headers_dict=warc_headers,
    )
    record.rec_headers.replace_header("WARC-Profile", PROFILE_BASE + profile)
    return record


def freshened(stored: list[tuple[str, str]], fresh: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The stored response's headers updated with those a 304 carried, as a cache does (RFC 9111 §4.3.4)."""
    updates = [(name, value) for name, value in fresh if name.lower() not in NOT_FRESHENED]
    replaced = {name.lower() for name, _ in updates}
    return [pair for pair in stored if pair[0].lower() not in replaced] + updates


def response_revisit(response: Response, date: str, original: dict) -> ArcWarcRecord:
    """An identical-payload-digest revisit of a Scrapy response whose body was archived before."""
    ip = str(response.ip_address) if response.ip_address is not None else None
    headers = stored_headers(_header_pairs(response.headers), response.body)
    return revisit_record(response.url, IDENTICAL, response.status, headers, date, original, ip,
                          protocol=getattr(response, "protocol", None) or "HTTP/1.1")


def not_modified_revisit(response: Response, date: str, original: dict, stored) -> ArcWarcRecord:
    """A server-not-modified revisit of a 304: the original's status and headers, freshened by the 304's."""
    ip = str(response.ip_address) if response.ip_address is not None else None
    headers = freshened(stored.headers, _header_pairs(response.headers))
    return revisit_record(response.url, NOT_MODIFIED, stored.status, headers, date, original, ip,
                          protocol=stored.protocol or "HTTP/1.1", reason=stored.reason)


def response_record(response: Response, date: str) -> ArcWarcRecord:
    ip = str(response.ip_address) if response.ip_address is not None else None
    headers = stored_headers(_header_pairs(response.headers), response.body)
    return http_response_record(response.url, response.status, headers, response.body, date, ip,
                                protocol=getattr(response, "protocol", None) or "HTTP/1.1")


def request_record(request: Request, date: str, concurrent_to: str) -> ArcWarcRecord:
    return http_request_record(request.url, request.method, _header_pairs(request.headers), request.body, date,
                               concurrent_to)


def resource_record(url: str, content_type: str, body: bytes, date: str, concurrent_to: str,
                    refers_to: str) -> ArcWarcRecord:
    """A `resource` record (e.g. a rendered DOM) linked to the response it was made from."""
    return BUILDER.create_warc_record(
        url, "resource", payload=BytesIO(body), length=len(body), warc_content_type=content_type,
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to,
                           "WARC-Refers-To-Target-URI": refers_to},
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

