"""Simulated economic-development-zone portal (hnxxjkq.gov.cn) on a home-made CMS of no known family (for discovery and the generic spider).

Modelled on the many small portals whose CMS no public scraper names: a report column at `/zwgk/zfxxgknb/` paged
by `?page=N` with 下一页 links that never stop (any page past the last repeats the last one: a pagination trap),
item links that sometimes carry a `;jsessionid=` (the server ignores it only when it is stripped), one report
published straight as a PDF, a year-titled link that is not a report, and a calendar widget whose 上月/下月 links
lead on forever. The markup is invented (there is nothing to copy), deliberately unlike every known family.
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, esc, meta_value, renders
from crawler.simulator.reports import Report
from crawler.simulator.server import Portal, Reply, Request

SITE = "经济开发区管委会"
COLUMN = "/zwgk/zfxxgknb/"
PER_PAGE = 4
PDF_PATH = "/u/cms/www/202101/2020nb.pdf"
PDF_TITLE = "湘西经开区管委会2020年政府信息公开工作年度报告（PDF）"
SPECS = [(year, agency) for year in range(2014, 2024) for agency in ("湘西经开区管委会", "湘西经开区财政局")][:15]


def content_path(report: Report) -> str:
    return f"{COLUMN}{report.publish_date[:4]}/content_{report.id}.jhtml"


def build(portal: Portal) -> None:
    """Home, 政务公开, the trap-paged column, report pages, a PDF-only report and the calendar."""
    reports = markup.newest_first(markup.generated("generic", SPECS, 9101, 3, 433100))
    items = []
    for n, report in enumerate(reports):
        markup.serve_report(portal, content_path(report), report)
        listed = content_path(report) + (";jsessionid=8E1F3A2B9C0D" if n % 5 == 2 else "")
        items.append((listed, report.title, report.publish_date))
    # the column also lists the 2020 report of the 管委会 as a bare PDF (its page exists too)
    listed_pdf = next(r for r in reports if r.expected["report_year"] == 2020 and r.expected["agency"] == SPECS[0][1])
    portal.add(PDF_PATH, markup.attachment_reply(portal.url(PDF_PATH), PDF_TITLE, listed_pdf))
    portal.attachment_urls.append(portal.url(PDF_PATH))
    items.insert(5, (PDF_PATH, PDF_TITLE, "2021-01-29"))
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/zwgk/", "政务公开"),
                                                                                 ("/tzgg/", "通知公告")])))
    section = markup.link_list([("/zwgk/zcwj/", "政策文件"), (COLUMN, "政府信息公开年报"),
                                ("/zwgk/ghjh/", "2023年工作计划")])
    markup.serve_page(portal, "/zwgk/", markup.frame(SITE, "政务公开", section))
    portal.add(COLUMN, lambda request: column_reply(request, items))
    portal.add("/calendar/", calendar_reply)


def column_reply(request: Request, items: list[tuple[str, str, str]]) -> Reply:
    """Page `page` of the column; past the last page the last page again, with a 下一页 link all the same."""
    count = -(-len(items) // PER_PAGE)
    page = max(int(request.query.get("page") or 1), 1)
    shown = items[(min(page, count) - 1) * PER_PAGE:min(page, count) * PER_PAGE]
    rows = "".join(f'<div class="news-item"><a href="{href}">{escape(title)}</a><em>{date}</em></div>\n'
                   for href, title, date in shown)
    side = ('<div class="side"><a href="/zwgk/ghjh/">2023年工作计划</a> '
            '<div class="calendar"><a href="/calendar/?month=2024-01">上月</a> <a href="/calendar/?month=2024-03">下月</a>'
            "</div></div>")
    pager = f'<div class="pg">第{page}页 <a href="?page={page + 1}">下一页</a></div>'
    html = markup.frame(SITE, "政府信息公开年报", f"{side}<div class=\"news-list\">\n{rows}</div>{pager}",
                        crumbs="首页 &gt; 政务公开 &gt; 政府信息公开年报")
    return Reply(body=markup.encode_page(html, "utf-8"))


def calendar_reply(request: Request) -> Reply:
    """A month of the calendar, linking the month before and after, without end."""
    year, month = (int(part) for part in (request.query.get("month") or "2024-02").split("-"))
    before = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    after = f"{year + (month == 12)}-{month % 12 + 1:02d}"
    body = f'<div class="calendar"><a href="?month={before}">上月</a> {year}年{month}月 <a href="?month={after}">下月</a></div>'
    return Reply(body=markup.encode_page(markup.frame(SITE, "日历", body), "utf-8"))


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("generic")
def render(report: Report) -> str:
    """A home-made CMS of no known family: plain divs, no national meta tags, date in a span."""
    return f"""<html>
<head><meta charset="utf-8"><title>{esc(report.title)}</title></head>
<body>
<div id="nav"><a href="/">网站首页</a> | <a href="/zwgk/">政务公开</a></div>
<div id="main"><h2 class="ctitle">{esc(report.title)}</h2>
<p class="cinfo">时间：<span>{esc(report.publish_date)}</span> 来源：{meta_value(report, '发文机关')}</p>
<div class="cbody">
{blocks_html(report.blocks, indent=False)}
</div>
{attachments_html(report)}</div>
<div id="foot">Copyright 经济开发区管委会</div>
</body>
</html>
"""
