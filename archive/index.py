"""CDXJ indexes of the WARC files, pywb-compatible: one sorted `.cdxj` per WARC under DATA_DIR/indexes/."""

from __future__ import annotations

import functools
import glob
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from io import BytesIO
from pathlib import Path

from cdxj_indexer.bufferiter import concur_req_resp, join_req_resp
from cdxj_indexer.main import CDXJIndexer, SortingWriter
from warcio.statusandheaders import StatusAndHeadersParser

from archive.salvage import salvage, writer_alive
from crawler.processes import exit_with_parent, process_alive

logger = logging.getLogger(__name__)


def index_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "indexes"


def index_path(warc: Path) -> Path:
    """DATA_DIR/indexes/{warc name}.cdxj for DATA_DIR/warc/{warc name}."""
    return index_dir(warc.parent.parent) / f"{warc.name}.cdxj"


def index_warc(warc: Path) -> Path:
    """Write the sorted CDXJ index of one closed WARC file (POST bodies appended to the key, as pywb does)."""
    target = index_path(warc)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")  # two processes may index one file at once
    CDXJIndexer(str(partial), [str(warc)], sort=True, post_append=True).process_all()
    os.replace(partial, target)
    target.with_name(target.name + ".unsorted").unlink(missing_ok=True)  # a killed crawl's live index lines
    for left in target.parent.glob(f"{glob.escape(target.name)}.*.partial"):
        if not process_alive(int(left.name.rsplit(".", 2)[-2])):
            left.unlink(missing_ok=True)  # a killed indexer's
    return target


class LiveIndex:
    """The CDXJ index of one WARC file, made from its records as they are written, not by reading the file back.

    cdxj-indexer (what `index_warc` runs) decompresses and parses every record of a closed file again, in worker
    processes spawned for it; a crawl waited seconds at its end for those. The records are in hand when they are
    written, so their lines are made then, by cdxj-indexer's own rules (its record filter, request/response pairing,
    POST keys, fields and sorting, reused from it), appended unsorted to `{index}.unsorted` and sorted into
    `{index}` when the file closes: the same index, byte for byte (tests/test_index_live.py checks it).
    """

    def __init__(self, warc_name: str, target: Path):
        self.warc_name, self.target = warc_name, target
        target.parent.mkdir(parents=True, exist_ok=True)
        self.unsorted_path = target.with_name(target.name + ".unsorted")
        self.out = open(self.unsorted_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.indexer = _LINE_MAKER
        self.previous = None

    def add(self, record, warc_file: str, offset: int, length: int) -> None:
        """One record written at `offset` (`length` bytes of gzip member), in file order."""
        record.file_offset, record.file_length = offset, length
        if record.http_headers and not _reads_back_the_same(record.http_headers):
            record.http_headers = _PARSER.parse(BytesIO(record.http_headers.headers_buff))
        if record.rec_type == "request" and record.http_headers:
            body = record.raw_stream.getvalue() if hasattr(record.raw_stream, "getvalue") else b""
            record.buffered_stream = BytesIO(body)
        req, resp = concur_req_resp(self.previous, record)
        if req is None or resp is None:
            if self.previous is not None:
                self._line(self.previous)
            self.previous = record
            return
        join_req_resp(req, resp, True, self.indexer.get_url_key)
        self._line(self.previous)
        self._line(record)
        self.previous = None

    def _line(self, record) -> None:
        if self.indexer.filter_record(record):
            self.indexer.process_index_entry(None, record, self.warc_name, self.out)
        record.buffered_stream = None

    def close(self) -> Path:
        """Write the sorted index (as cdxj-indexer sorts: by line, in 32 MB runs merged)."""
        if self.previous is not None:
            self._line(self.previous)
            self.previous = None
        self.out.close()
        return sort_index(self.unsorted_path, self.target)

    def discard(self) -> None:
        self.out.close()
        self.unsorted_path.unlink(missing_ok=True)


_PARSER = StatusAndHeadersParser([], verify=False)


def _reads_back_the_same(headers) -> bool:
    """Whether warcio's parser, reading these HTTP headers back, finds the same names and values (ASCII, single
    line, no space around the value). Otherwise the headers are parsed from their bytes, as a reader would."""
    for name, value in headers.headers:
        if (not value.isascii() or not name.isascii() or value[:1] in (" ", "\t") or value[-1:] in (" ", "\t")
                or "\n" in value or "\r" in value or name[-1:] in (" ", "\t") or ":" in name):
            return False
    return headers.protocol.isascii() and headers.statusline == headers.statusline.strip()


class _LineMaker(CDXJIndexer):
    """cdxj-indexer's field rules applied to records in hand (file name, offset and length given, not read)."""

    def __init__(self):
        super().__init__(None, [], post_append=True, sort=True)
        self.curr_filename = None

    def process_index_entry(self, it, record, filename, output):
        self.curr_filename = filename
        super().process_index_entry(it, record, filename, output)

    def get_url_key(self, url):
        return _url_key(url)


@functools.lru_cache(maxsize=4096)
def _url_key(url: str) -> str:
    """cdxj-indexer's SURT key, remembered: a URL's request and response records (and its revisits) each need it,
    and SURT's escaping was ~60 % of indexing a record (py-spy, 500-site worker)."""
    return CDXJIndexer.get_url_key(None, url)


def sort_index(unsorted: Path, target: Path) -> Path:
    """Sort an index's lines into `target` (via .partial, then renamed), and remove the unsorted file."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    with open(partial, "w", encoding="utf-8") as out:
        writer = SortingWriter(out)
        with open(unsorted, encoding="utf-8") as lines:
            for line in lines:
                writer.write(line)
        writer.flush()
    os.replace(partial, target)
    unsorted.unlink(missing_ok=True)
    return target


_LINE_MAKER = None


def live_index(warc_name: str, target: Path) -> LiveIndex:
    global _LINE_MAKER
    if _LINE_MAKER is None:
        _LINE_MAKER = _LineMaker()
    return LiveIndex(warc_name, target)


_workers: ProcessPoolExecutor | None = None


def sort_in_background(unsorted: Path, target: Path) -> Future:
    """sort_index() in a worker process (a rotated 1 GB file's index is ~150 MB of lines)."""
    return _pool().submit(sort_index, unsorted, target)


def _pool() -> ProcessPoolExecutor:
    global _workers
    if _workers is None:
        _workers = ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1),
                                       mp_context=multiprocessing.get_context("spawn"), initializer=exit_with_parent)
    return _workers


def index_in_background(warc: Path) -> Future:
    """index_warc() in a worker process: indexing a rotated 1 GB WARC takes tens of seconds the crawl's reactor
    must not wait for, and the worker uses a core the reactor does not."""
    return _pool().submit(index_warc, warc)


def stop_workers() -> None:
    """End the index workers (after a crawl): a pool left running keeps a process that runs crawls in a pool
    of its own (`xxgk crawl --processes`) from ever exiting."""
    global _workers
    if _workers is not None:
        _workers.shutdown()
        _workers = None


def unindexed(warc_dir: Path) -> list[Path]:
    """Closed WARC files without an index whose writer is gone (a crawl killed while indexing them, or before)."""
    return [warc for warc in sorted(Path(warc_dir).glob("*.warc.gz"))
            if not index_path(warc).exists() and not writer_alive(warc)]


def rebuild(data_dir: Path) -> list[Path]:
    """Salvage abandoned `.open` files, then index every WARC file from scratch."""
    warc_dir = Path(data_dir) / "warc"
    if not warc_dir.is_dir():
        raise FileNotFoundError(f"{warc_dir}: no WARC directory")
    salvage(warc_dir)
    indexes = [index_warc(path) for path in sorted(warc_dir.glob("*.warc.gz"))]
    logger.info("indexed %d WARC files into %s", len(indexes), index_dir(data_dir))
    return indexes
