"""Walk a portal from its home page to its annual-report column(s), fingerprint its CMS and write a registry entry.

`xxgk discover HOME_URL` runs DiscoverySpider in-process (Scrapy: throttled, robots.txt, the scope and challenge
middlewares) over links named 政务公开 / 信息公开 / 公开目录 / 年报 / 年度报告 (and the frames and 分类 trees a
信息公开目录 shows them in), at most a few dozen pages deep. A column whose page leads to year or department
sub-columns gives those sub-columns as columns too. Each column page is read by every family's list reader: the
family that the markup suggests is kept only when its reader finds the list, else the entry names the generic
spider. `--add` writes the entry into the user registry (crawler/sites.py), named after the government.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler.errors import XxgkError
from crawler.families import FAMILIES
from crawler.items import ListingItem
from crawler.middlewares.traps import strip_session_ids
from spiders.base import is_attachment, report_year

logger = logging.getLogger(__name__)

SECTION_RE = re.compile(r"政务公开|信息公开|公开目录|政府信息|xxgk|zwgk|gkml", re.I)
COLUMN_RE = re.compile(r"年报|年度报告")
YEAR_RE = re.compile(r"(?:19|20)\d{2}")
YEAR_COLUMN_RE = re.compile(r"^(?:19|20)\d{2}\s*年度?(?:报告)?$")
# a link named after a body of government: the department sub-columns of a city's report column
AGENCY_RE = re.compile(r"(?:局|委员会|委|办公室|办|人民政府|政府|街道|街道办事处|镇|乡|中心|院|厅|管委会|馆|所|站|队)"
                       r"(?:政府信息公开)?(?:年报|年度报告|工作年度报告)?$")
FRAME_XPATH = "//iframe/@src | //frame/@src"
MAX_SUB_COLUMNS = 80
GOVERNMENT_RE = re.compile(r"[\u4e00-\u9fff（）()]{2,30}?(?:人民政府|政府|管理委员会|管委会|委员会|办公厅|局|厅|部|委)")
# what a government's name ends with, longest first: 明光市人民政府 -> 明光, 河南省体育局 -> 河南省体育
NAME_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "人民政府", "政府", "管理委员会", "管委会", "自治县", "自治州", "自治旗",
                 "特别行政区", "新区", "地区", "市", "县", "区", "旗", "盟", "州", "镇", "乡", "街道")


class DiscoveryError(XxgkError):
    """A walk that could not run (the home page unreachable, an error inside the walk): never "no column"."""


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
    """Follow 政务公开/信息公开/年报 links from a home page; yield pages, columns and their sub-columns."""

    name = "xxgk-discover"
    custom_settings = {"ITEM_PIPELINES": {}, "DEPTH_LIMIT": 5}

    def __init__(self, home_url: str, max_pages: int = 40, **kwargs) -> None:
        super().__init__(**kwargs)
        self.home_url, self.max_pages = home_url, int(max_pages)
        self.allowed_hosts = {urlsplit(home_url).hostname or ""}
        self.allowed_domains = list(self.allowed_hosts)

    async def start(self):
        yield scrapy.Request(self.home_url, callback=self.parse, errback=self.home_failed, meta={"role": "home"})

    def home_failed(self, failure) -> None:
        self.crawler.stats.set_value("xxgk/discover/home_error", failure.getErrorMessage() or failure.type.__name__)

    def parse(self, response: Response):
        """Fingerprint the page, report it, and follow the links that lead towards the report column."""
        pages = self.crawler.stats.get_value("xxgk/discover/pages", 0) + 1
        self.crawler.stats.set_value("xxgk/discover/pages", pages)
        if not isinstance(response, TextResponse):
            return
        role = response.meta.get("role")
        html = response.text
        yield {"kind": "page", "url": response.url, "role": role, "scores": dict(fingerprint(response.url, html)),
               "site_name": site_meta(response, "SiteName"), "site_code": site_meta(response, "SiteIDCode"),
               "title": response.css("title::text").get("")}
        if role in ("column", "sub_column"):
            yield from self.read_column(response)
            if role == "sub_column":
                return
        tree_column = gkmlpt_column(response, html)
        if tree_column:
            yield {"kind": "column", "url": tree_column, "text": "gkmlpt TREE"}
        if pages >= self.max_pages or role == "column":
            return  # a column's own links are reports, pagers and sub-columns, not the way to other columns
        for url in response.xpath(FRAME_XPATH).getall():  # a 信息公开目录 shows its lists in frames
            yield from self.follow(response, response.urljoin(url), "", role="section")
        for link in response.xpath("//a[@href]"):
            url = link_url(response, link)
            if url:
                yield from self.follow(response, url, link_text(link))
        for text, url in script_links(response):  # 分类 trees built by script, links that are script calls
            yield from self.follow(response, response.urljoin(url), text)

    def follow(self, response: Response, url: str, text: str, role: str | None = None):
        """A column candidate (named like a report column) or a way towards one (a section, a frame)."""
        url = strip_session_ids(url)
        if urlsplit(url).hostname not in self.allowed_hosts or is_attachment(url):
            return
        if is_column_link(text):
            yield {"kind": "column", "url": url, "text": text}
            yield response.follow(url, callback=self.parse, meta={"role": "column"})
        elif role or SECTION_RE.search(text) or SECTION_RE.search(urlsplit(url).path):
            yield response.follow(url, callback=self.parse, meta={"role": role or "section"})

    def read_column(self, response: Response):
        """Which list readers read this column page, and its year or department sub-columns (followed)."""
        yield {"kind": "reads", "url": response.url, "reads": list_readers(response)}
        if response.meta.get("role") != "column":
            return
        subs = sub_column_links(response)
        yield {"kind": "years", "url": response.url, "years": [text for _, text in subs if YEAR_COLUMN_RE.match(text)]}
        for url, text in subs[:MAX_SUB_COLUMNS]:
            yield {"kind": "sub_column", "url": url, "parent": response.url, "text": text}
            yield response.follow(url, callback=self.parse, meta={"role": "sub_column"})


def link_url(response: Response, link) -> str | None:
    """The absolute URL of a followable link (not a script call, an anchor or a mail address)."""
    href = link.attrib["href"].strip()
    if not href or href.startswith(("javascript:", "#", "mailto:")):
        return None
    return response.urljoin(href)


def script_links(response: Response) -> list[tuple[str, str]]:
    """(text, URL) of the links a page's scripts make: tree nodes, onclick and `javascript:` calls it defines."""
    from spiders import scripts

    page = response.selector
    found = scripts.tree_links(page)
    defined = scripts.functions(page)
    for element, call in scripts.script_calls(page):
        action = scripts.resolve(call, defined)
        if action and action.url:
            found.append((" ".join(element.xpath("string()").get("").split()), action.url))
    return found


def sub_column_links(response: Response) -> list[tuple[str, str]]:
    """Links of a column page named like a year (2019年) or a body (市教育局), on this host, not reports or files."""
    host = urlsplit(response.url).hostname
    found: dict[str, str] = {}
    for link in response.xpath("//a[@href]"):
        url, text = link_url(response, link), link_text(link)
        if not url or urlsplit(url).hostname != host or is_attachment(url) or url == response.url:
            continue
        if YEAR_COLUMN_RE.match(text) or (AGENCY_RE.search(text) and not report_year(text) and len(text) <= 30):
            found.setdefault(strip_session_ids(url), text)
    return list(found.items())


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


# -- reading a column page with each family's list reader ---------------------------------------------------

PROBE_LOGGER = "xxgk.discover.probe"
logging.getLogger(PROBE_LOGGER).setLevel(logging.ERROR)  # a reader's "nothing here" is the probe's answer


class _ProbeStats:
    """Stats that count nothing: a probe's readings are not the walk's."""

    def get_value(self, key, default=None):
        return default

    def set_value(self, *args, **kwargs) -> None:
        pass

    def inc_value(self, *args, **kwargs) -> None:
        pass


def reads(family: str, response: Response) -> bool:
    """Whether `family`'s list reader finds entries on a column page, or a request for its list (an AJAX call)."""
    from spiders.families import family_spider

    cls = family_spider(family)
    spider = cls.__new__(cls)
    scrapy.Spider.__init__(spider, name=f"{PROBE_LOGGER}.{family}")
    spider.crawler = SimpleNamespace(stats=_ProbeStats(), settings=None)
    spider.fresh, spider.counted_fresh, spider.base_url = {}, set(), response.url
    probe = response.replace(request=response.request.replace(meta={"column": response.url, "page": 1}))
    try:
        outputs = list(spider.parse_list(probe))
    except Exception as exc:  # noqa: BLE001 - a reader that trips on this page does not read it
        logger.debug("the %s reader cannot read %s: %s: %s", family, response.url, type(exc).__name__, exc)
        return False
    return any(isinstance(o, scrapy.Request) or (isinstance(o, ListingItem) and o["entries"]) for o in outputs)


def list_readers(response: Response) -> list[str]:
    """The families (and "generic") whose list reader reads this column page."""
    return [name for name in FAMILIES if reads(name, response)]


# -- what the walk found ------------------------------------------------------------------------------------

def summarize_walk(home_url: str, items: list[dict]) -> dict:
    """What the walk found: family, columns (with the sub-columns that list reports), the site's name and code."""
    pages = [i for i in items if i["kind"] == "page"]
    readers = {i["url"]: i["reads"] for i in items if i["kind"] == "reads"}
    candidates = list(dict.fromkeys(i["url"] for i in items if i["kind"] == "column"))
    subs: dict[str, list[str]] = {}
    for item in items:
        if item["kind"] == "sub_column" and readers.get(item["url"]):
            subs.setdefault(item["parent"], []).append(item["url"])
    columns: list[str] = []
    for url in candidates:  # a parent stays beside its sub-columns: it is where next year's sub-column appears
        columns += [url, *subs.get(url, [])]
    columns = list(dict.fromkeys(columns))
    column_pages = [p for p in pages if p["url"] in columns or p["role"] in ("column", "sub_column")]
    scores = sum((Counter(p["scores"]) for p in column_pages), Counter()) or \
        sum((Counter(p["scores"]) for p in pages), Counter())
    guessed = best_family(scores)
    family, unread = choose_family(guessed, [readers[url] for url in columns if url in readers])
    years = [y for i in items if i["kind"] == "years" for y in i["years"]]
    named = next((p for p in pages if p["site_name"]), {})
    coded = next((p for p in pages if p["site_code"]), {})
    home = next((p for p in pages if p["role"] == "home"), {})
    return {
        "home_url": home_url, "family": family, "guessed_family": guessed, "unread": unread, "scores": dict(scores),
        "columns": columns, "years": list(dict.fromkeys(years)),
        "site_name": named.get("site_name") or government_from_title(home.get("title") or ""),
        "site_code": coded.get("site_code") or "", "pages": len(pages),
    }


def choose_family(guessed: str, readings: list[list[str]]) -> tuple[str, list[str]]:
    """The guessed family when its list reader reads at least one column (the crawl reads the others through the
    generic fallback), else "" (the generic spider); and the guessed family when it read none."""
    if not guessed or not readings or any(guessed in reading for reading in readings):
        return guessed, []
    return "", [guessed]


def government_from_title(title: str) -> str:
    """A government's name from a page title (首页-延吉市人民政府, 明光市人民政府门户网站)."""
    match = GOVERNMENT_RE.search(re.sub(r"首页|门户网站|欢迎", " ", title))
    return match.group(0) if match else ""


def site_name(home_url: str, government: str = "") -> str:
    """A registry name: the pinyin of the government's place (明光市人民政府 -> mingguang), else from the host
    (www.hd.gov.cn -> hd)."""
    from pypinyin import lazy_pinyin

    place = government.strip()
    for suffix in NAME_SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            place = place[: -len(suffix)]
    parts = [part for part in re.split(r"[省市州盟]", place) if part]
    if len(parts) > 1 and len(parts[-1]) >= 2:
        place = parts[-1]  # 鄂尔多斯市东胜 -> 东胜: a district or county is named without its city
    letters = "".join(lazy_pinyin(re.sub(r"[^\u4e00-\u9fff]", "", place)))
    if re.fullmatch(r"[a-z]+", letters or ""):
        return letters
    host = urlsplit(home_url).hostname or "site"
    host = re.sub(r"^www\.", "", host)
    host = re.sub(r"\.gov\.cn$|\.com\.cn$|\.cn$|\.com$", "", host)
    return re.sub(r"\W+", "_", host).strip("_").lower() or "site"


def entry_values(found: dict, name: str | None = None, allow_private: bool = False) -> dict:
    """The registry entry (as a dict, in file order) for what a walk found, marked never verified."""
    parts = urlsplit(found["home_url"])
    columns = [column_path(url) for url in found["columns"] if urlsplit(url).netloc == parts.netloc]
    code = found["site_code"]
    notes = [f"found by `xxgk discover` on {date.today():%Y-%m-%d} ({found['pages']} pages)"]
    if found["years"]:
        notes.append("year sub-columns: " + ", ".join(found["years"][:12]))
    if not columns:
        notes.append("no report column found: add it by hand")
    if found.get("unread"):
        notes.append(f"looks like {', '.join(found['unread'])} but its list reader found nothing: the generic spider")
    elif not found["family"]:
        notes.append("no known CMS family: the generic spider")
    values = {
        "name": name or site_name(found["home_url"], found["site_name"]),
        "government": found["site_name"] or parts.hostname or "",
        "division_code": code[:6] if code[:6].isdigit() else "",
        "province": "",
        "family": found["family"],
        "base_url": f"{parts.scheme}://{parts.netloc}",
        "home": parts.path or "/",
        "columns": columns,
        "schedule": "0 3 * * 1",
        "verified": "",
        "notes": "; ".join(notes),
    }
    if allow_private:
        values["allow_private"] = True
    return values


def registry_entry(found: dict, name: str | None = None, allow_private: bool = False) -> str:
    """A [[site]] entry (TOML) for what a walk found."""
    from crawler.sites import toml_entry

    return toml_entry(entry_values(found, name, allow_private))


def column_path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}"
                                                                               if parts.fragment else "")


def discover(home_url: str, settings=None, max_pages: int = 40) -> dict:
    """Run the walk in this process (once per process: Twisted's reactor cannot restart) and summarise it;
    DiscoveryError when it could not run (the home page unreachable, an error inside the walk)."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.config import LOCAL_SETTINGS, load

    settings = (settings or load()).copy()
    # a walk is not an archive run: no WARC, no crawl-health bookkeeping, no job state
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), "archive.capture.WarcCaptureMiddleware": None,
                   "archive.conditional.ConditionalRequestMiddleware": None,
                   "crawler.extensions.journal.CrawlJournal": None}
    extensions = {**settings.getdict("EXTENSIONS"), "crawler.extensions.summary.CrawlHealth": None}
    spider_middlewares = {**settings.getdict("SPIDER_MIDDLEWARES"), "archive.pagelinks.PageLinksMiddleware": None}
    base = {"LOG_LEVEL": "WARNING", "STATS_DUMP": False, "DOWNLOADER_MIDDLEWARES": middlewares, "EXTENSIONS": extensions,
            "SPIDER_MIDDLEWARES": spider_middlewares, "XXGK_JOBS": False}
    if urlsplit(home_url).hostname in ("127.0.0.1", "localhost", "::1"):
        base.update(LOCAL_SETTINGS)  # a simulated portal on this machine
    settings.update(base, priority="cmdline")
    items: list[dict] = []

    def collect(item: dict, **_) -> None:
        items.append(dict(item))

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DiscoverySpider)
    crawler.signals.connect(collect, signal=signals.item_scraped)
    failures = []
    process.crawl(crawler, home_url=home_url, max_pages=max_pages).addErrback(failures.append)
    process.start()
    if failures:
        raise DiscoveryError(f"the walk of {home_url} could not run: {failures[0].type.__name__}: "
                             f"{failures[0].getErrorMessage()}")
    stats = crawler.stats.get_stats()
    blocked = stats.get("xxgk/blocked", 0)
    if stats.get("spider_exceptions/count"):
        kinds = ", ".join(k.removeprefix("spider_exceptions/") for k in stats if k.startswith("spider_exceptions/")
                          and k != "spider_exceptions/count")
        raise DiscoveryError(f"the walk of {home_url} failed: {stats['spider_exceptions/count']} errors ({kinds}); "
                             "this is a defect in xxgk, not a portal without a column")
    if stats.get("xxgk/discover/home_error") and not blocked:
        raise DiscoveryError(f"cannot fetch {home_url}: {stats['xxgk/discover/home_error']}")
    found = summarize_walk(home_url, items)
    found["blocked"] = blocked
    return found
