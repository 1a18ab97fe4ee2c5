"""Live progress on a terminal (rich): a board of the crawls running in this process, and a row counter for
exports. Nothing is drawn when stderr is not a terminal (logs, cron, the scheduler's crawls, tests)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.live import Live
from rich.table import Table

REFRESH_SECONDS = 0.5


def on_terminal() -> bool:
    return sys.stderr.isatty()


@dataclass
class Row:
    """One site's crawl: its counts read live from its Scrapy stats."""

    site: str
    stats: Callable[[], dict]
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def cells(self) -> tuple[str, ...]:
        stats = self.stats()
        elapsed = (self.finished or time.monotonic()) - self.started
        pages = stats.get("downloader/response_count", 0)
        queued = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
        return (self.site, "done" if self.finished else "crawling", str(stats.get("xxgk/list_pages", 0)),
                str(stats.get("xxgk/documents", 0)), str(stats.get("xxgk/attachments", 0)),
                str(stats.get("xxgk/errors", 0)), str(max(queued, 0)), f"{pages / max(elapsed, 1e-3):.1f}",
                f"{int(elapsed) // 60}:{int(elapsed) % 60:02d}")


COLUMNS = ("site", "state", "list pages", "reports", "files", "errors", "queued", "pages/s", "time")


class Board:
    """The live table of this process's crawls, drawn under the log lines (which rich prints above it)."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self.live: Live | None = None
        self.handlers: list[tuple[logging.StreamHandler, object]] = []
        self.loop = None  # twisted LoopingCall redrawing the board while crawls run

    def table(self) -> Table:
        table = Table(*COLUMNS, box=None, header_style="bold", pad_edge=False)
        for row in self.rows.values():
            table.add_row(*row.cells())
        return table

    def add(self, site: str, stats: Callable[[], dict]) -> None:
        self.rows[site] = Row(site, stats)
        if self.live is None:
            self.start()

    def finish(self, site: str) -> None:
        """Mark a site's crawl done; the board goes away when every crawl is done."""
        self.rows[site].finished = time.monotonic()
        self.refresh()
        if all(row.finished for row in self.rows.values()):
            self.stop()

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self.table(), refresh=True)

    def start(self) -> None:
        self.live = Live(self.table(), console=Console(stderr=True), auto_refresh=False, transient=True,
                         redirect_stdout=False, redirect_stderr=True)
        self.live.start()
        # The console log handler was made before the live display replaced sys.stderr: write through it too,
        # so log lines go above the board instead of through it.
        for handler in logging.root.handlers:
            if type(handler) is logging.StreamHandler and handler.stream is getattr(self.live, "_restore_stderr", None):
                self.handlers.append((handler, handler.setStream(sys.stderr)))
        from twisted.internet import task

        self.loop = task.LoopingCall(self.refresh)
        self.loop.start(REFRESH_SECONDS)

    def stop(self) -> None:
        if self.live is None:
            return
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for handler, stream in self.handlers:
            handler.setStream(stream)
        self.handlers.clear()
        self.live.stop()
        self.live = None


_board: Board | None = None


def board() -> Board:
    """The process's one board (several crawlers run in one process)."""
    global _board
    if _board is None or _board.live is None and all(row.finished for row in _board.rows.values()):
        _board = Board()
    return _board


@contextmanager
def row_counter(label: str) -> Iterator[Callable[[int], None]]:
    """A callback taking the rows written so far; on a terminal it shows `label: N rows (R rows/s)`."""
    if not on_terminal():
        yield lambda count: None
        return
    started = time.monotonic()
    with Live(f"{label}: 0 rows written", console=Console(stderr=True), auto_refresh=False, transient=True) as live:
        def show(count: int) -> None:
            rate = count / max(time.monotonic() - started, 1e-3)
            live.update(f"{label}: {count:,} rows written ({rate:,.0f} rows/s)", refresh=True)

        yield show
