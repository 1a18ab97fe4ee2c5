"""The set of simulated portals, one loopback server per registered site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

from crawler.simulator import (
    anhui,
    challenge,
    faults,
    gkmlpt,
    hanweb,
    hanweb_xxgk,
    openness,
    panjin,
    trs,
    ucap,
    unknown,
    variations,
    vsb,
)
from crawler.simulator.assets import serve_assets
from crawler.simulator.markup import FileRoute, pad_pdf
from crawler.simulator.server import Portal, Reply

# registry site name -> (CMS family, builder)
BUILDERS: dict[str, tuple[str, Callable[[Portal], None]]] = {
    "panjin": ("panjin", panjin.build),
    "mingguang": ("anhui", anhui.build),
    "yanji": ("trs", trs.build),
    "zhangxian": ("hanweb", hanweb.build),
}
# More families, started only when named (the default set above is what `xxgk demo` and test_crawl.py crawl).
MORE_BUILDERS: dict[str, tuple[str, Callable[[Portal], None]]] = {
    "hangzhou": ("hanweb_xxgk", hanweb_xxgk.build),
    "mohrss": ("trs", trs.build_split),
    "zhuhai": ("gkmlpt", gkmlpt.build),
    "arongqi": ("openness", openness.build),
    "nx_wsjkw": ("vsb", vsb.build),
    "gov_cn": ("ucap", ucap.build),
    "hnxxjkq": ("generic", unknown.build),
    # anti-bot front ends: a browser passes the first, nothing passes the second
    "zongyang": ("openness", challenge.build_zongyang),
    "hebei": ("trs", challenge.build_blocked),
}
ALL_BUILDERS = {**BUILDERS, **MORE_BUILDERS}
# Variations of the families on no registered site (crawler/simulator/variations.py): reached through discovery.
VARIATION_BUILDERS: dict[str, tuple[str, Callable[[Portal], None]]] = variations.VARIATIONS
# Portals of no bundled registry entry: a test names them in a user registry (DATA_DIR/sites.toml).
HOSTILE_BUILDERS: dict[str, tuple[str, Callable[[Portal], None]]] = {
    "faults": ("generic", faults.build),  # every fault a hostile server shows, among fifteen real reports
}
STARTABLE = {**ALL_BUILDERS, **VARIATION_BUILDERS, **HOSTILE_BUILDERS}


def pad_pdfs(portal: Portal, size: int) -> None:
    """Make each PDF attachment `size` bytes heavier (its text and validity unchanged)."""
    for url in portal.attachment_urls:
        path = urlsplit(url).path
        route = portal.routes.get(path)
        if isinstance(route, FileRoute) and route.kind == "pdf":
            portal.routes[path] = replace(route, pad=size)
        elif isinstance(route, Reply) and route.content_type == "application/pdf":
            portal.routes[path] = replace(route, body=pad_pdf(route.body, size, path))


class SimulatedPortals:
    """Start the simulated portals on 127.0.0.1 (random ports unless `port_base`) and stop them on exit."""

    def __init__(self, sites: list[str] | None = None, port_base: int = 0, pdf_kb: int = 0) -> None:
        """`pdf_kb` pads every PDF attachment by that many KB (real report PDFs weigh hundreds of KB)."""
        names = list(sites or BUILDERS)
        missing = sorted(set(names) - set(STARTABLE))
        if missing:
            raise ValueError(f"no simulated portal for {', '.join(missing)}; known: {', '.join(STARTABLE)}")
        self.portals: dict[str, Portal] = {}
        self._started = False
        try:
            for offset, name in enumerate(names):
                family, build = STARTABLE[name]
                portal = Portal(name, family, port_base + offset if port_base else 0)
                self.portals[name] = portal
                build(portal)
                serve_assets(portal)
                if pdf_kb:
                    pad_pdfs(portal, pdf_kb * 1024)
        except BaseException:
            self.stop()
            raise

    @property
    def base_urls(self) -> dict[str, str]:
        return {name: portal.base_url for name, portal in self.portals.items()}

    def start(self) -> Self:
        if not self._started:
            for portal in self.portals.values():
                portal.start()
            self._started = True
        return self

    def stop(self) -> None:
        for portal in self.portals.values():
            portal.stop()
        self._started = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
