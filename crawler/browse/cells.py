"""Datasette plugin (copied into a plugins directory by `xxgk browse`): coloured coverage cells, short replay links."""

from __future__ import annotations

import re

from datasette import hookimpl
from markupsafe import Markup, escape

from crawler.coverage import COLOURS

YEAR = re.compile(r"^\d{4}$")


@hookimpl
def render_cell(value, column, table, database):
    """A coverage status under a year column as a coloured box; a replay address as a `replay` link."""
    if database != "xxgk" or table is not None:
        return None
    if column == "replay_url" and isinstance(value, str) and value.startswith(("http://", "https://")):
        return Markup(f'<a class="replay" href="{escape(value)}">replay</a>')
    if isinstance(value, str) and value in COLOURS and YEAR.match(str(column)):
        return Markup(f'<span class="coverage {value}" title="{escape(column)}: {value}" style="display:inline-block;'
                      f'min-width:4.8em;color:#fff;background:{COLOURS[value]};padding:0 .3em">{value}</span>')
    return None
