"""Whether a WARC file can be read whole: every gzip member a WARC record, up to the file's last byte."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import NamedTuple

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed


class QuietArchiveIterator(ArchiveIterator):
    """warcio's iterator without its multi-line stderr warning (with a dump of the bytes) after a record whose
    Content-Length is wrong; `err_count` still counts them, and the check reports it in one line."""

    INC_RECORD = ""


class WarcCheck(NamedTuple):
    """How many records of a file could be read, and what is wrong with it (None: nothing)."""

    records: int
    problem: str | None


def verify_warc(path: Path) -> WarcCheck:
    """Read every record of `path` to its end; a problem when a record is unreadable or the file ends inside one."""
    records, end = 0, 0
    with open(path, "rb") as stream:
        iterator = QuietArchiveIterator(stream)
        try:
            for record in iterator:
                if record.format != "warc":
                    return WarcCheck(records, f"no WARC record at byte {iterator.get_record_offset()}")
                record.content_stream().read()
                records += 1
                end = iterator.offset
            end = iterator.offset
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
            reason = re.split(r"[,:]", str(exc))[0].strip() or type(exc).__name__  # warcio quotes the bytes it found
            return WarcCheck(records, f"unreadable after byte {end} ({reason.lower()})")
    size = path.stat().st_size
    if iterator.err_count:
        return WarcCheck(records, f"{iterator.err_count} record(s) not followed by a blank line (a wrong "
                                  "Content-Length)")
    if end < size:
        return WarcCheck(records, f"truncated: the file ends inside a record ({size - end} bytes after the last "
                                  "whole one)")
    return WarcCheck(records, None)
