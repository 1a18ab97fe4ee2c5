"""Helpers the test modules share: the console scripts, the four seed sites, where a test keeps its archive and
database (SQLite or PostgreSQL) and reads from it, spiders walked over the simulated portals without a crawl."""

from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import sqlite3
import sys
import threading
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import scrapy
import sqlalchemy
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ListingItem
from crawler.middlewares.traps import strip_session_ids
from crawler.simulator import trs
from crawler.simulator.server import Portal

BIN = Path(sys.executable).parent
SITES = ("panjin", "mingguang", "yanji", "zhangxian")
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Store:
    """Where a test's crawls keep the archive (data_dir) and the database: SQLite in data_dir, or a PostgreSQL
    database (server_url)."""

    data_dir: Path
    server_url: str | None = None

    @property
    def backend(self) -> str:
        return "postgresql" if self.server_url else "sqlite"

    @property
    def url(self) -> str:
        return self.server_url or f"sqlite:///{self.data_dir / 'xxgk.sqlite'}"

    @property
    def args(self) -> list[str]:
        """The command-line options that point a command here (SQLite: the data directory's default database)."""
        return ["--data-dir", str(self.data_dir), *(["--database-url", self.server_url] if self.server_url else [])]

    def environment(self) -> dict[str, str]:
        """This process's environment, with XXGK_DATABASE_URL naming the database when it is PostgreSQL."""
        environment = {key: value for key, value in os.environ.items() if key != "XXGK_DATABASE_URL"}
        return {**environment, "XXGK_DATABASE_URL": self.server_url} if self.server_url else environment

    def engine(self) -> sqlalchemy.Engine:
        """xxgk's own engine for this database (its schema current)."""
        from crawler import database

        return database.connect(self.url)


def new_store(backend: str, data_dir: Path, request) -> Store:
    """A data directory with SQLite in it, or with a new database of the session's PostgreSQL server."""
    if backend == "sqlite":
        return Store(data_dir)
    return Store(data_dir, request.getfixturevalue("postgres").database())


def copy_store(store: Store, data_dir: Path, request) -> Store:
    """A copy of a store (archive and database) for a test that changes it."""
    shutil.copytree(store.data_dir, data_dir)
    if store.server_url is None:
        return Store(data_dir)
    from crawler import database

    database.dispose_all()  # this process's pooled connections to the original: a template must be unused
    server_engine(store.server_url).dispose()
    return Store(data_dir, request.getfixturevalue("postgres").database("copy", template=store.server_url))


class Row(tuple):
    """A result row by position or by column name, like sqlite3.Row."""

    def __new__(cls, values, names):
        row = super().__new__(cls, values)
        row.names = list(names)
        return row

    def __getitem__(self, key):
        return super().__getitem__(self.names.index(key) if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return self.names


def query(where: Store | Path, sql: str, *params) -> list:
    """Rows of a query (SQLite's `?` placeholders) with values as the SQLite file holds them: timestamps as
    SQLAlchemy writes them there (2024-01-02 03:04:05.123456, UTC), dates as YYYY-MM-DD, JSON as text."""
    store = where if isinstance(where, Store) else Store(where)
    if store.server_url is None:
        with sqlite3.connect(store.data_dir / "xxgk.sqlite") as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute(sql, params).fetchall()
    with server_engine(store.server_url).connect() as conn:
        result = conn.exec_driver_sql(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        names = list(result.keys())
        return [Row([as_sqlite_text(value) for value in row], names) for row in result]


@functools.cache
def server_engine(url: str) -> sqlalchemy.Engine:
    """The tests' own engine for a PostgreSQL database (plain: values as the driver gives them)."""
    return sqlalchemy.create_engine(url, pool_size=1)


def as_sqlite_text(value):
    """A PostgreSQL value as SQLite stores it, so tests compare the two backends alike."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def stored_time(text: str) -> datetime:
    """A timestamp as query() returns it, as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def spider_for(cls: type, base_urls: dict[str, str]):
    """A spider of `cls` pointed at these (simulated) base URLs, outside any crawl."""
    return cls.from_crawler(get_crawler(cls, {"XXGK_BASE_URLS": base_urls}))


def fetch(request: scrapy.Request) -> TextResponse:
    """Download a Scrapy request with urllib (gzip accepted, session ids stripped as TrapGuardMiddleware does)
    and wrap it the way Scrapy would."""
    headers = {"Accept-Encoding": "gzip", **{k.decode(): v[0].decode() for k, v in request.headers.items()}}
    data = request.body if request.method == "POST" else None
    url = strip_session_ids(request.url)
    with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=request.method)) as answer:
        body = answer.read()
        if answer.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        kind = answer.headers.get("Content-Type", "")
        cls = XmlResponse if "xml" in kind else TextResponse if "json" in kind else HtmlResponse
        return cls(url=answer.url, body=body, headers={"Content-Type": kind}, request=request)


def crawl_lists(spider, start: list[scrapy.Request] | None = None,
                limit: int | None = None) -> tuple[list[ListingItem], set[str]]:
    """Follow every list request from `start` (default: each column's first page), at most `limit` pages;
    the listings and the entry URLs requested."""
    queue = start or [spider.list_request(spider.url(c), column=spider.url(c), page=1) for c in spider.site.columns]
    listings, entries, seen = [], set(), set()
    while queue:
        request = queue.pop(0)
        if request.url in seen or (limit is not None and len(seen) >= limit):
            continue
        seen.add(request.url)
        output = list(request.callback(fetch(request)))
        found = [item for item in output if isinstance(item, ListingItem)]
        listings += found
        urls = {entry["url"] for item in found for entry in item["entries"]}
        for r in output:
            if isinstance(r, scrapy.Request):
                (entries.add(r.url) if r.url in urls else queue.append(r))
    return listings, entries


def on_request(portal: Portal, at: int, act) -> Counter:
    """Make `portal` call `act()` just before it answers its `at`-th request (once); the requests it got so far
    (`["n"]`)."""
    answer, seen, lock = portal.answer, Counter(), threading.Lock()

    def answering(request):
        with lock:
            seen["n"] += 1
            due = seen["n"] == at
        if due:
            act()
        return answer(request)

    portal.answer = answering
    return seen


def shared_portal() -> Portal:
    """Two columns on one host: a city's 年报 column and a department's (a TRS site hosting both, as 延吉市's portal
    hosts its bureaus' columns; the department's reports are split over pages like 人社部's)."""
    portal = Portal("shared", "trs")
    trs.build_split(portal)
    trs.build(portal)
    return portal


SHARED_REGISTRY = """
[[site]]
name = "{city}"
government = "延吉市人民政府"
family = "trs"
base_url = "{base_url}"
columns = ["/xxgk/zfxxgknb/index.html"]
allow_private = true

[[site]]
name = "{department}"
government = "延吉市人力资源和社会保障局"
family = "trs"
base_url = "{base_url}"
columns = ["/xxgk2020/zfxxgknb/index.html"]
allow_private = true
"""
