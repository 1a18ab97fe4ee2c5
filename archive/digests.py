"""The digest index: each payload archived in full for a URL (where, when), and the validators last seen with it.

Kept in the project database (table `digests`), so it survives between crawls and
any process can read it. The capture middleware looks a response up here before
writing it: a payload archived before becomes a revisit record pointing at the
original, and conditional requests take their ETag/Last-Modified from here.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, select, update

from crawler import database as db


def payload_digest(body: bytes) -> str:
    """WARC-Payload-Digest of a body as warcio writes it: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


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


class DigestIndex:
    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, database_url: str) -> DigestIndex:
        return cls(db.connect(database_url))

    def original(self, url: str, digest: str) -> Original | None:
        """The first full capture of this URL with this payload, if any."""
        return self._one(select(db.digests).where(db.digests.c.url == url, db.digests.c.digest == digest))

    def latest(self, url: str) -> Original | None:
        """The payload this URL served last, with the validators sent then (what a conditional request asks about)."""
        return self._one(select(db.digests).where(db.digests.c.url == url)
                         .order_by(db.digests.c.last_seen.desc(), db.digests.c.id.desc()).limit(1))

    def add(self, original: Original) -> None:
        """Index a payload archived in full (replacing an entry whose WARC file has gone)."""
        values = dict(url=original.url, digest=original.digest, record_id=original.record_id, date=original.date,
                      warc_file=original.warc_file, warc_offset=original.offset, warc_length=original.length,
                      last_seen=original.date, etag=original.etag, last_modified=original.last_modified)
        with self.engine.begin() as conn:
            conn.execute(db.upsert(self.engine, db.digests, values, key=("url", "digest")))

    def seen(self, original: Original, date: str, etag: str | None, last_modified: str | None) -> None:
        """The payload was seen again (unchanged, or confirmed by a 304): newest date, validators as sent now."""
        values = {"last_seen": date}
        if etag or last_modified:
            values |= {"etag": etag, "last_modified": last_modified}
        with self.engine.begin() as conn:
            conn.execute(update(db.digests).where(db.digests.c.url == original.url,
                                                  db.digests.c.digest == original.digest).values(**values))

    def close(self) -> None:
        self.engine.dispose()

    def _one(self, query) -> Original | None:
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        return Original(row["url"], row["digest"], row["record_id"], row["date"], row["warc_file"],
                        row["warc_offset"], row["warc_length"], row["etag"], row["last_modified"])
