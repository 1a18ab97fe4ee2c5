"""Shared fixtures: the simulated portals, one PostgreSQL server, and one crawl of the portals per database backend,
each made once per test session."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from postgres import PostgresServer
from redis_server import RedisServer
from support import BACKENDS, BIN, SITES, Store, new_store

from crawler.simulator import SimulatedPortals


@pytest.fixture(scope="session")
def portals() -> Iterator[SimulatedPortals]:
    """All four simulated portals on loopback ports; stopped when the session ends."""
    with SimulatedPortals() as simulated:
        yield simulated


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole run (started when a test first needs it); each test that writes gets a
    database of its own from it."""
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A Redis server of the test's own: no message of an earlier test (whose run ids a new database reuses) is
    left in its queue."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Run the test on each database: SQLite in the data directory, and PostgreSQL."""
    return request.param


@pytest.fixture
def store(backend, tmp_path, request) -> Store:
    """An empty data directory and database, on each backend."""
    return new_store(backend, tmp_path, request)


@pytest.fixture(scope="session", params=BACKENDS)
def crawled(request, portals, tmp_path_factory) -> Store:
    """The four simulated portals crawled once per backend; tests that only read an archive and database share it.
    On PostgreSQL the crawl finds its database through XXGK_DATABASE_URL (the command tests pass --database-url)."""
    store = new_store(request.param, tmp_path_factory.mktemp(f"crawled-{request.param}"), request)
    bases = [f"--base-url={site}={url}" for site, url in portals.base_urls.items()]
    result = subprocess.run([str(BIN / "xxgk"), "crawl", *SITES, "--data-dir", str(store.data_dir), *bases],
                            capture_output=True, text=True, timeout=300, env=store.environment())
    assert result.returncode == 0, result.stdout + result.stderr
    return store
