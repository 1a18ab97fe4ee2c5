"""A fixture server for archive fidelity: every awkward thing a portal sends, and a log of the bytes sent.

Two loopback servers: plain HTTP and HTTPS (self-signed), so http→https hops are real.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import ssl
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

GBK_FILENAME = "漳县2019年政府信息公开工作年度报告.pdf".encode("gbk")
NON_ASCII_PATH = "/报告/2019年.html"
PDF_SIZE = 3 * 1024 * 1024

APP_ITEMS = [{"title": "2019年政府信息公开工作年度报告", "url": "/a/2019.html"},
             {"title": "2020年政府信息公开工作年度报告", "url": "/a/2020.html"}]
APP_PAGE = ('<html><head><link rel="stylesheet" href="/app/app.css"><script src="/app/app.js"></script></head>'
            '<body><div class="head">漳县人民政府 政务公开 政府信息公开年报</div><ul id="list"></ul>'
            + '<div class="foot">主办：漳县人民政府办公室 网站标识码：6211250001 陇ICP备09001234号</div>' * 6
            + '</body></html>')
APP_SCRIPT = """fetch('/app/items.json').then(r => r.json()).then(items => {
  const list = document.getElementById('list');
  for (const item of items) { const li = document.createElement('li'); li.textContent = item.title; list.appendChild(li); }
  document.body.setAttribute('data-ready', '1');
});"""

Reply = tuple[int, list[tuple[str, str]], bytes]  # status, headers (latin-1 str), body


def big_pdf() -> bytes:
    """A several-MB PDF-shaped body with incompressible content, the same on every call."""
    chunks, seed = [], b"xxgk"
    while sum(map(len, chunks)) < PDF_SIZE:
        seed = hashlib.sha256(seed).digest()
        chunks.append(seed * 64)
    return b"%PDF-1.4\n" + b"".join(chunks)[:PDF_SIZE] + b"\n%%EOF\n"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2)).sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class FidelityServer:
    """Start with `with FidelityServer() as server:`; `server.sent` lists every response as sent."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self._lock = threading.Lock()
        self._tmp = tempfile.TemporaryDirectory()
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler("http"))
        self.https = ThreadingHTTPServer(("127.0.0.1", 0), self._handler("https"))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*self_signed(Path(self._tmp.name)))
        self.https.socket = context.wrap_socket(self.https.socket, server_side=True)
        self.base = f"http://127.0.0.1:{self.http.server_port}"
        self.secure_base = f"https://127.0.0.1:{self.https.server_port}"
        self.pdf = big_pdf()

    def __enter__(self) -> FidelityServer:
        for server in (self.http, self.https):
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        for server in (self.http, self.https):
            server.shutdown()
            server.server_close()
        self._tmp.cleanup()

    def log(self, entry: dict) -> None:
        with self._lock:
            self.sent.append(entry)

    def routes(self) -> dict[str, Callable[[bytes], Reply]]:
        html = [("Content-Type", "text/html; charset=utf-8")]
        links = "".join(f'<a href="{href}">{href}</a> ' for href in (
            "/index.html", "/chain/1", "/chunked.html", "/gbk.html", quote(NON_ASCII_PATH), "/files/report.pdf",
            "/search", "/secure", "/list?page=2&sort=date",
        ))
        index = f'<html><head><link rel="stylesheet" href="/style.css"></head><body>{links}</body></html>'.encode()
        return {
            "/": lambda _: (200, html + [("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/; HttpOnly"),
                                         ("ETag", '"idx-1"')], index),
            "/index.html": lambda _: (301, [("Location", "/")], b""),
            "/chain/1": lambda _: (302, [("Location", "/chain/2")], b""),
            "/chain/2": lambda _: (301, [("Location", "/chain/end?x=1&y=%E5%B9%B4")], b""),
            "/chain/end": lambda _: (200, html, b"<html><body>chain end</body></html>"),
            "/list": lambda _: (200, html, b"<html><body>page 2</body></html>"),
            "/style.css": lambda _: (200, [("Content-Type", "text/css")], b"body { color: #333 }"),
            "/chunked.html": lambda _: (200, html + [("Transfer-Encoding", "chunked")],
                                        "<html><body>分块传输的页面</body></html>".encode() * 50),
            "/gbk.html": lambda _: (200, [("Content-Type", "text/html; charset=GBK")],
                                    "<html><body>漳县政府信息公开年报</body></html>".encode("gbk")),
            quote(NON_ASCII_PATH): lambda _: (200, html, "<html><body>中文路径</body></html>".encode()),
            "/files/report.pdf": lambda _: (200, [
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", 'attachment; filename="' + GBK_FILENAME.decode("latin-1") + '"'),
            ], self.pdf),
            "/search": lambda _: (200, html, (
                '<html><body><form method="post" action="/search/result">'
                '<input name="q" value="年度报告"><input name="page" value="1"></form></body></html>').encode()),
            "/search/result": lambda body: (200, html, b"<html><body>results for " + body + b"</body></html>"),
            "/secure": lambda _: (301, [("Location", f"{self.secure_base}/secure/page.html")], b""),
            "/secure/page.html": lambda _: (200, html, b"<html><body>secure page</body></html>"),
            # A column built by script (not linked from /): only a browser sees its items.
            "/app/": lambda _: (200, html, APP_PAGE.encode()),
            "/app/app.js": lambda _: (200, [("Content-Type", "application/javascript")], APP_SCRIPT.encode()),
            "/app/app.css": lambda _: (200, [("Content-Type", "text/css")], b"li { color: #900 }"),
            "/app/items.json": lambda _: (200, [("Content-Type", "application/json; charset=utf-8")],
                                          json.dumps(APP_ITEMS, ensure_ascii=False).encode()),
        }

    def _handler(self, scheme: str) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self.answer(b"")

            def do_POST(self) -> None:
                self.answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def answer(self, payload: bytes) -> None:
                path = self.path.split("?")[0]
                route = server.routes().get(path)
                status, headers, body = route(payload) if route else (404, [], b"not found")
                chunked = ("Transfer-Encoding", "chunked") in headers
                if "gzip" in (self.headers.get("Accept-Encoding") or "") and path in ("/", "/chunked.html"):
                    body, headers = gzip.compress(body, mtime=0), headers + [("Content-Encoding", "gzip")]
                if not chunked:
                    headers = headers + [("Content-Length", str(len(body)))]
                head = f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}\r\n"
                head += "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
                wire = body
                if chunked:
                    parts = [body[i:i + 700] for i in range(0, len(body), 700)]
                    wire = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
                self.wfile.write(head.encode("latin-1") + wire)
                base = server.base if scheme == "http" else server.secure_base
                server.log({"method": self.command, "url": base + self.path, "status": status,
                            "headers": headers, "body": body, "request_body": payload})

            def log_message(self, *args) -> None:
                """Quiet: the test reads `sent`."""

        return Handler
