"""Generated portals for the benchmarks: a static tree of list pages, report pages and attachments per site.

Four registered sites are rebuilt at crawl scale: three on TRS WCM (createPageHTML `index_N` paging) and the
old Panjin CMS (year sub-columns paged with 下一页). Report pages are the simulator's: `generated_report` on the
seed texts (6–20 KB each, rotated across seeds so pages vary in size) rendered by `render_report` in the
site's family template; every third report links a PDF. The tree is written once per size and reused.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from crawler.simulator import markup, panjin, trs
from crawler.simulator.render import render_report
from crawler.simulator.reports import Report, generated_report

CACHE = Path(__file__).resolve().parent / ".cache"
FORMAT = 2  # bump when the generated tree changes
PER_PAGE = 20
# (registry site, family, column directory, report ids start); columns match crawler/sites.toml
SITES = (
    ("yanji", "trs", "/xxgk/zfxxgknb/", 3_000_001),
    ("hebei", "trs", "/xxgk/zfxxgknb/", 5_000_001),
    ("mohrss", "trs", "/xxgk2020/zfxxgknb/", 7_000_001),
    ("panjin", "panjin", "/html/zfxxgknb/", 900_001),
)
# the seed text a report borrows (a family of reports.SEED_OF_FAMILY), rotated per report
TEXTS = ("trs", "hanweb", "anhui", "panjin")
AGENCIES = ("河南街道", "进学街道", "北山街道", "新兴街道", "公园街道", "朝阳川镇", "依兰镇", "小营镇", "三道湾镇",
            "白龙街道", "东山街道", "西城街道", "南关街道", "建设街道", "丹江街道", "长白山镇")
ASSETS = ("/css/style.css", "/js/jquery.min.js", "/images/logo.png", "/images/ewm.png", "/xxgk/images/style.css",
          "/xxgk/images/jquery.js", "/xxgk/images/banner.jpg", "/xxgk2020/images/style.css",
          "/xxgk2020/images/jquery.js", "/xxgk2020/images/banner.jpg", "/favicon.ico")


@dataclass(frozen=True)
class Tree:
    """A generated portal set on disk: one directory per site, with what it holds."""

    root: Path
    sites: dict[str, dict]  # site -> {"column": path, "family": …, "reports": n, "list_pages": n, "attachments": n}

    @property
    def urls(self) -> int:
        """HTTP URLs a complete crawl fetches (robots.txt and page requisites aside)."""
        return sum(s["reports"] + s["list_pages"] + s["attachments"] for s in self.sites.values())

    def report_files(self, limit: int | None = None) -> list[tuple[Path, str, str]]:
        """(file, path on the site, site) of report pages, spread over every site."""
        found = [(self.root / site / path.lstrip("/"), path, site)
                 for site, info in self.sites.items() for path in info["report_paths"]]
        step = max(1, len(found) // limit) if limit else 1
        return found[::step][:limit]


def build(urls: int, cache: Path = CACHE) -> Tree:
    """The tree of about `urls` URLs over the four sites, generated unless already cached."""
    root = cache / f"portals-{FORMAT}-{urls}"
    manifest = root / "manifest.json"
    if manifest.exists():
        return Tree(root, json.loads(manifest.read_text(encoding="utf-8")))
    partial = root.with_name(root.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    per_site = urls // len(SITES)
    reports = max(PER_PAGE, round(per_site / (1 + 1 / PER_PAGE + 1 / 3)))
    sites = {}
    for name, family, column, first_id in SITES:
        writer = _site_writer(partial / name)
        writer("/robots.txt", b"User-agent: *\nDisallow:\n")
        for asset in ASSETS:
            writer(asset, b"/* bench asset */\n")
        made = (_trs_site if family == "trs" else _panjin_site)(writer, name, column, reports, first_id)
        sites[name] = {"family": family, **made}
    (partial / "manifest.json").write_text(json.dumps(sites, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    partial.rename(root)
    return Tree(root, sites)


def _site_writer(directory: Path):
    """A function writing one file of a site's tree by its URL path."""

    def write(path: str, body: bytes) -> None:
        target = directory / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)

    return write


def _reports(family: str, count: int, first_id: int) -> Iterator[Report]:
    """`count` reports on `family`'s template, newest first, their text borrowed from the seeds in turn."""
    for n in range(count):
        year = 2023 - (n * 16 // count)
        agency = AGENCIES[n % len(AGENCIES)]
        date = f"{year + 1}-{1 + n % 3:02d}-{1 + n % 28:02d}"
        report = generated_report(TEXTS[n % len(TEXTS)], year, agency, str(first_id + n), date)
        yield replace(report, family=family, column_path=report.column_path or ["政府信息公开年报"])


def _attachments(writer, report: Report) -> int:
    for href, _ in report.attachments:
        writer(href, markup.pdf_bytes(href))
    return len(report.attachments)


def _trs_site(writer, site: str, column: str, count: int, first_id: int) -> dict:
    """A TRS column: index.html, index_1.html… (GBK) listing t{YYYYMMDD}_{id}.html report pages."""
    items, paths, attachments = [], [], 0
    for report in _reports("trs", count, first_id):
        path = column + trs.item_name(report)
        writer(path, markup.encode_page(render_report(report), trs.CHARSET))
        attachments += _attachments(writer, report)
        items.append(("./" + trs.item_name(report), report.title, report.publish_date))
        paths.append(path)
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    for number, chunk in enumerate(chunks):
        html = trs.list_page(chunk, number, len(chunks), f"{site}人民政府")
        writer(column + trs.page_name(number), markup.encode_page(html, trs.CHARSET))
    return {"column": column + "index.html", "reports": len(paths), "list_pages": len(chunks),
            "attachments": attachments, "report_paths": paths}


def _panjin_site(writer, site: str, column: str, count: int, first_id: int) -> dict:
    """The Panjin column page linking year sub-columns, each paged index.html, index_2.html…"""
    by_year: dict[int, list[tuple[str, str, str]]] = {}
    paths, attachments = [], 0
    for report in _reports("panjin", count, first_id):
        year = panjin.report_year(report)
        path = panjin.item_path(report, f"zfxxgknb{year}")
        writer(path, markup.encode_page(render_report(report), "utf-8"))
        attachments += _attachments(writer, report)
        by_year.setdefault(year, []).append((path, report.title, report.publish_date))
        paths.append(path)
    years = sorted(by_year, reverse=True)
    writer(column + "index.html", markup.encode_page(panjin.column_page(years), "utf-8"))
    list_pages = 1
    for year, items in by_year.items():
        chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
        for number, chunk in enumerate(chunks, 1):
            html = panjin.year_page(year, years, chunk, number, len(chunks), len(items))
            writer(f"/html/zfxxgknb{year}/" + panjin.page_name(number), markup.encode_page(html, "utf-8"))
        list_pages += len(chunks)
    return {"column": column + "index.html", "reports": len(paths), "list_pages": list_pages,
            "attachments": attachments, "report_paths": paths}
