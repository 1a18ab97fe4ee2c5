"""What a hostile or broken server did to a crawl: one name per kind of fault, counted where it is met.

A refused request is counted by the middleware that refused it, a failed one in the spider's errback (the last
attempt's exception), a response that is no page in the spider's callback. Each is a stat `xxgk/faults/<kind>`
(with up to EVIDENCE example URLs in `xxgk/faults/evidence/<kind>`); the crawl summary
(crawler/extensions/summary.py) shows them by kind. docs/faults.md says what each does to a crawl.
"""

from __future__ import annotations

import re

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from twisted.internet.error import ConnectError, ConnectionClosed, DNSLookupError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ParseError, ResponseFailed
from twisted.web.http import _DataLoss

PREFIX = "xxgk/faults/"
EVIDENCE = 10  # example URLs kept per kind

KINDS: dict[str, str] = {
    # the network and HTTP
    "recovered": "failed, then answered on a retry (5xx, 429, reset, timeout)",
    "retry_after": "asked to come back later (Retry-After): the site's download slot waited",
    "http_error": "answered an HTTP error status to the last attempt",
    "connection": "connection refused, reset or closed before a whole response",
    "bad_response": "a status line or headers that are not HTTP",
    "truncated": "a body shorter than its Content-Length or chunking announced",
    "timeout": "no whole response within the download timeout, on every attempt allowed",
    "deadline": "given up when the URL's time budget ran out (no more retries)",
    "site_deadline": "not requested: the site's time budget had run out (the crawl is incomplete)",
    "too_large": "a body over the size cap (as sent, or once decompressed: gzip bombs)",
    "redirect_loop": "more redirects than REDIRECT_MAX_TIMES",
    "dns": "a host name that does not resolve",
    # what came back instead of a page
    "empty": "an empty body with a success status",
    "soft_404": "a success status on a page that says it does not exist",
    "error_page": "a success status on a server error page",
    "challenge_page": "an anti-bot page that reached a spider (never stored as a document)",
    "charset_mismatch": "a page whose bytes contradict its declared charset (decoded by the bytes)",
    "no_charset": "a page that declares no charset at all (decoded by the bytes)",
    "unsafe_filename": "a file name with directories, '..' or control characters (only its last part kept)",
    # requests the crawler refused to make
    "offsite": "a link outside the site's hosts",
    "private_address": "a host on a private, loopback or link-local address",
    "calendar": "a calendar page (date parameters, calendar paths)",
    "pagination": "list pages past the cap, or pages that bring nothing new",
    "long_url": "a URL longer than XXGK_MAX_URL_LENGTH",
    "repeated_segments": "a path that repeats its segments (a/b/a/b)",
    # anti-bot front ends (also in the summary's challenges / blocked columns)
    "challenge": "an anti-bot challenge answered instead of the page",
    "blocked": "a request given up behind an anti-bot challenge",
}
# counted under their own, older stats names (the summary's challenges and blocked columns)
STATS_ALIASES = {"challenge": "xxgk/challenges", "blocked": "xxgk/blocked"}


class Refused(IgnoreRequest):
    """A request the crawler itself gave up (scope, trap, deadline): counted where it was refused."""

    def __init__(self, kind: str, url: str) -> None:
        super().__init__(f"{kind}: {url}")
        self.kind = kind


def count(stats, kind: str, url: str | None = None) -> None:
    """Count one fault of `kind` (a KINDS name), keeping the first few URLs as evidence."""
    assert kind in KINDS, kind
    stats.inc_value(STATS_ALIASES.get(kind, PREFIX + kind))
    if url:
        key = f"{PREFIX}evidence/{kind}"
        found = stats.get_value(key) or []
        if len(found) < EVIDENCE and url not in found:
            stats.set_value(key, [*found, url])


def origin(request) -> str:
    """The URL a request was first made for (before redirects)."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


def counted(stats) -> dict[str, int]:
    """Faults by kind from a crawl's stats (kinds that did not happen left out)."""
    values = stats if isinstance(stats, dict) else stats.get_stats()
    found = {kind: values.get(STATS_ALIASES.get(kind, PREFIX + kind), 0) for kind in KINDS}
    return {kind: n for kind, n in found.items() if n}


def evidence(stats: dict) -> dict[str, list[str]]:
    """Example URLs per kind."""
    return {kind: list(stats[f"{PREFIX}evidence/{kind}"]) for kind in KINDS if stats.get(f"{PREFIX}evidence/{kind}")}


def failure_kind(failure: Failure) -> str | None:
    """The fault a failed request met, from its exception; None when it was counted already or is no fault
    (a refusal by a middleware, an anti-bot block, robots.txt)."""
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value
    if isinstance(exc, HttpError):
        return "http_error"
    if isinstance(exc, DownloadTimeoutError | TxTimeoutError):
        return "timeout"
    if isinstance(exc, DownloadCancelledError):  # the download handler cancels a body over download_maxsize
        return "too_large"
    if isinstance(exc, ResponseDataLossError):
        return "truncated"
    if isinstance(exc, CannotResolveHostError | DNSLookupError):
        return "dns"
    if isinstance(exc, IgnoreRequest):
        return _ignored_kind(exc)
    if isinstance(exc, DownloadFailedError | ResponseFailed):
        return _response_failed_kind(exc)
    if isinstance(exc, DownloadConnectionRefusedError | ConnectError | ConnectionClosed):
        return "connection"
    return "connection" if "connection" in type(exc).__name__.lower() else None


def _ignored_kind(exc: IgnoreRequest) -> str | None:
    if isinstance(exc, Refused) or type(exc).__name__ == "Blocked":
        return None  # counted by the middleware that refused it
    message = str(exc)
    if "max redirections" in message:
        return "redirect_loop"
    if "DOWNLOAD_MAXSIZE" in message or "max size" in message:
        return "too_large"  # HttpCompressionMiddleware: a gzip/br/zstd bomb
    return None


def _response_failed_kind(exc: Exception) -> str:
    """bad_response, truncated or connection, from the reasons Twisted gave."""
    cause = exc if isinstance(exc, ResponseFailed) else exc.__cause__
    reasons = [r.value for r in getattr(cause, "reasons", ()) if isinstance(r, Failure)]
    if any(isinstance(r, ParseError) for r in reasons) or "ParseError" in str(exc):
        return "bad_response"
    if any(isinstance(r, _DataLoss) for r in reasons):
        return "truncated"
    return "connection"


# what a not-found page says (a report may well mention …〔2019〕404号, so never a bare 404)
SOFT_404_RE = re.compile(r"页面不存在|页面未找到|找不到(?:该|您要的)?页面|信息不存在|文件不存在|已被删除|已删除|not\s*found|"
                         r"404\s*(?:错误|页面|error)|(?:错误|error)\s*404", re.I)
ERROR_PAGE_RE = re.compile(r"服务器错误|系统错误|系统繁忙|数据库连接|Internal Server Error|Service Unavailable|"
                           r"Bad Gateway|Exception|Stack ?trace|Traceback", re.I)
TAG_RE = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]+>", re.S | re.I)
SHORT_PAGE = 600  # characters of visible text: an error page says little, a report says much more
LARGE_PAGE = 256 * 1024  # bytes: no error page is this heavy (its text is not looked at)
TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title", re.S | re.I)
BARE_404_TITLE_RE = re.compile(r"^\W*404\W*$")


def visible_text(html: str) -> str:
    """The text of a page outside tags, scripts, styles and comments, whitespace removed (a cheap estimate)."""
    return "".join(TAG_RE.sub(" ", html).split())


def page_fault(response: Response, text: str | None = None) -> str | None:
    """Why a 2xx response that should be a page or file is neither: empty, soft_404, error_page or challenge_page
    (None for a real one). `text` is the decoded page, when the caller has it."""
    from crawler.middlewares.challenge import response_signature

    if is_empty(response.body):
        return "empty"
    if response_signature(response):
        return "challenge_page"
    if not _is_html(response) or len(response.body) > LARGE_PAGE:
        return None
    title = TITLE_RE.search(response.body[:8192])
    shown_title = title.group(1).decode(response.encoding, "replace").strip() if title else ""
    if SOFT_404_RE.search(shown_title) or BARE_404_TITLE_RE.match(shown_title):
        return "soft_404"  # the portal's own frame around a not-found message
    shown = visible_text(text if text is not None else response.text)
    if len(shown) >= SHORT_PAGE:
        return None
    if SOFT_404_RE.search(shown):
        return "soft_404"
    if ERROR_PAGE_RE.search(shown):
        return "error_page"
    return None


def is_empty(body: bytes) -> bool:
    """No bytes, or only whitespace."""
    return not body or (len(body) < 4096 and not body.strip())


def _is_html(response: Response) -> bool:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return isinstance(response, TextResponse) and ("html" in content_type or not content_type)
