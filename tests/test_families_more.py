"""The added CMS families and the generic spider read their simulated portals' columns completely."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import scrapy
from support import crawl_lists, fetch, spider_for

from crawler.items import ListingItem
from crawler.middlewares.traps import strip_session_ids
from crawler.simulator import SimulatedPortals
from crawler.simulator.portals import ALL_BUILDERS
from crawler.sites import load_registry
from spiders.base import report_year, stitch_pages
from spiders.families.gkmlpt import find_category, parse_tree
from spiders.generic import GenericSpider, create_page_call
from spiders.sites import leaf

NEW_SITES = ("hangzhou", "mohrss", "zhuhai", "arongqi", "nx_wsjkw", "gov_cn", "hnxxjkq")
SIMULATED = tuple(name for name in ALL_BUILDERS if name not in ("zongyang", "hebei"))


@pytest.fixture(scope="module")
def sim():
    with SimulatedPortals(list(SIMULATED)) as portals:
        yield portals


def served_entries(portal) -> set[str]:
    """What a complete walk finds: every linked report page, plus reports published only as a file."""
    files = {url for url in portal.attachment_urls if "/u/cms/" in url}
    return set(portal.report_urls) | files


@pytest.mark.parametrize("site", NEW_SITES)
def test_family_spider_walks_the_whole_column(sim, site):
    spider = spider_for(leaf(load_registry()[site]), sim.base_urls)
    listings, requested = crawl_lists(spider, limit=61)
    listed = [entry for item in listings for entry in item["entries"]]
    assert {strip_session_ids(url) for url in requested} == served_entries(sim.portals[site])
    assert len(listed) == len({e["url"] for e in listed})  # no entry listed twice, traps included
    titles = {strip_session_ids(e["url"]): e for e in listed}
    for url, report in sim.portals[site].reports.items():
        assert titles[url]["title"] == report.title and titles[url]["date"] == report.publish_date


def test_hanweb_xxgk_rows_carry_metadata_and_pages_by_currpage(sim):
    spider = spider_for(leaf(load_registry()["hangzhou"]), sim.base_urls)
    column = spider.url(spider.site.columns[0])
    [search] = list(spider.parse_list(fetch(spider.list_request(column, column=column, page=1))))
    assert search.method == "POST" and "currpage=1" in search.url
    assert b"infotypeId=C0201" in search.body and b"area=002489580" in search.body
    output = list(search.callback(fetch(search)))
    [listing] = [o for o in output if isinstance(o, ListingItem)]
    assert all(e["index_no"] and e["date"] for e in listing["entries"]) and len(listing["entries"]) == 4
    pages = [o for o in output if isinstance(o, scrapy.FormRequest) and o.callback == spider.parse_search]
    assert [urlsplit(p.url).query.count("currpage=") for p in pages] == [1] * 4
    assert "currpage=5" in pages[-1].url


def test_gkmlpt_reads_sid_and_report_category_from_config(sim):
    spider = spider_for(leaf(load_registry()["zhuhai"]), sim.base_urls)
    column = spider.url("/gkmlpt/index")
    [api] = list(spider.parse_list(fetch(spider.list_request(column, column=column, page=1))))
    assert urlsplit(api.url).path == "/gkmlpt/api/all/2620" and urlsplit(api.url).query == "page=1&sid=756001"
    tree = parse_tree("window._CONFIG = {SID: '2', TREE: [{\"id\": 5, \"name\": \"政策\", \"children\": "
                      "[{\"id\": 9, \"name\": \"政府信息公开年度报告\", \"children\": []}]}], X: 1};")
    assert find_category(tree) == "9" and find_category([]) is None


def test_trs_split_article_is_one_document_holding_every_part(sim):
    portal = sim.portals["mohrss"]
    spider = spider_for(leaf(load_registry()["mohrss"]), sim.base_urls)
    split = next(url for url in portal.report_urls if url.replace(".html", "_1.html") in portal.part_urls)
    request = scrapy.Request(split, callback=spider.parse_detail, meta={"column": "c", "entry": {"title": "t"}})
    output = list(spider.parse_detail(fetch(request)))
    while isinstance(output[0], scrapy.Request) and output[0].callback == spider.parse_detail:
        output = list(spider.parse_detail(fetch(output[0])))
    [document] = [item for item in output if not isinstance(item, scrapy.Request)]  # after its attachments' requests
    report = portal.reports[split]
    assert document["url"] == split and spider.crawler.stats.get_value("xxgk/split_documents") == 1
    text = "".join(document["html"].split())
    assert all("".join(block.split()) in text for block in report.blocks if isinstance(block, str))
    assert document["attachments"] == [portal.url(h) for h, _ in report.attachments]


@pytest.mark.parametrize("site", SIMULATED)
def test_generic_spider_on_every_simulated_portal(sim, site):
    """Server-rendered columns are read completely; JavaScript-fed lists (anhui, gkmlpt) yield nothing false."""
    registered = load_registry()[site]
    cls = type("G", (GenericSpider,), {"name": site, "site": registered})
    listings, requested = crawl_lists(spider_for(cls, sim.base_urls), limit=61)
    found = {strip_session_ids(url) for url in requested}
    portal = sim.portals[site]
    expected = served_entries(portal)
    if site in ("mingguang", "zhuhai"):
        assert found == set()
    elif site == "zhangxian":  # the records embedded in the page; later groups need dataproxy.jsp
        assert len(found) == 9 and found <= expected | set(portal.redirects) | set(portal.missing_urls)
    elif site == "hangzhou":  # rows come through the year pages (xxgkAnnualReport.jsp), read as sub-columns
        annual = {url for url in found if "xxgkAnnualReport" in url}
        assert len(annual) == 9 and found - annual == set()
    else:
        assert expected - set(portal.redirects.values()) <= found
        assert found <= expected | set(portal.redirects) | set(portal.missing_urls)


def test_report_year_reads_arabic_and_chinese_numerals():
    assert report_year("漳县2019年政府信息公开工作年度报告") == 2019
    assert report_year("明光市管店镇政府信息公开工作二0二三年度报告") == 2023
    assert report_year("二〇一〇年一月四日") == 2010 and report_year("政府信息公开年报") is None


def test_stitch_pages_appends_later_bodies_to_the_first_container():
    pages = ['<html><body><div class="TRS_Editor"><p>one</p></div><div>foot</div></body></html>',
             '<html><body><div class="TRS_Editor"><p>two</p></div></body></html>']
    html = stitch_pages(pages, "//div[@class='TRS_Editor']")
    assert html.index("one") < html.index("two") < html.index("foot")


def test_create_page_call_trs_and_gov_cn_styles():
    assert create_page_call('createPageHTML(4, 0, "index", "html");') == (4, "index", "html")
    assert create_page_call("createPageHTML('page_div', 3, 1, 'home', 'htm', 15);") == (3, "home", "htm")
    assert create_page_call("nothing here") is None
