"""The shared column spider: walk a report column, fetch report pages and their attachments.

A CMS-family spider subclasses ColumnSpider and implements `parse_list`, turning
one list page into entries (and requests for the next list pages). Everything
else — detail pages, attachments, items, error accounting — lives here.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import unquote, urlparse

import scrapy
from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.misc import is_generator_with_return_value
from twisted.python.failure import Failure

from archive.conditional import NOT_MODIFIED_FLAG
from crawler import faults
from crawler.config import base_url
from crawler.database.revalidate import fresh_documents
from crawler.extract.report import report_year as title_year
from crawler.items import AttachmentItem, CaptureItem, DocumentItem, ListingItem
from crawler.middlewares.challenge import Blocked
from crawler.sites import Site

HREFS = etree.XPath("//a/@href", smart_strings=False)  # plain strings: no Selector made per link
ATTACHMENT_RE = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|txt|csv)(?:$|[?#])", re.I)
MAX_PARTS = 20  # pages of one split article


def is_attachment(url: str) -> bool:
    parts = urlparse(url)
    return bool(ATTACHMENT_RE.search(parts.path + ("?" if parts.query else "")))


class ColumnSpider(scrapy.Spider):
    """Crawl one registered site's annual-report columns."""

    site: ClassVar[Site]
    family: ClassVar[str] = ""
    fresh: dict[str, int] = {}  # report pages not to ask for again (crawler/revalidate.py): URL -> files linked

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.base_url = base_url(crawler.settings, cls.site)
        spider.allowed_domains = [urlparse(spider.base_url).hostname, *cls.site.attachment_hosts]
        if cls.site.expected_empty:
            crawler.stats.set_value("xxgk/expected_empty", 1)
        spider.counted_fresh = set()
        # Scrapy checks every callback for `return value` in a generator by parsing its source, caching the answer
        # per bound method only while that method object lives: each request's own dies with it, so the source was
        # parsed again for most responses (~1 % of a crawl's CPU). Bound methods kept here keep the answers cached.
        spider.callbacks = [getattr(spider, name) for name in dir(cls)
                            if name.startswith(("parse", "on_")) and inspect.isfunction(getattr(cls, name, None))]
        for callback in spider.callbacks:
            is_generator_with_return_value(callback)
        try:
            spider.fresh = fresh_documents(crawler.settings, cls.name)
        except RuntimeError as exc:
            spider.logger.error("%s; asking for every report page again", exc)
        return spider

    def url(self, path: str) -> str:
        """A registry path on this crawl's portal (real or simulated)."""
        return self.site.url(path, self.base_url)

    async def start(self):
        for path in self.site.columns:
            url = self.url(path)
            yield self.list_request(url, column=url, page=1)

    # -- list pages ---------------------------------------------------------

    def list_request(self, url: str, column: str, page: int, **kwargs: Any) -> scrapy.Request:
        """A request for one page of a column; `parse_list` receives it (through `parse_list_page`)."""
        meta = {"column": column, "page": page, **kwargs.pop("meta", {})}
        return scrapy.Request(url, callback=self.parse_list_page, errback=self.on_error, meta=meta, **kwargs)

    def parse_list(self, response: Response) -> Iterable:
        raise NotImplementedError(f"{type(self).__name__} must read its list pages")

    def parse_list_page(self, response: Response) -> Iterator:
        """A column page read by the family's `parse_list`. On a column's first page the generic reading backs the
        family up: when the family found nothing (no entry, no request for its list) the generic reading replaces
        it; when it found entries but no way to the rest of the list, the generic reading's pages and sub-columns
        are added. Either is counted for the crawl summary."""
        from spiders.generic import generic_reading, read_list

        if response.meta.get("xxgk_generic"):
            yield from read_list(self, response)
            return
        outputs = list(self.parse_list(response))
        if response.meta.get("page") != 1 or self.family == "generic" or faults.page_fault(response):
            yield from outputs
            return
        entries, requests = generic_reading(self, response)
        if not reads_something(outputs) and (entries or requests):
            self.fell_back(response, f"the {self.family} reader found nothing")
            self.crawler.stats.inc_value("xxgk/list_pages", -sum(isinstance(o, ListingItem) for o in outputs))
            yield from self.follow_entries(response, entries)
            yield from requests
            return
        yield from outputs
        more = [r for r in requests if request_kind(r.meta) == "list"]
        if reads_something(outputs) and more and not any(
                isinstance(o, scrapy.Request) and request_kind(o.meta) == "list" for o in outputs):
            self.fell_back(response, f"the {self.family} reader found no further list page")
            yield from more

    def fell_back(self, response: Response, why: str) -> None:
        """Count and log a column page read (also) by the generic spider."""
        self.logger.warning("%s on %s; reading it as the generic spider does", why, response.url)
        self.crawler.stats.inc_value("xxgk/fallback/generic")
        columns = self.crawler.stats.get_value("xxgk/fallback/columns") or []
        self.crawler.stats.set_value("xxgk/fallback/columns", [*columns, response.meta.get("column")])

    def parse_list_script(self, response: Response) -> Iterator:
        """A column page's own script file, read for the list endpoints it calls (by the generic spider)."""
        from spiders.generic import read_list_script

        yield from read_list_script(self, response)

    def on_script_error(self, failure: Failure) -> Iterator:
        """A column page's script file that could not be fetched: logged and counted, not a list page lost (the
        page itself was read); the page then goes to the browser, as when its scripts name no list."""
        from spiders.generic import browser_request

        request = failure.request
        self.logger.warning("could not fetch the script %s of %s: %s", request.url, request.meta.get("xxgk_page_url"),
                            failure.getErrorMessage() or failure.type.__name__)
        self.crawler.stats.inc_value("xxgk/generic/script_errors")
        yield from browser_request(self, request.meta["xxgk_page_url"], request.meta)

    def parse_endpoint(self, response: Response) -> Iterator:
        """The answer of a list endpoint a column page's script calls (read by the generic spider)."""
        from spiders.generic import read_endpoint

        yield from read_endpoint(self, response)

    def follow_entries(self, response: Response, entries: list[dict]) -> Iterator:
        """Yield the ListingItem of a list page and a request for each listed entry."""
        if fault := self.page_fault(response):
            self.column_incomplete(response.meta.get("column"))
            yield from self.capture_item(response.url, response.meta, "list", fault_outcome(fault))
            return
        column, page = response.meta["column"], response.meta["page"]
        entries = [{**e, "url": response.urljoin(e["url"])} for e in entries]
        self.crawler.stats.inc_value("xxgk/list_pages")
        self.crawler.stats.inc_value("xxgk/entries", len(entries))
        yield ListingItem(
            site=self.name, url=response.url, column=column, page=page,
            entries=entries, capture=capture_of(response),
        )
        for entry in entries:
            if entry["url"] in self.fresh:
                self.count_fresh(entry)
                continue
            meta = {"column": column, "entry": entry, "xxgk_conditional": True}
            if is_attachment(entry["url"]):
                yield self.attachment_request(entry["url"], document_url=None, meta=meta)
            else:
                yield scrapy.Request(entry["url"], callback=self.parse_detail, errback=self.on_error, meta=meta)

    # -- report pages and attachments ---------------------------------------

    def parse_detail(self, response: Response) -> Iterator:
        """A report page, or one part of a split report: the document is yielded once its last part is in. A listed
        page that turns out to list reports itself (a year or department page) is read as a sub-column instead."""
        if fault := self.page_fault(response):
            yield from self.capture_item(response.url, response.meta, "document", fault_outcome(fault))
            if response.meta.get("xxgk_parts"):  # a later part: the document from the parts that came
                yield from self.document(response.meta["xxgk_parts"], response.meta)
            return
        if not response.meta.get("xxgk_parts") and self.is_list_page(response):
            yield from self.read_as_sub_column(response)
            return
        parts = [*response.meta.get("xxgk_parts", ()), {
            "url": response.url, "status": response.status, "html": response.text,
            "attachments": self.attachment_links(response), "capture": capture_of(response),
            "unchanged": NOT_MODIFIED_FLAG in response.flags}]
        next_url = self.next_part(response)
        if next_url and len(parts) < MAX_PARTS and next_url not in {p["url"] for p in parts}:
            meta = {key: response.meta[key] for key in ("column", "entry") if key in response.meta}
            meta["xxgk_parts"] = parts
            meta["xxgk_conditional"] = True
            yield scrapy.Request(next_url, callback=self.parse_detail, errback=self.on_part_error, meta=meta)
            return
        yield from self.document(parts, response.meta)

    def document(self, parts: list[dict], meta: dict) -> Iterator:
        """The DocumentItem of a report (split parts stitched into one page) and requests for its attachments."""
        entry, first = meta.get("entry", {}), parts[0]
        attachments = list(dict.fromkeys(url for part in parts for url in part["attachments"]))
        html = self.stitch([part["html"] for part in parts]) if len(parts) > 1 else first["html"]
        if len(parts) > 1:
            self.crawler.stats.inc_value("xxgk/split_documents")
            self.crawler.stats.inc_value("xxgk/split_parts", len(parts) - 1)
        self.count_year(entry.get("title") or "", html)
        # The requests first (an errback's output is not reordered by the journal's middleware): once the document
        # is stored, a resumed crawl takes its attachments as journalled.
        for url in attachments:
            yield self.attachment_request(url, document_url=first["url"])
        yield DocumentItem(
            site=self.name, url=first["url"], status=first["status"], html=html,
            list_title=entry.get("title"), list_date=entry.get("date"), entry=entry or None,
            column=meta.get("column"), attachments=attachments, capture=first["capture"],
            unchanged=all(part.get("unchanged") for part in parts),
        )

    def is_list_page(self, response: Response) -> bool:
        """A listed "report" that is a page of report links with little text of its own: not a document."""
        from spiders.generic import looks_like_list, selector

        return isinstance(response, TextResponse) and looks_like_list(selector(response), response)

    def read_as_sub_column(self, response: Response) -> Iterator:
        """A list page reached as an entry: archived and listed (a ListingItem), its entries followed."""
        from spiders.generic import read_list

        self.crawler.stats.inc_value("xxgk/generic/sub_columns_found")
        response.meta.update(column=response.url, page=1, sub_column=True, xxgk_generic=True)
        yield from read_list(self, response)

    def next_part(self, response: Response) -> str | None:
        """The next page of a report split over several pages (families that split articles override this)."""
        return None

    def stitch(self, pages: list[str]) -> str:
        """One page holding every part: the later parts' bodies appended after the first part's body."""
        return stitch_pages(pages, self.part_container)

    part_container: ClassVar[str] = "//body"

    def on_part_error(self, failure: Failure) -> Iterator:
        """A later part failed: count it, and still store the document from the parts that came."""
        yield from self.on_error(failure)
        request = failure.request
        if request.meta.get("xxgk_parts"):
            yield from self.document(request.meta["xxgk_parts"], request.meta)

    def page_fault(self, response: Response) -> str | None:
        """The fault (counted, logged) that makes a response no page or file: empty, a soft 404, an error page, an
        anti-bot page that got this far. It never becomes a listing, document or attachment."""
        fault = faults.page_fault(response)
        if fault:
            faults.count(self.crawler.stats, fault, response.url)
            self.logger.warning("not a page (%s): %s", fault, response.url)
        return fault

    def count_fresh(self, entry: dict) -> None:
        """A listed report archived recently enough not to ask for it again: counted as found, once."""
        if entry["url"] in self.counted_fresh:
            return
        self.counted_fresh.add(entry["url"])
        files = self.fresh[entry["url"]]
        stats = self.crawler.stats
        for name, count in (("documents", 1), ("attachments", files)):
            stats.inc_value(f"xxgk/{name}", count)
            stats.inc_value(f"xxgk/{name}/fresh", count)
        self.count_year(entry.get("title") or "")

    def count_year(self, title: str, html: str = "") -> None:
        """Count a report under its report year (from the listed title, else the page), for the crawl summary."""
        year = report_year(title) or report_year(_title_of(html))
        self.crawler.stats.inc_value(f"xxgk/years/{year or 'unknown'}")

    def attachment_links(self, response: Response) -> list[str]:
        """Absolute URLs of the files a report page links to, in page order."""
        # the file extension is in the href already: join only those (a page has many more links than files)
        links = (response.urljoin(href) for href in HREFS(response.selector.root) if is_attachment(href))
        return list(dict.fromkeys(url for url in links if is_attachment(url)))

    def attachment_request(self, url: str, document_url: str | None, meta: dict | None = None) -> scrapy.Request:
        meta = {**(meta or {}), "document_url": document_url, "xxgk_conditional": True, "xxgk_file": True}
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error, meta=meta)

    def parse_attachment(self, response: Response) -> Iterator:
        if fault := self.page_fault(response):
            yield from self.capture_item(response.url, response.meta, "attachment", fault_outcome(fault))
            return
        filename = checked_filename(response, self.crawler.stats)
        listed = response.meta.get("document_url") is None and response.meta.get("entry")
        if listed:  # a report published only as a file: a document in its own right, described by its list row
            entry = response.meta["entry"]
            self.count_year(entry.get("title") or "")
            yield DocumentItem(
                site=self.name, url=response.url, status=response.status, html=None, file=True,
                list_title=entry.get("title"), list_date=entry.get("date"), entry=entry,
                column=response.meta.get("column"), attachments=[], capture=capture_of(response),
                unchanged=NOT_MODIFIED_FLAG in response.flags, filename=filename,
            )
        yield AttachmentItem(
            site=self.name, url=response.url, document_url=response.url if listed else response.meta.get("document_url"),
            status=response.status, filename=filename,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            size=len(response.body), sha1=hashlib.sha1(response.body).hexdigest(),
            capture=capture_of(response), unchanged=NOT_MODIFIED_FLAG in response.flags,
        )

    # -- failures -----------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator:
        """Count and log a failed request; store its archived exchange (error or blocked), if there was one."""
        request = failure.request
        kind = request_kind(request.meta)
        if kind == "list":
            self.column_incomplete(request.meta.get("column"))
        if fault := faults.failure_kind(failure):
            faults.count(self.crawler.stats, fault, faults.origin(request))
        if failure.check(Blocked):
            self.logger.warning("gave up on %s: %s", request.url, failure.value)
            yield from self.capture_item(request.url, request.meta, kind, "blocked")
            return
        if failure.check(HttpError):
            response = failure.value.response
            self.logger.warning("HTTP %s for %s", response.status, request.url)
            self.crawler.stats.inc_value(f"xxgk/errors/http_{response.status}")
            yield from self.capture_item(response.url, response.meta, kind, "error")
        else:
            self.logger.error("%s for %s", failure.getErrorMessage() or failure.type.__name__, request.url,
                              extra={"failure": failure})  # what the console sums up as "cannot reach HOST"
            self.crawler.stats.inc_value(f"xxgk/errors/{failure.type.__name__}")
        self.crawler.stats.inc_value("xxgk/errors")

    def capture_item(self, url: str, meta: dict, kind: str, outcome: str) -> Iterator[CaptureItem]:
        """The stored capture of a response that yields nothing else (only if the archive has it)."""
        if meta.get("xxgk_capture"):
            yield CaptureItem(site=self.name, url=url, kind=kind, outcome=outcome, capture=meta["xxgk_capture"])

    def column_incomplete(self, column: str | None) -> None:
        """Note a column whose list was not read whole this crawl: its missing items prove nothing."""
        found = self.crawler.stats.get_value("xxgk/columns/incomplete") or []
        if column and column not in found:
            self.crawler.stats.set_value("xxgk/columns/incomplete", [*found, column])


def reads_something(outputs: list) -> bool:
    """Whether a list reader's outputs hold an entry or a request (for more of the list, or for an entry)."""
    return any(isinstance(o, scrapy.Request) or (isinstance(o, ListingItem) and o["entries"]) for o in outputs)


def request_kind(meta: dict) -> str:
    """list, document or attachment, from what the spider put in a request's meta."""
    if "document_url" in meta:
        return "attachment"
    return "document" if "entry" in meta or "xxgk_parts" in meta else "list"


def report_year(title: str | None) -> int | None:
    """The report year a title names (2019年, 二〇一九年, 二0一九年度), read as extraction reads it, or None."""
    return title_year(title, None)


def _title_of(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html or "", re.S | re.I)
    return match.group(1) if match else ""


def stitch_pages(pages: list[str], container: str) -> str:
    """The first page with the children of every later page's `container` appended to its own container."""
    import lxml.html

    first = lxml.html.document_fromstring(pages[0])
    targets = first.xpath(container) or first.xpath("//body")
    if not targets:
        return "".join(pages)
    for html in pages[1:]:
        part = lxml.html.document_fromstring(html)
        sources = part.xpath(container) or part.xpath("//body")
        for child in list(sources[0]) if sources else ():
            targets[0].append(child)
    return lxml.html.tostring(first, encoding="unicode", doctype="<!DOCTYPE html>")


def capture_of(response: Response) -> dict | None:
    """Where the archive wrote this response (set by archive.capture), if it did."""
    return response.meta.get("xxgk_capture")


def fault_outcome(fault: str) -> str:
    """The stored capture outcome of a response that is no page: blocked (anti-bot) or fault."""
    return "blocked" if fault == "challenge_page" else "fault"


def disposition_filename(response: Response) -> str | None:
    """The file name the server gave in Content-Disposition (GBK-tolerant), as given."""
    disposition = response.headers.get("Content-Disposition") or b""
    match = re.search(rb"filename\*=(?:UTF-8|utf-8)''([^;]+)", disposition) or re.search(
        rb'filename="?([^";]+)"?', disposition
    )
    if not match:
        return None
    raw = unquote(match.group(1).decode("latin-1"), encoding="latin-1").encode("latin-1")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def safe_filename(name: str) -> str:
    """A file name without directories ('../../', 'C:\\'), control characters or leading dots: its last part."""
    name = UNSAFE_CHARS.sub("", name.replace("\\", "/")).rsplit("/", 1)[-1]
    return name.strip().lstrip(".").strip()


def checked_filename(response: Response, stats) -> str:
    """attachment_filename(), counting an unsafe_filename fault when the server's name had to be cut down."""
    filename = attachment_filename(response)
    if filename != (disposition_filename(response) or filename):
        faults.count(stats, "unsafe_filename", response.url)
    return filename


def attachment_filename(response: Response) -> str:
    """The server's file name (Content-Disposition) or the URL's last segment, made safe (safe_filename)."""
    given = safe_filename(disposition_filename(response) or "")
    return given or safe_filename(unquote(urlparse(response.url).path.rsplit("/", 1)[-1]))


DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def row_entry(link) -> dict:
    """A list link, its full title (title attribute) and the date printed in its row."""
    title = link.attrib.get("title") or " ".join(link.xpath("string()").get("").split())
    row = link.xpath("ancestor::li[1] | ancestor::tr[1]")
    dates = DATE_RE.findall(row[-1].xpath("string()").get("")) if row else []
    return {"url": link.attrib["href"], "title": title.strip(), "date": dates[0] if dates else None}


def next_link(response: Response, texts: tuple[str, ...]) -> str | None:
    """The absolute URL of the pager link labelled with one of `texts`, unless it points back at this page."""
    for link in response.xpath("//a[@href]"):
        if link.xpath("normalize-space()").get("") in texts:
            href = link.attrib["href"]
            if href.startswith(("javascript:", "#")):
                continue
            url = response.urljoin(href)
            return url if url != response.url else None
    return None


class LinkListSpider(ColumnSpider):
    """A server-rendered list: entries are the links matching `item_pattern`; a pager link in `next_labels` leads on."""

    item_pattern: ClassVar[re.Pattern]
    next_labels: ClassVar[tuple[str, ...]] = ("下一页", "下页")

    def parse_list(self, response: Response) -> Iterator:
        links = response.xpath("//a[@href]")
        entries = [row_entry(a) for a in links if self.item_pattern.search(a.attrib["href"])]
        yield from self.follow_entries(response, entries)
        next_url = next_link(response, self.next_labels)
        if next_url:
            yield self.list_request(next_url, column=response.meta["column"], page=response.meta["page"] + 1)
