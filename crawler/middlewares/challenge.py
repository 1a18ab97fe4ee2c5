"""Anti-bot interstitials (瑞数 412 + $_ts, 加速乐 521 + __jsl_clearance, 安全狗, 云锁, 网站卫士, generic 请稍候 pages):
recognised, retried through headless Chromium (scrapy-playwright) at a low rate with the cookies it earns; a page
that stays challenged is dropped and the site counted blocked."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler import faults

logger = logging.getLogger(__name__)

# what an interstitial says: the first phrases only challenges say; the others error pages say too ("系统繁忙，请稍后
# 再试"), so they count only on a page that runs a script
CHALLENGE_TEXT_RE = re.compile(r"安全验证|安全检测|浏览器安全检查|正在验证|人机验证|访问频率过快")
WAIT_TEXT_RE = re.compile(r"请稍候|请稍后|访问异常")
RELOAD_RE = re.compile(r"document\.cookie\s*=|location\.(?:reload|href\s*=|replace)", re.I)
COOKIE_SIGNATURES = {
    "safedog": (b"safedog-flow-item", b"safedog"),
    "yunsuo": (b"yunsuo_session_verify", b"yunsuo"),
    "wzws": (b"wzws_sessionid", b"wzwsconfirm", b"wzws_cid"),
}
SMALL_PAGE = 2048  # an interstitial is small; a real report page is not
BARE_TEXT = 20  # visible characters of an interstitial that says nothing ("waiting")


class Blocked(IgnoreRequest):
    """A request given up because an anti-bot front end would not let it through."""


def challenge_signature(status: int | None, body: bytes, set_cookies: list[bytes] | None = None) -> str | None:
    """The anti-bot front end this response comes from ("rivers", "jiasule", "safedog"…), or None for a real page.

    A front end's cookie alone proves nothing (云锁 sets yunsuo_session_verify on real pages too): it counts only
    with a body that is a challenge (a small page with a challenge text or a script that sets a cookie and reloads,
    or next to nothing) and never on a 404."""
    head = body[:20000]
    if b"$_ts" in head and (status in (None, 202, 412) or len(body) < 20000):
        return "rivers"
    if b"__jsl_clearance" in head or (status == 521 and b"document.cookie" in head):
        return "jiasule"
    small = len(body) < SMALL_PAGE
    if not small and (status or 200) < 400:
        return None  # a front end's marks count only on a small or an error page (412 and 521 are errors)
    lowered = head.lower()
    cookies = b" ".join(set_cookies or ()).lower()
    text = head.decode("utf-8", "replace") if small else ""
    waiting = WAIT_TEXT_RE.search(text) and "<script" in text.lower()
    reloading = RELOAD_RE.search(text) and "<a " not in text
    scripted = small and bool(CHALLENGE_TEXT_RE.search(text) or waiting or reloading)
    challenge_body = scripted or (small and status != 404 and bool(body.strip()) and _bare(text))
    for name, marks in COOKIE_SIGNATURES.items():
        if any(mark in lowered for mark in marks) and (small or (status or 200) >= 400):
            return name  # the page names the front end itself
        if any(mark in cookies for mark in marks) and challenge_body:
            return name
    if status in (412, 521):
        return "generic"
    return "generic" if scripted else None


def _bare(html: str) -> bool:
    """Next to no text and no links: an interstitial, not a page."""
    from crawler.faults import visible_text

    return "<a " not in html.lower() and len(visible_text(html)) < BARE_TEXT


_signatures: WeakKeyDictionary[Response, str | None] = WeakKeyDictionary()


def response_signature(response: Response) -> str | None:
    """challenge_signature() of a Scrapy response (HTML-ish responses only; files are never challenges), worked
    out once per response (the challenge middleware and the fault accounting both ask)."""
    try:
        return _signatures[response]
    except KeyError:
        pass
    _signatures[response] = found = _response_signature(response)
    return found


def _response_signature(response: Response) -> str | None:
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
        faults.count(self.stats, "challenge", request.url)
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
        faults.count(self.stats, "blocked", request.url)
        found = self.stats.get_value("xxgk/blocked_evidence") or []
        if len(found) < 10:
            self.stats.set_value("xxgk/blocked_evidence", [*found, evidence])
        logger.warning("blocked: %s", evidence)
        raise Blocked(evidence)


def _cookie_dict(cookies) -> dict:
    if isinstance(cookies, dict):
        return dict(cookies)
    return {c["name"]: c["value"] for c in cookies or () if "name" in c}
