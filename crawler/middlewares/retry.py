"""Retries that hold back the site, not the crawl: the site's download slot waits (backoff, or what Retry-After
asks, within a bound) while nothing sleeps in the reactor; timeouts are retried less, and a URL only within its
time budget."""

from __future__ import annotations

import logging
import time
from collections import Counter
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Response
from scrapy.utils.response import response_status_message
from twisted.internet.error import TimeoutError as TxTimeoutError

from crawler import faults

logger = logging.getLogger(__name__)

DEADLINE_META = "xxgk_url_deadline"  # monotonic time after which a URL is no longer retried
MIN_SLOT_DELAY = 0.001  # Scrapy applies a slot's wait only when its delay is not 0


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries; before attempt n the site's slot waits XXGK_RETRY_BACKOFF_BASE × 2^n seconds (at most
    XXGK_RETRY_BACKOFF_MAX), or the Retry-After the server sent (at most XXGK_RETRY_AFTER_MAX: longer is given up).
    A timeout is retried XXGK_TIMEOUT_RETRIES times, and not at all once the site has had XXGK_SITE_TIMEOUTS; no URL
    is retried later than XXGK_URL_DEADLINE seconds after its first failure."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("XXGK_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("XXGK_RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("XXGK_RETRY_AFTER_MAX", 120.0)
        self.timeout_retries = settings.getint("XXGK_TIMEOUT_RETRIES", 1)
        self.site_timeouts = settings.getint("XXGK_SITE_TIMEOUTS", 5)
        self.url_budget = settings.getfloat("XXGK_URL_DEADLINE", 120.0)
        self.timeouts: Counter[str] = Counter()  # timed-out attempts per download slot

    @property
    def stats(self):
        return self.crawler.stats

    def delay(self, request: Request) -> float:
        """Seconds to wait before this (already counted) retry."""
        return min(self.base * 2 ** max(request.meta.get("retry_times", 1) - 1, 0), self.cap)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            if request.meta.get("retry_times") and response.status < 400:
                faults.count(self.stats, "recovered", request.url)
            return response
        wait = retry_after(response)
        if wait is not None and wait > self.retry_after_max:
            logger.warning("%s asks to come back in %.0f s (more than XXGK_RETRY_AFTER_MAX): not retried",
                           request.url, wait)
            return response
        retry = self._retry_in_time(request, response_status_message(response.status))
        if retry is None:
            return response
        if wait is not None:
            faults.count(self.stats, "retry_after", request.url)
        self.hold_slot(request, self.delay(retry) if wait is None else wait)
        return retry

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        if isinstance(exception, DownloadTimeoutError | TxTimeoutError):
            self._timed_out(request)
        retry = self._retry_in_time(request, exception)
        if retry is not None:
            self.hold_slot(request, self.delay(retry))
        return retry

    def _timed_out(self, request: Request) -> None:
        """Count the attempt against its site and retry timeouts less (not at all once the site had too many)."""
        slot = self.crawler.engine.downloader.get_slot_key(request)
        self.timeouts[slot] += 1
        self.stats.inc_value("xxgk/attempts/timeout")
        allowed = self.timeout_retries if self.timeouts[slot] <= self.site_timeouts else 0
        request.meta["max_retry_times"] = min(request.meta.get("max_retry_times", self.max_retry_times), allowed)

    def _retry_in_time(self, request: Request, reason) -> Request | None:
        """The retry request, unless the URL's time budget is spent (counted as a deadline fault)."""
        now = time.monotonic()
        deadline = request.meta.setdefault(DEADLINE_META, now + self.url_budget)
        if now >= deadline:
            faults.count(self.stats, "deadline", request.url)
            logger.warning("%s: no retry, its %.0f s budget is spent", request.url, self.url_budget)
            return None
        retry = self._retry(request, reason)
        if retry is not None and "download_timeout" in retry.meta:
            retry.meta["download_timeout"] = max(1.0, min(retry.meta["download_timeout"], deadline - now))
        return retry

    def hold_slot(self, request: Request, seconds: float) -> None:
        """Make the request's download slot (its site) send nothing for `seconds`; the reactor goes on."""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None or seconds <= 0:
            return
        slot.delay = max(slot.delay, MIN_SLOT_DELAY)
        slot.lastseen = max(slot.lastseen, time.monotonic() + seconds)


def retry_after(response: Response, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date, counted from `now`, default the
    clock), None without a usable one."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
