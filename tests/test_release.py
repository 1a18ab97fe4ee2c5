"""A page's parsed tree is dropped once its callback's output is taken (crawler/middlewares/release.py)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.http import HtmlResponse

from crawler.middlewares.release import ReleaseParsedTree


def test_the_tree_lives_while_the_callback_runs_and_goes_after():
    response = HtmlResponse("http://127.0.0.1/a.html", body="<a href='/b'>年报</a>".encode(), encoding="utf-8")
    seen = []

    async def callback():
        seen.append(response.css("a::attr(href)").get())
        yield {"url": response.url}
        seen.append(response._cached_selector is not None)  # still parsed while the callback goes on
        yield {"title": response.css("a::text").get()}

    async def take() -> list:
        return [output async for output in ReleaseParsedTree().process_spider_output(response, callback())]

    assert asyncio.run(take()) == [{"url": "http://127.0.0.1/a.html"}, {"title": "年报"}]
    assert seen == ["/b", True]
    assert response._cached_selector is None, "dropped once the output was all taken"
    assert response.css("a::text").get() == "年报", "parsed again if asked"


def test_the_tree_goes_when_the_callback_fails():
    response = HtmlResponse("http://127.0.0.1/a.html", body=b"<p>x</p>", encoding="utf-8")

    async def callback():
        response.css("p")
        yield {"n": 1}
        raise ValueError("a family's parser tripped")

    async def take() -> None:
        async for _ in ReleaseParsedTree().process_spider_output(response, callback()):
            pass

    with pytest.raises(ValueError):
        asyncio.run(take())
    assert response._cached_selector is None
