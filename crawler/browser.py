"""The headless browser, started only when a crawl first needs it.

scrapy-playwright's handler starts Playwright (a Node driver) when the engine
starts: seconds per crawl, and crawls in one process wait for each other. Most
crawls never need a browser (only challenge pages and `xxgk capture --browser`
do), so this handler starts it at the first browser request instead; every other
request goes through Scrapy's own HTTP handler as before.
"""

from __future__ import annotations

import asyncio

from scrapy import signals
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        for receiver in (self._maybe_launch_in_thread, self._engine_started):
            crawler.signals.disconnect(receiver, signal=signals.engine_started)
        self._launched = False
        self._launching = asyncio.Lock()

    async def _download_request(self, request, spider=None):
        if not self._launched:
            async with self._launching:
                if not self._launched:
                    await self._launch()
                    self._launched = True
        return await super()._download_request(request, spider)
