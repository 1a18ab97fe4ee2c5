"""The GC tuning extension freezes the start-up heap while engines run and gives it back when the last one stops."""

from __future__ import annotations

import gc

from scrapy.utils.test import get_crawler

from crawler.extensions import gctune
from crawler.extensions.gctune import GcTuning


def test_start_up_heap_frozen_while_engines_run(monkeypatch):
    monkeypatch.setattr(gctune, "_engines", 0)  # an earlier test's crawl may still count as running
    before = gc.get_threshold()
    first = GcTuning.from_crawler(get_crawler(settings_dict={"XXGK_GC_THRESHOLD": 5000}))
    second = GcTuning.from_crawler(get_crawler(settings_dict={}))
    try:
        first.engine_started()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        garbage = [[] for _ in range(1000)]
        for cycle in garbage:
            cycle.append(cycle)  # cycles made while the first crawl runs, collectable only by the collector
        second.engine_started()  # two crawls in one process share the collector
        # (objects frozen earlier may be freed meanwhile, so the count may fall a little; it must not grow by these)
        assert gc.get_freeze_count() < frozen + len(garbage), "a later engine freezes nothing: garbage stays collectable"
        del garbage
        assert gc.get_threshold()[0] == 5000
        first.engine_stopped()
        assert gc.get_freeze_count() > 0, "another engine still runs"
        second.engine_stopped()
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
