"""Extraction in worker processes: the same fields as in the crawl's own process, and the event loop never waits."""

from __future__ import annotations

import asyncio
import copy
import os
import time
from pathlib import Path

import pytest

from archive.records import http_response_record
from archive.warc import RotatingWarcWriter
from crawler.items import AttachmentItem, DocumentItem
from crawler.simulator import markup
from crawler.simulator.render import render_report
from crawler.simulator.reports import seed_reports
from pipelines.extraction import ExtractionPipeline, stop_pools

DATE = "2024-01-02T03:04:05.000000Z"


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def documents() -> list[DocumentItem]:
    """Every seed report page, rendered in its family's template, plus one page nothing can be read from."""
    items = [DocumentItem(site="s", url=f"http://portal.example/{key}.html", html=render_report(report))
             for key, report in seed_reports().items()]
    items.append(DocumentItem(site="s", url="http://portal.example/empty.html", html="<html></html>"))
    return items


def attachments(warc_dir: Path) -> list[AttachmentItem]:
    """A PDF archived in a WARC file (read back by both pipelines), and one whose record is missing."""
    writer = RotatingWarcWriter(warc_dir, "test", 10**9)
    url = "http://portal.example/uploads/report.pdf"
    body = markup.pdf_bytes("2023 annual report")
    record = http_response_record(url, 200, [("Content-Type", "application/pdf")], body, DATE)
    location = writer.write([record])[0]
    writer.close()
    capture = {**location.as_dict(), "status": 200}
    missing = {**capture, "warc_file": "gone.warc.gz"}
    return [AttachmentItem(site="s", url=url, filename="report.pdf", capture=capture),
            AttachmentItem(site="s", url=url + "?gone", filename="gone.pdf", capture=missing)]


@pytest.fixture(scope="module")
def workers(tmp_path_factory) -> ExtractionPipeline:
    stats = Stats()
    pipeline = ExtractionPipeline(stats, str(tmp_path_factory.mktemp("warc")), processes=2)
    yield pipeline
    pipeline.close_spider()
    stop_pools()


def test_fields_are_those_of_the_in_process_pipeline(workers):
    items = documents() + attachments(Path(workers.warc_dir))
    inline = ExtractionPipeline(Stats(), workers.warc_dir, processes=0)
    expected = [asyncio.run(inline.process_item(copy.deepcopy(item)))["fields"] for item in items]

    async def through_workers() -> list[dict]:
        done = await asyncio.gather(*(workers.process_item(copy.deepcopy(item)) for item in items))
        return [item["fields"] for item in done]

    got = asyncio.run(through_workers())
    assert got == expected
    assert any(fields.get("cells") for fields in got), "the seed pages' statistics tables were read"
    assert got[-1]["extract_error"] and workers.stats.values["xxgk/extract/attachment_errors"] == 1


def test_no_worker_is_started_before_an_item_needs_one(tmp_path):
    """A crawl that extracts nothing (every report unchanged, nothing but list pages) spawns no worker process."""
    pipeline = ExtractionPipeline(Stats(), str(tmp_path), processes=2)
    unchanged = DocumentItem(site="s", url="http://portal.example/a.html", html="<p>x</p>", unchanged=True)
    asyncio.run(pipeline.process_item(unchanged))
    asyncio.run(pipeline.process_item({"url": "http://portal.example/list.html"}))
    assert pipeline.executor is None
    pipeline.close_spider()


def test_unchanged_items_and_other_items_pass_untouched(workers):
    unchanged = DocumentItem(site="s", url="http://portal.example/a.html", html="<p>x</p>", unchanged=True)
    other = {"url": "http://portal.example/list.html"}
    assert asyncio.run(workers.process_item(unchanged)).get("fields") is None
    assert asyncio.run(workers.process_item(other)) == other


def hold_until(path: str) -> tuple[dict, None]:
    """A worker job that stays busy until `path` exists (run in a worker process)."""
    for _ in range(60_000):
        if os.path.exists(path):
            return {"released": True}, None
        time.sleep(0.001)
    return {"released": False}, None


def test_the_event_loop_keeps_running_while_workers_extract(workers, tmp_path):
    """A job that holds a worker until the event loop has run: only a loop that never waits on workers gets there."""
    release = tmp_path / "release"
    items = documents()[:5] * 8

    async def crawl() -> tuple[dict, list[str]]:
        events: list[str] = []
        held = asyncio.ensure_future(workers.run(hold_until, str(release)))
        extracting = [asyncio.ensure_future(workers.process_item(copy.deepcopy(item))) for item in items]
        for _ in range(50):  # the loop turns while a worker is held and the other extracts
            await asyncio.sleep(0)
            events.append("held" if not held.done() else "released")
        release.touch()
        fields, _ = await held
        await asyncio.gather(*extracting)
        events.append("extracted")
        return fields, events

    fields, events = asyncio.run(crawl())
    assert fields == {"released": True}, "the held job ends only when the loop released it"
    assert events[:50] == ["held"] * 50 and events[-1] == "extracted"
