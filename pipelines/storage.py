"""Store listings, report pages, attachments and their captures in the database."""

from __future__ import annotations

import asyncio
import logging

from scrapy import signals
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from crawler import config
from crawler import database as db
from crawler.database.types import utc_now
from crawler.extensions.journal import journal_of
from crawler.extensions.summary import YEAR_PREFIX, summarize
from crawler.items import AttachmentItem, CaptureItem, DocumentItem, ListingItem
from crawler.leases import LeaseLost, write_engine

logger = logging.getLogger(__name__)

# Items stored per transaction, and how long the first item of a batch waits for more: a commit per item was most
# of this pipeline's CPU; an item's response is answered in the journal only once its batch is committed.
BATCH_ITEMS = 100
BATCH_SECONDS = 0.1

# built once: building a statement per item cost more than running it
STORED_CAPTURE = select(db.captures.c.id).where(db.captures.c.url == bindparam("url"),
                                                db.captures.c.record_id == bindparam("record_id"))
INSERT_CAPTURE = insert(db.captures)


class Counts:
    """Stats increments of a batch, added to the crawl's stats once the rows they count are committed."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def add_to(self, stats) -> None:
        for key, count in self.values.items():
            stats.inc_value(key, count)


def _settle(stored: asyncio.Future, exc: BaseException | None = None) -> None:
    if stored.done():  # its waiter was cancelled
        return
    if exc is None:
        stored.set_result(None)
    else:
        stored.set_exception(exc)


class StoragePipeline:
    def __init__(self, crawler, url: str, journal=None):
        self.crawler, self.stats, self.url = crawler, crawler.stats, url
        self.journal = journal  # a site's crawl has one (crawler/extensions/journal.py); `xxgk capture` not
        # the process's engine for the URL, shared by every site crawled in this process (on PostgreSQL each
        # transaction first proves the crawl still holds its site's lease: crawler/leases.py)
        self.engine = None
        self.crawl_id: int | None = None
        self.batch: list[tuple] = []  # (store function, item, future set once the item is stored or failed)
        self.timer: asyncio.TimerHandle | None = None
        self.committing: asyncio.Future | None = None  # the last batch sent to the writer thread

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler, config.database_url(crawler.settings), journal_of(crawler))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None) -> None:
        self.engine = write_engine(self.crawler)
        with self.engine.begin() as conn:
            result = conn.execute(insert(db.crawls).values(site=self.site, started_at=utc_now(), status="running"))
            self.crawl_id = result.inserted_primary_key[0]
        self.stats.set_value("xxgk/crawl_id", self.crawl_id)  # a queue worker records it in the run (crawler/queue.py)
        if self.journal is not None:
            self.journal.run_started(self.crawl_id)

    @property
    def site(self) -> str:
        return self.crawler.spider.name

    async def process_item(self, item, spider=None):
        """Store the item in the next batch; return once that batch is committed (or the item failed), so the
        journal answers its response only when the item is in the database, as with a commit per item."""
        store = {ListingItem: self.store_listing, DocumentItem: self.store_document,
                 AttachmentItem: self.store_attachment, CaptureItem: self.store_capture}.get(type(item))
        if store is None:
            return item
        loop = asyncio.get_running_loop()
        stored = loop.create_future()
        self.batch.append((store, item, stored))
        if len(self.batch) >= BATCH_ITEMS:
            self.commit()
        elif self.timer is None:
            self.timer = loop.call_later(BATCH_SECONDS, self.commit)
        await stored
        return item

    def commit(self) -> asyncio.Future:
        """Send the waiting items to be stored in one transaction; their futures are set once it is committed."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.batch = self.batch, []
        self.committing = asyncio.ensure_future(self._commit(batch, self.committing))
        return self.committing

    async def _commit(self, batch: list[tuple], before: asyncio.Future | None) -> None:
        """Store `batch` in a writer thread, after the batch sent before it (a crawl's batches commit in order)."""
        if before is not None:
            await asyncio.shield(before)  # never raises: a failed batch settles its own items below
        if not batch:
            return
        try:
            outcomes = await asyncio.get_running_loop().run_in_executor(db.writer(self.url), self._store_batch, batch)
        except Exception as exc:  # noqa: BLE001 - the writer itself failed (its pool shut down): so does every item
            for _, _, stored in batch:
                _settle(stored, exc)
            return
        for (_, item, stored), (counts, error) in zip(batch, outcomes, strict=True):
            if isinstance(error, (SQLAlchemyError, LeaseLost)):
                self.not_stored(item, error)
                continue
            if counts is not None:
                counts.add_to(self.stats)
            _settle(stored, error)
        for _, _, stored in batch:
            _settle(stored)

    def _store_batch(self, batch: list[tuple]) -> list[tuple[Counts | None, BaseException | None]]:
        """In a writer thread: the batch in one transaction; if that fails, each item in its own, so one bad item
        is the only one lost. (counts to add, error) per item. A connection per batch from the shared pool, none
        held between batches: the crawls of a process (and the processes of `--processes`) share one SQLite writer."""
        counts = Counts()
        try:
            with self.engine.begin() as conn:
                for store, item, _ in batch:
                    store(conn, item, counts)
        except Exception:  # noqa: BLE001 - each item again on its own: its own error, if any, is reported then
            return [self._store_one(store, item) for store, item, _ in batch]
        return [(counts, None)] + [(None, None)] * (len(batch) - 1)

    def _store_one(self, store, item) -> tuple[Counts | None, BaseException | None]:
        counts = Counts()
        try:
            with self.engine.begin() as conn:
                store(conn, item, counts)
        except Exception as exc:  # noqa: BLE001 - a database error, or the item's own (Scrapy reports that one)
            return None, exc
        return counts, None

    def not_stored(self, item, exc: BaseException) -> None:
        lost = isinstance(exc, LeaseLost)  # the crawl is closing: another process may have the site now
        logger.error("could not store %s: %s", item.get("url"), exc)
        self.stats.inc_value("xxgk/lease/unstored_items" if lost else "xxgk/storage/errors")
        if self.journal is not None:
            self.journal.item_not_stored(item)  # its response stays unanswered

    def insert_capture(self, conn, item, kind: str, outcome: str = "ok") -> int | None:
        """The captures row of the item's archived response (the one stored already, if an earlier run of a
        resumed crawl stored this same response: a split report's first part, asked for again with its last)."""
        capture = item.get("capture")
        if not capture:
            return None
        stored = conn.scalar(STORED_CAPTURE, {"url": item["url"], "record_id": capture["record_id"]})
        if stored is not None:
            return stored
        values = dict(
            crawl_id=self.crawl_id, site=self.site, url=item["url"], kind=kind, status=capture["status"],
            fetched_at=capture["date"], warc_file=capture["warc_file"], warc_offset=capture["offset"],
            warc_length=capture["length"], digest=capture["digest"], record_id=capture["record_id"],
            revisit=capture.get("revisit"), refers_to=(capture.get("refers_to") or {}).get("record_id"),
            outcome=outcome,
        )
        return conn.execute(INSERT_CAPTURE, values).inserted_primary_key[0]

    def store_listing(self, conn, item: ListingItem, counts: Counts) -> None:
        capture_id = self.insert_capture(conn, item, "list")
        values = dict(
            crawl_id=self.crawl_id, site=self.site, column_url=item["column"], page=item["page"], url=item["url"],
            capture_id=capture_id, entries=item["entries"],
        )
        # A page fetched twice in one crawl (a resumed run) keeps its latest listing.
        db.upsert(conn, db.listings, values, key=("crawl_id", "url"))

    def store_capture(self, conn, item: CaptureItem, counts: Counts) -> None:
        """An error or blocked response: stored as a capture only, so history can tell it from a change."""
        self.insert_capture(conn, item, item["kind"], item["outcome"])

    def store_document(self, conn, item: DocumentItem, counts: Counts) -> None:
        capture_id = self.insert_capture(conn, item, "document")
        seen = (item.get("capture") or {}).get("date") or utc_now()
        listed = dict(list_title=item.get("list_title"), list_date=item.get("list_date"), column_url=item.get("column"),
                      attachment_urls=item.get("attachments") or [])
        counts.inc_value("xxgk/documents")
        if item.get("unchanged") and self.touch(conn, db.documents, item["url"], seen, **listed):
            counts.inc_value("xxgk/documents/unchanged")
            return
        fields = item.get("fields") or {}
        values = dict(
            site=self.site, url=item["url"], first_seen=seen, last_seen=seen, capture_id=capture_id, **listed,
            extract_error=fields.get("extract_error"),
            **{name: fields.get(name) for name in db.DOCUMENT_FIELDS},
        )
        db.upsert(conn, db.documents, values, key="url", keep=("first_seen",))
        self.insert_cells(conn, item["url"], item["url"], capture_id, fields.get("cells"), counts)

    @staticmethod
    def touch(conn, table, url: str, seen, **values) -> bool:
        """A 304: the row keeps its extracted fields and capture; only when it was last seen (and listed) moves."""
        result = conn.execute(db.update_by_url(table), {"key_url": url, "last_seen": seen, **values})
        return result.rowcount > 0

    def store_attachment(self, conn, item: AttachmentItem, counts: Counts) -> None:
        capture_id = self.insert_capture(conn, item, "attachment")
        seen = (item.get("capture") or {}).get("date") or utc_now()
        if item.get("unchanged") and self.touch(conn, db.attachments, item["url"], seen):
            counts.inc_value("xxgk/attachments")
            counts.inc_value("xxgk/attachments/unchanged")
            return
        values = dict(
            site=self.site, url=item["url"], document_url=item.get("document_url"), first_seen=seen, last_seen=seen,
            capture_id=capture_id, filename=item.get("filename"), content_type=item.get("content_type"),
            size=item.get("size"), sha1=item.get("sha1"),
        )
        extracted = item.get("fields") or {}
        values |= {name: extracted.get(name) for name in db.ATTACHMENT_FIELDS}
        db.upsert(conn, db.attachments, values, key="url", keep=("first_seen",))
        counts.inc_value("xxgk/attachments")
        self.insert_cells(conn, item.get("document_url") or item["url"], item["url"], capture_id, extracted.get("cells"),
                          counts)

    def insert_cells(self, conn, document_url: str, source_url: str, capture_id: int | None, cells,
                     counts: Counts) -> None:
        """One report_cells row per statistics-table cell of this capture."""
        if not cells:
            return
        conn.execute(insert(db.report_cells), db.cell_rows(document_url, source_url, capture_id, cells))
        counts.inc_value("xxgk/cells", len(cells))

    def count_whole_crawl(self, counts: dict) -> None:
        """A resumed crawl's counts: what every run of it stored (each URL once, `counts`), not only this run."""
        stats = {key: value for key, value in self.stats.get_stats().items() if not key.startswith(YEAR_PREFIX)}
        fresh = {name: stats.get(f"xxgk/{name}/fresh", 0) for name in ("documents", "attachments")}
        stats |= {"xxgk/documents": counts["reports"] + fresh["documents"],
                  "xxgk/attachments": counts["attachments"] + fresh["attachments"],
                  "xxgk/list_pages": counts["list_pages"], "xxgk/runs": len(counts["runs"])}
        stats |= {YEAR_PREFIX + year: count for year, count in counts["years"].items()}
        self.stats.set_stats(stats)

    async def spider_closed(self, spider, reason: str) -> None:
        """Record what the crawl showed over time (columns, versions, events), then its summary (the database work
        in a writer thread, the stats in the reactor's)."""
        await self.commit()  # nothing should be waiting (the scraper is idle), but whatever is must be stored first
        incomplete = set(self.stats.get_value("xxgk/columns/incomplete") or ())
        earlier = self.journal.earlier.runs if self.journal is not None and self.journal.resumed else []
        if reason != "finished":
            incomplete.add("*")  # the crawl stopped early: no column was read whole
        elif earlier:
            incomplete.add("*")  # list pages an earlier run failed to read are not known here
        loop = asyncio.get_running_loop()
        try:
            found, counts = await loop.run_in_executor(db.writer(self.url), self.record_history, incomplete, earlier)
            if earlier:
                self.count_whole_crawl(counts)
            for name, count in found.items():
                self.stats.set_value(f"xxgk/history/{name}", count)
        except SQLAlchemyError as exc:
            logger.error("could not record the history of crawl %s: %s", self.crawl_id, exc)
            self.stats.inc_value("xxgk/storage/errors")
        except LeaseLost as exc:
            logger.error("the history of crawl %s is not recorded: %s", self.crawl_id, exc)
        summary = summarize(self.site, self.stats.get_stats(), reason)
        try:
            await loop.run_in_executor(db.writer(self.url), self.record_end, summary)
        except LeaseLost as exc:  # the next holder marks this crawl's row crashed
            logger.error("the end of crawl %s is not recorded: %s", self.crawl_id, exc)

    def record_history(self, incomplete: set[str], earlier: list[int]) -> tuple[dict, dict | None]:
        """In a writer thread: the crawl's history, and for a resumed crawl what all its runs stored."""
        from crawler.database.history import record_crawl
        from crawler.database.jobs import stored_counts

        with self.engine.begin() as conn:
            found = record_crawl(conn, self.crawl_id, self.site, incomplete, earlier)
        if not earlier:
            return found, None
        with self.engine.connect() as conn:
            return found, {**stored_counts(conn, [*earlier, self.crawl_id]), "runs": [*earlier, self.crawl_id]}

    def record_end(self, summary: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(db.crawls).where(db.crawls.c.id == self.crawl_id).values(
                finished_at=utc_now(), status=summary["status"], summary=summary,
            ))
