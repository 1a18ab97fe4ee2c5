"""The registry and discovery: `xxgk sites`, `xxgk discover`."""

from __future__ import annotations

import json
from pathlib import Path
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
@click.option("--name", help="Registry name for the entry (default: the pinyin of the government's place).")
@click.option("--max-pages", type=click.IntRange(min=1), default=40, show_default=True, help="Pages to visit at most.")
@click.option("--allow-private", is_flag=True, help="Allow a private or loopback address (a simulated portal).")
@click.option("--add", is_flag=True, help="Write the entry into the user registry (DATA_DIR/sites.toml, or --registry).")
@click.option("--registry", "registry_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The registry file --add writes to [default: the last XXGK_REGISTRY file, else DATA_DIR/sites.toml].")
@settings_option
@configured
def discover(home_url: str, name: str | None, max_pages: int, allow_private: bool, add: bool,
             registry_file: Path | None, overrides: tuple[str, ...], ctx: config.Context) -> None:
    """Walk a portal from its home page to its annual-report column; print a registry entry (TOML) for it, and with
    --add write it into the user registry, where `xxgk sites`, `xxgk crawl` and the scheduler find it."""
    from crawler.sites import add_site, toml_entry, user_registry_path
    from spiders.discover import discover as walk
    from spiders.discover import entry_values

    if urlsplit(home_url).scheme not in ("http", "https") or not urlsplit(home_url).hostname:
        raise click.BadParameter(f"expected an http(s) URL, got {home_url!r}", param_hint="HOME_URL")
    options = {"XXGK_ALLOW_PRIVATE_HOSTS": [urlsplit(home_url).hostname]} if allow_private else {}
    if registry_file and registry_file.exists():  # its names are taken; a new file is created by --add
        options["XXGK_REGISTRY"] = [*ctx.settings.getlist("XXGK_REGISTRY"), str(registry_file)]
    ctx = with_settings(ctx, overrides, **options)
    sites = registry(ctx)  # a broken registry is reported before the walk, not after it
    found = walk(home_url, ctx.settings, max_pages)
    click.echo(f"# family: {found['family'] or 'unknown (generic)'}; columns: {len(found['columns'])}; "
               f"pages visited: {found['pages']}" + (f"; blocked: {found['blocked']}" if found["blocked"] else ""))
    values = entry_values(found, name, allow_private)
    if not found["columns"]:
        click.echo(toml_entry(values))
        raise click.ClickException("no report column found" + (" (the portal blocked the walk)" if found["blocked"]
                                                                else ": name it by hand in the entry above"))
    if add:
        path = registry_file or user_registry_path(ctx.settings)
        values["name"] = add_site(path, values, taken=set(sites))
        click.echo(toml_entry(values))
        click.echo(f"# added as {values['name']!r} to {path}")
    else:
        click.echo(toml_entry(values))


COMMANDS = [sites, discover]
