"""Shared fixtures: the simulated portals, started once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.simulator import SimulatedPortals


@pytest.fixture(scope="session")
def portals() -> Iterator[SimulatedPortals]:
    """All four simulated portals on loopback ports; stopped when the session ends."""
    with SimulatedPortals() as simulated:
        yield simulated
