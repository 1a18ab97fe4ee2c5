"""The headless browser, started only when a crawl first needs it, and held to the crawl's scope.

scrapy-playwright's handler starts Playwright (a Node driver) when the engine
starts: seconds per crawl, and crawls in one process wait for each other. Most
crawls never need a browser (only challenge pages and `xxgk capture --browser`
do), so this handler starts it at the first browser request instead; every other
request goes through Scrapy's own HTTP handler as before.

A page the browser loads asks for whatever it names: images on a private address,
[::1], trackers, redirects elsewhere. Every request of every page is held to the
same rules as Scrapy's requests (crawler/middlewares/scope.py: the site's hosts,
no private address unless allowed), in three layers:
- scrapy-playwright's page route (PLAYWRIGHT_ABORT_REQUEST) and a context route
  (popups, workers) abort a request the scope refuses; WebSockets likewise;
- a site crawl's browser resolves only the site's hosts (--host-resolver-rules),
  which also stops redirects, preconnects and prefetches no route sees;
- a fresh profile per crawl whose preferences turn off DNS probes after a failed
  load, network prediction, Safe Browsing, translation and spelling services,
  service workers blocked and WebRTC removed from pages.
The launch flags in PLAYWRIGHT_LAUNCH_OPTIONS turn off the background services.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler import faults, sendgates
from crawler.middlewares.scope import Scope, scope_hosts

logger = logging.getLogger(__name__)

# Preferences a new profile starts with (only a persistent profile can be given them)
PREFERENCES = {
    "alternate_error_pages": {"enabled": False},  # DNS probes (google.com, 8.8.8.8) after a failed main frame
    "net": {"network_prediction_options": 2},  # no dns-prefetch, preconnect, hover preconnect
    "safebrowsing": {"enabled": False},
    "translate": {"enabled": False},
    "search": {"suggest_enabled": False},
    "spellcheck": {"dictionaries": [], "use_spelling_service": False},
}
# WebRTC gathers addresses (UDP to 8.8.8.8:53) and sends STUN wherever a page says: no page needs it here
NO_WEBRTC = ("for (const k of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel', 'RTCIceCandidate'])"
             " { try { delete window[k]; } catch (e) {} }")
OWN_SCHEMES = ("data", "blob", "about")


class BrowserScope:
    """The crawl's scope rules applied to its browser: which requests to refuse, how to launch, which profile."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.scope = Scope.from_crawler(crawler)
        self.profile: Path | None = None

    async def refuse(self, url: str) -> bool:
        """True (counted, logged) for a browser request the crawl's scope refuses."""
        scheme = urlsplit(url).scheme
        if scheme in OWN_SCHEMES:
            return False
        kind = "offsite" if scheme not in ("http", "https", "ws", "wss") else await self.scope.refusal(url)
        if kind:
            faults.count(self.crawler.stats, kind, url)
            logger.info("browser request refused (%s): %s", kind, url)
        return kind is not None

    def launch_options(self, options: dict) -> dict:
        """Launch `options` (PLAYWRIGHT_LAUNCH_OPTIONS), plus a resolver that knows only a site crawl's hosts."""
        options = dict(options)
        hosts = sorted(scope_hosts(self.crawler.spider))
        if hosts:
            rules = "MAP * ~NOTFOUND, " + ", ".join(f"EXCLUDE {host}" for host in hosts)
            options["args"] = [*options.get("args", ()), f"--host-resolver-rules={rules}"]
        return options

    def new_profile(self, name: str) -> Path:
        """A profile directory for this crawl's context `name`, its preferences written (removed by close())."""
        if self.profile is None:
            self.profile = Path(tempfile.mkdtemp(prefix="xxgk-chromium-"))
        directory = self.profile / name
        (directory / "Default").mkdir(parents=True, exist_ok=True)
        (directory / "Default" / "Preferences").write_text(json.dumps(PREFERENCES), encoding="utf-8")
        return directory

    async def guard(self, context) -> None:
        """Routes for what scrapy-playwright's page route does not see (popups, workers, WebSockets)."""
        async def route(route) -> None:
            if await self.refuse(route.request.url):
                await route.abort("blockedbyclient")  # not "namenotresolved": no DNS probe follows
            else:
                await route.fallback()

        async def websocket(ws) -> None:
            if await self.refuse(ws.url):
                await ws.close(code=1008, reason="out of scope")
            else:
                ws.connect_to_server()

        await context.add_init_script(NO_WEBRTC)
        await context.route("**/*", route)
        await context.route_web_socket("**/*", websocket)

    def close(self) -> None:
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        for receiver in (self._maybe_launch_in_thread, self._engine_started):
            crawler.signals.disconnect(receiver, signal=signals.engine_started)
        self._launched = False
        self._launching = asyncio.Lock()
        self.browser_scope = BrowserScope(crawler)
        self.abort_request = self.abort  # scrapy-playwright's page route asks it for every request

    async def download_request(self, request):
        """Every request as it leaves the downloader passes the crawl's send gates first (crawler/sendgates.py)."""
        await sendgates.passed(self.crawler, request)
        return await super().download_request(request)

    async def _download_request(self, request, spider=None):
        if not self._launched:
            async with self._launching:
                if not self._launched:
                    await self._launch()
                    self._launched = True
        return await super()._download_request(request, spider)

    async def abort(self, request) -> bool:
        """PLAYWRIGHT_ABORT_REQUEST: whether to abort a Playwright request."""
        return await self.browser_scope.refuse(request.url)

    async def _create_browser_context(self, name: str, context_kwargs: dict | None, spider=None):
        """A persistent context in a fresh profile (the only way to give Chromium preferences), launched with the
        crawl's resolver rules, its routes and init script in place before any page opens."""
        kwargs = {**self.browser_scope.launch_options(self.config.launch_options), "service_workers": "block",
                  **(context_kwargs or {})}
        kwargs.setdefault("user_data_dir", str(self.browser_scope.new_profile(name)))
        wrapper = await super()._create_browser_context(name, kwargs, spider)
        await self.browser_scope.guard(wrapper.context)
        return wrapper

    async def _close(self) -> None:
        try:
            await super()._close()
        finally:
            self.browser_scope.close()
