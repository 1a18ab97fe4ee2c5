"""Shared fixtures: the simulated portals and one crawl of them, each made once per test session."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import BIN, SITES

from crawler.simulator import SimulatedPortals


@pytest.fixture(scope="session")
def portals() -> Iterator[SimulatedPortals]:
    """All four simulated portals on loopback ports; stopped when the session ends."""
    with SimulatedPortals() as simulated:
        yield simulated


@pytest.fixture(scope="session")
def crawled(portals, tmp_path_factory) -> Path:
    """The four simulated portals crawled once; tests that only read an archive and database share it."""
    data_dir = tmp_path_factory.mktemp("crawled-portals")
    bases = [f"--base-url={site}={url}" for site, url in portals.base_urls.items()]
    result = subprocess.run([str(BIN / "xxgk"), "crawl", *SITES, "--data-dir", str(data_dir), *bases],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return data_dir
