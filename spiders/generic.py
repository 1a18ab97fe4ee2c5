"""The generic spider: a report column of an unknown platform, read as its page and its scripts would show it.

Entries are links (or onclick rows) titled as a report of some year (2019年…年度报告, 二〇一九年度…报告), files so
named included, with what the list row says about them (date, and 索引号 / 发布机构 / 文号 under a header row);
records hidden in `<script type="text/xml">` CDATA are read as links. A column page that lists nothing but whose
script fetches its list (an $.ajax / fetch / XHR call) has that endpoint read as JSON (or as an HTML fragment);
a frame shell has its frames read. List pages continue through 下一页 links, numbered `page=N` / `index_N` links,
TRS-style `createPageHTML(…)` and `countPage` pagers, and pager calls that exist only in script (`gotopage(2)`,
`_gotoPage(…)`: the URL the function builds, or the form it submits). `2019年`-titled links on the column page are
year sub-columns; a "report" that lists further reports is read as a sub-column, never stored as a report; paging
stops when a page brings nothing new (pagination traps).

The same reading is the fallback of every family spider (spiders/base.py): a column page its family's reader got
nothing from is read this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from parsel import Selector
from scrapy.http import Response

from crawler.fields import BY_LABEL, LABELS
from spiders import scripts
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
COUNT_PAGE_RE = re.compile(r"\bcountPage\s*=\s*(\d+)")
INDEX_NAME_RE = re.compile(r"""["'](\w+)["']\s*\+\s*["']_["']""")  # "index"+"_" + n + "."+"html"
MIN_BODY_TEXT = 300  # a report page says more than this outside its links
MAX_LIST_TEXT = 1500
MIN_NAVIGATION_LINKS = 10  # a page of this many links or more, with less text than they carry, is navigation  # a list page of several reports says less than this outside its links
ROW_FIELDS = {"index_no": "index_no", "issuer": "publisher", "doc_number": "doc_number", "title": "title",
              "publish_date": "date", "written_date": "written_date"}


class GenericSpider(ColumnSpider):
    """Heuristic column reader for portals of no known family."""

    family = "generic"

    def parse_list(self, response: Response) -> Iterator:
        yield from read_list(self, response)

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


# -- reading a list page -------------------------------------------------------------------------------------

def read_list(spider: ColumnSpider, response: Response) -> Iterator:
    """One list page read generically: its ListingItem and entries, then its sub-columns, frames or list endpoint,
    and its next page."""
    entries, requests = generic_reading(spider, response)
    if not entries and response.meta["page"] > 1:
        spider.crawler.stats.inc_value("xxgk/traps/no_new_entries")
    yield from spider.follow_entries(response, entries)
    yield from requests


def generic_reading(spider: ColumnSpider, response: Response) -> tuple[list[dict], list[scrapy.Request]]:
    """What a list page shows read generically, without side effects: its new entries, and requests for its
    sub-columns, frames or list endpoint and next page (none past a page that brought nothing new)."""
    page = selector(response)
    meta = response.meta
    seen = set(meta.get("xxgk_seen", ()))
    entries = [e for e in list_entries(page, response) if e["url"] not in seen]
    fresh = {e["url"] for e in entries}
    sources = [] if entries else list_sources(spider, page, response)
    requests = list(sources)
    if not meta.get("sub_column") and meta["page"] == 1:
        requests += [generic_request(spider, url, column=url, page=1, meta={"sub_column": True})
                     for url in year_columns(page, response)]
    if not fresh and (meta["page"] > 1 or sources):
        return entries, requests
    carried = {"sub_column": meta.get("sub_column", False), "xxgk_seen": tuple(seen | fresh)}
    requests += next_requests(spider, page, response, carried)
    if not entries and not requests and meta["page"] == 1:
        requests += browser_request(spider, meta.get("xxgk_page_url") or response.url, meta)
    return entries, requests


def browser_request(spider: ColumnSpider, url: str, meta: dict) -> list[scrapy.Request]:
    """The column page loaded in headless Chromium, once, when reading its markup and scripts found no list: the
    DOM its scripts build is read like a page (every response the browser got is archived). [] when browsers
    are off (XXGK_BROWSER_ENABLED, XXGK_BROWSER_LISTS), for a page a browser built already, or outside a crawl."""
    settings = getattr(spider.crawler, "settings", None)
    if settings is None or meta.get("playwright") or not (settings.getbool("XXGK_BROWSER_ENABLED")
                                                          and settings.getbool("XXGK_BROWSER_LISTS")):
        return []
    loaded = spider.__dict__.setdefault("browser_loaded", set())
    if url in loaded:
        return []
    loaded.add(url)
    spider.crawler.stats.inc_value("xxgk/generic/browser_lists")
    return [generic_request(spider, url, column=meta["column"], page=1, dont_filter=True,
                            meta={"sub_column": meta.get("sub_column", False), "xxgk_source": "browser",
                                  "playwright": True, "download_slot": "xxgk-browser"})]


def generic_request(spider: ColumnSpider, url: str, column: str, page: int, meta: dict | None = None,
                    **kwargs) -> scrapy.Request:
    """A list page to read generically, whichever spider asks (a family spider falling back too)."""
    return spider.list_request(url, column=column, page=page, meta={**(meta or {}), "xxgk_generic": True}, **kwargs)


def selector(response: Response) -> Selector:
    """The page with CDATA sections opened, so records hidden in <script type="text/xml"> become links."""
    text = response.text
    if "<![CDATA[" not in text:
        return response.selector
    return Selector(text=CDATA_RE.sub("", XML_SCRIPT_RE.sub(r"<div>\1</div>", text)))


def link_title(link: Selector) -> str:
    return (link.attrib.get("title") or " ".join(link.xpath("string()").get("").split())).strip()


def _title(link: etree._Element) -> str:
    """link_title() of an lxml element."""
    return (link.get("title") or " ".join(link.xpath("string()").split())).strip()


def list_entries(page: Selector, response: Response) -> list[dict]:
    """Report links and onclick rows, with what their rows say."""
    entries = {e["url"]: e for e in report_links(page, response)}
    for entry in onclick_entries(page, response):
        entries.setdefault(entry["url"], entry)
    return list(entries.values())


def report_links(page: Selector, response: Response) -> list[dict]:
    """Links titled as a report of some year, with the date and the labelled cells of their row."""
    entries: dict[str, dict] = {}
    for link in LINKS(page.root):  # on the lxml tree: a Selector only for a report link (its row is read)
        href = link.get("href").strip()
        title = _title(link)
        if href.startswith(("javascript:", "#", "mailto:")) or not is_report_title(title):
            continue
        url = response.urljoin(href)
        if url == response.url or url in entries:
            continue
        entries[url] = {"url": url, "title": title, **row_fields(Selector(root=link, type=page.type))}
    return list(entries.values())


def is_report_title(title: str) -> bool:
    return bool(REPORT_RE.search(title)) and report_year(title) is not None


def onclick_entries(page: Selector, response: Response) -> list[dict]:
    """Rows and links whose only way to the report is a script call (`onclick="openDoc('123')"`)."""
    defined = None  # the page's functions, read once a call may lead to a report
    entries = []
    for element, call in scripts.script_calls(page):
        title = element_title(element)
        if not is_report_title(title):
            continue
        if defined is None:
            defined = scripts.functions(page)
        action = scripts.resolve(call, defined)
        if action and action.url:
            entries.append({"url": response.urljoin(action.url), "title": title, **row_fields(element)})
    return entries


def element_title(element: Selector) -> str:
    """A row's or link's title: its title attribute, else the text of its cell that names a report, else its text."""
    if element.attrib.get("title"):
        return element.attrib["title"].strip()
    cells = [" ".join(c.xpath("string()").get("").split()) for c in element.xpath("./td | ./span | ./a | ./div")]
    named = [c for c in cells if is_report_title(c)]
    return named[0] if named else " ".join(element.xpath("string()").get("").split())


def row_fields(element: Selector) -> dict:
    """The date printed in an entry's row and, in a table with a header row, its labelled cells (索引号,
    发布机构, 文号, 发布日期…) under their field names; under a header the date is the 发布日期 column's only."""
    rows = element.xpath("ancestor-or-self::tr[1] | ancestor::li[1]")
    row = rows[-1] if rows else (element.xpath("ancestor::div[1]") or [element])[-1]
    dates = DATE_RE.findall(row.xpath("string()").get(""))
    fields = {"date": normal_date(dates[0]) if dates else None}
    labels = header_labels(row) if row.root.tag == "tr" else []
    if labels:
        fields["date"] = None
    for label, cell in zip(labels, row.xpath("./td | ./th"), strict=False):
        key = ROW_FIELDS.get(getattr(BY_LABEL.get(label), "key", ""), "")
        value = " ".join(cell.xpath("string()").get("").split())
        if key and value and key != "title":
            fields[key] = normal_date(value) if key.endswith("date") and DATE_RE.search(value) else value
    return fields


def header_labels(row: Selector) -> list[str]:
    """The canonical labels of the header row of a row's table (th cells, or a first row of labels)."""
    table = row.xpath("ancestor::table[1]")
    if not table:
        return []
    header = table[0].xpath(".//tr[th][1]") or table[0].xpath(".//tr[1]")
    if not header:
        return []
    labels = [re.sub(r"[\s\u3000:：]", "", " ".join(c.xpath("string()").get("").split()))
              for c in header[0].xpath("./th | ./td")]
    canonical = [LABELS.get(label, "") for label in labels]
    return canonical if sum(bool(c) for c in canonical) >= 2 else []


def normal_date(text: str) -> str:
    return re.sub(r"[/.年月]", "-", DATE_RE.search(text).group(0)) if DATE_RE.search(text) else text


def year_columns(page: Selector, response: Response) -> list[str]:
    """Year sub-columns linked from a column page (`2018年`, `2018年度`)."""
    urls = (response.urljoin(a.attrib["href"]) for a in page.xpath("//a[@href]")
            if YEAR_COLUMN_RE.match(link_title(a)) and not a.attrib["href"].startswith("javascript:"))
    return [url for url in dict.fromkeys(urls) if url != response.url]


# -- where a page with no entries gets its list from: frames, list endpoints ---------------------------------

def list_sources(spider: ColumnSpider, page: Selector, response: Response) -> list[scrapy.Request]:
    """Requests for the list a page shows but does not contain: its frames, or the endpoint its script calls."""
    meta = response.meta
    if meta.get("xxgk_source"):
        return []  # a frame or an endpoint's answer is the list itself
    requests = []
    for src in page.xpath("//iframe/@src | //frame/@src").getall():
        if src.strip() and not src.startswith(("javascript:", "about:")):
            requests.append(generic_request(spider, response.urljoin(src), column=meta["column"], page=1,
                                            meta={"xxgk_source": "frame", "sub_column": meta.get("sub_column")}))
    requests += endpoint_requests(spider, scripts.endpoints(page), response.url, meta)
    if not requests:  # the list code may live in the page's own script files
        for src in scripts.external_scripts(page):
            url = response.urljoin(src)
            if urlsplit(url).hostname == urlsplit(response.url).hostname:
                # dont_filter: the archive may have fetched it already as a page requisite, for no callback
                requests.append(scrapy.Request(url, callback=spider.parse_list_script, errback=spider.on_script_error,
                                               dont_filter=True, meta={**list_meta(meta), "xxgk_page_url": response.url}))
    return requests


def list_meta(meta: dict) -> dict:
    return {"column": meta["column"], "page": meta["page"], "sub_column": meta.get("sub_column", False),
            "xxgk_source": "script"}


def endpoint_requests(spider: ColumnSpider, found: list[scripts.Endpoint], page_url: str,
                      meta: dict) -> list[scrapy.Request]:
    """Page 1 of each list endpoint found, its URL resolved against the page that runs the script."""
    requests = []
    for endpoint in found:
        endpoint.url = urljoin(page_url, endpoint.url)
        requests.append(endpoint_request(spider, endpoint, meta["column"], 1, meta.get("sub_column", False),
                                         page_url))
    return requests


def read_list_script(spider: ColumnSpider, response: Response) -> list[scrapy.Request]:
    """A column page's script file: requests for the list endpoints it calls (none: the page in a browser)."""
    page_url = response.meta["xxgk_page_url"]
    return endpoint_requests(spider, scripts.endpoints_in([response.text]), page_url, response.meta) or \
        browser_request(spider, page_url, response.meta)


def endpoint_request(spider: ColumnSpider, endpoint: scripts.Endpoint, column: str, number: int,
                     sub_column: bool, page_url: str) -> scrapy.Request:
    """Page `number` of a list endpoint (POST as a form, GET with its data in the query)."""
    url, data = scripts.with_page(endpoint, number)
    meta = {"column": column, "page": number, "xxgk_endpoint": asdict(endpoint), "xxgk_source": "endpoint",
            "sub_column": sub_column, "xxgk_page_url": page_url}
    if endpoint.method == "POST":
        return scrapy.FormRequest(url, formdata=data, callback=spider.parse_endpoint, errback=spider.on_error,
                                  meta=meta)
    return scrapy.Request(url, callback=spider.parse_endpoint, errback=spider.on_error, meta=meta)


def read_endpoint(spider: ColumnSpider, response: Response) -> Iterator:
    """A list endpoint's answer: JSON rows (and the pages it says there are), or an HTML fragment read as a list."""
    data = scripts.parse_json(response.text)
    if data is None:
        yield from read_list(spider, response)
        return
    rows, count = scripts.json_entries(data)
    entries = [{**row, "url": response.urljoin(row["url"])} for row in rows]
    yield from spider.follow_entries(response, entries)
    if not entries and response.meta["page"] == 1:
        yield from browser_request(spider, response.meta["xxgk_page_url"], response.meta)
    endpoint = scripts.Endpoint(**response.meta["xxgk_endpoint"])
    if response.meta["page"] == 1 and entries and count and endpoint.page_field():
        for number in range(2, count + 1):
            yield endpoint_request(spider, endpoint, response.meta["column"], number, response.meta.get("sub_column"),
                                   response.meta["xxgk_page_url"])


# -- the next list page ----------------------------------------------------------------------------------------

def next_requests(spider: ColumnSpider, page: Selector, response: Response, meta: dict) -> list[scrapy.Request]:
    """Requests for the next list page(s), from links, pager scripts or script-only pager calls."""
    column, number = response.meta["column"], response.meta["page"]
    extra = {k: v for k, v in response.meta.items() if k in ("xxgk_source",)}
    urls = next_pages(page, response)
    if urls:
        return [generic_request(spider, url, column=column, page=n, meta={**meta, **extra})
                for n, url in enumerate(urls, number + 1)]
    action = pager_action(page, response, number)
    if action is None:
        return []
    if action.url:
        return [generic_request(spider, response.urljoin(action.url), column=column, page=number + 1,
                                meta={**meta, **extra})]
    request = form_request(page, response, action, callback=spider.parse_list_page, errback=spider.on_error,
                           meta={**meta, **extra, "column": column, "page": number + 1, "xxgk_generic": True})
    if request is None:
        spider.logger.warning("pager form %r not found on %s", action.form, response.url)
        return []
    return [request]


def form_request(page: Selector, response: Response, action: scripts.Action, **kwargs) -> scrapy.Request | None:
    """The request a form submission makes: the form named or identified by `action.form` (the only form holding
    the fields set, when unnamed), its fields with their values, `action.fields` over them."""
    forms = page.xpath("//form")
    chosen = [f for f in forms if action.form and action.form in (f.attrib.get("name"), f.attrib.get("id"))]
    chosen = chosen or [f for f in forms if set(action.fields) <= set(f.xpath(".//input/@name").getall())]
    if not chosen:
        return None
    form = chosen[0]
    data = {i.attrib["name"]: i.attrib.get("value", "") for i in form.xpath(".//input[@name]")
            if (i.attrib.get("type") or "text").lower() not in ("button", "submit", "image", "reset", "file")
            and ((i.attrib.get("type") or "").lower() not in ("checkbox", "radio") or "checked" in i.attrib)}
    data.update(action.fields)
    url = response.urljoin(form.attrib.get("action") or response.url)
    if (form.attrib.get("method") or "get").lower() == "post":
        return scrapy.FormRequest(url, formdata=data, **kwargs)
    return scrapy.FormRequest(url, formdata=data, method="GET", **kwargs)


def next_pages(page: Selector, response: Response) -> list[str]:
    """The next list page(s): a 下一页 link (words before arrows), else the next numbered link, else every page a
    createPageHTML or a countPage pager names."""
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
    if response.meta.get("page") != 1:
        return []
    pager = create_page_call(response.text) or count_page_call(response.text)
    if pager:
        count, name, ext = pager
        if urlsplit(response.url).path.endswith((f"/{name}.{ext}", "/")):
            return [response.urljoin(f"{name}_{n}.{ext}") for n in range(1, count)]
    return []


def pager_action(page: Selector, response: Response, number: int) -> scripts.Action | None:
    """What the script-only pager control for the next page does: the control labelled 下一页, else the one
    labelled with the next page's number."""
    defined = scripts.functions(page)
    candidates = []
    for element, call in scripts.script_calls(page):
        label = " ".join((element.xpath("string()").get("") or element.attrib.get("value", "")).split())
        if label in NEXT_TEXTS or label.rstrip("»> ") in NEXT_TEXTS:
            candidates.insert(0, call)
        elif label == str(number + 1) or (element.attrib.get("value") or "").strip() == str(number + 1):
            candidates.append(call)
    for call in candidates:
        action = scripts.resolve(call, defined) or scripts.pager_form_action(page, call)
        if action:
            return action
    return None


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


def count_page_call(text: str) -> tuple[int, str, str] | None:
    """(page count, page name, extension) of a TRS pager written out in script (`var countPage = 2` and
    `"index"+"_" + n + "."+"html"`)."""
    count = COUNT_PAGE_RE.search(text)
    name = INDEX_NAME_RE.search(text)
    if not count or not name:
        return None
    ext = re.search(r"""["']\.?["']?\s*\+\s*["']\.?(s?html?)\\?["']""", text[name.end():name.end() + 200])
    return int(count.group(1)), name.group(1), ext.group(1) if ext else "html"


# -- is this page a list? --------------------------------------------------------------------------------------

# every text node, not only those under <body>: a stray </body></html> mid-page leaves the rest outside it. Run on
# the lxml tree, not through parsel: a Selector per text node was a quarter of an archive crawl's CPU.
OWN_TEXT = etree.XPath("//text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)"
                       " and not(ancestor::head) and not(ancestor::select) and not(ancestor::option)]",
                       smart_strings=False)
LINKS = etree.XPath("//a[@href]")


def own_text(page: Selector) -> str:
    """The page's visible text outside links, scripts and styles, without spaces."""
    return "".join("".join(OWN_TEXT(page.root)).split())


def looks_like_list(page: Selector, response: Response) -> bool:
    """A page of report links (not files) with little text of its own, or a frame shell: a list, not a report."""
    links = [link for link in list_entries(page, response) if not is_attachment(link["url"])]
    if not links:
        return False  # most report pages: their own text is not needed
    text = len(own_text(page))
    return text < MAX_LIST_TEXT if len(links) >= 2 else text < MIN_BODY_TEXT


def is_document_page(page: Selector, response: Response) -> bool:
    """Whether a page is a document rather than a column, year index or navigation page: not a list of reports,
    not a frame shell, not a page of little text and no file, not a page of many links with less text of its own
    than they carry."""
    own = len(own_text(page))
    if page.xpath("//iframe | //frameset") and own < MIN_BODY_TEXT:
        return False
    if looks_like_list(page, response):
        return False
    links = page.xpath("//a[@href]")
    if own < MIN_BODY_TEXT and not any(is_attachment(response.urljoin(a.attrib["href"])) for a in links):
        return False  # too little to say and nothing attached: a home, section or empty column page
    linked = len("".join("".join(page.xpath("//a[@href]//text()").getall()).split()))
    return not (len(links) >= MIN_NAVIGATION_LINKS and own < linked)
