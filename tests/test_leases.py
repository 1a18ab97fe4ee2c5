"""A crawl whose lease may have run out by the local clock (its process renewed late: busy, paused) holds its
requests until the lease keeper hears from the database: sent once a renewal holds, refused once the lease is lost.
Before, they were refused at once, and a busy worker's crawl silently missed pages it never asked for."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler import leases


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def guard_with(lease: leases.Lease) -> leases.LeaseGuard:
    return leases.LeaseGuard(SimpleNamespace(stats=Stats(), xxgk_lease=lease))


def stale_lease() -> leases.Lease:
    return leases.Lease("portal", 1, "here", seconds=60, renewed=leases.boottime() - 600)


def test_a_fresh_lease_lets_requests_through_without_waiting():
    lease = leases.Lease("portal", 1, "here", seconds=60)
    assert guard_with(lease).process_request(Request("http://127.0.0.1/a")) is None


def test_a_late_renewal_holds_the_request_then_sends_it():
    lease, events = stale_lease(), []
    guard = guard_with(lease)

    async def crawl() -> None:
        held = asyncio.ensure_future(guard.process_request(Request("http://127.0.0.1/a")))
        for _ in range(3):
            await asyncio.sleep(0)
        events.append("still held" if not held.done() else "sent early")
        lease.renewed = leases.boottime()  # what LeaseKeeper._renewed does when the database says it holds
        events.append(("sent", await held))

    asyncio.run(crawl())
    assert events == ["still held", ("sent", None)]
    assert guard.crawler.stats.values == {"xxgk/lease/held_requests": 1}


def test_a_lost_lease_refuses_the_held_request():
    lease = stale_lease()
    guard = guard_with(lease)

    async def crawl() -> None:
        held = asyncio.ensure_future(guard.process_request(Request("http://127.0.0.1/a")))
        await asyncio.sleep(0)
        lease.lose()
        with pytest.raises(IgnoreRequest, match="lease of portal is lost"):
            await held

    asyncio.run(crawl())
    assert guard.crawler.stats.values == {"xxgk/lease/held_requests": 1, "xxgk/lease/refused_requests": 1}
