"""Resuming a crawl after SIGKILL. Scrapy's JOBDIR alone does not survive one.

After a kill, Scrapy's disk queue has no saved head/tail (it writes them on
close) and its `requests.seen` loses its unflushed tail. So every crawl keeps
a journal in its JOBDIR, flushed line by line: `+ fp request` when a request is
enqueued, `- fp` when its response or failure came back, `=` when it finished.
A run that finds a journal without `=` (killed, or stopped by SIGTERM/Ctrl-C)
treats every journalled request as seen and schedules first those never answered.
The journal is the whole resumable state, so the scheduler keeps its queue in
memory: Scrapy's disk queue would pickle every request a second time.
"""

from __future__ import annotations

import base64
import logging
import pickle
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from scrapy import Request, signals
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.request import request_from_dict

logger = logging.getLogger(__name__)

JOURNAL = "journal.log"


def read_journal(jobdir: Path) -> tuple[set[str], dict[str, str], bool]:
    """(every journalled fingerprint, unanswered requests by fingerprint, closed cleanly)."""
    path = Path(jobdir) / JOURNAL
    seen: set[str] = set()
    pending: dict[str, str] = {}
    closed = False
    if not path.exists():
        return seen, pending, closed
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        mark, _, rest = line.partition(" ")
        fingerprint, _, payload = rest.partition(" ")
        closed = mark == "="
        if mark == "+" and payload:
            seen.add(fingerprint)
            pending[fingerprint] = payload
        elif mark == "-":
            pending.pop(fingerprint, None)
    return seen, pending, closed


def prepare_jobdir(jobdir: Path) -> bool:
    """Before a run: drop the disk queue a killed run left unreadable. True if a killed run is resumed."""
    _, _, closed = read_journal(jobdir)
    killed = (Path(jobdir) / JOURNAL).exists() and not closed
    if killed:
        shutil.rmtree(Path(jobdir) / "requests.queue", ignore_errors=True)
    return killed


def jobdir_of(crawler) -> Path:
    """The crawl's JOBDIR; without one there is nothing to resume, and the component disables itself quietly."""
    jobdir = crawler.settings.get("JOBDIR")
    if not jobdir:
        raise NotConfigured
    return Path(jobdir)


def resumable(request: Request) -> bool:
    """robots.txt and page requisites are asked for again by what needs them."""
    return request.callback is not NO_CALLBACK and not request.meta.get("xxgk_requisite")


class CrawlJournal:
    """Extension and downloader middleware (order 940): writes the journal of one crawl."""

    def __init__(self, crawler, jobdir: Path):
        self.crawler, self.jobdir = crawler, jobdir
        self.finished = False
        jobdir.mkdir(parents=True, exist_ok=True)
        self.file = open(jobdir / JOURNAL, "a", encoding="ascii")
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, jobdir_of(crawler))

    def _write(self, line: str) -> None:
        self.file.write(line + "\n")
        self.file.flush()  # what reached the OS survives SIGKILL

    def _fingerprint(self, request: Request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def enqueued(self, request: Request) -> None:
        if resumable(request):
            data = pickle.dumps(request.to_dict(spider=self.crawler.spider), protocol=4)
            self._write(f"+ {self._fingerprint(request)} {base64.b64encode(data).decode('ascii')}")

    def process_response(self, request: Request, response):
        self._write(f"- {self._fingerprint(request)}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._write(f"- {self._fingerprint(request)}")

    def spider_closed(self, spider, reason: str) -> None:
        if reason == "finished":  # any other end leaves requests the next run sends again
            self._write("=")
            self.finished = True
        self.file.close()

    def engine_stopped(self) -> None:
        """A finished crawl leaves no state behind (after spider_closed, where other components still write it)."""
        if self.finished:
            shutil.rmtree(self.jobdir, ignore_errors=True)


class JournalScheduler(Scheduler):
    """Scrapy's scheduler with its queue in memory only, journalling each request it accepts."""

    journal: CrawlJournal | None = None

    def _dqdir(self, jobdir: str | None) -> None:
        return None

    def open(self, spider):
        self.journal = self.crawler.get_downloader_middleware(CrawlJournal)
        return super().open(spider)

    def enqueue_request(self, request: Request) -> bool:
        accepted = super().enqueue_request(request)
        if accepted and self.journal is not None:
            self.journal.enqueued(request)
        return accepted


class JournalDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, also counting as seen every request a killed run journalled."""

    journalled: frozenset[str] = frozenset()

    def open(self):
        if self.file is not None:
            self.journalled = frozenset(read_journal(Path(self.file.name).parent)[0])
        return super().open()

    def request_seen(self, request: Request) -> bool:
        if self.journalled and self.request_fingerprint(request) in self.journalled:
            return True
        return super().request_seen(request)


class ResumeMiddleware:
    """Spider middleware: after a kill, schedule first the requests that were never answered."""

    def __init__(self, crawler, jobdir: Path):
        self.crawler, self.jobdir = crawler, jobdir

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, jobdir_of(crawler))

    async def process_start(self, start: AsyncIterator) -> AsyncIterator:
        _, pending, closed = read_journal(self.jobdir)
        if pending and not closed:
            logger.warning("resuming: %d requests were never answered before the last run stopped", len(pending))
            self.crawler.stats.set_value("xxgk/resumed_requests", len(pending))
            for payload in pending.values():
                data = pickle.loads(base64.b64decode(payload))
                yield request_from_dict(data, spider=self.crawler.spider).replace(dont_filter=True)
        async for item_or_request in start:
            yield item_or_request
