"""The generic spider: a report column of an unknown platform, read by heuristics.

Entries are links whose text names a report and a year (2019年…年度报告, 二〇一九年度…报告) or files so named;
list pages continue through 下一页 / 下页 links, numbered `page=N` / `index_N` links and TRS-style
createPageHTML(…) calls; `2019年`-titled links on the column page are year sub-columns. A "report" that turns out
to list further reports is read as a sub-column, and paging stops when a page brings nothing new (pagination traps).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Response

from spiders.base import ColumnSpider, is_attachment, report_year

REPORT_RE = re.compile(r"年报|年度报告|工作报告|公开报告|年度.*报告")
YEAR_COLUMN_RE = re.compile(r"^(?:19|20)\d{2}\s*年度?$")
NEXT_WORDS = ("下一页", "下页", "后页", "下一頁", "next", "Next")
NEXT_TEXTS = {*NEXT_WORDS, ">", "›", "»"}  # arrows last: calendar widgets page by arrows too
CDATA_RE = re.compile(r"<!\[CDATA\[|\]\]>")
XML_SCRIPT_RE = re.compile(r"<script[^>]*type=[\"']text/xml[\"'][^>]*>(.*?)</script>", re.S | re.I)
DATE_RE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}")
PAGE_NUMBER_RE = re.compile(r"(?:[?&](?:page|pagenum|pageno|currpage|pageindex|p)=(\d+)|_(\d+)\.s?html?$)", re.I)
CREATE_PAGE_RE = re.compile(r"createPageHTML\(([^)]*)\)")
MIN_BODY_TEXT = 300  # a report page says more than this outside its links


class GenericSpider(ColumnSpider):
    """Heuristic column reader for portals of no known family."""

    family = "generic"

    def parse_list(self, response: Response) -> Iterator:
        page = self.selector(response)
        seen = set(response.meta.get("xxgk_seen", ()))
        entries = [e for e in report_links(page, response) if e["url"] not in seen]
        fresh = {e["url"] for e in entries}
        yield from self.follow_entries(response, entries)
        if not response.meta.get("sub_column") and response.meta["page"] == 1:
            for url in year_columns(page, response):
                yield self.list_request(url, column=url, page=1, meta={"sub_column": True})
        if not fresh and response.meta["page"] > 1:
            self.crawler.stats.inc_value("xxgk/traps/no_new_entries")
            return
        meta = {"sub_column": response.meta.get("sub_column", False), "xxgk_seen": tuple(seen | fresh)}
        for number, url in enumerate(next_pages(page, response), response.meta["page"] + 1):
            yield self.list_request(url, column=response.meta["column"], page=number, meta=meta)

    def parse_detail(self, response: Response) -> Iterator:
        """A report page, unless it lists reports itself: then it is a sub-column (e.g. a year page)."""
        if not is_attachment(response.url) and looks_like_list(self.selector(response), response):
            self.crawler.stats.inc_value("xxgk/generic/sub_columns_found")
            response.meta.update(column=response.url, page=1, sub_column=True)
            yield from self.parse_list(response)
            return
        yield from super().parse_detail(response)

    def next_part(self, response: Response) -> str | None:
        """A split article's next page, from a createPageHTML(count, current, "t…", "html") pager under the text."""
        pager = create_page_call(response.text)
        if not pager:
            return None
        count, name, ext = pager
        filename = urlsplit(response.url).path.rsplit("/", 1)[-1]
        match = re.fullmatch(rf"{re.escape(name)}(?:_(\d+))?\.{re.escape(ext)}", filename)
        if not match:
            return None
        current = int(match.group(1) or 0)
        return response.urljoin(f"{name}_{current + 1}.{ext}") if current + 1 < count else None

    def selector(self, response: Response) -> Selector:
        """The page with CDATA sections opened, so records hidden in <script type="text/xml"> become links."""
        text = response.text
        if "<![CDATA[" not in text:
            return response.selector
        return Selector(text=CDATA_RE.sub("", XML_SCRIPT_RE.sub(r"<div>\1</div>", text)))


def link_title(link: Selector) -> str:
    return (link.attrib.get("title") or " ".join(link.xpath("string()").get("").split())).strip()


def report_links(page: Selector, response: Response) -> list[dict]:
    """Links titled as a report of some year, with the date printed next to them."""
    entries: dict[str, dict] = {}
    for link in page.xpath("//a[@href]"):
        href = link.attrib["href"].strip()
        title = link_title(link)
        if href.startswith(("javascript:", "#", "mailto:")) or not REPORT_RE.search(title) or not report_year(title):
            continue
        url = response.urljoin(href)
        if url == response.url or url in entries:
            continue
        row = link.xpath("ancestor::li[1] | ancestor::tr[1] | ancestor::div[1]")
        dates = DATE_RE.findall(row[-1].xpath("string()").get("")) if row else []
        date = re.sub(r"[/.年月]", "-", dates[0]) if dates else None
        entries[url] = {"url": url, "title": title, "date": date}
    return list(entries.values())


def year_columns(page: Selector, response: Response) -> list[str]:
    """Year sub-columns linked from a column page (`2018年`, `2018年度`)."""
    urls = (response.urljoin(a.attrib["href"]) for a in page.xpath("//a[@href]")
            if YEAR_COLUMN_RE.match(link_title(a)) and not a.attrib["href"].startswith("javascript:"))
    return [url for url in dict.fromkeys(urls) if url != response.url]


def next_pages(page: Selector, response: Response) -> list[str]:
    """The next list page(s): a 下一页 link (words before arrows), else the next numbered link, else every page a
    createPageHTML names."""
    labelled = []
    for link in page.xpath("//a[@href]"):
        href, label = link.attrib["href"].strip(), link.xpath("normalize-space()").get("")
        if label in NEXT_TEXTS and not href.startswith(("javascript:", "#")):
            labelled.append((label not in NEXT_WORDS, response.urljoin(href)))
    if labelled:
        url = min(labelled, key=lambda found: found[0])[1]
        return [url] if url != response.url else []
    current = page_number(response.url)
    numbered = sorted({(page_number(response.urljoin(h)), response.urljoin(h)) for h in page.xpath("//a/@href").getall()
                       if PAGE_NUMBER_RE.search(h)})
    later = [url for number, url in numbered if number == current + 1]
    if later:
        return later[:1]
    pager = create_page_call(response.text)
    if pager and response.meta.get("page") == 1:
        count, name, ext = pager
        if urlsplit(response.url).path.endswith(f"/{name}.{ext}"):
            return [response.urljoin(f"{name}_{n}.{ext}") for n in range(1, count)]
    return []


def page_number(url: str) -> int:
    """The page number a list URL carries (page=N, index_N), 0 when none."""
    match = PAGE_NUMBER_RE.search(url)
    return int(match.group(1) or match.group(2)) if match else 0


def create_page_call(text: str) -> tuple[int, str, str] | None:
    """(page count, page name, extension) of a createPageHTML(…) call, TRS or gov.cn style."""
    for match in CREATE_PAGE_RE.finditer(text):
        args = [a.strip() for a in match.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        names = [a.strip("'\"") for a in args if a[:1] in "'\""]
        if numbers and len(names) >= 2 and names[-1].isalpha():
            return numbers[0], names[-2], names[-1]
    return None


def looks_like_list(page: Selector, response: Response) -> bool:
    """Two or more report links, or one and hardly any text of its own: a list, not a report."""
    links = report_links(page, response)
    if len(links) >= 2:
        return True
    if not links:
        return False
    text = "".join(page.xpath("//body//text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)]")
                   .getall())
    return len("".join(text.split())) < MIN_BODY_TEXT
