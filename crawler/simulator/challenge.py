"""Anti-bot front ends in front of simulated portals: one a browser passes, one nothing passes.

Modelled on the signatures in portals.md and public write-ups of them: 加速乐 answers HTTP 521 with a tiny page
whose script computes the `__jsl_clearance_s` cookie and reloads (a plain client sees only the script; the
zongyang.gov.cn scraper in public code evaluates it with execjs), 瑞数 answers HTTP 412 with an inline `$_ts`
script and a `<meta content>` blob, and refuses data-centre clients for good.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from crawler.simulator import openness
from crawler.simulator.server import NOT_FOUND, Portal, Reply, Request, Route

CLEARANCE = "__jsl_clearance_s"


def token(portal: Portal) -> str:
    """The clearance value this portal accepts (fixed per portal, computed only in the page's script)."""
    return "1700000000.9|0|" + hashlib.sha1(portal.name.encode()).hexdigest()[:24]


def jsl_page(value: str) -> bytes:
    """The 521 page: char codes joined in script, set as a cookie, then the same address again."""
    codes = ",".join(str(ord(c)) for c in value)
    return (f'<html><body><script>var c=[{codes}].map(function(x){{return String.fromCharCode(x)}}).join("");'
            f'document.cookie="{CLEARANCE}="+c+";max-age=3600;path=/";'
            "location.href=location.pathname+location.search+location.hash;</script></body></html>").encode()


def cookies_of(request: Request) -> dict[str, str]:
    pairs = (part.strip().partition("=") for part in (request.headers.get("Cookie") or "").split(";"))
    return {name: value for name, _, value in pairs if name}


def jsl_gated(portal: Portal, route: Route) -> Callable[[Request], Reply | None]:
    """`route` behind the 加速乐-style challenge."""
    expected = token(portal)

    def answer(request: Request) -> Reply | None:
        if cookies_of(request).get(CLEARANCE) != expected:
            headers = [("Set-Cookie", "__jsluid_s=6a3c0f9e51b2d8a4; max-age=31536000; path=/; HttpOnly")]
            return Reply(521, jsl_page(expected), headers=headers, compressible=False)
        return route(request) if callable(route) else route

    return answer


def gate_jsl(portal: Portal) -> None:
    """Put every route but robots.txt behind the 加速乐-style challenge."""
    for path, route in list(portal.routes.items()):
        portal.routes[path] = jsl_gated(portal, route)


RIVERS_PAGE = (
    '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    '<meta id="9DhefwqGPrzGxEp9hPaoag" content="{blob}"><script type="text/javascript" charset="utf-8">'
    '$_ts=window["$_ts"];if(!$_ts)$_ts={{}};$_ts.nsd=84011;$_ts.cd="{cd}";</script>'
    '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js"></script>'
    "</head><body></body></html>"
)


def rivers_reply(request: Request) -> Reply:
    """瑞数-style 412: a `$_ts` stub whose real script is refused, so no browser ever gets through."""
    digest = hashlib.sha1(request.path.encode()).hexdigest()
    body = RIVERS_PAGE.format(blob=digest * 6, cd=digest * 10).encode()
    return Reply(412, body, headers=[("Set-Cookie", "FSSBBIl1UgzbN7N80S=" + digest[:32] + "; Path=/; HttpOnly")],
                 compressible=False)


def build_zongyang(portal: Portal) -> None:
    """枞阳县 on the OpennessContent platform behind the 加速乐 challenge."""
    openness.build_zongyang(portal)
    gate_jsl(portal)


def build_blocked(portal: Portal) -> None:
    """A portal that answers every address but robots.txt with the 瑞数 412 page."""
    def answer(request: Request) -> Reply:
        return NOT_FOUND if request.path == "/robots.txt" else rivers_reply(request)

    portal.answer = answer  # type: ignore[method-assign]
