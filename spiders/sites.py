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
        self.sites = load_registry(self.registry_settings)
        self.built: set[str] = set()
        for name in self.sites:
            self._found[name].append((__name__, name))

    def load(self, spider_name: str) -> type:
        """A site's leaf spider is built when first asked for: a worker loads one site of hundreds per crawl."""
        if spider_name in self.sites and spider_name not in self.built:
            self._spiders[spider_name] = leaf(self.sites[spider_name])
            self.built.add(spider_name)
        return super().load(spider_name)

    def list(self) -> list[str]:
        return list(dict.fromkeys([*self._spiders, *self.sites]))

    def find_by_request(self, request) -> list[str]:
        for name in self.sites:
            self.load(name)
        return super().find_by_request(request)
