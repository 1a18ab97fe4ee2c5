"""The digest index: each payload archived in full for a URL (where, when), and the validators last seen with it.

Kept in the project database (table `digests`), so it survives between crawls and
any process can read it. The capture middleware looks a response up here before
writing it: a payload archived before becomes a revisit record pointing at the
original, and conditional requests take their ETag/Last-Modified from here.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, replace

from sqlalchemy import Engine, bindparam, select

from archive.records import warc_date
from crawler import database as db

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Original:
    """A response record holding a payload in full, and the validators last sent with that payload."""

    url: str
    digest: str
    record_id: str
    date: str
    warc_file: str
    offset: int
    length: int
    etag: str | None = None
    last_modified: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


_TOO_MANY = object()


def _origin(url: str) -> str | None:
    """"scheme://host[:port]/" of an absolute URL (None without a path)."""
    start = url.find("://")
    slash = url.find("/", start + 3) if start > 0 else -1
    return url[:slash + 1] if slash > 0 else None


# built once: building a statement costs more than running it
_ORIGINAL = select(db.digests).where(db.digests.c.url == bindparam("url"), db.digests.c.digest == bindparam("digest"))
_LATEST = (select(db.digests).where(db.digests.c.url == bindparam("url"))
           .order_by(db.digests.c.last_seen.desc(), db.digests.c.id.desc()).limit(1))


class DigestIndex:
    """Lookups and writes of the digest index for one crawl.

    Writes wait in memory (lookups see them at once) and reach the database in one
    transaction every BATCH changes and at close: a transaction per response cost more
    than archiving it. A crawl killed before a flush loses only those index entries;
    the next crawl then archives those payloads in full once more instead of as revisits.
    """

    BATCH = 500
    KNOWN_MAX = 100_000  # URLs of one origin kept in memory to answer "surely not archived" without a query

    def __init__(self, engine: Engine, writer: Engine | None = None):
        self.engine = engine  # lookups
        self.writer = writer or engine  # flushes: a crawl's fenced engine on PostgreSQL (crawler/leases.py)
        self._pending: dict[tuple[str, str], tuple[Original, str]] = {}  # (url, digest) -> entry, last seen
        self._latest: dict[str, tuple[str, str]] = {}  # url -> the pending key it served last
        self._unknown: set[str] = set()  # URLs a lookup found no entry for, until their response is looked up
        self._known: dict[str, set[str] | object] = {}  # origin -> URLs the table holds under it (read once)

    @classmethod
    def open(cls, database_url: str) -> DigestIndex:
        return cls(db.connect(database_url))  # the process's shared engine

    @classmethod
    def of(cls, crawler) -> DigestIndex:
        """The crawl's one index, shared by the middlewares that read and write it; flushed when the spider closes."""
        index = getattr(crawler, "xxgk_digests", None)
        if index is None:
            from scrapy import signals

            from crawler.config import database_url
            from crawler.leases import write_engine

            index = cls(db.connect(database_url(crawler.settings)), write_engine(crawler))
            crawler.signals.connect(index.close, signal=signals.spider_closed)
            crawler.xxgk_digests = index
        return index

    def original(self, url: str, digest: str) -> Original | None:
        """The first full capture of this URL with this payload, if any."""
        if url in self._unknown:  # asked just before the request went out: one query per exchange is enough
            self._unknown.discard(url)
            return self._waiting(url, digest)
        if not self._may_hold(url):
            return self._waiting(url, digest)
        return self._waiting(url, digest) or self._one(_ORIGINAL, url=url, digest=digest)

    def latest(self, url: str) -> Original | None:
        """The payload this URL served last, with the validators sent then (what a conditional request asks about)."""
        key = self._latest.get(url)
        if key:
            return self._pending[key][0]
        found = self._one(_LATEST, url=url) if self._may_hold(url) else None
        if found is None and len(self._unknown) < self.BATCH * 20:  # bounded: some requests never get a response
            self._unknown.add(url)
        return found

    def add(self, original: Original) -> None:
        """Index a payload archived in full (replacing an entry whose WARC file has gone)."""
        self._put(original, original.date)

    def seen(self, original: Original, date: str, etag: str | None, last_modified: str | None) -> None:
        """The payload was seen again (unchanged, or confirmed by a 304): newest date, validators as sent now."""
        if etag or last_modified:
            original = replace(original, etag=etag, last_modified=last_modified)
        self._put(original, date)

    def _may_hold(self, url: str) -> bool:
        """False when the table surely has no entry for `url`: the URLs it holds under the URL's origin are read
        once (one query), so a first crawl asks no query per request (a SELECT each was most of this index's CPU).
        Origins with more than KNOWN_MAX entries are not read: every lookup asks the database. An entry another
        process adds for this origin later is not seen: that payload is archived in full once more (no loss)."""
        origin = _origin(url)
        if origin is None:
            return True
        known = self._known.get(origin)
        if known is None:
            known = self._known[origin] = self._urls_under(origin)
        return known is _TOO_MANY or url in known

    def _urls_under(self, origin: str) -> set[str] | object:
        # LIKE, not a range: a range is only right under a byte-order collation (PostgreSQL's may be a locale's);
        # SQLite's LIKE ignores ASCII case, so it may return more URLs than it should: a superset is harmless.
        query = (select(db.digests.c.url).where(db.digests.c.url.startswith(origin, autoescape=True))
                 .limit(self.KNOWN_MAX + 1))
        with self.engine.connect() as conn:
            urls = {row[0] for row in conn.execute(query)}
        return _TOO_MANY if len(urls) > self.KNOWN_MAX else urls

    def _put(self, original: Original, last_seen: str) -> None:
        known = self._known.get(_origin(original.url) or "")
        if known is not None and known is not _TOO_MANY:
            known.add(original.url)
        key = (original.url, original.digest)
        self._pending[key], self._latest[original.url] = (original, last_seen), key
        if len(self._pending) >= self.BATCH:
            self.flush()

    def _waiting(self, url: str, digest: str) -> Original | None:
        entry = self._pending.get((url, digest))
        return entry[0] if entry else None

    def flush(self) -> None:
        """Write the waiting entries in one transaction (an upsert each: new, or seen again)."""
        if not self._pending:
            return
        rows = [dict(url=o.url, digest=o.digest, record_id=o.record_id, date=o.date, warc_file=o.warc_file,
                     warc_offset=o.offset, warc_length=o.length, last_seen=last_seen, etag=o.etag,
                     last_modified=o.last_modified) for o, last_seen in self._pending.values()]
        from crawler.leases import LeaseLost

        try:
            with self.writer.begin() as conn:
                db.upsert(conn, db.digests, rows, key=("url", "digest"))
        except LeaseLost as exc:  # harmless: those payloads are archived in full next time instead of as revisits
            logger.error("%d digest index entries not written: %s", len(rows), exc)
        self._pending.clear()
        self._latest.clear()
        self._unknown.clear()

    def close(self, spider=None) -> None:
        self.flush()

    def _one(self, query, **params) -> Original | None:
        with self.engine.connect() as conn:
            row = conn.execute(query, params).mappings().first()
        if row is None:
            return None
        # the date goes into revisits' WARC-Refers-To-Date: exactly the original's WARC-Date again
        return Original(row["url"], row["digest"], row["record_id"], warc_date(row["date"]), row["warc_file"],
                        row["warc_offset"], row["warc_length"], row["etag"], row["last_modified"])
