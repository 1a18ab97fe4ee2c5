"""ReplayWeb.page (its npm package, fetched by `make replaywebpage`) served from loopback and driven in headless
Chromium with Playwright: load an archived page out of a WACZ file, or search the pages.

Layout, one origin: /ui.js (the <replay-web-page> element), /replay/sw.js (its service worker; scope /replay/ is
the embed's `replaybase`, and with ?serveIndex=1 the worker serves the app page itself), /w/NAME.wacz, /embed.html.
The server answers Range requests as the WACZ spec asks (ReplayWeb.page reads a WACZ by ranges; without them it
downloads whole files, and refuses those over 25 MB).
"""

from __future__ import annotations

import http.server
import re
import shutil
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
VERSION = "2.4.6"
PACKAGE = REPO / ".replaywebpage" / VERSION / "package"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 120_000  # a generous bound for a loaded machine, never a measure of speed

# The embed registers the service worker itself and adds <replay-web-page> once the worker is *active*: the element
# renders its iframe as soon as register() resolves, and a worker still installing then lets the iframe load the
# server's 404 for /replay/ instead of the app (3 runs in 12 without this, 0 in 66 with it). Every message the app
# posts (page-loading, urlchange) is kept in window.__rwp for the test.
EMBED = """<!doctype html>
<html><head><meta charset="utf-8"><title>xxgk WACZ in ReplayWeb.page</title>
<script src="/ui.js"></script>
<style>html,body{margin:0;height:100%} replay-web-page{display:block;width:100%;height:100vh}</style>
</head><body>
<script>
  window.__rwp = [];
  addEventListener("message", (e) => { if (e.data && e.data.type) window.__rwp.push(e.data); });
  const element = document.createElement("replay-web-page");
  element.setAttribute("replaybase", "/replay/");
  for (const [name, value] of new URLSearchParams(location.search)) element.setAttribute(name, value);
  async function workerActive() {
    const registration = await navigator.serviceWorker.register("/replay/sw.js?serveIndex=1", {scope: "/replay/"});
    const worker = registration.installing || registration.waiting || registration.active;
    await new Promise((ready) => {
      if (worker.state === "activated") return ready();
      worker.addEventListener("statechange", () => { if (worker.state === "activated") ready(); });
    });
  }
  workerActive().then(() => document.body.appendChild(element));
</script>
</body></html>
"""

# The Pages view inside the app: replay-app-main -> shadow -> wr-item -> shadow -> wr-page-view
PAGE_VIEW = """() => { const app = document.querySelector('replay-app-main');
  const item = app && app.shadowRoot && app.shadowRoot.querySelector('wr-item');
  return (item && item.shadowRoot && item.shadowRoot.querySelector('wr-page-view')) || null; }"""
RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with `Range: bytes=A-B` and suffix ranges (`bytes=-N`, the ZIP directory at the end)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "application/javascript",
                      ".wacz": "application/wacz"}

    def log_message(self, *args) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        match = RANGE.match((self.headers.get("Range") or "").strip())
        if not path.is_file() or not match or not (match[1] or match[2]):
            return super().send_head()
        size = path.stat().st_size
        start, end = (int(match[1]), min(int(match[2] or size - 1), size - 1)) if match[1] else \
            (max(size - int(match[2]), 0), size - 1)
        if start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        source = open(path, "rb")  # noqa: SIM115 - closed by the base class after copyfile
        source.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self.remaining = end - start + 1
        return source

    def copyfile(self, source, outputfile) -> None:
        remaining, self.remaining = getattr(self, "remaining", None), None
        if remaining is None:
            super().copyfile(source, outputfile)
            return
        while remaining > 0 and (chunk := source.read(min(65536, remaining))):
            outputfile.write(chunk)
            remaining -= len(chunk)


def check_package() -> None:
    assert (PACKAGE / "ui.js").is_file() and (PACKAGE / "sw.js").is_file(), \
        f"ReplayWeb.page {VERSION} is not in {PACKAGE}: run `make replaywebpage` (part of `make install`)"


@contextmanager
def serving(root: Path, waczs: list[Path]):
    """ReplayWeb.page and the WACZ files served from `root` on 127.0.0.1 (a free port); yields the base URL."""
    check_package()
    (root / "replay").mkdir(parents=True, exist_ok=True)
    (root / "w").mkdir(exist_ok=True)
    shutil.copy(PACKAGE / "ui.js", root / "ui.js")
    shutil.copy(PACKAGE / "sw.js", root / "replay" / "sw.js")
    (root / "embed.html").write_text(EMBED, encoding="utf-8")
    for wacz in waczs:
        shutil.copy(wacz, root / "w" / wacz.name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """Debian's Chromium, headless, under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def fresh_page(browser):
    """A page in a new browser context: ReplayWeb.page caches a collection per origin and source."""
    return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


def open_archived(page, base: str, wacz: str, url: str, ts: str = "") -> dict:
    """Load URL (at the 14-digit `ts`, or its latest capture) out of /w/WACZ; ReplayWeb.page's final
    page-loading message: {"loading": false, "replayNotFoundError": bool, "url": …}."""
    query = f"source=/w/{wacz}&url={quote(url, safe='')}" + (f"&ts={ts}" if ts else "")
    page.goto(f"{base}embed.html?{query}")
    return page.wait_for_function(
        "(u) => window.__rwp.find(m => m.type === 'page-loading' && m.loading === false && m.url === u)",
        arg=url, timeout=TIMEOUT_MS).json_value()


def archived_frame(page, url: str):
    """The frame showing the archived page itself (/replay/w/<collection>/<ts>mp_/<url>)."""
    return next(frame for frame in page.frames if frame.url.endswith("mp_/" + url))


def app_frame(page):
    """The ReplayWeb.page app (the embed's iframe /replay/?source=…), once it is there."""
    page.wait_for_function("""() => { const e = document.querySelector('replay-web-page');
        const f = e && e.shadowRoot && e.shadowRoot.querySelector('iframe');
        return f && f.contentDocument && f.contentDocument.querySelector('replay-app-main'); }""", timeout=TIMEOUT_MS)
    return next(frame for frame in page.frames if "/replay/?source=" in frame.url)


def search(page, base: str, wacz: str, query: str) -> dict:
    """The Pages view of /w/WACZ searched for `query`: {"total": n, "titles": [...], "label": "N Pages"}.
    ReplayWeb.page lists at most 25 results."""
    from playwright.sync_api import expect

    page.goto(f"{base}embed.html?source=/w/{wacz}&view=pages&query={quote(query)}")
    app = app_frame(page)
    app.wait_for_function(f"""(q) => {{ const v = ({PAGE_VIEW})();
        return v && v.collInfo && !v.updatingSearch && !v.loading && v.query === q; }}""",
                          arg=query, timeout=TIMEOUT_MS)
    view = app.locator("wr-page-view")
    total = app.evaluate(f"() => ({PAGE_VIEW})().totalPages")
    label = view.locator("span.num-results")
    label.wait_for(timeout=TIMEOUT_MS)
    expect(app.locator("wr-page-view wr-page-entry")).to_have_count(min(total, 25), timeout=TIMEOUT_MS)
    titles = [t.strip() for t in app.locator("wr-page-view wr-page-entry p.has-text-link").all_text_contents()]
    return {"total": total, "titles": titles, "label": label.inner_text()}
