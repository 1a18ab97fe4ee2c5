"""The simulated portals some weeks later, as report columns change in real life: a figure corrected in the newest
report (a republished page, same address), an item retitled in the column (（更正） added), the oldest report
withdrawn (its page now answers 404). `xxgk demo --later` crawls them so, so that `xxgk changes` and `xxgk diff`
have something to show."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.simulator.server import Portal

NUMBER = re.compile(r"(?<![\d.])([1-9]\d+)(?=[条件个次人篇项份期])")  # a count with its measure word, never a year
CORRECTED = "（更正）"


def corrected(number: str) -> str:
    """The figure as corrected: its last two digits swapped (a typing slip), or its last digit raised where that
    changes nothing or would lead with a 0."""
    swapped = number[:-2] + number[-1] + number[-2]
    if swapped != number and not swapped.startswith("0"):
        return swapped
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def reports_newest_first(portal: Portal) -> list[str]:
    """The portal's report pages served at the address its column lists, newest first."""
    moved = set(portal.redirects.values())
    listed = [url for url in portal.report_urls if url not in moved]
    return sorted(listed, key=lambda url: (portal.reports[url].publish_date, url), reverse=True)


def later(portal: Portal) -> list[str]:
    """Make the changes on one portal; one line per change, as a user would say it."""
    reports = reports_newest_first(portal)
    if len(reports) < 3:
        return []
    said = []
    newest, second, oldest = reports[0], reports[1], reports[-1]
    paragraphs = [block for block in portal.reports[newest].blocks if isinstance(block, str)]
    figure = next((match.group(1) for text in paragraphs[1:] for match in NUMBER.finditer(text)), None)
    if figure:
        portal.edit(figure, corrected(figure), urlsplit(newest).path)
        said.append(f"{portal.name}: {newest} corrected: {figure} -> {corrected(figure)}")
    title = portal.reports[second].title
    portal.retitle(title, title + CORRECTED)
    said.append(f"{portal.name}: {second} retitled in the column: {title}{CORRECTED}")
    portal.take_down(oldest)
    said.append(f"{portal.name}: {oldest} withdrawn (404)")
    return said
