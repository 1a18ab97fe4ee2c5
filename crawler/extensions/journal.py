"""Resuming a site's crawl after SIGKILL, SIGTERM or Ctrl-C: the journal in its JOBDIR (DATA_DIR/jobs/SITE).

Scrapy's own JOBDIR does not survive SIGKILL (its disk queue saves its pointers on close, its `requests.seen` is
buffered). The journal is the crawl's whole resumable state, one line per event, flushed as written:

    + FP REQUEST   the scheduler accepted a request (REQUEST: the request, pickled, base64)
    - FP           the request is answered: its callback or errback ran to the end, every item it produced is
                   stored (or was dropped for a recorded reason) and every request it produced is journalled
    c ID           a run of this crawl started; ID is its `crawls` row
    =              the crawl finished; its state is then dropped

A request is answered only once the scraper is done with its response (or failure): Scrapy awaits the item
pipelines of every item a response produced, and schedules every request it produced, before it lets go of it.
A redirect answers the request it came from as soon as its target is journalled.

A run that finds a journal without `=` resumes the crawl: every journalled request counts as seen, and those never
answered are asked for again first, except those whose response an earlier run stored (a capture of their URL in
one of the crawl's runs): a kill between a commit and its `-` line must not store a report twice. That check is
sound because a response's items reach the pipelines only after every request it produced was journalled
(`ResumeMiddleware` holds them back), so a stored item proves its follow-up requests are in the journal.
The scheduler keeps its queue in memory: Scrapy's disk queue would pickle every request a second time.
"""

from __future__ import annotations

import base64
import logging
import pickle
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import Request, signals
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http.request import NO_CALLBACK, _find_method
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import request_from_dict
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

JOURNAL = "journal.log"
SOURCE = "xxgk_journalled"  # request meta: (fingerprint, URL) under which the request was journalled
RESUMED = "xxgk_resumed"  # request meta: asked for again, left unanswered by an earlier run


@dataclass
class JournalState:
    """What a journal says: requests seen and not answered, the runs of the crawl, whether it finished."""

    seen: set[str] = field(default_factory=set)
    pending: dict[str, str] = field(default_factory=dict)  # fingerprint -> pickled request, base64
    runs: list[int] = field(default_factory=list)  # crawls rows of the runs so far
    finished: bool = False
    unreadable: int = 0  # lines that cannot be read (a kill tears the last line a run wrote)
    lines: int = 0


def read_journal(jobdir: Path) -> JournalState:
    """The state a journal records ({} when there is none). A torn request line counts as never written."""
    state = JournalState()
    path = Path(jobdir) / JOURNAL
    if not path.exists():
        return state
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        state.lines += 1
        mark, _, rest = line.partition(" ")
        if mark == "+" and readable(rest.partition(" ")[2]):
            fingerprint, _, payload = rest.partition(" ")
            state.seen.add(fingerprint)
            state.pending[fingerprint] = payload
        elif mark == "-":
            state.pending.pop(rest, None)
        elif mark == "c" and rest.isdigit():
            state.runs.append(int(rest))
        elif mark == "=":
            state.finished = True
        elif line:
            state.unreadable += 1
    return state


def readable(payload: str) -> bool:
    try:
        return isinstance(pickle.loads(base64.b64decode(payload, validate=True)), dict)
    except Exception:  # noqa: BLE001 - any way a torn line fails to decode
        return False


def ends_mid_line(path: Path) -> bool:
    """Whether a file's last line lacks its newline (a kill stopped its writer mid-line)."""
    if not path.exists() or not path.stat().st_size:
        return False
    with open(path, "rb") as stream:
        stream.seek(-1, 2)
        return stream.read(1) != b"\n"


def jobdir_of(crawler) -> Path:
    """The crawl's JOBDIR; without one there is nothing to resume, and the component disables itself quietly."""
    jobdir = crawler.settings.get("JOBDIR")
    if not jobdir:
        raise NotConfigured
    return Path(jobdir)


def resumable(request: Request) -> bool:
    """robots.txt and page requisites are asked for again by what needs them."""
    return request.callback is not NO_CALLBACK and not request.meta.get("xxgk_requisite")


def request_dict(request: Request, spider) -> dict:
    """`request.to_dict(spider=spider)`, without its walk over every member of the spider to name each callback
    (inspect.getmembers per request: a third of the journal's CPU)."""
    found = {"url": request.url, "callback": _method_name(spider, request.callback),
             "errback": _method_name(spider, request.errback), "headers": dict(request.headers)}
    for attr in request.attributes:
        found.setdefault(attr, getattr(request, attr))
    if type(request) is not Request:
        found["_class"] = type(request).__module__ + "." + type(request).__name__
    return found


def _method_name(spider, func):
    """The name of the spider's method `func` is bound to (what Request.to_dict stores), found by its own name."""
    if not callable(func):
        return func
    inner = getattr(func, "__func__", None)
    if inner is not None and getattr(func, "__self__", None) is spider:
        name = inner.__name__
        if name.startswith("__") and not name.endswith("__"):
            name = f"_{type(spider).__name__.lstrip('_')}{name}"  # name mangling, as the attribute is stored
        if getattr(getattr(spider, name, None), "__func__", None) is inner:
            return name
    return _find_method(spider, func)  # anything unusual: Scrapy's own search (and its error)


def journal_of(crawler) -> CrawlJournal | None:
    return crawler.get_extension(CrawlJournal)


class CrawlJournal:
    """Extension: writes the journal of one crawl and tells the other components what earlier runs left."""

    def __init__(self, crawler, jobdir: Path):
        self.crawler, self.jobdir, self.stats = crawler, jobdir, crawler.stats
        jobdir.mkdir(parents=True, exist_ok=True)
        self.earlier = read_journal(jobdir)
        if self.earlier.finished:  # a finished crawl whose state was not dropped: start afresh
            (jobdir / JOURNAL).unlink()
            self.earlier = JournalState()
        self.resumed = self.earlier.lines > 0
        self.finished = False
        self.unanswered: set[str] = set()  # journalled by this run, not answered yet
        self.unstored: set[int] = set()  # ids of items the storage pipeline could not store
        self.not_durable: set[int] = set()  # ids of responses (or failures) with an item not stored
        torn = ends_mid_line(jobdir / JOURNAL)
        self.file = open(jobdir / JOURNAL, "a", encoding="ascii")
        if torn:
            self._write("")  # end the line a kill tore, so it stays one unreadable line
        if self.resumed:
            logger.warning("resuming the stopped crawl kept in %s: %d earlier run(s), %d requests not answered",
                           jobdir, len(self.earlier.runs), len(self.earlier.pending))
        if self.earlier.unreadable:
            logger.warning("the journal in %s has %d unreadable line(s) (torn by a kill); their requests are asked "
                           "for again by the responses that produced them", jobdir, self.earlier.unreadable)
        for handler, signal in ((self.engine_started, signals.engine_started), (self.spider_closed,
                                signals.spider_closed), (self.engine_stopped, signals.engine_stopped),
                                (self.item_scraped, signals.item_scraped), (self.item_error, signals.item_error)):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, jobdir_of(crawler))

    def _write(self, line: str) -> None:
        self.file.write(line + "\n")
        self.file.flush()  # what reached the OS survives SIGKILL

    def _fingerprint(self, request: Request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    # -- what this run writes ----------------------------------------------------------------------------

    def run_started(self, crawl_id: int) -> None:
        """The storage pipeline's `crawls` row for this run."""
        self._write(f"c {crawl_id}")

    def scheduled(self, request: Request, accepted: bool) -> None:
        """The scheduler saw a request: journal it if it accepted it; a redirect answers its source."""
        if not resumable(request):
            return
        source = request.meta.pop(SOURCE, None)
        fingerprint = self._fingerprint(request)
        if accepted:
            data = pickle.dumps(request_dict(request, self.crawler.spider), protocol=4)
            self._write(f"+ {fingerprint} {base64.b64encode(data).decode('ascii')}")
            self.unanswered.add(fingerprint)
            request.meta[SOURCE] = (fingerprint, request.url)
        # A redirect (or meta refresh) is a copy of its source's meta with the source URL last in redirect_urls:
        # the source produced nothing but this request, journalled now (or seen before).
        if source and source[0] != fingerprint and (request.meta.get("redirect_urls") or [None])[-1] == source[1]:
            self.answer(source[0])

    def answer(self, fingerprint: str) -> None:
        self.unanswered.discard(fingerprint)
        self._write(f"- {fingerprint}")

    def engine_started(self) -> None:
        """Learn when the scraper is done with each response: Scrapy has no signal for it."""
        scraper = self.crawler.engine.scraper
        enqueue_scrape = scraper.enqueue_scrape

        def scrape_then_answer(result, request):
            done = enqueue_scrape(result, request)
            done.addBoth(self.scraped, result, request)
            return done

        scraper.enqueue_scrape = scrape_then_answer

    def scraped(self, passthrough, result, request: Request):
        """The scraper is done with a response or failure: every item stored, every request journalled."""
        fingerprint = self._fingerprint(request)
        if fingerprint in self.unanswered:
            if id(result) in self.not_durable:
                self.not_durable.discard(id(result))
                self.stats.inc_value("xxgk/journal/not_stored")
            else:
                self.answer(fingerprint)
            if request.meta.get(RESUMED) and isinstance(result, Failure) and not result.check(IgnoreRequest,
                                                                                             HttpError):
                self.stats.inc_value("xxgk/journal/resumed_unanswered")
        return passthrough

    def item_not_stored(self, item) -> None:
        """Called by the storage pipeline: the response this item came from stays unanswered."""
        self.unstored.add(id(item))

    def item_scraped(self, item, response, spider=None) -> None:
        if id(item) in self.unstored:
            self.unstored.discard(id(item))
            self.not_durable.add(id(response))

    def item_error(self, item, response, spider=None, failure=None) -> None:
        self.not_durable.add(id(response))

    # -- what earlier runs left ----------------------------------------------------------------------------

    def to_resume(self) -> Iterator[Request]:
        """The requests earlier runs left unanswered, rebuilt, except those whose response they stored."""
        stored = self.stored_urls()
        spider = self.crawler.spider
        for fingerprint, payload in self.earlier.pending.items():
            try:
                request = request_from_dict(pickle.loads(base64.b64decode(payload)), spider=spider)
            except Exception as exc:  # noqa: BLE001 - e.g. a callback renamed since: counted, fails the crawl
                logger.error("cannot ask again for a journalled request: %s: %s", type(exc).__name__, exc)
                self.stats.inc_value("xxgk/journal/unrestorable")
                continue
            if request.url in stored:
                self.answer(fingerprint)
                self.stats.inc_value("xxgk/journal/stored_before")
                continue
            self.stats.inc_value("xxgk/resumed_requests")
            yield request.replace(dont_filter=True, meta={**request.meta, RESUMED: True})

    def stored_urls(self) -> set[str]:
        """URLs of which the crawl's earlier runs stored a capture."""
        if not self.earlier.runs:
            return set()
        from crawler.config import database_url
        from crawler.database.jobs import captured_urls

        return captured_urls(database_url(self.crawler.settings), self.earlier.runs)

    # -- the end ------------------------------------------------------------------------------------------

    def spider_closed(self, spider, reason: str) -> None:
        self.finished = reason == "finished"  # any other end leaves the crawl to resume
        if self.finished and self.unanswered:
            logger.error("%d requests ended with items that could not be stored", len(self.unanswered))

    def engine_stopped(self) -> None:
        """Mark a finished crawl finished once every component has closed (the storage pipeline records the crawl's
        history and summary when the spider closes: a kill before that resumes the crawl, which records them), then
        drop its state."""
        if self.finished:
            self._write("=")
        self.file.close()
        if self.finished:
            shutil.rmtree(self.jobdir, ignore_errors=True)


class JournalScheduler(Scheduler):
    """Scrapy's scheduler with its queue in memory only, journalling each request it accepts."""

    journal: CrawlJournal | None = None

    def _dqdir(self, jobdir: str | None) -> None:
        return None

    def open(self, spider):
        self.journal = journal_of(self.crawler)
        return super().open(spider)

    def enqueue_request(self, request: Request) -> bool:
        accepted = super().enqueue_request(request)
        if self.journal is not None:
            self.journal.scheduled(request, accepted)
        return accepted


class JournalDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter in memory, counting as seen every request the crawl's earlier runs journalled
    (its `requests.seen` file loses its unflushed tail at a kill: the journal is the record)."""

    journalled: frozenset[str] | set[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler):
        dupefilter = cls(None, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"),
                         fingerprinter=crawler.request_fingerprinter)
        journal = journal_of(crawler)
        dupefilter.journalled = journal.earlier.seen if journal else frozenset()
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        if self.journalled and self.request_fingerprint(request) in self.journalled:
            return True
        return super().request_seen(request)


class ResumeMiddleware:
    """Spider middleware, outermost: a resumed crawl asks first for what earlier runs left unanswered; a response's
    items go to the pipelines only after every request it produced (so a stored item proves them journalled)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        jobdir_of(crawler)
        return cls(crawler)

    async def process_start(self, start: AsyncIterator) -> AsyncIterator:
        journal = journal_of(self.crawler)
        if journal is not None and journal.resumed:
            for request in journal.to_resume():
                yield request
        async for item_or_request in start:
            yield item_or_request

    async def process_spider_output(self, response, result: AsyncIterator) -> AsyncIterator:
        held = []
        try:
            async for output in result:
                if isinstance(output, Request):
                    yield output
                else:
                    held.append(output)
        except Exception:
            for item in held:  # what the callback produced before it failed is kept, as without this middleware
                yield item
            raise
        for item in held:
            yield item
