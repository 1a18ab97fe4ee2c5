"""One named spider per registry entry: a thin leaf over its CMS-family spider."""

from __future__ import annotations

from crawler.sites import load_registry
from spiders.families import family_spider


def _leaf(site) -> type:
    name = "".join(part.title() for part in site.name.split("_")) + "Spider"
    attrs = {"name": site.name, "site": site, "__module__": __name__, "__doc__": f"{site.government}: {site.notes}"}
    return type(name, (family_spider(site.family),), attrs)


for _site in load_registry().values():
    _cls = _leaf(_site)
    globals()[_cls.__name__] = _cls

del _site, _cls  # a module-level class object left behind would be listed twice by Scrapy
