"""Garbage collection tuned for a crawl: what start-up built is frozen, young collections are rarer.

CPython's cyclic collector walks every tracked object at each full collection. A crawl process holds some
200,000 objects from its imports and set-up (Scrapy, Twisted, SQLAlchemy, lxml, warcio, Playwright's client)
that never become garbage, and Scrapy allocates so fast that with the default threshold (700) young
collections run thousands of times, promoting short-lived request/response cycles until full collections
follow: ~40 per 4,000 pages at ~130 ms each, 28 % of an archive-only crawl's CPU (py-spy, docs/bench.md).
Freezing the start-up heap (gc.freeze) takes it out of every later collection (GC from 28 % to 13 % of the
crawl's CPU); a larger first threshold (XXGK_GC_THRESHOLD, e.g. 10,000) makes young collections rarer (to ~8 %)
but lets garbage cycles holding pages and their parsed trees wait longer: +85 MB peak RSS at 4,000 pages, so it
is off by default. Garbage is still collected; only how often and over what changes.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.exceptions import NotConfigured

_engines = 0  # engines running in this process (several crawlers share one reactor and one collector)
_default: tuple[int, int, int] | None = None


class GcTuning:
    """Extension: on engine start freeze the heap built so far and raise gen-0's threshold; restore at the end."""

    def __init__(self, threshold: int, freeze: bool = True):
        self.threshold, self.freeze = threshold, freeze

    @classmethod
    def from_crawler(cls, crawler):
        threshold = crawler.settings.getint("XXGK_GC_THRESHOLD", 0)
        freeze = crawler.settings.getbool("XXGK_GC_FREEZE", True)
        if threshold <= 0 and not freeze:
            raise NotConfigured
        extension = cls(threshold, freeze)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        global _engines, _default
        first = _engines == 0
        if first:
            _default = gc.get_threshold()
        _engines += 1
        if self.freeze and first:
            # Only the first engine's: in a worker that starts sites while others crawl, a later freeze would take
            # their uncollected garbage (pages, trees) out of every collection until the last engine stops.
            gc.freeze()
        if self.threshold > gc.get_threshold()[0]:
            gc.set_threshold(self.threshold, *gc.get_threshold()[1:])

    def engine_stopped(self) -> None:
        global _engines
        _engines = max(0, _engines - 1)
        if _engines == 0 and _default is not None:
            gc.set_threshold(*_default)
            gc.unfreeze()
