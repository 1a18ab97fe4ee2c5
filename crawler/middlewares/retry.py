"""Retries that wait longer before each new attempt."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting RETRY_BACKOFF_BASE × 2^n seconds (at most RETRY_BACKOFF_MAX) before attempt n."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("XXGK_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("XXGK_RETRY_BACKOFF_MAX", 60.0)

    def delay(self, request: Request) -> float:
        """Seconds to wait before this (already counted) retry."""
        return min(self.base * 2 ** max(request.meta.get("retry_times", 1) - 1, 0), self.cap)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        return await self._later(result)

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        result = super().process_exception(request, exception)
        return await self._later(result)

    async def _later(self, result):
        if isinstance(result, Request) and self.base > 0:
            await asyncio.sleep(self.delay(result))
        return result
