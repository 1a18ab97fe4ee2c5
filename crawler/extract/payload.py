"""A response's body read back from the archive by its capture location (file, offset, length)."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


def read_member(warc_dir: str | Path, capture: dict) -> bytes | None:
    """The gzip member (one record) at the capture's place (a local file or the shared archive), or None."""
    from archive.stored import read_member as read_at

    return read_at(warc_dir, capture["warc_file"], capture["offset"], capture["length"])


def read_payload(warc_dir: str | Path, capture: dict) -> bytes | None:
    """HTTP body (content-encoding undone) of the capture's response record, or of its original for a revisit."""
    member = read_member(warc_dir, capture.get("refers_to") or capture)
    if member is None:
        return None
    for record in ArchiveIterator(io.BytesIO(member)):
        if record.rec_type == "response":
            return record.content_stream().read()
    return None
