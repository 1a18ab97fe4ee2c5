"""Downloader middlewares that keep a crawl safe and honest: scope, addresses, traps, backoff, anti-bot challenges.

- ScopeMiddleware: registered hosts only (plus the site's attachment hosts), never a private, loopback or
  link-local address unless allowed (XXGK_ALLOW_PRIVATE_HOSTS, the site's `allow_private`, or a base URL the
  operator gave with XXGK_BASE_URLS).
- TrapGuardMiddleware: session ids stripped; repeated path segments, calendars and endless pagination dropped.
- BackoffRetryMiddleware: Scrapy's retries, waiting longer before each new attempt.
- ChallengeMiddleware: recognises anti-bot interstitials (瑞数 412 + $_ts, 加速乐 521 + __jsl_clearance, 安全狗,
  云锁, 网站卫士, generic 请稍候 pages); retries through headless Chromium (scrapy-playwright) at a low rate and
  reuses the cookies it earns; a page that stays challenged is dropped and the site counted blocked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

logger = logging.getLogger(__name__)

# -- challenge signatures ------------------------------------------------------

CHALLENGE_TEXT_RE = re.compile(r"请稍候|请稍后|安全验证|访问异常|安全检测|浏览器安全检查|正在验证|人机验证|访问频率过快")
RELOAD_RE = re.compile(r"document\.cookie\s*=|location\.(?:reload|href\s*=|replace)", re.I)
COOKIE_SIGNATURES = {
    "safedog": (b"safedog-flow-item", b"safedog"),
    "yunsuo": (b"yunsuo_session_verify", b"yunsuo"),
    "wzws": (b"wzws_sessionid", b"wzwsconfirm", b"wzws_cid"),
}
SMALL_PAGE = 2048  # an interstitial is small; a real report page is not


class Blocked(IgnoreRequest):
    """A request given up because an anti-bot front end would not let it through."""


def challenge_signature(status: int | None, body: bytes, set_cookies: list[bytes] | None = None) -> str | None:
    """The anti-bot front end this response comes from ("rivers", "jiasule", "safedog"…), or None for a real page."""
    head = body[:20000]
    lowered = head.lower()
    if b"$_ts" in head and (status in (None, 202, 412) or len(body) < 20000):
        return "rivers"
    if b"__jsl_clearance" in head or (status == 521 and b"document.cookie" in head):
        return "jiasule"
    cookies = b" ".join(set_cookies or ()).lower()
    small = len(body) < SMALL_PAGE
    for name, marks in COOKIE_SIGNATURES.items():
        if any(mark in lowered for mark in marks[1:] + marks[:1]) and (small or (status or 200) >= 400):
            return name
        if any(mark in cookies for mark in marks) and (small or (status or 200) >= 400):
            return name
    if status in (412, 521):
        return "generic"
    text = head.decode("utf-8", "replace") if small else ""
    if small and (CHALLENGE_TEXT_RE.search(text) or (RELOAD_RE.search(text) and "<a " not in text)):
        return "generic"
    return None


def response_signature(response: Response) -> str | None:
    """challenge_signature() of a Scrapy response (HTML-ish responses only; files are never challenges)."""
    content_type = response.headers.get("Content-Type", b"").lower()
    if content_type and not any(kind in content_type for kind in (b"html", b"text/plain", b"javascript")):
        if response.status not in (412, 521):
            return None
    return challenge_signature(response.status, response.body, response.headers.getlist("Set-Cookie"))


class ChallengeMiddleware:
    """Detect challenge pages, pass them with a real browser when it can, report the site blocked when it cannot."""

    def __init__(self, crawler, browser: bool, attempts: int, settle_rounds: int) -> None:
        self.crawler, self.stats = crawler, crawler.stats
        self.browser, self.attempts, self.settle_rounds = browser, attempts, settle_rounds
        self.earned: dict[str, dict[str, str]] = {}  # host -> cookies a browser earned there

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_CHALLENGE_ENABLED", True):
            raise NotConfigured
        return cls(crawler, settings.getbool("XXGK_BROWSER_ENABLED"), settings.getint("XXGK_BROWSER_ATTEMPTS", 2),
                   settings.getint("XXGK_BROWSER_SETTLE_ROUNDS", 20))

    def process_request(self, request: Request) -> None:
        """Give plain requests to a host the cookies a browser earned there (Scrapy's jar keeps them from then on)."""
        earned = self.earned.get(urlsplit(request.url).hostname or "")
        if earned and not request.meta.get("playwright"):
            missing = {k: v for k, v in earned.items() if k not in _cookie_dict(request.cookies)}
            if missing:
                request.cookies = {**_cookie_dict(request.cookies), **missing}
        return None

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("playwright"):
            # a challenge retried in the browser; other browser loads (xxgk capture --browser) are pages
            return await self._after_browser(request, response) if request.meta.get("xxgk_challenge") else response
        if urlsplit(request.url).path == "/robots.txt":
            return response
        signature = response_signature(response)
        if signature is None:
            return response
        self.stats.inc_value("xxgk/challenges")
        self.stats.inc_value(f"xxgk/challenges/{signature}")
        host = urlsplit(request.url).hostname or ""
        if host in self.earned and not request.meta.get("xxgk_cookie_retry"):
            # sent before a browser passed the challenge: try again plainly with what it earned
            meta = {**request.meta, "xxgk_cookie_retry": True}
            return request.replace(meta=meta, cookies={**_cookie_dict(request.cookies), **self.earned[host]},
                                   dont_filter=True)
        tries = request.meta.get("xxgk_browser_attempts", 0)
        if not self.browser or tries >= self.attempts:
            self._blocked(request, response.status, signature)
        logger.info("%s challenge (HTTP %s) at %s: retrying in a browser", signature, response.status, request.url)
        return self._browser_request(request, tries + 1, signature)

    def _browser_request(self, request: Request, tries: int, signature: str) -> Request:
        """The same request for headless Chromium, in its own slow download slot."""
        meta = {**request.meta, "playwright": True, "playwright_include_page": True, "download_slot": "xxgk-browser",
                "xxgk_browser_attempts": tries, "xxgk_challenge": signature}
        return request.replace(meta=meta, dont_filter=True, priority=request.priority - 10)

    async def _after_browser(self, request: Request, response: Response) -> Request | Response:
        """Wait for the challenge script to finish; on success retry plainly with the cookies it earned."""
        page = request.meta.get("playwright_page")
        passed, cookies = False, {}
        try:
            if page is not None:
                passed = await self._settle(page)
                cookies = {c["name"]: c["value"] for c in await page.context.cookies(request.url)}
        finally:
            if page is not None:
                await page.close()
        signature = request.meta.get("xxgk_challenge", "generic")
        if not passed:
            self._blocked(request, response.status, signature)
        self.stats.inc_value("xxgk/challenge_passes")
        self.earned.setdefault(urlsplit(request.url).hostname or "", {}).update(cookies)
        logger.info("passed the %s challenge at %s in a browser; %d cookies earned", signature, request.url,
                    len(cookies))
        meta = {k: v for k, v in request.meta.items() if not k.startswith("playwright") and k != "download_slot"}
        # the plain retry writes the earned cookies into Scrapy's jar, so later requests to the site carry them
        return request.replace(meta=meta, cookies={**_cookie_dict(request.cookies), **cookies}, dont_filter=True)

    async def _settle(self, page) -> bool:
        """True once the page shows no challenge (the script has set its cookie and reloaded)."""
        from playwright.async_api import Error as PlaywrightError

        for _ in range(self.settle_rounds):
            try:
                await page.wait_for_load_state("load")
                html = await page.content()
            except PlaywrightError:  # navigating: the document went away under us
                html = None
            if html is not None and challenge_signature(None, html.encode("utf-8")) is None:
                return True
            await page.wait_for_timeout(250)
        return False

    def _blocked(self, request: Request, status: int, signature: str) -> None:
        """Count and record the evidence, then drop the request (its exchanges stay in the WARC)."""
        evidence = f"{request.url} HTTP {status} {signature}"
        self.stats.inc_value("xxgk/blocked")
        found = self.stats.get_value("xxgk/blocked_evidence") or []
        if len(found) < 10:
            self.stats.set_value("xxgk/blocked_evidence", [*found, evidence])
        logger.warning("blocked: %s", evidence)
        raise Blocked(evidence)


def _cookie_dict(cookies) -> dict:
    if isinstance(cookies, dict):
        return dict(cookies)
    return {c["name"]: c["value"] for c in cookies or () if "name" in c}


# -- scope and addresses --------------------------------------------------------

def is_private_address(address: str) -> bool:
    """Private, loopback, link-local, reserved, multicast or unspecified: nothing a public portal resolves to."""
    ip = ipaddress.ip_address(address)
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast \
        or ip.is_unspecified


class ScopeMiddleware:
    """Send requests only to the site's hosts, and never to private addresses unless explicitly allowed."""

    def __init__(self, crawler, allow_private: set[str], allow_base_urls: bool) -> None:
        self.crawler, self.stats = crawler, crawler.stats
        self.allow_private = allow_private
        self.allow_base_urls = allow_base_urls
        self._resolved: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, set(settings.getlist("XXGK_ALLOW_PRIVATE_HOSTS")),
                   settings.getbool("XXGK_ALLOW_PRIVATE_BASE_URLS", True))

    async def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        host = (urlsplit(request.url).hostname or "").lower()
        hosts = scope_hosts(spider)
        if hosts and host not in hosts:
            self.stats.inc_value("xxgk/scope/offsite")
            raise IgnoreRequest(f"outside the site's hosts: {request.url}")
        if not self._private_allowed(spider, host) and any(map(is_private_address, await self._addresses(host))):
            self.stats.inc_value("xxgk/scope/private_address")
            logger.warning("not sending %s: %s resolves to a private address", request.url, host)
            raise IgnoreRequest(f"private address: {request.url}")
        return None

    def _private_allowed(self, spider, host: str) -> bool:
        if "*" in self.allow_private or host in self.allow_private:
            return True
        site = getattr(spider, "site", None)
        if site is not None and site.allow_private:
            return True
        base_url = getattr(spider, "base_url", None)
        return bool(self.allow_base_urls and base_url and base_url != getattr(site, "base_url", base_url)
                    and urlsplit(base_url).hostname == host)

    async def _addresses(self, host: str) -> list[str]:
        """The host's addresses (an IP literal is its own), resolved once per crawl without blocking the reactor."""
        if host not in self._resolved:
            try:
                self._resolved[host] = [str(ipaddress.ip_address(host))]
            except ValueError:
                try:
                    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                    self._resolved[host] = [info[4][0] for info in infos]
                except OSError:
                    self._resolved[host] = []  # the download will fail on its own, with a proper error
        return self._resolved[host]


def scope_hosts(spider) -> set[str]:
    """Hosts a site's crawl may visit: its portal (real or the given base URL) and its attachment hosts."""
    site = getattr(spider, "site", None)
    if site is None:
        return {h.lower() for h in getattr(spider, "allowed_hosts", ())}
    hosts = {urlsplit(getattr(spider, "base_url", site.base_url)).hostname or site.host}
    return {h.lower() for h in hosts | set(site.attachment_hosts) if h}


# -- traps ------------------------------------------------------------------------

SESSION_PATH_RE = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#;]*", re.I)
SESSION_PARAMS = {"jsessionid", "phpsessid", "aspsessionid", "sessionid", "session_id", "sessid", "cfid", "cftoken"}
CALENDAR_KEYS = {"month", "date", "day", "ym", "yearmonth", "calendar", "rili"}
CALENDAR_PATH_RE = re.compile(r"/(?:calendar|rili)(?:/|\.|$)", re.I)


def strip_session_ids(url: str) -> str:
    """The URL without ;jsessionid=… path parameters and session-id query parameters."""
    parts = urlsplit(url)
    path = SESSION_PATH_RE.sub("", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SESSION_PARAMS]
    new_query = urlencode(query, safe="/,:") if len(query) != len(parse_qsl(parts.query, keep_blank_values=True)) \
        else parts.query
    return urlunsplit((parts.scheme, parts.netloc, path, new_query, parts.fragment))


def repeated_segments(path: str, limit: int = 3) -> bool:
    """A path that repeats one segment `limit` times or a run of segments twice in a row (a/b/a/b)."""
    segments = [s for s in path.split("/") if s]
    if any(segments.count(s) >= limit for s in set(segments)):
        return True
    for size in range(1, len(segments) // 2 + 1):
        for start in range(len(segments) - 2 * size + 1):
            if segments[start:start + size] == segments[start + size:start + 2 * size] and size > 1:
                return True
    return False


def is_calendar(url: str, min_year: int, max_year: int) -> bool:
    """A calendar page, or a date far outside the years reports exist for."""
    parts = urlsplit(url)
    if CALENDAR_PATH_RE.search(parts.path):
        return True
    for key, value in parse_qsl(parts.query):
        if key.lower() in CALENDAR_KEYS:
            return True
        year = re.fullmatch(r"((?:1[0-9]|2[0-9])\d{2})(?:-?\d{1,2}){0,2}", value)
        if key.lower() in ("year", "nf", "fbtime") and year and not min_year <= int(year.group(1)) <= max_year:
            return True
    return False


class TrapGuardMiddleware:
    """Drop or clean requests that lead into crawler traps."""

    def __init__(self, stats, max_list_pages: int, max_url_length: int, min_year: int) -> None:
        self.stats, self.max_list_pages, self.max_url_length = stats, max_list_pages, max_url_length
        self.min_year, self.max_year = min_year, date.today().year + 1

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler.stats, s.getint("XXGK_MAX_LIST_PAGES", 200), s.getint("XXGK_MAX_URL_LENGTH", 1024),
                   s.getint("XXGK_MIN_REPORT_YEAR", 1990))

    def process_request(self, request: Request) -> Request | None:
        clean = strip_session_ids(request.url)
        if clean != request.url:
            self.stats.inc_value("xxgk/traps/session_id")
            return request.replace(url=clean)
        reason = self._trap(request)
        if reason:
            self.stats.inc_value(f"xxgk/traps/{reason}")
            raise IgnoreRequest(f"{reason} trap: {request.url}")
        return None

    def _trap(self, request: Request) -> str | None:
        if len(request.url) > self.max_url_length:
            return "long_url"
        if repeated_segments(urlsplit(request.url).path):
            return "repeated_segments"
        if request.meta.get("page", 0) > self.max_list_pages:
            return "pagination"
        is_column = request.meta.get("column") == request.url and request.meta.get("page") == 1
        if not is_column and is_calendar(request.url, self.min_year, self.max_year):
            return "calendar"
        return None


# -- retries --------------------------------------------------------------------

class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting RETRY_BACKOFF_BASE × 2^n seconds (at most RETRY_BACKOFF_MAX) before attempt n."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("XXGK_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("XXGK_RETRY_BACKOFF_MAX", 60.0)

    def delay(self, request: Request) -> float:
        """Seconds to wait before this (already counted) retry."""
        return min(self.base * 2 ** max(request.meta.get("retry_times", 1) - 1, 0), self.cap)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        return await self._later(result)

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        result = super().process_exception(request, exception)
        return await self._later(result)

    async def _later(self, result):
        if isinstance(result, Request) and self.base > 0:
            await asyncio.sleep(self.delay(result))
        return result
