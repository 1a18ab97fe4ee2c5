"""Crawls of one process keep one copy of the settings they have in common (crawler/extensions/sharedsettings.py)."""

from __future__ import annotations

import gc

import pytest
from scrapy.settings import Settings

from crawler.extensions import sharedsettings
from crawler.extensions.sharedsettings import share


def frozen(**values) -> Settings:
    """A crawler's settings: a deep copy of the project's, the spider's over them, frozen."""
    settings = Settings().copy()
    settings.setdict(values, priority="spider")
    settings.freeze()
    return settings


def test_what_two_crawls_have_in_common_is_one_object_and_reads_the_same():
    first, second = frozen(DOWNLOAD_DELAY=1.0, JOBDIR="/a"), frozen(DOWNLOAD_DELAY=5.0, JOBDIR="/b")
    expected = [{name: settings[name] for name in settings} for settings in (first, second)]
    share(first)
    share(second)
    assert [{name: settings[name] for name in settings} for settings in (first, second)] == expected
    assert first.attributes["USER_AGENT"] is second.attributes["USER_AGENT"]
    assert first.attributes["DOWNLOADER_MIDDLEWARES_BASE"] is second.attributes["DOWNLOADER_MIDDLEWARES_BASE"]
    assert first.getfloat("DOWNLOAD_DELAY") == 1.0 and second.getfloat("DOWNLOAD_DELAY") == 5.0
    assert first.attributes["JOBDIR"] is not second.attributes["JOBDIR"]


def test_a_value_set_at_another_priority_or_of_another_type_is_not_shared():
    project, spider = Settings({"RETRY_TIMES": 2}), Settings()
    spider.set("RETRY_TIMES", 2, priority="spider")
    boolean = Settings({"RETRY_TIMES": True})  # True == 1: equal, not the same setting
    one = Settings({"RETRY_TIMES": 1})
    for settings in (project, spider, boolean, one):
        settings.freeze()
        share(settings)
    assert project.attributes["RETRY_TIMES"] is not spider.attributes["RETRY_TIMES"]
    assert boolean.attributes["RETRY_TIMES"] is not one.attributes["RETRY_TIMES"]
    assert spider.getpriority("RETRY_TIMES") > project.getpriority("RETRY_TIMES")


def test_mutable_values_stay_each_crawls_own_and_a_shared_table_cannot_change():
    first, second = frozen(), frozen()
    share(first)
    share(second)
    assert first["SPIDER_MODULES"] is not second["SPIDER_MODULES"]  # a list: a component could change it in place
    with pytest.raises(TypeError):
        first["ITEM_PIPELINES_BASE"]["some.Pipeline"] = 1


def test_only_frozen_settings_are_shared():
    with pytest.raises(AssertionError):
        share(Settings())


def test_what_no_crawl_has_any_more_is_not_kept():
    settings = frozen(JOBDIR="/data/jobs/a_site_crawled_once")
    share(settings)
    assert any(key[0] == "JOBDIR" and key[2] == "/data/jobs/a_site_crawled_once" for key in sharedsettings._shared)
    del settings
    gc.collect()
    assert not any(key[0] == "JOBDIR" and key[2] == "/data/jobs/a_site_crawled_once"
                   for key in list(sharedsettings._shared))
