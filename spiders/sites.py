"""One named spider per registry entry: a thin leaf over its CMS-family spider."""

from __future__ import annotations

from crawler.sites import Site, load_registry
from spiders.families import family_spider


def site_settings(site: Site) -> dict:
    """Per-site politeness from the registry, at spider priority (a `-s` or the loopback crawl still wins)."""
    settings: dict = {}
    if not site.robots:
        settings["ROBOTSTXT_OBEY"] = False
    if site.concurrency > 0:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = site.concurrency
    if site.delay >= 0:
        settings["DOWNLOAD_DELAY"] = site.delay
        settings["AUTOTHROTTLE_START_DELAY"] = max(site.delay, 0.1)
    return settings


def _leaf(site: Site) -> type:
    name = "".join(part.title() for part in site.name.split("_")) + "Spider"
    attrs = {"name": site.name, "site": site, "__module__": __name__, "__doc__": f"{site.government}: {site.notes}",
             "custom_settings": site_settings(site)}
    return type(name, (family_spider(site.family),), attrs)


for _site in load_registry().values():
    _cls = _leaf(_site)
    globals()[_cls.__name__] = _cls

del _site, _cls  # a module-level class object left behind would be listed twice by Scrapy
