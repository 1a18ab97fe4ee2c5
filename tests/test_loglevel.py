"""The root logger passes only what one of its handlers prints: Scrapy leaves it at NOTSET, which makes every library
build every DEBUG record (Scrapy's line per response, charset-normalizer's dozens per guess) only to drop it."""

from __future__ import annotations

import logging

import pytest

from crawler.console import match_root_level


@pytest.fixture
def root_handlers():
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers = []
    try:
        yield root
    finally:
        root.handlers, root.level = saved_handlers, saved_level


def handler(level: int) -> logging.Handler:
    made = logging.NullHandler()
    made.setLevel(level)
    return made


def test_debug_records_are_not_built_when_no_handler_prints_them(root_handlers):
    root_handlers.setLevel(logging.NOTSET)  # what Scrapy's install_scrapy_root_handler leaves
    root_handlers.handlers = [handler(logging.WARNING), handler(logging.INFO)]  # the console, the worker's log file
    assert logging.getLogger("charset_normalizer").isEnabledFor(logging.DEBUG)
    match_root_level()
    assert root_handlers.level == logging.INFO
    assert not logging.getLogger("charset_normalizer").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("scrapy.core.engine").isEnabledFor(logging.INFO)


def test_a_handler_that_takes_everything_keeps_everything(root_handlers):
    root_handlers.handlers = [handler(logging.WARNING), handler(logging.NOTSET)]  # e.g. pytest's capture
    match_root_level()
    assert logging.getLogger("charset_normalizer").isEnabledFor(logging.DEBUG)
