"""Storage in batches: items of one batch share a transaction, each item returns once it is committed, and a bad
item is the only one lost (its response left unanswered in the journal), the stats counting only stored rows."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from sqlalchemy import func, select

from crawler import database as db
from crawler.items import DocumentItem, ListingItem
from pipelines.storage import StoragePipeline


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value) -> None:
        self.values[key] = value


class Journal:
    def __init__(self) -> None:
        self.not_stored: list[str] = []

    def item_not_stored(self, item) -> None:
        self.not_stored.append(item["url"])

    def run_started(self, crawl_id: int) -> None:
        pass


def test_a_bad_item_is_the_only_one_lost_from_its_batch(store):
    stats, journal = Stats(), Journal()
    crawler = SimpleNamespace(stats=stats, spider=SimpleNamespace(name="x"),
                              settings={"XXGK_DATA_DIR": str(store.data_dir), "XXGK_DATABASE_URL": store.url})
    storage = StoragePipeline(crawler, store.url, journal)
    storage.open_spider()
    good = [DocumentItem(site="x", url=f"http://x.gov.cn/art/{n}.html") for n in range(3)]
    bad = ListingItem(site="x", url="http://x.gov.cn/list.html", column="c", page=1, entries=[object()])  # no JSON
    order: list[str] = []
    raised: list[str] = []

    async def one(item) -> None:
        try:
            await storage.process_item(item)
        except TypeError:  # PostgreSQL's JSON type raises it unwrapped: the item's own error, as Scrapy sees it
            raised.append(item["url"])
        order.append(item["url"])

    async def crawl() -> None:
        waiting = [asyncio.ensure_future(one(item)) for item in [good[0], bad, *good[1:]]]
        await asyncio.sleep(0)
        assert not order, "no item returns before its batch is committed"
        await asyncio.gather(*waiting)

    asyncio.run(crawl())
    assert sorted(order) == sorted(item["url"] for item in [*good, bad])
    assert journal.not_stored + raised == [bad["url"]]  # a database error, or the item's own: either way not stored
    assert stats.values["xxgk/documents"] == 3 and stats.values.get("xxgk/storage/errors", 0) == len(journal.not_stored)
    with storage.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(db.documents)) == 3
        assert conn.scalar(select(func.count()).select_from(db.listings)) == 0
