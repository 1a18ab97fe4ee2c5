"""Options and helpers shared by the command modules."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's INFO log on the console.")
data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"), show_default=True,
    help="Where the archive (warc/) and the database live.",
)


def pair(value: str, option: str) -> tuple[str, str]:
    """NAME=VALUE as (NAME, VALUE); a usage error naming `option` otherwise."""
    name, sep, rest = value.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
    return name, rest


def log_file(data_dir: Path, kind: str) -> Path:
    """DATA_DIR/logs/{kind}-{timestamp}.log for one run's full log."""
    return data_dir / "logs" / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}.log"
