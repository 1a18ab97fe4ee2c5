"""Rotating WARC 1.1 files: one gzip member per record, `.open` while written, renamed on close."""

from __future__ import annotations

import io
import logging
import os
import socket
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from archive.records import sha1_digest, warcinfo_record
from archive.stored import OPEN_SUFFIX

if TYPE_CHECKING:
    from archive.index import LiveIndex

logger = logging.getLogger(__name__)


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


def record_bytes(record: ArcWarcRecord) -> bytes:
    """The bytes warcio's WARCWriter writes for `record`, uncompressed: the same WARC headers in the same order,
    the block digest added as it adds it. Built in one piece instead of through warcio's stream copies, which read
    a payload three times (payload digest, block digest, write) and serialised the headers twice."""
    stream = record.raw_stream
    if record.length is None or not isinstance(stream, BytesIO) or record.payload_length is None:
        return _warcio_bytes(record)  # unknown length: warcio buffers and digests it
    http = record.http_headers if record.http_headers else None
    if http is not None:
        http.compute_headers_buffer(None)
    headers = record.rec_headers
    body = stream.getvalue()[stream.tell():]
    revisit = record.rec_type == "revisit"
    if not (headers.get_header("WARC-Payload-Digest") or record.rec_type in ("warcinfo", "revisit")):
        headers.add_header("WARC-Payload-Digest", sha1_digest(body))
    if not headers.get_header("WARC-Block-Digest"):
        headers.add_header("WARC-Block-Digest", sha1_digest(http.headers_buff, body) if http is not None
                           else sha1_digest(body))
    if record.content_type is not None:
        headers.replace_header("Content-Type", record.content_type)
    if http is not None and record.payload_length >= 0:
        record.length = len(http.headers_buff) + (0 if revisit else record.payload_length)
    headers.replace_header("Content-Length", str(record.length))
    parts = [headers.to_bytes(encoding="utf-8")]
    if http is not None:
        parts.append(http.headers_buff)
    if not revisit:
        parts.append(body)
    parts.append(b"\r\n\r\n")
    return b"".join(parts)


def _warcio_bytes(record: ArcWarcRecord) -> bytes:
    out = BytesIO()
    WARCWriter(out, gzip=False, warc_version="1.1").write_record(record)
    return out.getvalue()


def gzip_member(data: bytes, level: int = 9) -> bytes:
    """One gzip member, as warcio's GzippingWrapper writes it (level 9, no file name, no time stamp)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(data) + compressor.flush()


class RotatingWarcWriter:
    """Writes groups of records to the current file, starting a new one past `max_size` bytes."""

    def __init__(self, directory: Path, prefix: str, max_size: int, info: dict | None = None,
                 on_close: Callable[[Path, LiveIndex | None], None] | None = None, gzip_level: int = 9, live_index: bool = False):
        self.directory, self.prefix, self.max_size = Path(directory), prefix, max_size
        self.gzip_level = gzip_level
        self._offset = 0  # where the next record starts: kept here, not asked of the file (a syscall per record)
        self.live_index = live_index  # make each file's CDXJ index as its records are written (archive.index)
        self._live = None
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
        self._offset = 0
        if self.live_index:
            from archive.index import index_path, live_index

            self._live = live_index(self._name, index_path(self.directory / self._name))
        self.write([warcinfo_record(self._name, self.info)])

    def write(self, records: list[ArcWarcRecord]) -> list[RecordLocation]:
        """Write records contiguously in one file (a response and its request never span two), in one write."""
        if self._file is None:
            self._open()
        return self.write_members([gzip_member(record_bytes(record), self.gzip_level) for record in records], records)

    def write_members(self, members: list[bytes], records: list[ArcWarcRecord] | None = None) -> list[RecordLocation]:
        """Write records already serialised and compressed (one gzip member each), contiguously; `records`, the
        records they were made from, for the live index."""
        if self._file is None:
            self._open()
        locations = self._append(members)
        self._index(records or (), locations)
        if self._offset >= self.max_size:
            self.close()
        return locations

    def _append(self, members: list[bytes]) -> list[RecordLocation]:
        if not members:
            return []
        start = offset = self._offset
        locations = []
        for member in members:
            locations.append(RecordLocation(self._name, offset, len(member)))
            offset += len(member)
        try:
            self._file.write(members[0] if len(members) == 1 else b"".join(members))
        except BaseException:
            self._cut(start)
            raise
        self._offset = offset
        self.bytes_written += offset - start
        return locations

    def _index(self, records, locations: list[RecordLocation]) -> None:
        if self._live is None:
            return
        try:
            for record, location in zip(records, locations, strict=False):
                self._live.add(record, location.warc_file, location.offset, location.length)
        except Exception as exc:  # noqa: BLE001 - the file is indexed the slow way at close instead
            logger.error("live CDXJ index of %s failed (%s: %s); indexing it when it closes", self._name,
                         type(exc).__name__, exc)
            self._live.discard()
            self._live = None

    def _cut(self, offset: int) -> None:
        """Drop a partly written group so the file ends on a complete record."""
        try:
            self._file.seek(offset)
            self._file.truncate()
        except OSError as exc:
            logger.error("could not cut %s back to %d after a failed write: %s", self._name, offset, exc)

    def close(self) -> None:
        """Finish the current file: rename `.open` to its final name, then `on_close(path, live)` (`live`: the
        file's LiveIndex still to be sorted, or None)."""
        if self._file is None:
            return
        self._file.close()
        final = self.directory / self._name
        os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        self.closed_files.append(final)
        self._file = None
        live, self._live = self._live, None
        logger.info("closed WARC %s", final)
        if self.on_close:
            self.on_close(final, live)
        elif live is not None:
            live.close()
