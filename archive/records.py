"""Build WARC records from Scrapy requests and responses, byte-faithfully.

HTTP header bytes are kept as latin-1 (warcio would %-encode non-ASCII values,
losing e.g. the raw GBK bytes of a Content-Disposition file name).
"""

from __future__ import annotations

import hashlib
import os
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

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_PAIRS = [_B32[i >> 5] + _B32[i & 31] for i in range(1024)]
_SHIFTS = tuple(range(150, -10, -10))


def sha1_digest(*parts) -> str:
    """"sha1:" + base32 of the SHA-1 of `parts` in turn, as warcio writes digests (base64.b32encode is ~60 % slower)."""
    hasher = hashlib.sha1()
    for part in parts:
        hasher.update(part)
    value = int.from_bytes(hasher.digest(), "big")
    return "sha1:" + "".join([_B32_PAIRS[(value >> shift) & 1023] for shift in _SHIFTS])


class _Builder(RecordBuilder):
    """warcio's RecordBuilder with cheaper record ids: random UUIDs (version 4, as uuid.uuid4 makes them) from a
    pool of random bytes read 4 KiB at a time, not one getrandom call and a UUID object per record."""

    _pool = b""
    _pid = 0

    @classmethod
    def _make_warc_id(cls) -> str:
        if len(cls._pool) < 16 or cls._pid != os.getpid():  # a forked child must not reuse its parent's pool
            cls._pool, cls._pid = os.urandom(4096), os.getpid()
        raw, cls._pool = bytearray(cls._pool[:16]), cls._pool[16:]
        raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw.hex()
        return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}>"


BUILDER = _Builder(warc_version="1.1")

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


def payload_digest(body: bytes) -> str:
    """WARC-Payload-Digest of a body as warcio writes it: sha1, base32."""
    return sha1_digest(body)


def _record(url: str, rec_type: str, body: bytes, warc_headers: dict, http_headers=None, content_type: str = "",
            digest: str | None = None) -> ArcWarcRecord:
    """What warcio's RecordBuilder.create_warc_record makes (the same WARC headers in the same order), without
    reading the payload through its stream to digest it: the payload digest is `digest` when the caller has it
    (the capture middleware computes it once, for the digest index too), else computed here in one call. The
    block digest is computed when the record is serialised (archive.warc.record_bytes)."""
    rec_headers = BUILDER._init_warc_headers(url, rec_type, warc_headers)
    content_type = content_type or rec_headers.get_header("Content-Type") or BUILDER.WARC_RECORDS.get(
        rec_type, "application/warc-record")
    record = ArcWarcRecord("warc", rec_type, rec_headers, BytesIO(body), http_headers, content_type, len(body))
    record.payload_length = len(body)
    if rec_type not in BUILDER.NO_PAYLOAD_DIGEST_TYPES:
        rec_headers.add_header("WARC-Payload-Digest", digest or payload_digest(body))
    return record


def http_response_record(url: str, status: int, headers: list[tuple[str, str]], body: bytes, date: str,
                         ip: str | None = None, protocol: str = "HTTP/1.1", reason: str | None = None,
                         digest: str | None = None) -> ArcWarcRecord:
    """A `response` record from an exchange's parts (headers as stored, latin-1); `digest`: the body's payload
    digest, if known already."""
    statusline = f"{status} {reason if reason is not None else _reason(status)}".strip()
    warc_headers = {"WARC-Date": date, **({"WARC-IP-Address": ip} if ip else {})}
    return _record(url, "response", body, warc_headers, Latin1Headers(statusline, headers, protocol=protocol),
                   digest=digest)


def http_request_record(url: str, method: str, headers: list[tuple[str, str]], body: bytes, date: str,
                        concurrent_to: str) -> ArcWarcRecord:
    """A `request` record: request line with path and query, Host first, the headers sent, the body."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = [("Host", host_header(url))] + [
        pair for pair in headers if pair[0].lower() not in ("host", ":authority", "proxy-authorization")
    ]
    return _record(url, "request", body, {"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
                   Latin1Headers(f"{method} {target} HTTP/1.1", pairs, is_http_request=True))


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


def response_record(response: Response, date: str, digest: str | None = None) -> ArcWarcRecord:
    ip = str(response.ip_address) if response.ip_address is not None else None
    headers = stored_headers(_header_pairs(response.headers), response.body)
    return http_response_record(response.url, response.status, headers, response.body, date, ip,
                                protocol=getattr(response, "protocol", None) or "HTTP/1.1", digest=digest)


def request_record(request: Request, date: str, concurrent_to: str) -> ArcWarcRecord:
    return http_request_record(request.url, request.method, _header_pairs(request.headers), request.body, date,
                               concurrent_to)


def resource_record(url: str, content_type: str, body: bytes, date: str, concurrent_to: str,
                    refers_to: str) -> ArcWarcRecord:
    """A `resource` record (e.g. a rendered DOM) linked to the response it was made from."""
    return _record(url, "resource", body, {"WARC-Date": date, "WARC-Concurrent-To": concurrent_to,
                                           "WARC-Refers-To-Target-URI": refers_to}, content_type=content_type)


def metadata_record(url: str, date: str, concurrent_to: str, fields: list[tuple[str, str]]) -> ArcWarcRecord:
    """Heritrix-style metadata about a capture: via, hopsFromSeed, fetchTimeMs, outlink lines."""
    block = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")
    return _record(url, "metadata", block, {"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
                   content_type="application/warc-fields")


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

