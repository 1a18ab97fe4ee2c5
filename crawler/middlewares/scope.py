"""Scope: the site's hosts only (plus its attachment hosts), never a private, loopback or link-local address unless
allowed (XXGK_ALLOW_PRIVATE_HOSTS, the site's `allow_private`, or a base URL the operator gave with XXGK_BASE_URLS)."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy import Request

from crawler import faults

logger = logging.getLogger(__name__)

def is_private_address(address: str) -> bool:
    """Private, loopback, link-local, reserved, multicast or unspecified: nothing a public portal resolves to."""
    ip = ipaddress.ip_address(address)
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast \
        or ip.is_unspecified


class Scope:
    """A crawl's scope rules, for Scrapy's requests and for every request its browser makes alike."""

    def __init__(self, crawler, allow_private: set[str], allow_base_urls: bool) -> None:
        self.crawler = crawler
        self.allow_private = allow_private
        self.allow_base_urls = allow_base_urls
        self._resolved: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler) -> Scope:
        settings = crawler.settings
        return cls(crawler, set(settings.getlist("XXGK_ALLOW_PRIVATE_HOSTS")),
                   settings.getbool("XXGK_ALLOW_PRIVATE_BASE_URLS", True))

    async def refusal(self, url: str) -> str | None:
        """Why `url` may not be requested (a fault kind: offsite, private_address), or None."""
        spider = self.crawler.spider
        host = (urlsplit(url).hostname or "").lower()
        hosts = scope_hosts(spider)
        if hosts and host not in hosts:
            return "offsite"
        if not self._private_allowed(spider, host) and any(map(is_private_address, await self._addresses(host))):
            return "private_address"
        return None

    def _private_allowed(self, spider, host: str) -> bool:
        if "*" in self.allow_private or host in self.allow_private:
            return True
        site = getattr(spider, "site", None)
        if site is not None and site.allow_private:
            return True
        base_url = getattr(spider, "base_url", None)
        return bool(self.allow_base_urls and base_url and base_url != getattr(site, "base_url", base_url)
                    and urlsplit(base_url).hostname == host)

    async def _addresses(self, host: str) -> list[str]:
        """The host's addresses (an IP literal is its own), resolved once per crawl without blocking the reactor."""
        if host not in self._resolved:
            try:
                self._resolved[host] = [str(ipaddress.ip_address(host))]
            except ValueError:
                try:
                    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                    self._resolved[host] = [info[4][0].split("%")[0] for info in infos]
                except OSError:
                    self._resolved[host] = []  # the download will fail on its own, with a proper error
        return self._resolved[host]


class ScopeMiddleware:
    """Send requests only to the site's hosts, and never to private addresses unless explicitly allowed."""

    def __init__(self, crawler, scope: Scope) -> None:
        self.crawler, self.stats, self.scope = crawler, crawler.stats, scope

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Scope.from_crawler(crawler))

    @property
    def _resolved(self) -> dict[str, list[str]]:
        return self.scope._resolved

    async def process_request(self, request: Request) -> None:
        kind = await self.scope.refusal(request.url)
        if kind is None:
            return None
        faults.count(self.stats, kind, request.url)
        if kind == "private_address":
            logger.warning("not sending %s: its host resolves to a private address", request.url)
        raise faults.Refused(kind, request.url)


def scope_hosts(spider) -> set[str]:
    """Hosts a site's crawl may visit: its portal (real or the given base URL) and its attachment hosts."""
    site = getattr(spider, "site", None)
    if site is None:
        return {h.lower() for h in getattr(spider, "allowed_hosts", ())}
    hosts = {urlsplit(getattr(spider, "base_url", site.base_url)).hostname or site.host}
    return {h.lower() for h in hosts | set(site.attachment_hosts) if h}
