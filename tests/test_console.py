"""The console's one line per record (crawler/console.py)."""

from __future__ import annotations

import logging
import sys

from crawler.console import ConsoleFormatter


def record_of(message: str, error: Exception) -> logging.LogRecord:
    try:
        raise error
    except type(error):
        return logging.LogRecord("twisted", logging.CRITICAL, __file__, 1, message, (), sys.exc_info())


def test_a_traceback_becomes_its_first_line():
    line = ConsoleFormatter("%(message)s").format(record_of("Unhandled error\nmore", ValueError("bad")))
    assert line == "Unhandled error (traceback in the log)"


def test_a_failure_logged_without_text_is_named_by_its_exception():
    """Twisted logs an unhandled error in a Deferred as two records, the second with no text at all: the console
    formatter once raised IndexError on it, and the crawl's stderr showed a "Logging error" instead."""
    line = ConsoleFormatter("%(message)s").format(record_of("", OSError("database is locked")))
    assert line == "OSError: database is locked (traceback in the log)"


def test_a_crawl_that_cannot_start_is_said_with_its_site_and_a_busy_one_is_not(caplog):
    """A crawl whose start failed (its database locked, say) once surfaced only as Twisted's "Unhandled error in
    Deferred"; a crawl skipped because its site is busy says so itself, in its summary."""
    from twisted.internet import defer

    from crawler.commands.runner import skip_quietly
    from crawler.extensions.lock import SiteBusy

    for site, error in (("yanji", RuntimeError("database is locked")), ("panjin", SiteBusy("panjin is busy"))):
        started = defer.Deferred()
        skip_quietly(started, site)
        started.errback(error)
        assert started.result is None  # handled: no "Unhandled error in Deferred" when it is collected
    failed = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert [record.getMessage() for record in failed] == ["yanji: the crawl failed: database is locked"]
    assert failed[0].exc_info[0] is RuntimeError
