"""HTTP servers for simulated portals, with byte-level control of what goes on the wire."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from crawler.simulator.pages import Report

SERVER_NAME = "nginx"


@dataclass
class Reply:
    """What a route answers; `headers` are sent as given (str values are written as latin-1 bytes)."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    compressible: bool = True


@dataclass(frozen=True)
class Request:
    """An incoming request, as a route sees it."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: Message


Route = Reply | Callable[[Request], "Reply | None"]


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
        self.sent = SentLog()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
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
        """The reply to a request: the route's answer, or 404."""
        route = self.routes.get(request.path)
        reply = route(request) if callable(route) else route
        return reply or NOT_FOUND

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
        parts = urlsplit(self.path)
        form = dict(parse_qsl(payload.decode("utf-8", "replace"), keep_blank_values=True)) if payload else {}
        request = Request(self.command, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)), form, self.headers)
        reply = self.portal.answer(request)
        body, headers = reply.body, list(reply.headers)
        if reply.compressible and "gzip" in (self.headers.get("Accept-Encoding") or "").lower():
            body = gzip.compress(body, mtime=0)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        head_lines = [("Server", SERVER_NAME), ("Date", formatdate(time.time(), usegmt=True))]
        if reply.content_type:
            head_lines.append(("Content-Type", reply.content_type))
        head_lines += [*headers, ("Content-Length", str(len(body)))]
        phrase = HTTPStatus(reply.status).phrase if reply.status in HTTPStatus._value2member_map_ else ""
        raw_head = f"HTTP/1.1 {reply.status} {phrase}\r\n".encode("latin-1")
        raw_head += b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in head_lines) + b"\r\n"
        # logged before it goes out, so a client that has the response always finds it in the log
        self.portal.sent.append({
            "method": self.command, "url": self.portal.url(self.path), "status": reply.status,
            "headers": head_lines, "body": b"" if head else body,
        })
        self.wfile.write(raw_head + (b"" if head else body))
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and the demo read `Portal.sent` instead."""
