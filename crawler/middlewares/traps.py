"""Crawler traps: session ids stripped; repeated path segments, calendars and endless pagination dropped."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

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
