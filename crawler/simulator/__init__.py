"""Simulated government portals (real HTTP servers on 127.0.0.1) for tests, the demo and benchmarks."""

from crawler.simulator.portals import BUILDERS, SimulatedPortals
from crawler.simulator.server import Portal, Reply, Request

__all__ = ["BUILDERS", "Portal", "Reply", "Request", "SimulatedPortals"]
