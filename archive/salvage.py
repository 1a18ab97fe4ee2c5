"""Recover WARC files left `.open` by a crawl that died: keep complete records, cut a torn tail."""

from __future__ import annotations

import logging
import os
import socket
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.warc import OPEN_SUFFIX
from crawler.processes import process_alive

logger = logging.getLogger(__name__)

CHUNK = 1 << 20


@dataclass(frozen=True)
class Salvaged:
    path: Path  # the final name, without .open
    records: int
    kept_bytes: int
    torn_bytes: int


def record_ends(path: Path) -> Iterator[int]:
    """End offsets of the complete WARC records (one gzip member each), in file order."""
    with open(path, "rb") as stream:
        position, pending = 0, b""
        while True:
            inflater, head = zlib.decompressobj(zlib.MAX_WBITS | 16), b""
            data = pending or stream.read(CHUNK)
            while True:
                if not data:
                    return
                try:
                    output = inflater.decompress(data)
                except zlib.error:
                    return
                head = (head + output)[:8] if len(head) < 8 else head
                if inflater.eof:
                    position += len(data) - len(inflater.unused_data)
                    pending = inflater.unused_data
                    break
                position += len(data)
                data = stream.read(CHUNK)
            if not head.startswith(b"WARC/"):
                return
            yield position


def writer_alive(path: Path) -> bool:
    """Whether the process named in the file name ({…}-{pid}~{host}.warc.gz[.open]) still runs here."""
    stem = path.name.removesuffix(OPEN_SUFFIX).removesuffix(".warc.gz")
    pid_part, _, host = stem.rpartition("-")[2].partition("~")
    return host == socket.gethostname() and pid_part.isdigit() and process_alive(int(pid_part))


def salvage_file(path: Path) -> Salvaged:
    """Truncate an abandoned `.open` file after its last complete record and give it its final name."""
    ends = list(record_ends(path))
    kept = ends[-1] if ends else 0
    size = path.stat().st_size
    with open(path, "r+b") as stream:
        stream.truncate(kept)
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    os.replace(path, final)
    result = Salvaged(final, len(ends), kept, size - kept)
    level = logging.WARNING if result.torn_bytes else logging.INFO
    logger.log(level, "salvaged %s: %d complete records kept, %d torn bytes cut", final.name, len(ends), size - kept)
    return result


def salvage(directory: Path) -> list[Salvaged]:
    """Salvage every `.open` WARC in `directory` whose writer is gone."""
    return [
        salvage_file(path)
        for path in sorted(Path(directory).glob("*.warc.gz" + OPEN_SUFFIX))
        if not writer_alive(path)
    ]
