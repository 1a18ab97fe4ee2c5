"""The journal a killed crawl resumes from: a line torn by the kill costs nothing, a finished journal starts over."""

from __future__ import annotations

import base64
import pickle

from scrapy import FormRequest, Request, Spider
from scrapy.utils.test import get_crawler

from crawler.extensions.journal import JOURNAL, CrawlJournal, read_journal, request_dict


def line(crawler, url: str) -> tuple[str, str]:
    """A request's fingerprint and its `+` line, as the scheduler journals it."""
    request = Request(url)
    fingerprint = crawler.request_fingerprinter.fingerprint(request).hex()
    payload = base64.b64encode(pickle.dumps(request.to_dict(), protocol=4)).decode("ascii")
    return fingerprint, f"+ {fingerprint} {payload}"


def test_a_line_torn_by_a_kill_counts_as_never_written_and_is_ended(tmp_path):
    crawler = get_crawler(Spider, {"JOBDIR": str(tmp_path)})
    (answered, first), (pending, second), (torn, third) = (line(crawler, f"http://127.0.0.1/{n}") for n in range(3))
    (tmp_path / JOURNAL).write_text(f"c 7\n{first}\n- {answered}\n{second}\n{third[:len(third) // 2]}")

    state = read_journal(tmp_path)
    assert state.seen == {answered, pending}, "the torn request is not seen: its parent's response asks for it again"
    assert list(state.pending) == [pending] and state.runs == [7] and state.unreadable == 1
    assert not state.finished

    journal = CrawlJournal(crawler, tmp_path)
    assert journal.resumed
    journal.run_started(8)
    journal.file.close()
    again = read_journal(tmp_path)
    assert again.runs == [7, 8] and again.unreadable == 1, "the next run's lines never join the torn one"


def test_a_journal_marked_finished_starts_a_new_crawl(tmp_path):
    crawler = get_crawler(Spider, {"JOBDIR": str(tmp_path)})
    fingerprint, entry = line(crawler, "http://127.0.0.1/")
    (tmp_path / JOURNAL).write_text(f"c 1\n{entry}\n=\n")
    journal = CrawlJournal(crawler, tmp_path)
    assert not journal.resumed and journal.earlier.seen == set()
    journal.file.close()
    assert read_journal(tmp_path).lines == 0


def test_a_responses_items_go_on_after_its_requests(tmp_path):
    """A stored item then proves the requests of its response journalled (a resumed crawl relies on it), also when
    the callback fails half-way."""
    import asyncio

    from crawler.extensions.journal import ResumeMiddleware

    middleware = ResumeMiddleware.from_crawler(get_crawler(Spider, {"JOBDIR": str(tmp_path)}))
    first, second = Request("http://127.0.0.1/1"), Request("http://127.0.0.1/2")

    async def callback(fail: bool):
        yield {"item": 1}
        yield first
        yield {"item": 2}
        if fail:
            raise ValueError("a bug half-way")
        yield second

    async def collect(fail: bool) -> list:
        seen = []
        try:
            async for output in middleware.process_spider_output(None, callback(fail)):
                seen.append(output)
        except ValueError:
            seen.append("raised")
        return seen

    assert asyncio.run(collect(False)) == [first, second, {"item": 1}, {"item": 2}]
    assert asyncio.run(collect(True)) == [first, {"item": 1}, {"item": 2}, "raised"]


def test_request_dict_names_callbacks_as_scrapy_does():
    """The journal's own `to_dict` (no inspect.getmembers per request) writes what Request.to_dict writes."""
    class Site(Spider):
        name = "s"

        def parse_page(self, response):
            yield from ()

        def on_error(self, failure):
            yield from ()

        def __hidden(self, response):
            yield from ()

        def hidden(self):
            return self.__hidden

    spider = Site()
    requests = [Request("http://a.example/1", callback=spider.parse_page, errback=spider.on_error, meta={"k": 1}),
                Request("http://a.example/2"), Request("http://a.example/3", callback=spider.hidden()),
                FormRequest("http://a.example/4", formdata={"q": "年报"}, callback=spider.parse)]
    for request in requests:
        assert request_dict(request, spider) == request.to_dict(spider=spider)
    assert request_dict(requests[2], spider)["callback"] == "_Site__hidden"
