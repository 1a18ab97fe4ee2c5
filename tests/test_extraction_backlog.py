"""Extraction jobs handed to the process's pool are bounded for all its crawls together (two per worker process):
the other items wait, their pages counted in their crawl's scraper slot, so a worker of hundreds of sites stops
fetching when extraction falls behind instead of queueing every page it fetched."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from pipelines.extraction import ExtractionPipeline


class Stats:
    def inc_value(self, key: str, count: int = 1) -> None:
        pass


def test_jobs_in_flight_are_bounded_across_crawls():
    pool, gate, submitted = ThreadPoolExecutor(8), threading.Event(), []
    submit = pool.submit

    def counting_submit(function, *args):
        submitted.append(args)
        return submit(function, *args)

    pool.submit = counting_submit
    crawls = [ExtractionPipeline(Stats(), "/nonexistent", processes=1) for _ in range(3)]  # one shared pool
    for crawl in crawls:
        crawl.workers = lambda: pool

    def job(number: int) -> tuple[dict, None]:
        gate.wait(60)
        return {"number": number}, None

    async def crawl_all() -> list:
        jobs = [asyncio.ensure_future(crawl.run(job, n)) for n, crawl in enumerate(crawls * 3)]
        while len(submitted) < 2:
            await asyncio.sleep(0)
        for _ in range(20):  # every other job has had its turns to try
            await asyncio.sleep(0)
        assert len(submitted) == 2, "two jobs per worker process at a time, whichever crawl sends them"
        gate.set()
        return await asyncio.gather(*jobs)

    try:
        results = asyncio.run(crawl_all())
    finally:
        gate.set()
        pool.shutdown()
    assert sorted(fields["number"] for fields, _ in results) == list(range(9))
    assert len(submitted) == 9


def test_requests_wait_while_the_backlog_is_full_as_they_enter_and_as_they_leave():
    """Checked only as a request entered the downloader, each crawl's CONCURRENT_REQUESTS requests already inside
    went out anyway (a 500-site worker held ~2,000 pages waiting for extraction): the check is a send gate too."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler import sendgates
    from pipelines.extraction import BACKLOG_PER_PROCESS, ExtractionBackpressure, backlog

    crawler = get_crawler(settings_dict={"XXGK_EXTRACT_PROCESSES": 1})
    crawler.stats.open_spider()
    guard = ExtractionBackpressure.from_crawler(crawler)

    async def crawl() -> list:
        events = []
        waiting = backlog(1)
        assert guard.process_request(Request("http://127.0.0.1/a")) is None, "room: sent at once"
        await sendgates.passed(crawler, Request("http://127.0.0.1/a"))
        for _ in range(BACKLOG_PER_PROCESS):
            waiting.enter()
        entering = asyncio.ensure_future(guard.process_request(Request("http://127.0.0.1/b")))
        leaving = asyncio.ensure_future(sendgates.passed(crawler, Request("http://127.0.0.1/c")))
        for _ in range(5):
            await asyncio.sleep(0)
        events.append(("entering held", not entering.done(), "leaving held", not leaving.done()))
        waiting.leave()  # one item read: room again
        events.append(("sent", await entering, await leaving))
        return events

    assert asyncio.run(crawl()) == [("entering held", True, "leaving held", True), ("sent", None, None)]
    assert crawler.stats.get_value("xxgk/extract/held_requests") == 2
