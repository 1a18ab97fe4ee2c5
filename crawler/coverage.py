"""Which government published a report for which year: found (HTML, attachment, image only), missing or blocked."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from crawler import database as db

FIRST_YEAR = 2008  # the Regulations on Open Government Information took effect on 1 May 2008
MIN_REPORT_TEXT = 200  # characters of text below which a page or file holds no readable report
# Best evidence first: a year found in several forms shows the most readable one.
STATUSES = ("html", "attachment", "image", "missing", "blocked", "not crawled")
SYMBOLS = {"html": "H", "attachment": "A", "image": "I", "missing": "-", "blocked": "B", "not crawled": "."}
COLOURS = {"html": "#2e7d32", "attachment": "#81c784", "image": "#fdd835", "missing": "#e53935",
           "blocked": "#6a1b9a", "not crawled": "#eeeeee"}
LABELS = {"html": "report page (HTML)", "attachment": "attachment only", "image": "image only",
          "missing": "missing", "blocked": "blocked", "not crawled": "not crawled"}
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]


@dataclass
class Row:
    site: str
    label: str  # the government (or agency) as people name it
    cells: dict[int, str] = field(default_factory=dict)


@dataclass
class Coverage:
    years: list[int]
    rows: list[Row]

    def count(self, status: str) -> int:
        """Cells with this status."""
        return sum(status == value for row in self.rows for value in row.cells.values())


def engine_for(url: str) -> Engine | None:
    """The crawl database, or None when there is none yet (every site then shows as not crawled)."""
    return db.connect(url) if db.exists(url) else None


def found_reports(engine: Engine) -> dict[tuple[str, str | None, int], str]:
    """(site, agency, year) → the most readable form a report was found in."""
    documents, attachments = db.documents, db.attachments
    found: dict[tuple[str, str | None, int], str] = {}

    def note(key: tuple[str, str | None, int], status: str) -> None:
        if key not in found or STATUSES.index(status) < STATUSES.index(found[key]):
            found[key] = status

    with engine.connect() as conn:
        for site, agency, year, length in conn.execute(
                select(documents.c.site, documents.c.agency, documents.c.report_year, func.length(documents.c.text))
                .where(documents.c.report_year.is_not(None))):
            note((site, agency, year), "html" if (length or 0) >= MIN_REPORT_TEXT else "image")
        year = func.coalesce(attachments.c.report_year, documents.c.report_year)
        for site, agency, year_value, kind, length in conn.execute(
                select(attachments.c.site, documents.c.agency, year, attachments.c.kind, func.length(attachments.c.text))
                .select_from(attachments.outerjoin(documents, documents.c.url == attachments.c.document_url))
                .where(year.is_not(None))):
            readable = kind != "image" and (length or 0) >= MIN_REPORT_TEXT
            note((site, agency, year_value), "attachment" if readable else "image")
    return found


def crawl_states(engine: Engine) -> dict[str, str]:
    """Each crawled site's latest finished crawl status (ok, failed, blocked)."""
    crawls = db.crawls
    latest = select(crawls.c.site, func.max(crawls.c.id).label("id")).where(
        crawls.c.finished_at.is_not(None)).group_by(crawls.c.site).subquery()
    with engine.connect() as conn:
        return dict(conn.execute(select(crawls.c.site, crawls.c.status).join(latest, latest.c.id == crawls.c.id)).all())


def default_years(found_years: set[int], today: date | None = None) -> list[int]:
    """2008 to last year, stretched to any year found outside it."""
    last = (today or date.today()).year - 1
    return list(range(min([FIRST_YEAR, *found_years]), max([last, *found_years]) + 1))


def coverage(database_url: str, sites: dict, years: tuple[int, int] | None = None, agencies: bool = False) -> Coverage:
    """The government × year matrix of registry sites (or, with `agencies`, each agency a site's reports name)."""
    engine = engine_for(database_url)
    found = found_reports(engine) if engine else {}
    states = crawl_states(engine) if engine else {}
    span = list(range(years[0], years[1] + 1)) if years else default_years({year for *_, year in found})
    by_cell: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for (name, agency, year), status in found.items():
        by_cell.setdefault((name, year), []).append((agency or "", status))
    rows = []
    for site in sites.values():
        state = states.get(site.name)
        empty = "not crawled" if state is None else "blocked" if state == "blocked" else "missing"
        groups = sorted({agency or "" for name, agency, _ in found if name == site.name}) if agencies else [None]
        for group in groups or [""]:
            row = Row(site.name, group or site.government)
            for year in span:
                statuses = [status for agency, status in by_cell.get((site.name, year), ())
                            if group is None or agency == group]
                row.cells[year] = min(statuses, key=STATUSES.index) if statuses else empty
            rows.append(row)
    return Coverage(span, rows)


def format_table(matrix: Coverage) -> str:
    """The matrix as text: one line per government, one two-character column per year, then a legend."""
    width = max(len(row.site) for row in matrix.rows)
    header = " " * width + "  " + " ".join(f"{year % 100:02d}" for year in matrix.years)
    lines = [header]
    for row in matrix.rows:
        cells = " ".join(f" {SYMBOLS[row.cells[year]]}" for year in matrix.years)
        lines.append(f"{row.site:<{width}}  {cells}  {row.label}")
    lines.append("")
    lines.append("  ".join(f"{SYMBOLS[status]} {LABELS[status]}" for status in STATUSES))
    return "\n".join(lines)


def write_html(matrix: Coverage, path: Path) -> None:
    """A standalone HTML page: the matrix as a table with one colour per status."""
    head = "".join(f"<th>{year}</th>" for year in matrix.years)
    body = []
    for row in matrix.rows:
        cells = "".join(
            f'<td class="{row.cells[y].replace(" ", "-")}" title="{html.escape(f"{row.label} {y}: {LABELS[row.cells[y]]}")}">'
            f"{SYMBOLS[row.cells[y]]}</td>" for y in matrix.years)
        body.append(f"<tr><th>{html.escape(row.label)}<br><small>{html.escape(row.site)}</small></th>{cells}</tr>")
    styles = "".join(f"td.{status.replace(' ', '-')}{{background:{colour}}}" for status, colour in COLOURS.items())
    legend = "".join(f'<span class="key"><i style="background:{COLOURS[s]}"></i>{LABELS[s]}</span>' for s in STATUSES)
    path.write_text(
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>xxgk coverage</title><style>"
        "body{font-family:'Noto Sans CJK SC',sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #fff;padding:2px 6px;text-align:center}th{font-weight:normal;text-align:left}"
        "td{color:#fff;min-width:2.2em}.key{margin-right:1em}.key i{display:inline-block;width:1em;height:1em;"
        f"margin-right:.3em;vertical-align:middle}}{styles}</style></head><body>"
        f"<h1>Annual reports found, by government and year</h1><p>{legend}</p>"
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>\n",
        encoding="utf-8")


def write_png(matrix: Coverage, path: Path) -> None:
    """The matrix drawn with matplotlib: a coloured grid, government names in a CJK font, a legend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    matplotlib.rcParams["font.sans-serif"] = CJK_FONTS
    matplotlib.rcParams["font.family"] = "sans-serif"
    grid = [[STATUSES.index(row.cells[year]) for year in matrix.years] for row in matrix.rows]
    figure, axes = plt.subplots(figsize=(2.5 + 0.42 * len(matrix.years), 1.2 + 0.32 * len(matrix.rows)))
    axes.imshow(grid, cmap=ListedColormap([COLOURS[s] for s in STATUSES]), vmin=0, vmax=len(STATUSES) - 1,
                aspect="auto", interpolation="nearest")
    axes.set_xticks(range(len(matrix.years)), [str(year) for year in matrix.years], rotation=90)
    axes.set_yticks(range(len(matrix.rows)), [row.label for row in matrix.rows])
    axes.set_xticks([x - 0.5 for x in range(1, len(matrix.years))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(matrix.rows))], minor=True)
    axes.grid(which="minor", color="white", linewidth=1)
    axes.tick_params(which="minor", length=0)
    axes.set_title("Annual reports found, by government and year")
    axes.legend(handles=[Patch(color=COLOURS[s], label=LABELS[s]) for s in STATUSES], loc="upper left",
                bbox_to_anchor=(1.01, 1), frameon=False)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
