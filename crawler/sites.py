"""The site registry: which portals exist, where their report columns are, which family runs them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urljoin, urlsplit


class UnknownSite(KeyError):
    """A site name that the registry does not list."""

    def __str__(self) -> str:
        return f"unknown site {self.args[0]!r} (see `xxgk sites`)"


@dataclass(frozen=True)
class Site:
    name: str
    government: str
    family: str
    base_url: str
    home: str = "/"
    columns: tuple[str, ...] = ()
    division_code: str = ""
    province: str = ""
    schedule: str = ""
    verified: str = ""
    notes: str = ""
    expected_empty: bool = False  # a column known to be empty: no report is not a failure
    robots: bool = True  # obey robots.txt
    attachment_hosts: tuple[str, ...] = ()  # other hosts the site's files are served from
    allow_private: bool = False  # may resolve to private, loopback or link-local addresses (never for real sites)
    concurrency: int = 0  # requests at a time to this site (0: the CONCURRENT_REQUESTS_PER_DOMAIN default)
    delay: float = -1.0  # seconds between requests (negative: the DOWNLOAD_DELAY default)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def host(self) -> str:
        """The real portal's host name."""
        return urlsplit(self.base_url).hostname or ""

    def url(self, path: str, base_url: str | None = None) -> str:
        """Absolute URL of a registry path, below `base_url` (default: the real portal)."""
        return urljoin((base_url or self.base_url).rstrip("/") + "/", path.lstrip("/"))


def _site(entry: dict) -> Site:
    known = set(Site.__dataclass_fields__) - {"extra"}
    values = {k: v for k, v in entry.items() if k in known}
    values["columns"] = tuple(values.get("columns", ()))
    values["attachment_hosts"] = tuple(values.get("attachment_hosts", ()))
    return Site(**values, extra={k: v for k, v in entry.items() if k not in known})


def load_registry(text: str | None = None) -> dict[str, Site]:
    """Sites by name, from the bundled sites.toml (or the given TOML text)."""
    if text is None:
        text = resources.files("crawler").joinpath("sites.toml").read_text(encoding="utf-8")
    sites = [_site(entry) for entry in tomllib.loads(text).get("site", [])]
    return {site.name: site for site in sites}


def get_site(name: str) -> Site:
    try:
        return load_registry()[name]
    except KeyError:
        raise UnknownSite(name) from None
