"""HTTP servers for simulated portals, with byte-level control of what goes on the wire."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from crawler.simulator.reports import Report

SERVER_NAME = "nginx"
# Last-Modified of a validated page or file until a test changes it (2024-01-01T00:00:00Z).
FIRST_MODIFIED = 1704067200.0
CHARSET_RE = re.compile(r"charset=([\w-]+)", re.I)


@dataclass
class Reply:
    """What a route answers; `headers` are sent as given (str values are written as latin-1 bytes)."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    compressible: bool = True
    # writes the whole answer itself on the raw connection (resets, drips, broken status lines: simulator/faults.py)
    raw: Callable[[RawConnection], None] | None = None


@dataclass(frozen=True)
class Edit:
    """A change to what a portal serves: `old` (text, or a pattern) becomes `new` in one path's body or all."""

    path: str | None
    old: str
    new: str
    regex: bool = False


@dataclass(frozen=True)
class Request:
    """An incoming request, as a route sees it."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: Message


Route = Reply | Callable[[Request], "Reply | None"]


class RawConnection:
    """What a raw reply writes to: the client's socket, byte by byte."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self._handler = handler

    def write(self, data: bytes) -> bool:
        """Send `data` now; False once the client has gone."""
        try:
            self._handler.wfile.write(data)
            self._handler.wfile.flush()
            return True
        except OSError:
            return False

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), as a crashed or overloaded server does."""
        sock = self._handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._handler.rfile.close()  # the socket closes (and resets) only once its file objects are gone
        sock.close()

    def close(self) -> None:
        """Close the connection (a FIN) without sending anything more."""
        self._handler.connection.shutdown(socket.SHUT_RDWR)


class SentLog:
    """Thread-safe record of every response a portal sent."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []

    def append(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __getitem__(self, index: int) -> dict[str, Any]:
        with self._lock:
            return self._entries[index]

    def for_url(self, url: str) -> list[dict[str, Any]]:
        """Every response sent for this absolute URL, oldest first."""
        return [entry for entry in self if entry["url"] == url]


def redirect(location: str, status: int = 301) -> Reply:
    """A redirect to a path or URL, with the small HTML body servers send along."""
    body = f'<html><head><title>{status} Moved</title></head><body><a href="{location}">here</a></body></html>'
    return Reply(status, body.encode(), headers=[("Location", location)], compressible=False)


NOT_FOUND = Reply(
    404,
    b"<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>",
    compressible=False,
)


class Portal:
    """One simulated portal: its routes, its loopback server, what it serves and what it sent."""

    def __init__(self, name: str, family: str, port: int = 0) -> None:
        self.name, self.family = name, family
        self.routes: dict[str, Route] = {}
        self.reports: dict[str, Report] = {}  # absolute URL of a served report page -> Report
        self.report_urls: list[str] = []  # report pages the column links to and that exist (after redirects)
        self.attachment_urls: list[str] = []
        self.redirects: dict[str, str] = {}  # listed URL -> where it redirects
        self.missing_urls: list[str] = []  # listed URLs that answer 404
        self.extra_urls: dict[str, Report] = {}  # report pages served but not linked (e.g. /gate/big5/ captures)
        self.part_urls: list[str] = []  # later pages of split reports (t…_{id}_1.html), stitched into the first
        self.faults: dict[str, str] = {}  # listed URL -> the fault kind a crawl must count it as (simulator/faults.py)
        self.sent = SentLog()
        self.edits: list[Edit] = []
        self.removed: dict[str, Route] = {}  # path -> the route taken down (answers 404 until restored)
        self._validators: dict[str, tuple[str, float]] = {}  # path -> (ETag, Last-Modified) of what it serves
        self._lock = threading.Lock()
        # Real portals answer in 100-300 ms (measured on county portals); benchmarks set a latency, tests leave 0.
        self.latency: tuple[float, float] = (0.0, 0.0)
        self.in_flight = 0  # requests being answered now
        self.peak = 0  # the most answered at once: a crawl's per-site concurrency as the portal saw it
        self._server = QuietServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"

    def url(self, path: str) -> str:
        """Absolute URL of a path on this portal."""
        return self.base_url + path

    def add(self, path: str, route: Route) -> None:
        """Serve `route` at `path` (the path without its query)."""
        self.routes[path] = route

    def add_report(self, path: str, report: Report, html: bytes, content_type: str, linked: bool = True) -> None:
        """Serve a rendered report page and remember it."""
        self.add(path, Reply(body=html, content_type=content_type))
        if linked:
            self.reports[self.url(path)] = report
            self.report_urls.append(self.url(path))
        else:
            self.extra_urls[self.url(path)] = report

    def answer(self, request: Request) -> Reply:
        """The reply to a request: the route's answer (with any edits), or 404."""
        route = self.routes.get(request.path)
        reply = route(request) if callable(route) else route
        return self._edited(request.path, reply) if reply else NOT_FOUND

    # -- changing the portal between crawls (for recrawl and history tests) ---------------

    def edit(self, old: str, new: str, path: str | None = None) -> None:
        """From now on serve `new` wherever `old` appeared (in one path's page, or every page's)."""
        self.edits.append(Edit(path, old, new))

    def retitle(self, old_title: str, new_title: str) -> None:
        """Show an item under a new title in the column (list pages and any list data), not on its own page."""
        for path in self.list_paths():
            self.edit(old_title, new_title, path)

    def unlist(self, url: str) -> None:
        """Drop the list element (`<li>` or `<tr>`) linking to `url` from every list page."""
        href = re.escape(url.removeprefix(self.base_url))
        for path in self.list_paths():
            pattern = rf'<(li|tr)\b(?:(?!</\1>).)*?href="(?:{re.escape(self.base_url)})?{href}".*?</\1>'
            self.edits.append(Edit(path, pattern, "", regex=True))

    def take_down(self, url: str) -> None:
        """Make a page or file answer 404 (its route is kept to restore)."""
        path = urlsplit(url).path
        if path in self.routes:
            self.removed[path] = self.routes.pop(path)

    def restore(self, url: str | None = None) -> None:
        """Undo take_down (of one URL, or all) and, with no URL, every edit too."""
        for path in [urlsplit(url).path] if url else list(self.removed):
            if path in self.removed:
                self.routes[path] = self.removed.pop(path)
        if url is None:
            self.edits.clear()

    def list_paths(self) -> list[str]:
        """Paths of the pages that are neither reports, their parts, nor attachments (columns, list data, home)."""
        served = {urlsplit(u).path for u in [*self.reports, *self.extra_urls, *self.part_urls, *self.attachment_urls]}
        return [path for path in self.routes if path not in served]

    def _edited(self, path: str, reply: Reply) -> Reply:
        edits = [edit for edit in self.edits if edit.path in (None, path)]
        if not edits or not reply.body:
            return reply
        charset = (CHARSET_RE.search(reply.content_type or "") or [None, "utf-8"])[1]
        body = reply.body
        for edit in edits:
            old, new = edit.old.encode(charset, "xmlcharrefreplace"), edit.new.encode(charset, "xmlcharrefreplace")
            body = re.sub(old, new, body, flags=re.S) if edit.regex else body.replace(old, new)
        return replace(reply, body=body)

    # -- conditional requests -----------------------------------------------------------

    def validated(self, path: str) -> bool:
        """Report pages (and their parts) and attachments carry ETag and Last-Modified, as static files do."""
        url = self.url(path)
        return url in self.reports or url in self.extra_urls or url in self.part_urls or url in self.attachment_urls

    def validators(self, path: str, body: bytes) -> tuple[str, float]:
        """(ETag, Last-Modified) of what `path` serves now; a changed body is modified later than before."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        with self._lock:
            known = self._validators.get(path)
            if known is None or known[0] != etag:
                modified = FIRST_MODIFIED if known is None else max(time.time(), known[1] + 1)
                self._validators[path] = known = (etag, float(int(modified)))
        return known

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"portal-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice or before `start`."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up (a crawl killed or timing out) is what portals see every day: not worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(portal: Portal) -> type[BaseHTTPRequestHandler]:
    return type("PortalHandler", (_Handler,), {"portal": portal})


class _Handler(BaseHTTPRequestHandler):
    """Answer from the portal's routes and write every response byte by byte."""

    portal: Portal
    protocol_version = "HTTP/1.1"
    server_version = SERVER_NAME
    sys_version = ""

    def do_GET(self) -> None:
        self._serve(b"")

    def do_HEAD(self) -> None:
        self._serve(b"", head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length) if length else b"")

    def _serve(self, payload: bytes, head: bool = False) -> None:
        portal = self.portal
        with portal._lock:
            portal.in_flight += 1
            portal.peak = max(portal.peak, portal.in_flight)
        try:
            low, high = portal.latency
            if high:
                time.sleep(random.uniform(low, high))
            self._answer(payload, head)
        finally:
            with portal._lock:
                portal.in_flight -= 1

    def _answer(self, payload: bytes, head: bool) -> None:
        parts = urlsplit(self.path)
        form = dict(parse_qsl(payload.decode("utf-8", "replace"), keep_blank_values=True)) if payload else {}
        request = Request(self.command, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)), form, self.headers)
        reply = self.portal.answer(request)
        if reply.raw is not None:
            self._send_raw(reply)
            return
        body, headers = reply.body, list(reply.headers)
        if reply.status == 200 and self.command in ("GET", "HEAD") and self.portal.validated(parts.path):
            etag, modified = self.portal.validators(parts.path, body)
            headers += [("ETag", etag), ("Last-Modified", formatdate(modified, usegmt=True))]
            if not_modified(self.headers, etag, modified):
                self._send(304, [("Server", SERVER_NAME), ("Date", formatdate(time.time(), usegmt=True)),
                                 ("ETag", etag), ("Last-Modified", formatdate(modified, usegmt=True))], b"", head)
                return
        if reply.compressible and "gzip" in (self.headers.get("Accept-Encoding") or "").lower():
            body = gzip.compress(body, mtime=0)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        head_lines = [("Server", SERVER_NAME), ("Date", formatdate(time.time(), usegmt=True))]
        if reply.content_type:
            head_lines.append(("Content-Type", reply.content_type))
        head_lines += [*headers, ("Content-Length", str(len(body)))]
        self._send(reply.status, head_lines, body, head)

    def _send(self, status: int, head_lines: list[tuple[str, str]], body: bytes, head: bool) -> None:
        """Write status line, headers and body as given, after logging them."""
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        raw_head = f"HTTP/1.1 {status} {phrase}\r\n".encode("latin-1")
        raw_head += b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in head_lines) + b"\r\n"
        # logged before it goes out, so a client that has the response always finds it in the log
        self.portal.sent.append({
            "method": self.command, "url": self.portal.url(self.path), "status": status,
            "headers": head_lines, "body": b"" if head else body,
        })
        try:
            self.wfile.write(raw_head + (b"" if head else body))
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a download over its size cap, a timeout)
            self.wfile = io.BytesIO()

    def _send_raw(self, reply: Reply) -> None:
        """Let a raw reply write what it will, logged as status 0; then end the connection quietly."""
        self.portal.sent.append({"method": self.command, "url": self.portal.url(self.path), "status": 0,
                                 "headers": [], "body": b""})
        try:
            reply.raw(RawConnection(self))
        except OSError:
            pass  # the client went away, or the reply reset the connection
        self.close_connection = True
        self.wfile = io.BytesIO()  # nothing left to flush to a socket that may be gone

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and the demo read `Portal.sent` instead."""


def not_modified(headers: Message, etag: str, modified: float) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when sent (weak comparison); else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        return modified <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False
