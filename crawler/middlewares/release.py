"""Drop a page's parsed tree once its callback is done with it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from scrapy.http import Response, TextResponse


class ReleaseParsedTree:
    """Spider middleware, outermost: once a callback's output has all been taken, forget the response's cached
    selector (libxml2's tree of the page).

    Scrapy keeps a response until every item it produced has passed the pipelines, and the tree, several times
    the page's size and outside Python's heap (tracemalloc does not see it), went with it. A 500-site worker had
    ~2,000 pages waiting for extraction, nearly all with their trees: most of its memory past 400 MB.
    """

    async def process_spider_output(self, response: Response, result: AsyncIterator, spider=None) -> AsyncIterator:
        try:
            async for output in result:
                yield output
        finally:
            release(response)


def release(response: Response) -> None:
    """Forget the parsed tree (it is parsed again if anyone asks for `response.selector` after)."""
    if isinstance(response, TextResponse):
        response._cached_selector = None
