"""One named spider per registry entry: a thin leaf over its CMS-family spider, built by the spider loader.

The registry is the bundled crawler/sites.toml with the user's registries merged over it (DATA_DIR/sites.toml,
XXGK_REGISTRY), so `scrapy list`, `scrapy crawl SITE`, `xxgk crawl SITE` and the scheduler see the same sites.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings, Settings
from scrapy.spiderloader import SpiderLoader

from crawler.config import apply_layers
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


def leaf(site: Site) -> type:
    """The spider class of one registry entry."""
    name = "".join(part.title() for part in site.name.split("_")) + "Spider"
    attrs = {"name": site.name, "site": site, "__module__": __name__, "__doc__": f"{site.government}: {site.notes}",
             "custom_settings": site_settings(site)}
    return type(name, (family_spider(site.family),), attrs)


class RegistrySpiderLoader(SpiderLoader):
    """Scrapy's spider loader, plus a leaf spider for every registered site."""

    def __init__(self, settings: BaseSettings) -> None:
        self.registry_settings = Settings(settings.copy_to_dict())  # Scrapy hands its loader a frozen copy
        apply_layers(self.registry_settings)
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        for site in load_registry(self.registry_settings).values():
            self._found[site.name].append((__name__, site.name))
            self._spiders[site.name] = leaf(site)
