"""Crawler traps: session ids stripped; repeated path segments, calendars, endless pagination and redirect loops
dropped."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware

from crawler import faults

SESSION_PATH_RE = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#;]*", re.I)
SESSION_PARAMS = {"jsessionid", "phpsessid", "aspsessionid", "sessionid", "session_id", "sessid", "cfid", "cftoken"}
CALENDAR_KEYS = {"month", "date", "day", "ym", "yearmonth", "calendar", "rili"}
CALENDAR_PATH_RE = re.compile(r"/(?:calendar|rili)(?:/|\.|$)", re.I)
# a query value naming a day or a month (2024-03-05, 20240305, 2024/3/5, 2024-03, 2024年3月5日): calendars page by
# such parameters under any name (?d=, ?dt=, ?riqi=); a report column never does
DATE_VALUE_RE = re.compile(r"(?:19|20)\d{2}(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?|(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])|"
                           r"年\d{1,2}月(?:\d{1,2}日)?)")


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
    """A calendar page (a calendar path, a calendar parameter, or any parameter whose value is a day or a month),
    or a year far outside the years reports exist for."""
    parts = urlsplit(url)
    if CALENDAR_PATH_RE.search(parts.path):
        return True
    for key, value in parse_qsl(parts.query):
        if key.lower() in CALENDAR_KEYS or (DATE_VALUE_RE.fullmatch(value.strip()) and "id" not in key.lower()):
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
            faults.count(self.stats, reason, request.url)
            raise faults.Refused(reason, request.url)
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


class LoopGuard:
    """A redirect back to a URL of its own chain is a loop: refused and counted at once (Scrapy would send the
    repeat to the duplicate filter, which drops it without a word, or follow a growing chain to
    REDIRECT_MAX_TIMES, which the spiders count as redirect_loop)."""

    def _redirect(self, redirected: Request, request: Request, reason) -> Request:
        if redirected.url in (*request.meta.get("redirect_urls", ()), request.url):
            faults.count(self.crawler.stats, "redirect_loop", faults.origin(request))
            raise faults.Refused("redirect_loop", request.url)
        return super()._redirect(redirected, request, reason)


class LoopGuardRedirectMiddleware(LoopGuard, RedirectMiddleware):
    """Scrapy's RedirectMiddleware with the loop guard."""


class LoopGuardMetaRefreshMiddleware(LoopGuard, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware with the loop guard."""
