"""The GC tuning extension freezes the start-up heap while engines run and gives it back when the last one stops."""

from __future__ import annotations

import gc

from scrapy.utils.test import get_crawler

from crawler.extensions.gctune import GcTuning


def test_start_up_heap_frozen_while_engines_run():
    before = gc.get_threshold()
    first = GcTuning.from_crawler(get_crawler(settings_dict={"XXGK_GC_THRESHOLD": 5000}))
    second = GcTuning.from_crawler(get_crawler(settings_dict={}))
    try:
        first.engine_started()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        garbage = [[]]
        garbage[0].append(garbage)  # a cycle made while the first crawl runs, collectable only by the collector
        second.engine_started()  # two crawls in one process share the collector
        assert gc.get_freeze_count() == frozen, "a later engine freezes nothing: the first one's garbage stays collectable"
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
