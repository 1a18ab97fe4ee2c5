"""Checks a request passes as it leaves the downloader: after its wait in the site's slot (DOWNLOAD_DELAY, the
per-site concurrency), just before the download handler (crawler/browser.py) sends it.

A downloader middleware's `process_request` runs as a request enters the downloader, before that wait, and each
crawl lets CONCURRENT_REQUESTS requests in: what a middleware allowed then may no longer hold when the request
goes out (a lease that has run out meanwhile, an extraction backlog that has filled). A gate is a function of the
request: None to send it now, else an awaitable to wait for first, which may raise IgnoreRequest. A request held
here keeps its place in the site's slot, so the site sends nothing else meanwhile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from scrapy import Request

Gate = Callable[[Request], Awaitable[None] | None]


def add(crawler, gate: Gate) -> None:
    """Make every request of `crawler`'s crawl pass `gate` as it leaves."""
    if not hasattr(crawler, "xxgk_send_gates"):
        crawler.xxgk_send_gates = []
    crawler.xxgk_send_gates.append(gate)


async def passed(crawler, request: Request) -> None:
    """Return when every gate of the crawl lets `request` go (a gate with nothing to say costs no task)."""
    for gate in getattr(crawler, "xxgk_send_gates", ()):
        held = gate(request)
        if held is not None:
            await held
