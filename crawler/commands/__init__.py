"""The `xxgk` command line: one module per group of commands, wired here."""

from __future__ import annotations

import click
from sqlalchemy.exc import OperationalError

from crawler.commands import crawl, discover, export, extract, history, schedule, serve, worker
from crawler.errors import XxgkError


class Commands(click.Group):
    """The command group: an XxgkError (bad input, no archive, an unusable configuration) is one line, exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except XxgkError as exc:
            raise click.ClickException(str(exc)) from None
        except OperationalError as exc:
            raise click.ClickException(f"cannot use the database: {database_problem(exc)}") from None


def database_problem(exc: OperationalError) -> str:
    """The driver's own first line (e.g. `connection refused`), without SQLAlchemy's statement and help link."""
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc).splitlines()[0]


@click.group(cls=Commands)
@click.version_option(package_name="xxgk")
def main() -> None:
    """Crawl, archive and extract Chinese government annual disclosure reports."""


for module in (discover, crawl, extract, history, export, schedule, serve, worker):
    for command in module.COMMANDS:
        main.add_command(command)
