"""Text for the terminal: plain tables whose columns line up with Chinese in them, and a crawl's console log."""

from __future__ import annotations

import copy
import logging
import traceback
import unicodedata
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit


def width(text: str) -> int:
    """Columns a terminal uses for `text`: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def plain_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A header, a rule of dashes under each column, then the rows; columns padded to their widest cell."""
    widths = [max(width(str(line[i])) for line in [header, *rows]) for i in range(len(header))]
    rule = ["-" * size for size in widths]
    return "\n".join("  ".join(str(cell) + " " * (size - width(str(cell))) for cell, size in zip(line, widths, strict=True))
                     .rstrip() for line in [header, rule, *rows])


# -- the crawl's console log ------------------------------------------------------------------------------------

# Faults (crawler/faults.py) that leave no response to read, in the words of "cannot reach HOST (…)".
REACH = {"dns": "DNS", "connection": "connection refused or reset", "timeout": "timeout"}


def network_failure(record: logging.LogRecord) -> tuple[str, str, str] | None:
    """(site, host, kind) when a log record reports a request that failed on the network, else None."""
    from twisted.python.failure import Failure

    from crawler import faults

    candidates = [record.exc_info[1]] if record.exc_info else []
    failure = getattr(record, "failure", None)
    args = record.args.values() if isinstance(record.args, Mapping) else (record.args or ())
    candidates += [getattr(failure, "value", None), *args]
    kinds = [faults.failure_kind(Failure(c)) for c in candidates if isinstance(c, Exception)]
    kind = next((REACH[k] for k in kinds if k in REACH), None)
    if kind is None:
        return None
    host = next((urlsplit(url).hostname for url in map(url_of, args) if url), None)
    spider = getattr(record, "spider", None)
    return (getattr(spider, "name", None) or record.name, host or "the site", kind)


def url_of(value) -> str | None:
    """The URL of a Request, or a str that is one."""
    url = getattr(value, "url", value)
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


_twisted_begun = False


def match_root_level() -> None:
    """Let the root logger pass only what one of its handlers would print.

    Scrapy sets the root logger to NOTSET each time a crawler installs its handler, so every library builds every
    DEBUG record before a handler drops it: Scrapy's line per response and charset-normalizer's dozens per guess
    cost ~15 % of a 500-site worker's CPU (py-spy, docs/bench.md). A handler at NOTSET (pytest's) keeps them all.
    """
    root = logging.getLogger()
    levels = [handler.level for handler in root.handlers]
    root.setLevel(min(levels) if levels else logging.WARNING)


class ConsoleFormatter(logging.Formatter):
    """One line per record on the console (the log file keeps tracebacks); a request that failed on the network
    becomes `SITE: cannot reach HOST (KIND)`, said once per host and kind."""

    def __init__(self, fmt: str | None = None, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)
        self.said: set[tuple[str, str, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a network failure already said (a handler filter: see `tame`)."""
        found = network_failure(record)
        if found is None:
            return True
        if found in self.said:
            return False
        self.said.add(found)
        return True

    def format(self, record: logging.LogRecord) -> str:
        found = network_failure(record)
        if found:
            site, host, kind = found
            return f"{site}: cannot reach {host} ({kind})"
        line = copy.copy(record)  # other handlers (the log file) format the same record: never change it
        if record.exc_info or record.exc_text:
            line.msg, line.args = "%s (traceback in the log)", (headline(record),)
        line.exc_info = line.exc_text = line.stack_info = None
        return super().format(line)


def headline(record: logging.LogRecord) -> str:
    """The record's first line; for a record with no text of its own (Twisted logs the failure of an unhandled
    error in a Deferred so), its exception's."""
    lines = record.getMessage().strip().splitlines()
    if not lines and record.exc_info and record.exc_info[1] is not None:
        lines = "".join(traceback.format_exception_only(record.exc_info[1])).strip().splitlines()
    return lines[0] if lines else ""


def tame(handler: logging.Handler | None) -> None:
    """Make Scrapy's console handler print one line per record and each unreachable host once."""
    from twisted.logger import globalLogBeginner

    # Until logging "begins", Twisted also prints every critical event (an unhandled error in a timed call) with
    # its traceback straight to stderr; its events reach Python logging, and so this handler, either way. Begun
    # twice, it warns: once per process.
    global _twisted_begun
    if not _twisted_begun:
        globalLogBeginner.beginLoggingTo([], discardBuffer=True, redirectStandardIO=False)
        _twisted_begun = True
    if handler is None or isinstance(handler, logging.FileHandler):
        return
    current = handler.formatter
    formatter = ConsoleFormatter(current._fmt if current else None, current.datefmt if current else None)
    handler.setFormatter(formatter)
    handler.addFilter(formatter)
