"""The site registry: which portals exist, where their report columns are, which family runs them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from crawler.errors import XxgkError


class UnknownSite(XxgkError, KeyError):
    """A site name that the registry does not list."""

    def __str__(self) -> str:
        return f"unknown site {self.args[0]!r} (see `xxgk sites`)"


@dataclass(frozen=True)
class Site:
    name: str
    government: str
    base_url: str
    family: str = ""  # a CMS family of crawler/families.py; "" reads the column with the generic spider
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


REQUIRED = ("name", "government", "base_url")
USER_REGISTRY = "sites.toml"  # in the data directory


class RegistryError(XxgkError, ValueError):
    """A registry file that cannot be read, or an entry that cannot be used."""


def _site(entry: dict, source: str) -> Site:
    missing = [key for key in REQUIRED if not entry.get(key)]
    if missing:
        raise RegistryError(f"{source}: entry {entry.get('name', '?')!r} has no {', '.join(missing)}")
    known = set(Site.__dataclass_fields__) - {"extra"}
    values = {k: v for k, v in entry.items() if k in known}
    values["columns"] = tuple(values.get("columns", ()))
    values["attachment_hosts"] = tuple(values.get("attachment_hosts", ()))
    try:
        return Site(**values, extra={k: v for k, v in entry.items() if k not in known})
    except TypeError as exc:
        raise RegistryError(f"{source}: entry {entry['name']!r}: {exc}") from None


def parse_registry(text: str, source: str = "registry") -> dict[str, Site]:
    """Sites by name from registry TOML ([[site]] tables)."""
    try:
        entries = tomllib.loads(text).get("site", [])
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: not valid TOML ({exc})") from None
    sites = [_site(entry, source) for entry in entries]
    return {site.name: site for site in sites}


def bundled_registry() -> dict[str, Site]:
    """The registry shipped with xxgk (crawler/sites.toml)."""
    return parse_registry(resources.files("crawler").joinpath("sites.toml").read_text(encoding="utf-8"),
                          "crawler/sites.toml")


def registry_files(settings) -> list[Path]:
    """The user registries merged over the bundled one, in order: DATA_DIR/sites.toml, then XXGK_REGISTRY."""
    files = [Path(settings["XXGK_DATA_DIR"]) / USER_REGISTRY]
    files += [Path(value).expanduser() for value in settings.getlist("XXGK_REGISTRY")]
    return files


def load_registry(settings=None) -> dict[str, Site]:
    """Sites by name: the bundled registry with the user registries of `settings` merged over it (an entry of the
    same name replaces the bundled one whole)."""
    sites = bundled_registry()
    for path in registry_files(settings) if settings is not None else ():
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if path.name == USER_REGISTRY and path.parent == Path(settings["XXGK_DATA_DIR"]):
                continue  # the data directory's registry is optional; a named one is not
            raise RegistryError(f"{path}: no such registry file") from None
        sites |= parse_registry(text, str(path))
    return sites


def get_site(name: str, settings=None) -> Site:
    try:
        return load_registry(settings)[name]
    except KeyError:
        raise UnknownSite(name) from None
