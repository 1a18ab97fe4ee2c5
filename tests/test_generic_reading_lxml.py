"""Generic reading's list test runs on the lxml tree: what it finds is what reading through parsel found."""

from __future__ import annotations

from pathlib import Path

from parsel import Selector
from scrapy.http import HtmlResponse

from spiders.generic import is_report_title, link_title, own_text, report_links, row_fields

TESTS = Path(__file__).resolve().parent
PAGES = sorted([*(TESTS / "files").glob("*.html"), *(TESTS / "eval").rglob("*.html")])[:400]
EXTRA = ["<html><body><a href='/a/2023.html'>2023年政府信息公开工作年度报告</a>x</body></html>",
         "<html><body><p>text</p></body></html><p>after the end</p><a href='x'>link</a>",
         "<html><head><title>t</title></head><body><select><option>2020年</option></select>"
         "<a href='/r.html' title='2021年度报告'>more</a><script>var a='b';</script>正文</body></html>"]


def parsel_own_text(page: Selector) -> str:
    text = "".join(page.xpath("//text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)"
                              " and not(ancestor::head) and not(ancestor::select) and not(ancestor::option)]").getall())
    return "".join(text.split())


def parsel_report_links(page: Selector, response) -> list[dict]:
    entries: dict[str, dict] = {}
    for link in page.xpath("//a[@href]"):
        href = link.attrib["href"].strip()
        title = link_title(link)
        if href.startswith(("javascript:", "#", "mailto:")) or not is_report_title(title):
            continue
        url = response.urljoin(href)
        if url == response.url or url in entries:
            continue
        entries[url] = {"url": url, "title": title, **row_fields(link)}
    return list(entries.values())


def test_own_text_and_report_links_equal_parsel_reading():
    bodies = [path.read_bytes() for path in PAGES] + [html.encode("utf-8") for html in EXTRA]
    assert len(bodies) > 20
    found_links = 0
    for n, body in enumerate(bodies):
        response = HtmlResponse(f"http://a.example/c/{n}.html", body=body, encoding="utf-8")
        page = response.selector
        assert own_text(page) == parsel_own_text(page), n
        links = report_links(page, response)
        assert links == parsel_report_links(page, response), n
        found_links += len(links)
    assert found_links > 0
