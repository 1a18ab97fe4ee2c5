"""Each CMS-family spider reads its platform's list markup, as served by the simulated portals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request
from support import crawl_lists, fetch, spider_for

from crawler.items import ListingItem
from crawler.sites import bundled_registry
from spiders.base import ColumnSpider
from spiders.families.hanweb import HanwebJcmsSpider
from spiders.sites import leaf


def first_request(spider: ColumnSpider) -> Request:
    url = spider.url(spider.site.columns[0])
    return spider.list_request(url, column=url, page=1)


def run(callback, response) -> tuple[list[ListingItem], list[Request]]:
    """Split a callback's output into listing items and the list requests it made (not entry requests)."""
    output = list(callback(response))
    listings = [item for item in output if isinstance(item, ListingItem)]
    entry_urls = {entry["url"] for item in listings for entry in item["entries"]}
    requests = [r for r in output if isinstance(r, scrapy.Request) and r.url not in entry_urls]
    return listings, requests


def listed_urls(portal) -> set[str]:
    """What the column lists: reports (by listed URL, i.e. before redirects) and the missing entry."""
    moved = {new: old for old, new in portal.redirects.items()}
    return {moved.get(url, url) for url in portal.report_urls} | set(portal.missing_urls)


PanjinSpider, MingguangSpider, YanjiSpider, ZhangxianSpider = (
    leaf(bundled_registry()[name]) for name in ("panjin", "mingguang", "yanji", "zhangxian"))


@pytest.mark.parametrize("cls", [PanjinSpider, MingguangSpider, YanjiSpider, ZhangxianSpider])
def test_family_walks_the_whole_column(portals, cls):
    spider = spider_for(cls, portals.base_urls)
    portal = portals.portals[spider.name]
    listings, entry_requests = crawl_lists(spider, [first_request(spider)])
    entries = [entry for item in listings for entry in item["entries"]]
    assert {entry["url"] for entry in entries} == listed_urls(portal) == entry_requests
    assert len(entries) == len(entry_requests)  # no entry listed twice
    by_url = {entry["url"]: entry for entry in entries}
    for url, report in portal.reports.items():
        entry = by_url[{v: k for k, v in portal.redirects.items()}.get(url, url)]
        assert entry["title"] == report.title and entry["date"] == report.publish_date
    assert len(listings) >= 3 and all(item["site"] == spider.name for item in listings)


def test_panjin_column_page_yields_year_subcolumns(portals):
    spider = spider_for(PanjinSpider, portals.base_urls)
    listings, requests = run(spider.parse_list, fetch(first_request(spider)))
    assert listings == []
    base = portals.base_urls["panjin"]
    assert [r.url for r in requests] == [f"{base}/html/zfxxgknb{y}/index.html" for y in range(2020, 2014, -1)]
    assert all(r.meta["page"] == 1 and r.meta["column"] == r.url for r in requests)


def test_panjin_year_page_entries_and_next_link(portals):
    spider = spider_for(PanjinSpider, portals.base_urls)
    url = portals.base_urls["panjin"] + "/html/zfxxgknb2018/index_2.html"
    request = spider.list_request(url, column=url.replace("index_2", "index"), page=2, meta={"sub_column": True})
    [listing], [next_page] = run(spider.parse_list, fetch(request))
    assert [e["date"] for e in listing["entries"]] == ["2019-01-23", "2019-01-08"]
    assert listing["entries"][0]["title"] == "兴隆台区2018年度政府信息公开工作报告"
    assert next_page.url.endswith("/html/zfxxgknb2018/index_3.html") and next_page.meta["page"] == 3
    last = spider.list_request(next_page.url, column=request.meta["column"], page=3, meta={"sub_column": True})
    [listing], requests = run(spider.parse_list, fetch(last))
    assert requests == [] and listing["entries"][0]["url"].endswith("/content-180360.html")


def test_anhui_shell_leads_to_label_pages(portals):
    spider = spider_for(MingguangSpider, portals.base_urls)
    listings, [label] = run(spider.parse_list, fetch(first_request(spider)))
    assert listings == []
    query = parse_qs(urlsplit(label.url).query)
    assert urlsplit(label.url).path == "/site/label/8888" and query["pageIndex"] == ["1"]
    assert query["labelName"] == ["publicInfoList"] and query["siteId"] == ["6790931"] and query["catId"] == ["6717391"]
    [listing], pages = run(label.callback, fetch(label))
    assert len(listing["entries"]) == 5 and listing["page"] == 1
    assert listing["entries"][0]["title"] == "明光市管店镇政府信息公开工作二0二三年度报告"
    assert listing["entries"][0]["date"] == "2024-01-25"
    assert [parse_qs(urlsplit(p.url).query)["pageIndex"] for p in pages] == [["2"], ["3"], ["4"]]
    assert [p.meta["page"] for p in pages] == [2, 3, 4]
    [listing], more = run(pages[-1].callback, fetch(pages[-1]))
    assert more == [] and listing["entries"][-1]["url"].endswith("/public/6618851/001.html")


def test_trs_stops_at_create_page_html_count(portals):
    spider = spider_for(YanjiSpider, portals.base_urls)
    [listing], [next_page] = run(spider.parse_list, fetch(first_request(spider)))
    assert next_page.url.endswith("/xxgk/zfxxgknb/index_1.html") and next_page.meta["page"] == 2
    first = listing["entries"][0]
    assert first["url"].endswith("/xxgk/zfxxgknb/202201/t20220126_1865466.html") and first["date"] == "2022-01-26"
    last_url = next_page.url.replace("index_1", "index_3")
    last = spider.list_request(last_url, column=next_page.meta["column"], page=4)
    [listing], requests = run(spider.parse_list, fetch(last))
    assert requests == [] and len(listing["entries"]) == 3
    stub = spider.list_request(last_url.replace("index_3", "index_4"), column=next_page.meta["column"], page=5)
    [listing], requests = run(spider.parse_list, fetch(stub))
    assert listing["entries"] == [] and requests == []


def test_hanweb_reads_datastore_then_posts_dataproxy(portals):
    spider = spider_for(ZhangxianSpider, portals.base_urls)
    [listing], proxies = run(spider.parse_list, fetch(first_request(spider)))
    assert len(listing["entries"]) == 9
    assert "/art/2024/1/22/art_4561_" in listing["entries"][0]["url"]
    assert [urlsplit(p.url).query for p in proxies] == [
        "startrecord=10&endrecord=18&perpage=3", "startrecord=19&endrecord=27&perpage=3"]
    form = parse_qs(proxies[0].body.decode())
    assert proxies[0].method == "POST" and form["columnid"] == ["4561"] and form["unitid"] == ["28367"]
    assert form["webname"] == ["漳县人民政府"] and form["path"] == ["/"]
    [listing], more = run(proxies[1].callback, fetch(proxies[1]))
    assert more == [] and len(listing["entries"]) == 2 and listing["page"] == 3


def test_hanweb_without_jpage_call_still_reads_records():
    spider = spider_for(HanwebJcmsSpider.__subclasses__()[0], {})
    body = ('<div><script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2020/1/2/'
            'art_1_2.html">A</a><span>2020-01-02</span></li>]]></record></recordset></datastore></script></div>')
    request = spider.list_request("http://example.test/col/col1/index.html", column="c", page=1)
    response = HtmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)
    [listing], requests = run(spider.parse_list, response)
    assert listing["entries"] == [{"url": "http://example.test/art/2020/1/2/art_1_2.html", "title": "A",
                                   "date": "2020-01-02"}]
    assert requests == []
