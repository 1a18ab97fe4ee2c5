"""The `xxgk` command line: one module per group of commands, wired here."""

from __future__ import annotations

import click

from crawler.commands import crawl, discover, export, extract, history, schedule, serve


@click.group()
@click.version_option(package_name="xxgk")
def main() -> None:
    """Crawl, archive and extract Chinese government annual disclosure reports."""


for module in (discover, crawl, extract, history, export, schedule, serve):
    for command in module.COMMANDS:
        main.add_command(command)
