"""One configuration path for every command and for `scrapy crawl`, resolved here and nowhere else.

Later layers win:
1. the project settings (`crawler/settings.py` through `scrapy.cfg`, `SCRAPY_SETTINGS_MODULE`, `SCRAPY_*` variables:
   Scrapy's own `get_project_settings`);
2. the data directory's `xxgk.toml` (`[settings]` table: `XXGK_DATABASE_URL = "postgresql+psycopg://…"`);
3. `XXGK_*` environment variables naming a setting (`XXGK_DATABASE_URL`, `XXGK_REGISTRY`, …);
4. command-line options (`--data-dir`, `--database-url`, `-s NAME=VALUE`, …).

Layers 2 and 3 are applied at "project" priority, so a spider's own settings (a site's politeness from the
registry) and command-line options (priority "cmdline") still win over them. `XxgkAddon`, listed in ADDONS,
applies the same layers when Scrapy builds a crawler, which is what makes `scrapy crawl SITE` read them too.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings, Settings
from scrapy.utils.conf import init_env
from scrapy.utils.project import get_project_settings

from crawler.errors import XxgkError

logger = logging.getLogger(__name__)

CONFIG_FILE = "xxgk.toml"
DEFAULT_SETTINGS_MODULE = "crawler.settings"
ENV_PREFIX = "XXGK_"
LAYER_PRIORITY = "project"


class ConfigError(XxgkError, ValueError):
    """A configuration that cannot be used: a bad file, an unknown setting, a site name nobody registered."""


def project_settings() -> Settings:
    """Scrapy's project settings: the nearest scrapy.cfg's module (or SCRAPY_SETTINGS_MODULE), else xxgk's own
    (an installed xxgk runs from any directory)."""
    init_env(os.environ.get("SCRAPY_PROJECT", "default"))
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
    return get_project_settings()


def load(data_dir: str | Path | None = None, options: dict[str, Any] | None = None) -> Settings:
    """The settings of one command: project, data-dir file, environment, then these command-line options."""
    settings = project_settings()
    if data_dir is not None:
        settings.set("XXGK_DATA_DIR", str(data_dir), priority="cmdline")
    settings.update(options or {}, priority="cmdline")
    apply_layers(settings)
    return settings


def apply_layers(settings: BaseSettings) -> None:
    """Add the data directory's file and the XXGK_* environment to `settings` (idempotent)."""
    environment = environment_settings(settings)
    if "XXGK_DATA_DIR" in environment:
        settings.set("XXGK_DATA_DIR", environment["XXGK_DATA_DIR"], priority=LAYER_PRIORITY)
    settings.set("XXGK_DATA_DIR", str(Path(settings["XXGK_DATA_DIR"]).resolve()),
                 priority=settings.getpriority("XXGK_DATA_DIR") or LAYER_PRIORITY)
    settings.update(file_settings(data_dir(settings), settings), priority=LAYER_PRIORITY)
    settings.update(environment, priority=LAYER_PRIORITY)


def data_dir(settings: BaseSettings) -> Path:
    return Path(settings["XXGK_DATA_DIR"])


def environment_settings(settings: BaseSettings, environ: dict[str, str] | None = None) -> dict[str, str]:
    """XXGK_* environment variables that name a known setting (others are reported, once, and ignored)."""
    environ = os.environ if environ is None else environ
    found = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name in IGNORED_ENVIRONMENT:
            continue
        if name in settings:
            found[name] = value
        elif name not in _warned:
            _warned.add(name)
            logger.warning("ignoring the environment variable %s: no such setting", name)
    return found


# Variables read by other programs (the replay environment), not settings.
IGNORED_ENVIRONMENT = frozenset({"XXGK_REPLAY_PYTHON"})
_warned: set[str] = set()


def file_settings(directory: Path, known: BaseSettings) -> dict[str, Any]:
    """The `[settings]` table of DATA_DIR/xxgk.toml ({} when there is no file); ConfigError if it is unusable."""
    path = directory / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    values = document.get("settings", {})
    unknown = sorted(set(document) - {"settings"})
    if unknown or not isinstance(values, dict):
        raise ConfigError(f"{path}: expected only a [settings] table, found {', '.join(unknown) or 'a value'}")
    misspelled = sorted(name for name in values if name not in known)
    if misspelled:
        raise ConfigError(f"{path}: unknown setting {', '.join(misspelled)}")
    return values


def database_url(settings: BaseSettings) -> str:
    """XXGK_DATABASE_URL, else SQLite in the data directory."""
    return settings.get("XXGK_DATABASE_URL") or f"sqlite:///{data_dir(settings) / 'xxgk.sqlite'}"


def describe_database(url: str) -> str:
    """The database for people: a SQLite file's path, or a server URL without its password."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Context:
    """A command's configuration: its command-line options and the settings they resolve to."""

    data_dir_option: Path | None
    options: dict[str, Any]
    settings: Settings

    @property
    def data_dir(self) -> Path:
        return data_dir(self.settings)

    @property
    def database_url(self) -> str:
        return database_url(self.settings)

    def with_options(self, options: dict[str, Any]) -> Context:
        """The same configuration with more command-line options."""
        return context(self.data_dir_option, {**self.options, **options})


def context(data_dir_option: str | Path | None = None, options: dict[str, Any] | None = None) -> Context:
    options = dict(options or {})
    return Context(Path(data_dir_option) if data_dir_option else None, options, load(data_dir_option, options))


# Simulated portals run on this machine: no need to spare them. Not a delay of 0: Scrapy 2.19 then ignores the
# per-domain concurrency limit (8-10 requests at once seen with a limit of 2).
LOCAL_SETTINGS = {"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}


def is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def check_base_urls(settings: BaseSettings, registry: dict) -> None:
    """ConfigError for an XXGK_BASE_URLS name that is not a registered site (a typo would crawl the real portal)."""
    unknown = sorted(set(settings.getdict("XXGK_BASE_URLS")) - set(registry))
    if unknown:
        raise ConfigError(f"XXGK_BASE_URLS / --base-url: unknown site {', '.join(map(repr, unknown))} "
                          "(see `xxgk sites`)")


def base_url(settings: BaseSettings, site) -> str:
    """Where a registry site is crawled: its XXGK_BASE_URLS entry (a simulated portal, a mirror), else its own."""
    return settings.getdict("XXGK_BASE_URLS").get(site.name) or site.base_url


class XxgkAddon:
    """Scrapy add-on (ADDONS): the configuration layers and each site's crawl settings, whoever starts the crawl
    (`xxgk crawl`, `scrapy crawl`, the scheduler, a worker)."""

    def __init__(self, crawler=None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        from crawler.sites import load_registry

        apply_layers(settings)
        check_base_urls(settings, load_registry(settings))
        spidercls = getattr(self.crawler, "spidercls", None)
        name = getattr(spidercls, "name", None)
        site = getattr(spidercls, "site", None)
        # where the site is crawled: a simulated portal it is pointed at, or its own address (a portal discovered
        # on this machine, a local mirror)
        where = base_url(settings, site) if site is not None else settings.getdict("XXGK_BASE_URLS").get(name)
        if where and is_loopback(where):
            for key, value in LOCAL_SETTINGS.items():
                settings.set(key, value, priority="spider")
        if site is not None and settings.getbool("XXGK_JOBS"):
            use_jobdir(settings, name)
        fit_downloader(settings)


# Hosts a site's crawl keeps busy at once: its portal and a file or CDN host.
HOSTS_PER_CRAWL = 2


def fit_downloader(settings: BaseSettings) -> None:
    """CONCURRENT_REQUESTS no more than HOSTS_PER_CRAWL × the per-site concurrency.

    A request let into Scrapy's downloader past what its slot may send waits there out its delay, with the tasks
    and callbacks that will carry it (~10 KB apiece); in the scheduler it is a Request alone. At 16, a 500-site
    worker held ~8,000 such requests, 71 MB more (bench/scale.py). The slot's pace is the same, unless a send gate
    holds its request: then the site waits at once (pipelines/extraction.py BACKLOG_PER_PROCESS)."""
    most = HOSTS_PER_CRAWL * settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    if 0 < most < settings.getint("CONCURRENT_REQUESTS"):
        settings.set("CONCURRENT_REQUESTS", most, priority=settings.getpriority("CONCURRENT_REQUESTS"))


def use_jobdir(settings: BaseSettings, site: str) -> None:
    """Give a site's crawl its JOBDIR, DATA_DIR/jobs/SITE (read by the journal once the crawl holds its site's lock:
    crawler/extensions/journal.py)."""
    if not settings.get("JOBDIR"):
        settings.set("JOBDIR", str(data_dir(settings) / "jobs" / site), priority="spider")
