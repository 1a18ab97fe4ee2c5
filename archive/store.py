"""The shared archive (XXGK_ARCHIVE): where every worker's closed WARC files and their CDXJ indexes end up.

A crawl writes its WARC files in its own DATA_DIR/warc; once a file is closed and indexed it is published to the
store (`warc/NAME`, `indexes/NAME.cdxj`), recorded in `warc_files`, and the local copies are removed. Reading a
stored record (a revisit's original, a 304's stored response) tries the local file first, then the store, so a
revisit or a conditional request needs only the database and the archive, never another worker's disk.

Two kinds of store:
- a directory every host mounts (NFS, CIFS, or one disk): publishing copies to a temporary name and hard-links it
  into place, which fails if the name exists, so a file is never overwritten;
- an S3-compatible bucket, `s3://bucket/prefix` (boto3; XXGK_S3_ENDPOINT for MinIO, Ceph and the like): ranged GETs
  read one record.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from crawler.errors import XxgkError

logger = logging.getLogger(__name__)

WARC_PREFIX, INDEX_PREFIX = "warc/", "indexes/"


class ArchiveError(XxgkError):
    """The archive store cannot be used (a bad XXGK_ARCHIVE, a file that differs from the one archived)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class DirectoryStore:
    """A directory shared by every host: ROOT/warc/ and ROOT/indexes/, the layout of a data directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __str__(self) -> str:
        return str(self.root)

    def publish(self, local: Path, key: str) -> None:
        """Copy `local` to `key`, atomically; never overwrite (the same bytes there already is fine)."""
        final = self.root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{final.name}.{uuid.uuid4().hex}.part")
        try:
            with open(local, "rb") as source, open(partial, "wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
                target.flush()
                os.fsync(target.fileno())
            try:
                os.link(partial, final)
            except FileExistsError:
                if sha256_of(final) != sha256_of(local):
                    raise ArchiveError(f"{final}: archived already with other content; {local} kept") from None
        finally:
            partial.unlink(missing_ok=True)
        fsync_dir(final.parent)

    def read(self, key: str, offset: int, length: int) -> bytes | None:
        try:
            with open(self.root / key, "rb") as stream:
                stream.seek(offset)
                return stream.read(length)
        except FileNotFoundError:
            return None

    def exists(self, key: str) -> bool:
        return (self.root / key).is_file()

    def keys(self, prefix: str) -> list[str]:
        folder = self.root / prefix
        return sorted(f"{prefix}{path.name}" for path in folder.iterdir() if not path.name.startswith(".")) \
            if folder.is_dir() else []

    def local_root(self, cache: Path) -> Path:
        """A directory with warc/ and indexes/ of the whole archive: the store itself."""
        return self.root


class S3Store:
    """An S3-compatible bucket: s3://BUCKET/PREFIX/warc/… and …/indexes/…."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.s3 = boto3.client("s3", endpoint_url=endpoint_url or None,
                               config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard"}))

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def publish(self, local: Path, key: str) -> None:
        """Upload `local` unless `key` is there already (names are unique per writer: a re-publish is a no-op)."""
        if not self.exists(key):
            self.s3.upload_file(str(local), self.bucket, self.prefix + key)  # multipart above 8 MiB

    def read(self, key: str, offset: int, length: int) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            answer = self.s3.get_object(Bucket=self.bucket, Key=self.prefix + key,
                                        Range=f"bytes={offset}-{offset + length - 1}")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        return answer["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.s3.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def keys(self, prefix: str) -> list[str]:
        found = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            found += [item["Key"].removeprefix(self.prefix) for item in page.get("Contents", [])]
        return sorted(found)

    def local_root(self, cache: Path) -> Path:
        """`cache` with warc/ and indexes/ of the whole archive: files not there yet are downloaded (replay and WACZ
        export read local files)."""
        for key in self.keys(WARC_PREFIX) + self.keys(INDEX_PREFIX):
            target = cache / key
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{target.name}.part")
                self.s3.download_file(self.bucket, self.prefix + key, str(partial))
                os.replace(partial, target)
        return cache


def fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_stores: dict[tuple[str, str], DirectoryStore | S3Store] = {}


def open_store(location: str, endpoint: str = "") -> DirectoryStore | S3Store | None:
    """The store XXGK_ARCHIVE names (None: no shared archive), one per process."""
    if not location:
        return None
    found = _stores.get((location, endpoint))
    if found is None:
        if location.startswith("s3://"):
            parts = urlsplit(location)
            if not parts.netloc:
                raise ArchiveError(f"XXGK_ARCHIVE: no bucket in {location!r} (expected s3://bucket/prefix)")
            found = S3Store(parts.netloc, parts.path, endpoint)
        elif "://" in location:
            raise ArchiveError(f"XXGK_ARCHIVE: expected a directory or s3://bucket/prefix, got {location!r}")
        else:
            found = DirectoryStore(Path(location).expanduser().resolve())
        _stores[(location, endpoint)] = found
    return found


def location_of(settings) -> tuple[str, str]:
    """(XXGK_ARCHIVE, XXGK_S3_ENDPOINT): what a worker process needs to open the same store."""
    return settings.get("XXGK_ARCHIVE") or "", settings.get("XXGK_S3_ENDPOINT") or ""


def store_of(settings) -> DirectoryStore | S3Store | None:
    return open_store(*location_of(settings))


_current: DirectoryStore | S3Store | None = None


def use(store: DirectoryStore | S3Store | None) -> None:
    """Make `store` where this process reads records its local disk lacks (one archive per process)."""
    global _current
    if store is not None:
        _current = store


def read_archived(warc_file: str, offset: int, length: int) -> bytes | None:
    """A record's bytes from the shared archive, if this process uses one."""
    return _current.read(WARC_PREFIX + warc_file, offset, length) if _current is not None else None


_known: set[str] = set()


def use_location(location: str, endpoint: str = "") -> None:
    """Read records from the store `location_of` named (in an extraction worker process: no crawl set it there)."""
    use(open_store(location, endpoint))


def archived(warc_file: str) -> bool:
    """Whether the shared archive holds the WARC file (remembered once seen: archived files never go away)."""
    if warc_file in _known:
        return True
    if _current is not None and _current.exists(WARC_PREFIX + warc_file):
        _known.add(warc_file)
        return True
    return False


def archive_root(settings) -> Path:
    """A local directory with warc/ and indexes/ of the whole archive: the data directory without a shared
    archive, the shared directory itself, or DATA_DIR/archive-cache mirroring an S3 store."""
    from crawler.config import data_dir

    store = store_of(settings)
    return data_dir(settings) if store is None else store.local_root(data_dir(settings) / "archive-cache")


def publish_warc(store: DirectoryStore | S3Store, warc: Path, index: Path, database_url: str, site: str | None,
                 worker: str) -> None:
    """Publish a closed, indexed WARC file and its index; record it in `warc_files`; remove the local copies."""
    from sqlalchemy.dialects import postgresql, sqlite

    from crawler import database as db
    from crawler.database.types import utc_now

    size, digest = warc.stat().st_size, sha256_of(warc)
    store.publish(warc, WARC_PREFIX + warc.name)
    store.publish(index, INDEX_PREFIX + index.name)  # after its WARC: an index never names a file not there
    now = utc_now()
    values = {"name": warc.name, "site": site, "worker": worker, "state": "archived", "size": size, "sha256": digest,
              "created_at": now, "archived_at": now}
    engine = db.connect(database_url)
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    with engine.begin() as conn:
        conn.execute(dialect.insert(db.warc_files).values(**values).on_conflict_do_update(
            index_elements=["name"], set_={"state": "archived", "archived_at": now}))
    _known.add(warc.name)
    warc.unlink()
    index.unlink()


PUBLISH_THREADS = 2  # per process: an upload waits on the network, not on CPU
_publisher: ThreadPoolExecutor | None = None
_publisher_lock = threading.Lock()


def publisher() -> ThreadPoolExecutor:
    """The process's publishing threads, shared by every crawl in it: uploads never run on the reactor thread."""
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            _publisher = ThreadPoolExecutor(PUBLISH_THREADS, thread_name_prefix="xxgk-publish")
        return _publisher


def publish_leftovers(settings) -> int:
    """Publish the WARC files an earlier process on this data directory left (killed before it published them):
    salvaged, indexed, then moved like any other. How many there were."""
    from archive.index import index_path, index_warc
    from archive.salvage import salvage, writer_alive
    from crawler.config import data_dir, database_url

    store = store_of(settings)
    warc_dir = data_dir(settings) / "warc"
    if store is None or not warc_dir.is_dir():
        return 0
    salvage(warc_dir)
    left = [warc for warc in sorted(warc_dir.glob("*.warc.gz")) if not writer_alive(warc)]
    for warc in left:
        index = index_path(warc)
        if not index.exists():
            index_warc(warc)
        publish_warc(store, warc, index, database_url(settings), site_of(warc.name), worker_name())
    return len(left)


def site_of(name: str) -> str | None:
    """The site in a crawl's WARC file name ({prefix}-{site}-{timestamp}-…), if it has one."""
    parts = name.split("-")
    return parts[1] if len(parts) >= 5 else None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
