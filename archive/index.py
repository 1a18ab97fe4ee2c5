"""CDXJ indexes of the WARC files, pywb-compatible: one sorted `.cdxj` per WARC under DATA_DIR/indexes/."""

from __future__ import annotations

import glob
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer

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
    for left in target.parent.glob(f"{glob.escape(target.name)}.*.partial"):
        if not process_alive(int(left.name.rsplit(".", 2)[-2])):
            left.unlink(missing_ok=True)  # a killed indexer's
    return target


_workers: ProcessPoolExecutor | None = None


def index_in_background(warc: Path) -> Future:
    """index_warc() in a worker process: indexing a rotated 1 GB WARC takes tens of seconds the crawl's reactor
    must not wait for, and the worker uses a core the reactor does not."""
    global _workers
    if _workers is None:
        _workers = ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1),
                                       mp_context=multiprocessing.get_context("spawn"), initializer=exit_with_parent)
    return _workers.submit(index_warc, warc)


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
