"""The site registry: which portals exist, where their report columns are, which family runs them."""

from __future__ import annotations

import functools
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
    return dict(_bundled())


@functools.cache
def _bundled() -> dict[str, Site]:
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
            sites |= read_registry(path)
        except FileNotFoundError:
            if path.name == USER_REGISTRY and path.parent == Path(settings["XXGK_DATA_DIR"]):
                continue  # the data directory's registry is optional; a named one is not
            raise RegistryError(f"{path}: no such registry file") from None
    return sites


def read_registry(path: Path) -> dict[str, Site]:
    """A registry file's sites, parsed again only when the file changed (a worker loads a site per crawl)."""
    version = file_version(path)
    if version is None:
        raise FileNotFoundError(path)
    return dict(_parsed_file(str(path), version))


def file_version(path: Path) -> tuple | None:
    """What changes when a file is rewritten (in place or by rename); None if there is no such file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


@functools.lru_cache(maxsize=16)
def _parsed_file(path: str, _version: tuple) -> dict[str, Site]:
    return parse_registry(Path(path).read_text(encoding="utf-8"), path)


def get_site(name: str, settings=None) -> Site:
    try:
        return load_registry(settings)[name]
    except KeyError:
        raise UnknownSite(name) from None


# -- writing a user registry ------------------------------------------------------------------------------------

def toml_value(value) -> str:
    """A TOML literal for the values registry entries hold: str, bool, int, float, list of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def toml_entry(values: dict) -> str:
    """One [[site]] table."""
    return "[[site]]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in values.items())


def entry_blocks(text: str) -> list[str]:
    """A registry file cut before each [[site]] line: a preamble (comments), then one block per entry."""
    blocks, current = [], []
    for line in text.splitlines(keepends=True):
        if line.strip() == "[[site]]" and current:
            blocks.append("".join(current))
            current = []
        current.append(line)
    if current:
        blocks.append("".join(current))
    return blocks


def block_entry(block: str) -> dict:
    """The entry a registry block holds ({} for a preamble of comments)."""
    try:
        return (tomllib.loads(block).get("site") or [{}])[0]
    except tomllib.TOMLDecodeError:
        return {}


def unique_name(name: str, base_url: str, entries: list[dict], taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`… : the first not used by another portal (the same portal keeps its name)."""
    mine = {entry.get("name") for entry in entries if entry.get("base_url") != base_url} | taken
    candidate, number = name, 1
    while candidate in mine:
        number += 1
        candidate = f"{name}_{number}"
    return candidate


def add_site(path: Path, values: dict, taken: set[str] = frozenset()) -> str:
    """Write an entry into the user registry `path` under a name no other portal uses (`taken`: the names of the
    other registries), replacing this portal's earlier entry; return the name. Under an exclusive lock and through
    a temporary file renamed over the old one, so concurrent writers neither crash nor lose entries."""
    import fcntl
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        parse_registry(text, str(path))  # never rewrite a file that does not parse
        blocks = entry_blocks(text)
        entries = [block_entry(block) for block in blocks]
        name = unique_name(values["name"], values["base_url"], entries, set(taken) - {e.get("name") for e in entries})
        values = {**values, "name": name}
        kept = "".join(block for block, entry in zip(blocks, entries, strict=True)
                       if entry.get("base_url") != values["base_url"] and entry.get("name") != name)
        new_text = (kept.rstrip("\n") + "\n\n" if kept.strip() else "") + toml_entry(values)
        parse_registry(new_text, str(path))
        handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(new_text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return name


def user_registry_path(settings) -> Path:
    """Where `xxgk discover --add` writes: the last XXGK_REGISTRY file named, else DATA_DIR/sites.toml."""
    return registry_files(settings)[-1]
