"""Rotating WARC 1.1 files: one gzip member per record, `.open` while written, renamed on close."""

from __future__ import annotations

import io
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from archive.records import warcinfo_record

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"


class WarcFile(io.FileIO):
    """An unbuffered file whose writes never stop short.

    Unbuffered, so a failed write (a full disk) leaves nothing pending that a later
    flush or close would trip over; looping, because a short write that warcio
    ignores would silently lose bytes.
    """

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        while view:
            view = view[super().write(view):]
        return len(data)


@dataclass(frozen=True)
class RecordLocation:
    """Where one record sits: file name (final, without .open), byte offset and length of its gzip member."""

    warc_file: str
    offset: int
    length: int

    def as_dict(self) -> dict:
        return asdict(self)


def warc_filename(prefix: str, serial: int, now: datetime | None = None) -> str:
    """Heritrix-style name: {prefix}-{timestamp}-{serial}-{pid}~{host}.warc.gz"""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")[:17]
    return f"{prefix}-{stamp}-{serial:05d}-{os.getpid()}~{socket.gethostname()}.warc.gz"


class RotatingWarcWriter:
    """Writes groups of records to the current file, starting a new one past `max_size` bytes."""

    def __init__(self, directory: Path, prefix: str, max_size: int, info: dict | None = None,
                 on_close: Callable[[Path], None] | None = None):
        self.directory, self.prefix, self.max_size = Path(directory), prefix, max_size
        self.info = info or {}
        self.on_close = on_close
        self.directory.mkdir(parents=True, exist_ok=True)
        self.serial = 0
        self.bytes_written = 0
        self.closed_files: list[Path] = []
        self._file = None
        self._name = ""

    @property
    def current_path(self) -> Path | None:
        return self.directory / (self._name + OPEN_SUFFIX) if self._file else None

    def _open(self) -> None:
        self._name = warc_filename(self.prefix, self.serial)
        self.serial += 1
        self._file = WarcFile(self.directory / (self._name + OPEN_SUFFIX), "xb")
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self._write(warcinfo_record(self._name, self.info))

    def _write(self, record: ArcWarcRecord) -> RecordLocation:
        start = self._file.tell()
        self._writer.write_record(record)
        length = self._file.tell() - start
        self.bytes_written += length
        return RecordLocation(self._name, start, length)

    def write(self, records: list[ArcWarcRecord]) -> list[RecordLocation]:
        """Write records contiguously in one file (a response and its request never span two)."""
        if self._file is None:
            self._open()
        start = self._file.tell()
        try:
            locations = [self._write(record) for record in records]
            self._file.flush()
        except BaseException:
            self._cut(start)
            raise
        if self._file.tell() >= self.max_size:
            self.close()
        return locations

    def _cut(self, offset: int) -> None:
        """Drop a partly written group so the file ends on a complete record."""
        self.bytes_written -= self._file.tell() - offset
        try:
            self._file.seek(offset)
            self._file.truncate()
        except OSError as exc:
            logger.error("could not cut %s back to %d after a failed write: %s", self._name, offset, exc)

    def close(self) -> None:
        """Finish the current file: rename `.open` to its final name."""
        if self._file is None:
            return
        self._file.close()
        final = self.directory / self._name
        os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        self.closed_files.append(final)
        self._file = None
        logger.info("closed WARC %s", final)
        if self.on_close:
            self.on_close(final)
