"""Coverage: the government × year matrix printed, drawn as PNG and written as HTML from a real crawl."""

from __future__ import annotations

import json
import warnings
from datetime import date

import pytest
from click.testing import CliRunner, Result
from lxml import html
from PIL import Image
from sqlalchemy import insert
from support import Store, copy_store, query

from crawler import database as db
from crawler.commands import main
from crawler.coverage import COLOURS
from crawler.sites import load_registry

FOUND = {"H", "A", "I"}


def xxgk(*args: str) -> Result:
    """`xxgk …` run in this process; any warning (a glyph missing from the fonts) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return CliRunner().invoke(main, list(args))




@pytest.fixture(scope="module")
def covered(crawled, tmp_path_factory, request) -> Store:
    """The crawl, plus a registry site whose crawl met an anti-bot wall (as CrawlHealth records one)."""
    store = copy_store(crawled, tmp_path_factory.mktemp("covered") / "data", request)
    with store.engine().begin() as conn:
        conn.execute(insert(db.crawls).values(site="hangzhou", started_at="2026-01-01T00:00:00+00:00",
                                              finished_at="2026-01-01T00:01:00+00:00", status="blocked",
                                              summary={"status": "blocked", "blocked": 3}))
    return store


def years_found(store: Store) -> dict[str, set[int]]:
    """Report years each site's crawl counted (the spider's own tally in the crawl summary)."""
    return {site: {int(year) for year in json.loads(summary)["years"]}
            for site, summary in query(store, "SELECT site, summary FROM crawls WHERE site != 'hangzhou'")}


def test_the_printed_matrix_marks_found_missing_blocked_and_never_crawled(covered):
    result = xxgk("coverage", *covered.args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    years = [2000 + int(cell) for cell in lines[0].split()]
    assert years[0] == 2008 and years[-1] == date.today().year - 1
    rows = {line.split()[0]: line.split()[1:1 + len(years)] for line in lines[1:] if line.strip() and
            line.split()[0] in load_registry()}
    assert set(rows) == set(load_registry()), "one row per registry site"
    for site, found in years_found(covered).items():
        assert found, site
        for year, symbol in zip(years, rows[site], strict=True):
            assert (symbol in FOUND) == (year in found), f"{site} {year}: {symbol}"
            assert symbol in FOUND | {"-"}
    assert rows["mingguang"][years.index(2012)] == "A", "mingguang's 2012 report is only in its PDF"
    assert set(rows["hangzhou"]) == {"B"} and set(rows["gov_cn"]) == {"."}


def test_the_png_is_drawn_in_every_status_colour_with_chinese_names(covered, tmp_path):
    out = tmp_path / "coverage.png"
    result = xxgk("coverage", *covered.args, "--out", str(out))
    assert result.exit_code == 0 and f"wrote {out}" in result.output, result.output
    image = Image.open(out).convert("RGB")
    assert image.width > 600 and image.height > 26 * 20
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    for status in ("html", "attachment", "missing", "blocked", "not crawled"):
        hex_colour = COLOURS[status].lstrip("#")
        assert tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4)) in colours, status


def test_the_html_table_has_a_coloured_cell_per_site_and_year(covered, tmp_path):
    out = tmp_path / "coverage.html"
    assert xxgk("coverage", *covered.args, "--out", str(out)).exit_code == 0
    page = html.fromstring(out.read_text(encoding="utf-8"))
    rows = page.xpath("//tbody/tr")
    assert len(rows) == len(load_registry())
    years = [int(year) for year in page.xpath("//thead/tr/th/text()")]
    by_site = {row.xpath("string(th/small)"): row.xpath("td/@class") for row in rows}
    assert by_site["mingguang"][years.index(2012)] == "attachment"
    assert by_site["mingguang"][years.index(2009)] == "html"
    assert set(by_site["hangzhou"]) == {"blocked"} and set(by_site["gov_cn"]) == {"not-crawled"}
    assert "盘锦市人民政府" in page.xpath("string(//tbody)")


def test_agency_rows_split_a_site_by_the_agencies_its_reports_name(covered):
    result = xxgk("coverage", *covered.args, "--agencies", "--years", "2019-2022")
    assert result.exit_code == 0
    zhangxian = {line.split()[-1]: line.split()[1:5] for line in result.stdout.splitlines()
                 if line.startswith("zhangxian")}
    assert zhangxian["漳县卫生健康局"] == ["-", "-", "H", "-"]
    assert zhangxian["漳县"] == ["H", "H", "H", "H"]
    assert xxgk("coverage", *covered.args, "--out", str(covered.data_dir / "c.pdf")).exit_code == 2
