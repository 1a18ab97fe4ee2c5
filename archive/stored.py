"""Read an archived HTTP response back from its WARC record: status line, header bytes and body as stored."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

OPEN_SUFFIX = ".open"  # a WARC file being written (archive/warc.py); defined here, where readers need no writer


@dataclass(frozen=True)
class StoredResponse:
    """A response as archived: headers as latin-1 text (the bytes they were), body still content-encoded."""

    url: str
    protocol: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


def read_member(warc_dir: str | Path, warc_file: str, offset: int, length: int) -> bytes | None:
    """The gzip member at (file, offset, length): from the file still being written, the closed file, or the shared
    archive, tried in the order a file moves through them (renamed on close, removed once published), so a file
    that moves on while it is read is still found."""
    path = Path(warc_dir) / warc_file
    for candidate in (path.with_name(path.name + OPEN_SUFFIX), path):
        try:
            with open(candidate, "rb") as stream:
                stream.seek(offset)
                return stream.read(length)
        except FileNotFoundError:
            continue
    from archive.store import read_archived  # published (archive/store.py), perhaps by another worker

    return read_archived(warc_file, offset, length)


def capture_member(warc_dir: str | Path, capture: dict) -> bytes | None:
    """The gzip member (one record) at a capture's place (`warc_file`, `offset`, `length`), or None."""
    return read_member(warc_dir, capture["warc_file"], capture["offset"], capture["length"])


def read_payload(warc_dir: str | Path, capture: dict) -> bytes | None:
    """HTTP body (content-encoding undone) of the capture's response record, or of its original for a revisit."""
    member = capture_member(warc_dir, capture.get("refers_to") or capture)
    if member is None:
        return None
    for record in ArchiveIterator(io.BytesIO(member)):
        if record.rec_type == "response":
            return record.content_stream().read()
    return None


def load_response(warc_dir: str | Path, warc_file: str, offset: int, length: int) -> StoredResponse | None:
    """The `response` record at this place, its HTTP head parsed exactly (latin-1); None if it is not there."""
    member = read_member(warc_dir, warc_file, offset, length)
    if not member:
        return None
    for record in ArchiveIterator(io.BytesIO(member), no_record_parse=True):
        if record.rec_type != "response":
            return None
        return parse_http(record.rec_headers.get_header("WARC-Target-URI"), record.raw_stream.read())
    return None


def parse_http(url: str, block: bytes) -> StoredResponse | None:
    """Split an HTTP response block into status line, header pairs and body."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    protocol, _, rest = lines[0].partition(" ")
    code, _, reason = rest.partition(" ")
    if not code.isdigit():
        return None
    headers = [(name.strip(), value.strip()) for name, _, value in (line.partition(":") for line in lines[1:] if line)]
    return StoredResponse(url, protocol, int(code), reason, headers, body)
