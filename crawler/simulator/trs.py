"""Simulated 延吉市 portal on TRS WCM, served as GBK.

Based on TRS WCM's static publishing: `index.html`, `index_1.html`… list pages whose only page count is the
`createPageHTML(countPage, currentPage, "index", "html")` call (currentPage counts from 0) next to the inline
definition of that function; items link `./{YYYYMM}/t{YYYYMMDD}_{id}.html` relative to the column directory.
Like some real sites, one `index_N` page past the last is left behind as a tiny broken stub.
"""

from __future__ import annotations

import dataclasses
from html import escape
from urllib.parse import urljoin, urlsplit

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, renders
from crawler.simulator.reports import Report, seed_reports
from crawler.simulator.server import Portal, Reply

SITE = "延吉市人民政府"
CHARSET = "GBK"
COLUMN_DIR = "/xxgk/zfxxgknb/"
PER_PAGE = 5

SPECS = [
    (2013, "延吉市"), (2014, "延吉市"), (2015, "延吉市"), (2015, "延吉市河南街道"), (2016, "延吉市进学街道"),
    (2016, "延吉市"), (2017, "延吉市北山街道"), (2017, "延吉市"), (2018, "延吉市新兴街道"), (2018, "延吉市"),
    (2019, "延吉市公园街道"), (2019, "延吉市"), (2020, "延吉市朝阳川镇"), (2020, "延吉市"), (2021, "延吉市依兰镇"), (2021, "延吉市"),
]

CREATE_PAGE_HTML = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;");
  else {
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    var prev = nCurrIndex == 1 ? _sPageName + "." + _sPageExt : _sPageName + "_" + (nCurrIndex - 1) + "." + _sPageExt;
    document.write("<a href=\\"" + prev + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex == _nPageCount - 1) document.write("<span>下一页</span>&nbsp;<span>尾页</span>");
  else {
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\\">尾页</a>");
  }
}"""


def item_name(report: Report, ext: str = "html") -> str:
    compact = report.publish_date.replace("-", "")
    return f"{compact[:6]}/t{compact}_{report.id}.{ext}"


def build(portal: Portal) -> None:
    """Home, 信息公开, the paged column (GBK), report pages, a .htm→.html redirect, a 404 and a stub page."""
    seed = seed_reports()["003"]
    reports = markup.newest_first([seed, *markup.generated("trs", SPECS, 1862301, 211, 222401)])
    moved = reports[4]
    items: list[tuple[str, str, str]] = []
    for report in reports:
        listed = "./" + item_name(report)
        if report is moved:  # listed with the old .htm extension; the server now redirects to .html
            listed = "./" + item_name(report, "htm")
            markup.serve_redirect(portal, COLUMN_DIR + item_name(report, "htm"), COLUMN_DIR + item_name(report))
        markup.serve_report(portal, COLUMN_DIR + item_name(report), report, CHARSET)
        items.append((listed, report.title, report.publish_date))
    missing = "./202101/t20210118_1862299.html"
    items.insert(7, (missing, "延吉市2020年政府信息公开工作年度报告（已撤回）", "2021-01-18"))
    markup.serve_missing(portal, COLUMN_DIR + missing[2:])
    home = markup.frame(SITE, "首页", markup.link_list([("/xxgk/index.html", "信息公开")]), CHARSET)
    markup.serve_page(portal, "/", home, CHARSET)
    section = markup.link_list([("./xxgkzn/index.html", "政府信息公开指南"), ("./zfxxgknb/index.html", "政府信息公开年报")])
    markup.serve_page(portal, "/xxgk/index.html", markup.frame(SITE, "信息公开", section, CHARSET, "首页 &gt; 信息公开"),
                      CHARSET)
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    for number, chunk in enumerate(chunks):
        markup.serve_page(portal, COLUMN_DIR + page_name(number), list_page(chunk, number, len(chunks)), CHARSET)
    markup.serve_page(portal, COLUMN_DIR + page_name(len(chunks)), "<html><body><ul class=\"list\">", CHARSET)


def page_name(number: int) -> str:
    return "index.html" if number == 0 else f"index_{number}.html"


def list_page(items: list[tuple[str, str, str]], number: int, count: int, site: str = SITE) -> str:
    rows = "".join(
        f'<li><a href="{href}" target="_blank" title="{escape(title)}">{escape(title)}</a><span>{date}</span></li>\n'
        for href, title, date in items
    )
    script = (f'<script type="text/javascript">\n{CREATE_PAGE_HTML}\n</script>\n'
              f'<div class="page"><script type="text/javascript">\n'
              f"createPageHTML({count}, {number}, \"index\", \"html\");\n</script></div>")
    body = f'<div class="list_title">政府信息公开年报</div><ul class="list">\n{rows}</ul>\n{script}'
    crumbs = '<a href="../../">首页</a> &gt; <a href="../">信息公开</a> &gt; <a href="./">政府信息公开年报</a>'
    return markup.frame(site, "政府信息公开年报", body, CHARSET, crumbs)


# -- a county's whole report column: hundreds of reports, one per department and year -------------------------

# A county-level city's 政府信息公开年报 column gathers every department's report (延吉市 lists about 40 units a year
# since 2014): 20 items per index_N page, newest first, a third with the statistics tables attached as a PDF.
DEPARTMENTS = (
    "延吉市发展和改革局", "延吉市教育局", "延吉市公安局", "延吉市民政局", "延吉市司法局", "延吉市财政局",
    "延吉市人力资源和社会保障局", "延吉市自然资源局", "延吉市生态环境局", "延吉市住房和城乡建设局", "延吉市交通运输局",
    "延吉市水利局", "延吉市农业农村局", "延吉市商务局", "延吉市文化广播电视和旅游局", "延吉市卫生健康局",
    "延吉市退役军人事务局", "延吉市应急管理局", "延吉市审计局", "延吉市市场监督管理局", "延吉市统计局",
    "延吉市医疗保障局", "延吉市林业局", "延吉市城市管理行政执法局", "延吉市信访局", "延吉市政务服务和数字化建设管理局",
    "延吉市河南街道", "延吉市进学街道", "延吉市北山街道", "延吉市新兴街道", "延吉市公园街道", "延吉市建工街道",
    "延吉市朝阳川镇", "延吉市依兰镇", "延吉市小营镇", "延吉市三道湾镇", "延吉市烟集乡", "延吉市人民政府办公室",
    "延吉市档案馆", "延吉市机关事务管理局",
)
COLUMN_PER_PAGE = 20


def build_column(portal: Portal, count: int = 400) -> None:
    """The 延吉市 column at full size: `count` department reports on index.html, index_1.html… (createPageHTML
    paging, GBK); every 50th listed under its old .htm address (redirected), one listed page withdrawn (404)."""
    specs = [(2023 - n // len(DEPARTMENTS) % 10, DEPARTMENTS[n % len(DEPARTMENTS)]) for n in range(count)]
    reports = markup.newest_first(markup.generated("trs", specs, 2300001, 7, 222402))
    items: list[tuple[str, str, str]] = []
    for number, report in enumerate(reports):
        listed = "./" + item_name(report)
        if number % 50 == 7:
            listed = "./" + item_name(report, "htm")
            markup.serve_redirect(portal, COLUMN_DIR + item_name(report, "htm"), COLUMN_DIR + item_name(report))
        markup.serve_report(portal, COLUMN_DIR + item_name(report), report, CHARSET)
        items.append((listed, report.title, report.publish_date))
    withdrawn = "./202201/t20220120_2299999.html"
    items.insert(len(items) // 2, (withdrawn, "延吉市2021年政府信息公开工作年度报告（已撤回）", "2022-01-20"))
    markup.serve_missing(portal, COLUMN_DIR + withdrawn[2:])
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/xxgk/index.html", "信息公开")]),
                                                 CHARSET), CHARSET)
    chunks = [items[i:i + COLUMN_PER_PAGE] for i in range(0, len(items), COLUMN_PER_PAGE)]
    for number, chunk in enumerate(chunks):
        markup.serve_page(portal, COLUMN_DIR + page_name(number), list_page(chunk, number, len(chunks)), CHARSET)


# -- a second TRS site: long articles split over several pages ----------------------------------------------

MOHRSS_SITE = "人力资源和社会保障部"
MOHRSS_DIR = "/xxgk2020/zfxxgknb/"
MOHRSS_SPECS = [(year, agency) for year in range(2013, 2024) for agency in ("人力资源社会保障部",)]


def build_split(portal: Portal) -> None:
    """A TRS column (createPageHTML paging) whose reports are split over 2–3 pages: t…_{id}.html, t…_{id}_1.html…"""
    reports = markup.newest_first(markup.generated("trs", MOHRSS_SPECS, 4101201, 53, 100001))
    items = []
    for n, report in enumerate(reports):
        parts = split(report, 2 + n % 2) if n % 3 != 2 else None
        path = MOHRSS_DIR + item_name(report)
        if parts is None:
            markup.serve_report(portal, path, report, CHARSET)
        else:
            serve_parts(portal, path, report, parts)
        items.append(("./" + item_name(report), report.title, report.publish_date))
    markup.serve_page(portal, "/", markup.frame(MOHRSS_SITE, "首页", markup.link_list([("/xxgk2020/", "政府信息公开")]), CHARSET),
                      CHARSET)
    section = markup.link_list([("./fdzdgknr/", "法定主动公开内容"), ("./zfxxgknb/", "政府信息公开年报")])
    markup.serve_page(portal, "/xxgk2020/", markup.frame(MOHRSS_SITE, "政府信息公开", section, CHARSET), CHARSET)
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    for number, chunk in enumerate(chunks):
        html = list_page(chunk, number, len(chunks), MOHRSS_SITE)
        markup.serve_page(portal, MOHRSS_DIR + page_name(number), html, CHARSET)
        if number == 0:  # the directory answers with its index page, as web servers do
            markup.serve_page(portal, MOHRSS_DIR, html, CHARSET)


def serve_parts(portal: Portal, path: str, report: Report, parts: list[str]) -> None:
    """Serve each part of a split report; the report counts once, at its first part's address."""
    stem = path.removesuffix(".html")
    for number, html in enumerate(parts):
        part_path = path if number == 0 else f"{stem}_{number}.html"
        body = markup.encode_page(html, CHARSET)
        if number == 0:
            portal.add_report(part_path, report, body, f"text/html; charset={CHARSET}")
        else:
            portal.add(part_path, Reply(body=body, content_type=f"text/html; charset={CHARSET}"))
            portal.part_urls.append(portal.url(part_path))
    for href, text in report.attachments:
        target = urljoin(portal.url(path), href)
        portal.add(urlsplit(target).path, markup.attachment_reply(target, text, report))
        portal.attachment_urls.append(target)


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("trs")
def render(report: Report) -> str:
    """TRS WCM detail page (/{YYYYMM}/t{YYYYMMDD}_{id}.html) on the national site template, served as GBK."""
    title = esc(report.title)
    m = report.meta
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}</title>
<meta name="SiteName" content="延吉市人民政府">
<meta name="SiteDomain" content="www.yanji.gov.cn">
<meta name="SiteIDCode" content="2224010001">
<meta name="ColumnName" content="{esc(report.column_path[-1] if report.column_path else '')}">
<meta name="ColumnType" content="政府信息公开年报">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{esc(report.publish_date)} 09:30">
<meta name="ContentSource" content="{esc(m.get('发文机关') or '')}">
<meta name="Keywords" content="">
<link href="../../images/style.css" rel="stylesheet" type="text/css">
<script type="text/javascript" src="../../images/jquery.js"></script>
</head>
<body>
<div class="top">登录 注册</div>
<div class="head"><img src="../../images/banner.jpg" alt=""></div>
<div class="nav"><a href="../../">首页</a>
<a href="../../zwgk/">政务公开</a>
<a href="../../zwfw/">政务服务</a>
<a href="../../gzcy/">公众参与</a></div>
<div class="container">
<div class="position">您现在的位置：{crumbs_html(report, " &gt;&gt; ")}</div>
<div class="title">{title}</div>
<div class="info">发布日期:{esc(report.publish_date)}&nbsp;&nbsp;&nbsp;&nbsp;点击数:<span id="clicks"></span></div>
<div class="content">
<div class="TRS_Editor">
{blocks_html(report.blocks)}
</div>
</div>
{attachments_html(report)}
<script type="text/javascript">
var clicks = document.getElementById("clicks"); // filled by the click counter
</script>
</div>
<div class="footer">版权所有：延吉市人民政府　网站标识码：2224010001　吉ICP备05000360号</div>
</body>
</html>
"""


def split(report: Report, parts: int) -> list[str]:
    """A long TRS article split into pages t…_{id}.html, t…_{id}_1.html…, each with a share of the blocks and the
    createPageHTML(count, current, "t…_{id}", "html") pager TRS prints under the text (attachments on the last)."""
    stem = f"t{report.publish_date.replace('-', '')}_{report.id}"
    size = -(-len(report.blocks) // parts)
    pages = []
    for number in range(parts):
        chunk = dataclasses.replace(report, blocks=report.blocks[number * size:(number + 1) * size],
                                    attachments=report.attachments if number == parts - 1 else [])
        pager = (f'<div class="page"><script type="text/javascript">createPageHTML({parts}, {number}, "{stem}", '
                 '"html");</script></div>\n')
        html = render(chunk)
        end = html.index("</div>\n", html.index('<div class="TRS_Editor">')) + len("</div>\n")
        pages.append(html[:end] + pager + html[end:])
    return pages
