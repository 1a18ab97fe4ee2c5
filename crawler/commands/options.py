"""Options and helpers shared by the command modules."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

import click

from crawler import config
from crawler.sites import RegistryError

verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's INFO log on the console.")
settings_option = click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
                               help="Override a setting (after DATA_DIR/xxgk.toml and XXGK_* variables).")


def configured(command):
    """Add --data-dir and --database-url to a command and pass it their resolved configuration as `ctx`
    (crawler/config.py: project settings, DATA_DIR/xxgk.toml, XXGK_* environment, then these options)."""

    @click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Where the archive (warc/) and the SQLite database live [default: $XXGK_DATA_DIR or ./data].")
    @click.option("--database-url", metavar="URL", default=None,
                  help="SQLAlchemy URL of the database [default: $XXGK_DATABASE_URL, else SQLite in the data dir].")
    @functools.wraps(command)
    def wrapper(*args, data_dir: Path | None, database_url: str | None, **kwargs):
        options = {"XXGK_DATABASE_URL": database_url} if database_url else {}
        return command(*args, ctx=resolve(data_dir, options), **kwargs)

    return wrapper


def resolve(data_dir: Path | None, options: dict) -> config.Context:
    """The configuration, or a one-line error."""
    try:
        return config.context(data_dir, options)
    except (config.ConfigError, RegistryError) as exc:
        raise click.ClickException(str(exc)) from None


def with_settings(ctx: config.Context, overrides: tuple[str, ...], **options) -> config.Context:
    """`ctx` with the command's -s NAME=VALUE overrides and other options added."""
    values = {**dict(pair(value, "--set") for value in overrides), **options}
    try:
        return ctx.with_options(values)
    except (config.ConfigError, RegistryError) as exc:
        raise click.ClickException(str(exc)) from None


def registry(ctx: config.Context) -> dict:
    """The sites the configuration names (bundled and user registries), or a one-line error."""
    from crawler.sites import load_registry

    try:
        sites = load_registry(ctx.settings)
        config.check_base_urls(ctx.settings, sites)
    except (config.ConfigError, RegistryError) as exc:
        raise click.ClickException(str(exc)) from None
    return sites


def pair(value: str, option: str) -> tuple[str, str]:
    """NAME=VALUE as (NAME, VALUE); a usage error naming `option` otherwise."""
    name, sep, rest = value.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
    return name, rest


def log_file(data_dir: Path, kind: str) -> Path:
    """DATA_DIR/logs/{kind}-{timestamp}.log for one run's full log."""
    return data_dir / "logs" / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}.log"
