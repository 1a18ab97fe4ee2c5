"""PostgreSQL for teams: the same crawl stores into a real PostgreSQL server, started here for the test."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy

from crawler.simulator import SimulatedPortals

BIN = Path(sys.executable).parent
SITES = ("panjin", "zhangxian")


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail("PostgreSQL is not installed (make test installs Debian's postgresql)")
    return found[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command: str) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` system user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


@pytest.fixture(scope="module")
def database_url():
    cluster = tempfile.mkdtemp(prefix="xxgk-pg-")
    if os.geteuid() == 0:
        shutil.chown(cluster, "postgres", "postgres")
    port = free_port()
    subprocess.run(as_postgres(pg_bin("initdb"), "-D", cluster, "-U", "xxgk", "--auth=trust", "-E", "UTF8"),
                   check=True, capture_output=True)
    server = subprocess.Popen(as_postgres(pg_bin("postgres"), "-D", cluster, "-p", str(port), "-k", cluster,
                                          "-c", "listen_addresses=127.0.0.1"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"postgresql+psycopg://xxgk@127.0.0.1:{port}/postgres"
    try:
        engine = sqlalchemy.create_engine(url)
        deadline = time.monotonic() + 30
        while True:
            try:
                with engine.connect():
                    break
            except sqlalchemy.exc.OperationalError:
                assert time.monotonic() < deadline and server.poll() is None, "PostgreSQL did not start"
                time.sleep(0.2)
        engine.dispose()
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(cluster, ignore_errors=True)


def test_crawl_stores_into_postgresql_without_duplicates(database_url, tmp_path):
    with SimulatedPortals(sites=list(SITES)) as simulated:
        command = [str(BIN / "xxgk"), "crawl", *SITES, "--data-dir", str(tmp_path),
                   "-s", f"XXGK_DATABASE_URL={database_url}",
                   *[f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]]
        for _ in range(2):
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stdout + result.stderr
        expected = {url for site in SITES for url in simulated.portals[site].report_urls}
    assert not (tmp_path / "xxgk.sqlite").exists(), "nothing went to the SQLite default"
    engine = sqlalchemy.create_engine(database_url)
    with engine.connect() as conn:
        documents = conn.execute(sqlalchemy.text("SELECT url, report_year, agency FROM documents")).all()
        crawls = conn.execute(sqlalchemy.text("SELECT status FROM crawls WHERE finished_at IS NOT NULL")).all()
        cells = conn.execute(sqlalchemy.text("SELECT COUNT(*) FROM report_cells")).scalar()
    engine.dispose()
    assert {url for url, *_ in documents} >= expected and len(documents) == len({url for url, *_ in documents})
    assert any(agency == "漳县" and year == 2019 for _, year, agency in documents)
    assert [status for (status,) in crawls] == ["ok"] * 2 * len(SITES)
    assert cells > 0, "the statistics tables are stored too"
