"""The registry and discovery: `xxgk sites`, `xxgk discover`."""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

import click

from crawler import config
from crawler.commands.options import configured, registry, settings_option, with_settings
from crawler.console import plain_table


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site.")
@configured
def sites(as_json: bool, ctx: config.Context) -> None:
    """List the registered sites with their CMS family and report column."""
    rows = []
    for site in registry(ctx).values():
        column = site.url(site.columns[0]) if site.columns else ""
        family = site.family or "generic"
        if as_json:
            click.echo(json.dumps({"name": site.name, "government": site.government, "family": family,
                                   "column": column, "verified": site.verified or None,
                                   "expected_empty": site.expected_empty}, ensure_ascii=False))
        else:
            checked = f"verified {site.verified}" if site.verified else "never verified"
            rows.append((site.name, family, checked, site.government, column))
    if not as_json:
        click.echo(plain_table(("site", "family", "verified", "government", "report column"), rows))


@click.command()
@click.argument("home_url")
@click.option("--name", help="Registry name for the entry (default: from the host name).")
@click.option("--max-pages", type=click.IntRange(min=1), default=40, show_default=True, help="Pages to visit at most.")
@click.option("--allow-private", is_flag=True, help="Allow a private or loopback address (a simulated portal).")
@settings_option
@configured
def discover(home_url: str, name: str | None, max_pages: int, allow_private: bool, overrides: tuple[str, ...],
             ctx: config.Context) -> None:
    """Walk a portal from its home page to its annual-report column; print a registry entry (TOML) for it."""
    from crawler.discover import discover as walk
    from crawler.discover import registry_entry

    if urlsplit(home_url).scheme not in ("http", "https"):
        raise click.BadParameter(f"expected an http(s) URL, got {home_url!r}", param_hint="HOME_URL")
    options = {"XXGK_ALLOW_PRIVATE_HOSTS": [urlsplit(home_url).hostname]} if allow_private else {}
    found = walk(home_url, with_settings(ctx, overrides, **options).settings, max_pages)
    click.echo(f"# family: {found['family'] or 'unknown (generic)'}; columns: {len(found['columns'])}; "
               f"pages visited: {found['pages']}" + (f"; blocked: {found['blocked']}" if found["blocked"] else ""))
    click.echo(registry_entry(found, name))
    if not found["columns"]:
        sys.exit(1)


COMMANDS = [sites, discover]
