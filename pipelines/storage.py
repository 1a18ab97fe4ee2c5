"""Store listings, report pages, attachments and their captures in the database."""

from __future__ import annotations

import logging

from scrapy import signals
from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from crawler import config
from crawler import database as db
from crawler.database.types import utc_now
from crawler.extensions.journal import journal_of
from crawler.extensions.summary import YEAR_PREFIX, summarize
from crawler.items import AttachmentItem, CaptureItem, DocumentItem, ListingItem
from crawler.leases import LeaseLost, write_engine

logger = logging.getLogger(__name__)


class StoragePipeline:
    def __init__(self, crawler, url: str, journal=None):
        self.crawler, self.stats, self.url = crawler, crawler.stats, url
        self.journal = journal  # a site's crawl has one (crawler/extensions/journal.py); `xxgk capture` not
        # the process's engine for the URL, shared by every site crawled in this process (on PostgreSQL each
        # transaction first proves the crawl still holds its site's lease: crawler/leases.py)
        self.engine = None
        self.crawl_id: int | None = None

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

    def process_item(self, item, spider=None):
        store = {ListingItem: self.store_listing, DocumentItem: self.store_document,
                 AttachmentItem: self.store_attachment, CaptureItem: self.store_capture}.get(type(item))
        if store is None:
            return item
        try:
            # A connection per item from the shared pool, not one held per site: a process crawling hundreds of
            # sites then needs a few connections, not hundreds.
            with self.engine.begin() as conn:
                store(conn, item)
        except (SQLAlchemyError, LeaseLost) as exc:
            lost = isinstance(exc, LeaseLost)  # the crawl is closing: another process may have the site now
            logger.error("could not store %s: %s", item.get("url"), exc)
            self.stats.inc_value("xxgk/lease/unstored_items" if lost else "xxgk/storage/errors")
            if self.journal is not None:
                self.journal.item_not_stored(item)  # its response stays unanswered
        return item

    def insert_capture(self, conn, item, kind: str, outcome: str = "ok") -> int | None:
        """The captures row of the item's archived response (the one stored already, if an earlier run of a
        resumed crawl stored this same response: a split report's first part, asked for again with its last)."""
        capture = item.get("capture")
        if not capture:
            return None
        stored = conn.scalar(select(db.captures.c.id).where(db.captures.c.url == item["url"],
                                                           db.captures.c.record_id == capture["record_id"]))
        if stored is not None:
            return stored
        values = dict(
            crawl_id=self.crawl_id, site=self.site, url=item["url"], kind=kind, status=capture["status"],
            fetched_at=capture["date"], warc_file=capture["warc_file"], warc_offset=capture["offset"],
            warc_length=capture["length"], digest=capture["digest"], record_id=capture["record_id"],
            revisit=capture.get("revisit"), refers_to=(capture.get("refers_to") or {}).get("record_id"),
            outcome=outcome,
        )
        return conn.execute(insert(db.captures), values).inserted_primary_key[0]

    def store_listing(self, conn, item: ListingItem) -> None:
        capture_id = self.insert_capture(conn, item, "list")
        values = dict(
            crawl_id=self.crawl_id, site=self.site, column_url=item["column"], page=item["page"], url=item["url"],
            capture_id=capture_id, entries=item["entries"],
        )
        # A page fetched twice in one crawl (a resumed run) keeps its latest listing.
        db.upsert(conn, db.listings, values, key=("crawl_id", "url"))

    def store_capture(self, conn, item: CaptureItem) -> None:
        """An error or blocked response: stored as a capture only, so history can tell it from a change."""
        self.insert_capture(conn, item, item["kind"], item["outcome"])

    def store_document(self, conn, item: DocumentItem) -> None:
        capture_id = self.insert_capture(conn, item, "document")
        seen = (item.get("capture") or {}).get("date") or utc_now()
        listed = dict(list_title=item.get("list_title"), list_date=item.get("list_date"), column_url=item.get("column"),
                      attachment_urls=item.get("attachments") or [])
        self.stats.inc_value("xxgk/documents")
        if item.get("unchanged") and self.touch(conn, db.documents, item["url"], seen, **listed):
            self.stats.inc_value("xxgk/documents/unchanged")
            return
        fields = item.get("fields") or {}
        values = dict(
            site=self.site, url=item["url"], first_seen=seen, last_seen=seen, capture_id=capture_id, **listed,
            extract_error=fields.get("extract_error"),
            **{name: fields.get(name) for name in db.DOCUMENT_FIELDS},
        )
        db.upsert(conn, db.documents, values, key="url", keep=("first_seen",))
        self.insert_cells(conn, item["url"], item["url"], capture_id, fields.get("cells"))

    @staticmethod
    def touch(conn, table, url: str, seen, **values) -> bool:
        """A 304: the row keeps its extracted fields and capture; only when it was last seen (and listed) moves."""
        result = conn.execute(db.update_by_url(table), {"key_url": url, "last_seen": seen, **values})
        return result.rowcount > 0

    def store_attachment(self, conn, item: AttachmentItem) -> None:
        capture_id = self.insert_capture(conn, item, "attachment")
        seen = (item.get("capture") or {}).get("date") or utc_now()
        if item.get("unchanged") and self.touch(conn, db.attachments, item["url"], seen):
            self.stats.inc_value("xxgk/attachments")
            self.stats.inc_value("xxgk/attachments/unchanged")
            return
        values = dict(
            site=self.site, url=item["url"], document_url=item.get("document_url"), first_seen=seen, last_seen=seen,
            capture_id=capture_id, filename=item.get("filename"), content_type=item.get("content_type"),
            size=item.get("size"), sha1=item.get("sha1"),
        )
        extracted = item.get("fields") or {}
        values |= {name: extracted.get(name) for name in db.ATTACHMENT_FIELDS}
        db.upsert(conn, db.attachments, values, key="url", keep=("first_seen",))
        self.stats.inc_value("xxgk/attachments")
        self.insert_cells(conn, item.get("document_url") or item["url"], item["url"], capture_id, extracted.get("cells"))

    def insert_cells(self, conn, document_url: str, source_url: str, capture_id: int | None, cells) -> None:
        """One report_cells row per statistics-table cell of this capture."""
        if not cells:
            return
        conn.execute(insert(db.report_cells), db.cell_rows(document_url, source_url, capture_id, cells))
        self.stats.inc_value("xxgk/cells", len(cells))

    def count_whole_crawl(self, conn, earlier: list[int]) -> None:
        """A resumed crawl's counts: what every run of it stored (each URL once), not only this run."""
        from crawler.database.jobs import stored_counts

        counts = stored_counts(conn, [*earlier, self.crawl_id])
        stats = {key: value for key, value in self.stats.get_stats().items() if not key.startswith(YEAR_PREFIX)}
        fresh = {name: stats.get(f"xxgk/{name}/fresh", 0) for name in ("documents", "attachments")}
        stats |= {"xxgk/documents": counts["reports"] + fresh["documents"],
                  "xxgk/attachments": counts["attachments"] + fresh["attachments"],
                  "xxgk/list_pages": counts["list_pages"], "xxgk/runs": len(earlier) + 1}
        stats |= {YEAR_PREFIX + year: count for year, count in counts["years"].items()}
        self.stats.set_stats(stats)

    def spider_closed(self, spider, reason: str) -> None:
        """Record what the crawl showed over time (columns, versions, events), then its summary."""
        from crawler.database.history import record_crawl

        incomplete = set(self.stats.get_value("xxgk/columns/incomplete") or ())
        earlier = self.journal.earlier.runs if self.journal is not None and self.journal.resumed else []
        if reason != "finished":
            incomplete.add("*")  # the crawl stopped early: no column was read whole
        elif earlier:
            incomplete.add("*")  # list pages an earlier run failed to read are not known here
        try:
            with self.engine.begin() as conn:
                found = record_crawl(conn, self.crawl_id, self.site, incomplete, earlier)
            if earlier:
                with self.engine.connect() as conn:
                    self.count_whole_crawl(conn, earlier)
            for name, count in found.items():
                self.stats.set_value(f"xxgk/history/{name}", count)
        except SQLAlchemyError as exc:
            logger.error("could not record the history of crawl %s: %s", self.crawl_id, exc)
            self.stats.inc_value("xxgk/storage/errors")
        except LeaseLost as exc:
            logger.error("the history of crawl %s is not recorded: %s", self.crawl_id, exc)
        summary = summarize(self.site, self.stats.get_stats(), reason)
        try:
            with self.engine.begin() as conn:
                conn.execute(update(db.crawls).where(db.crawls.c.id == self.crawl_id).values(
                    finished_at=utc_now(), status=summary["status"], summary=summary,
                ))
        except LeaseLost as exc:  # the next holder marks this crawl's row crashed
            logger.error("the end of crawl %s is not recorded: %s", self.crawl_id, exc)
