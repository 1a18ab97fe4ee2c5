"""Walk a portal from its home page to its annual-report column(s), fingerprint its CMS and write a registry entry.

`xxgk discover HOME_URL` runs DiscoverySpider in-process (Scrapy: throttled, robots.txt, the scope and challenge
middlewares) over links named 政务公开 / 信息公开 / 年报 / 年度报告, at most a few dozen pages deep, then prints
a `[[site]]` entry for crawler/sites.toml.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler.families import FAMILIES
from crawler.middlewares.traps import strip_session_ids
from spiders.base import is_attachment, report_year

SECTION_RE = re.compile(r"政务公开|信息公开|公开目录|政府信息|xxgk|zwgk|gkml", re.I)
COLUMN_RE = re.compile(r"年报|年度报告")
YEAR_RE = re.compile(r"(?:19|20)\d{2}")
YEAR_COLUMN_RE = re.compile(r"^(?:19|20)\d{2}\s*年度?(?:报告)?$")
REPORT_NAME_RE = re.compile(r"年报|年度报告")

def fingerprint(url: str, html: str) -> Counter:
    """Family scores of one page from its address and markup."""
    text = url + "\n" + html
    return Counter({family.name: family.weight * len(family.fingerprint.findall(text))
                    for family in FAMILIES.values() if family.fingerprint and family.fingerprint.search(text)})


def best_family(scores: Counter) -> str:
    """The winning family, or "" (the generic spider) when nothing matched."""
    if not scores:
        return ""
    if scores.get("hanweb_xxgk") and scores.get("hanweb"):
        return "hanweb_xxgk"  # the xxgk module runs on Hanweb pages, which also match plain Hanweb
    return scores.most_common(1)[0][0]


class DiscoverySpider(scrapy.Spider):
    """Follow 政务公开/信息公开/年报 links from a home page; yield pages, column candidates and year sub-columns."""

    name = "xxgk-discover"
    custom_settings = {"ITEM_PIPELINES": {}, "DEPTH_LIMIT": 4}

    def __init__(self, home_url: str, max_pages: int = 40, **kwargs) -> None:
        super().__init__(**kwargs)
        self.home_url, self.max_pages = home_url, int(max_pages)
        self.allowed_hosts = {urlsplit(home_url).hostname or ""}
        self.allowed_domains = list(self.allowed_hosts)

    async def start(self):
        yield scrapy.Request(self.home_url, callback=self.parse, meta={"role": "home"})

    def parse(self, response: Response):
        """Fingerprint the page, report it, and follow the links that lead towards the report column."""
        pages = self.crawler.stats.get_value("xxgk/discover/pages", 0) + 1
        self.crawler.stats.set_value("xxgk/discover/pages", pages)
        html = response.text if hasattr(response, "text") else ""
        yield {"kind": "page", "url": response.url, "role": response.meta.get("role"),
               "scores": dict(fingerprint(response.url, html)), "site_name": site_meta(response, "SiteName"),
               "site_code": site_meta(response, "SiteIDCode"), "title": response.css("title::text").get("")}
        if response.meta.get("role") == "column":
            years = [link_text(a) for a in response.xpath("//a[@href]") if YEAR_COLUMN_RE.match(link_text(a))]
            yield {"kind": "years", "url": response.url, "years": list(dict.fromkeys(years))}
        tree_column = gkmlpt_column(response, html)
        if tree_column:
            yield {"kind": "column", "url": tree_column, "text": "gkmlpt TREE"}
        if pages >= self.max_pages or response.meta.get("role") == "column":
            return  # a column's own links are reports and pagers, not the way to other columns
        for link in response.xpath("//a[@href]"):
            href, text = link.attrib["href"].strip(), link_text(link)
            if href.startswith(("javascript:", "#", "mailto:")):
                continue
            url = strip_session_ids(response.urljoin(href))
            if urlsplit(url).hostname not in self.allowed_hosts or is_attachment(url):
                continue
            if is_column_link(text):
                yield {"kind": "column", "url": url, "text": text}
                yield response.follow(url, callback=self.parse, meta={"role": "column"})
            elif SECTION_RE.search(text) or SECTION_RE.search(urlsplit(url).path):
                yield response.follow(url, callback=self.parse, meta={"role": "section"})


def is_column_link(text: str) -> bool:
    """A link named like a report column (政府信息公开年报), not like one report (…2019年度报告)."""
    return bool(COLUMN_RE.search(text)) and not YEAR_RE.search(text) and report_year(text) is None


def link_text(link) -> str:
    return (" ".join(link.xpath("string()").get("").split()) or link.attrib.get("title", "")).strip()


def site_meta(response: Response, name: str) -> str:
    return (response.xpath(f"//meta[@name='{name}']/@content").get() or "").strip()


def gkmlpt_column(response: Response, html: str) -> str | None:
    """On a gkmlpt app page, the page itself when its TREE has an annual-report node."""
    if "_CONFIG" not in html:
        return None
    from spiders.families.gkmlpt import find_category, parse_tree

    config = "".join(s for s in response.xpath("//script/text()").getall() if "_CONFIG" in s)
    return response.url if find_category(parse_tree(config)) else None


def summarize_walk(home_url: str, items: list[dict]) -> dict:
    """What the walk found: family, columns (paths), year sub-columns, the site's name and code."""
    pages = [i for i in items if i["kind"] == "page"]
    columns = list(dict.fromkeys(i["url"] for i in items if i["kind"] == "column"))
    column_pages = [p for p in pages if p["url"] in columns or p["role"] == "column"]
    scores = sum((Counter(p["scores"]) for p in column_pages), Counter()) or \
        sum((Counter(p["scores"]) for p in pages), Counter())
    years = [y for i in items if i["kind"] == "years" for y in i["years"]]
    named = next((p for p in pages if p["site_name"]), {})
    coded = next((p for p in pages if p["site_code"]), {})
    return {
        "home_url": home_url, "family": best_family(scores), "scores": dict(scores), "columns": columns,
        "years": list(dict.fromkeys(years)), "site_name": named.get("site_name") or "",
        "site_code": coded.get("site_code") or "", "pages": len(pages),
    }


def site_name(home_url: str) -> str:
    """A registry name from the host: www.hd.gov.cn -> hd, wsjkw.nx.gov.cn -> wsjkw_nx."""
    host = urlsplit(home_url).hostname or "site"
    host = re.sub(r"^www\.", "", host)
    host = re.sub(r"\.gov\.cn$|\.com\.cn$|\.cn$|\.com$", "", host)
    return re.sub(r"\W+", "_", host).strip("_").lower() or "site"


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def registry_entry(found: dict, name: str | None = None) -> str:
    """A [[site]] entry for crawler/sites.toml, marked never verified."""
    parts = urlsplit(found["home_url"])
    base = f"{parts.scheme}://{parts.netloc}"
    columns = [column_path(url) for url in found["columns"] if urlsplit(url).netloc == parts.netloc]
    code = found["site_code"]
    notes = [f"found by `xxgk discover` on {date.today():%Y-%m-%d} ({found['pages']} pages)"]
    if found["years"]:
        notes.append("year sub-columns: " + ", ".join(found["years"][:12]))
    if not columns:
        notes.append("no report column found: add it by hand")
    if not found["family"]:
        notes.append("no known CMS family: the generic spider")
    lines = [
        "[[site]]",
        f"name = {toml_string(name or site_name(found['home_url']))}",
        f"government = {toml_string(found['site_name'])}",
        f"division_code = {toml_string(code[:6] if code[:6].isdigit() else '')}",
        'province = ""',
        f"family = {toml_string(found['family'])}",
        f"base_url = {toml_string(base)}",
        f"home = {toml_string(parts.path or '/')}",
        "columns = [" + ", ".join(toml_string(c) for c in columns) + "]",
        'schedule = "0 3 * * 1"',
        'verified = ""',
        f"notes = {toml_string('; '.join(notes))}",
    ]
    return "\n".join(lines) + "\n"


def column_path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}"
                                                                               if parts.fragment else "")


def discover(home_url: str, settings=None, max_pages: int = 40) -> dict:
    """Run the walk in this process (once per process: Twisted's reactor cannot restart) and summarise it."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.config import LOCAL_SETTINGS, load

    settings = (settings or load()).copy()
    # a walk is not an archive run: no WARC, no crawl-health bookkeeping
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), "archive.capture.WarcCaptureMiddleware": None}
    extensions = {**settings.getdict("EXTENSIONS"), "crawler.extensions.summary.CrawlHealth": None}
    base = {"LOG_LEVEL": "WARNING", "STATS_DUMP": False, "DOWNLOADER_MIDDLEWARES": middlewares, "EXTENSIONS": extensions}
    if urlsplit(home_url).hostname in ("127.0.0.1", "localhost", "::1"):
        base.update(LOCAL_SETTINGS)  # a simulated portal on this machine
    settings.update(base, priority="cmdline")
    items: list[dict] = []

    def collect(item: dict, **_) -> None:
        items.append(dict(item))

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DiscoverySpider)
    crawler.signals.connect(collect, signal=signals.item_scraped)
    process.crawl(crawler, home_url=home_url, max_pages=max_pages)
    process.start()
    found = summarize_walk(home_url, items)
    found["blocked"] = crawler.stats.get_value("xxgk/blocked", 0)
    return found
