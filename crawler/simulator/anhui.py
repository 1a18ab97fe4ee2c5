"""Simulated 明光市管店镇 column on the Anhui provincial disclosure platform (unit 6618851).

Based on public scrapers of *.ah.gov.cn platform sites: the column page `/public/column/{unit}?type=4&action=list
&nav=..&catId=..` is a shell whose script loads `/site/label/8888?IsAjax=1&dataType=html&labelName=publicInfoList
&siteId=..&pageSize=..&pageIndex=N&..&organId=..&catId=..&file=..`; the answer lists `div.xxgk_navli` items
(`<a href title>` + `span.date`) and a pager configured with `pageCount`. Pre-2019 items lived under
`/UserData/DocHtml/{n}/YYYY/M/D/{id}.html` (here one redirects to its new address); attachments under `/group1/M00/`.
"""

from __future__ import annotations

import dataclasses
from html import escape
from urllib.parse import quote

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, renders
from crawler.simulator.reports import Report, expected_text, seed_reports
from crawler.simulator.server import Portal, Reply, Request

SITE = "明光市人民政府"
UNIT, CAT, SITE_ID = "6618851", "6717391", "6790931"
COLUMN_PATH = f"/public/column/{UNIT}"
PAGE_SIZE = 5
LABEL_FILE = "/c2/mgxxgk/publicInfoList_newest"
AGENCY = "明光市管店镇"
PDF_ONLY_YEAR = 2012
PDF_PATH = "/group1/M00/00/3C/rBAAaGBd0kiAQx1nAAAi4Lm0ZtA123.pdf"

SPECS = [(year, AGENCY) for year in range(2010, 2024)]


def item_path(report: Report) -> str:
    return f"/public/{UNIT}/{report.id}.html"


def old_path(report: Report) -> str:
    """Where the pre-2019 platform published a report: /UserData/DocHtml/{n}/YYYY/M/D/{id}.html."""
    year, month, day = (int(part) for part in report.publish_date.split("-"))
    return f"/UserData/DocHtml/731/{year}/{month}/{day}/{report.id}.html"


def pdf_only(report: Report) -> Report:
    """The report as published only as a PDF: the page body just points at the attachment."""
    name = f"{AGENCY}{PDF_ONLY_YEAR}年政府信息公开工作年度报告.pdf"
    expected = {**report.expected, "text": expected_text(["详见附件"])}
    return dataclasses.replace(report, blocks=["详见附件"], attachments=[(PDF_PATH, name)], expected=expected,
                               file_blocks=report.blocks)


def build(portal: Portal) -> None:
    """Home, 信息公开, the shell column, the label AJAX list, report pages, a PDF-only report, redirect and 404."""
    seed = seed_reports()["001"]
    reports = [seed, *markup.generated("anhui", SPECS, 8284101, 1093, 341182)]
    reports = markup.newest_first([pdf_only(r) if r.publish_date.startswith(str(PDF_ONLY_YEAR + 1)) else r
                                   for r in reports])
    moved = reports[-2]  # listed at its pre-2019 platform address, which now redirects
    items: list[tuple[str, str, str]] = []
    for report in reports:
        path = listed = item_path(report)
        if report is moved:
            listed = old_path(report)
            markup.serve_redirect(portal, listed, path, 302)
        markup.serve_report(portal, path, report)
        items.append((listed, report.title, report.publish_date))
    missing = f"/public/{UNIT}/8283999.html"
    items.insert(3, (missing, f"{AGENCY}2020年政府信息公开工作年度报告（草稿）", "2021-01-20"))
    markup.serve_missing(portal, missing)
    column = f"{COLUMN_PATH}?type=4&action=list&nav=3&catId={CAT}"
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/xxgk/index.html", "信息公开")])))
    section = markup.link_list([(f"/public/column/{UNIT}?type=4&action=list&nav=1&catId=6717381", "政府信息公开指南"),
                                (column, "政府信息公开年报")])
    markup.serve_page(portal, "/xxgk/index.html", markup.frame(SITE, "信息公开", section, crumbs="首页 &gt; 信息公开"))
    portal.add(COLUMN_PATH, shell_route(column))
    portal.add("/site/label/8888", lambda request: label_reply(request, items))


def label_url() -> str:
    """The AJAX list URL as the shell page's script spells it (first page)."""
    params = [
        ("IsAjax", "1"), ("dataType", "html"), ("labelName", "publicInfoList"), ("siteId", SITE_ID),
        ("pageSize", str(PAGE_SIZE)), ("pageIndex", "1"), ("action", "list"), ("isDate", "true"),
        ("dateFormat", "yyyy-MM-dd"), ("length", "50"), ("organId", UNIT), ("type", "4"), ("catId", CAT),
        ("cId", ""), ("result", quote("暂无相关信息")), ("file", quote(LABEL_FILE, safe="")),
    ]
    return "/site/label/8888?" + "&".join(f"{key}={value}" for key, value in params)


def shell_route(column: str):
    """The column shell page: no items, only the script that loads them."""
    def route(request: Request) -> Reply | None:
        if request.query.get("catId") != CAT:
            return None
        body = f"""<div class="xxgk_left"><ul><li class="on"><a href="{column}">政府信息公开年报</a></li></ul></div>
<div class="xxgk_right"><div class="xxgk_title"><span>政府信息公开年报</span></div>
<div class="xxgk_lmcon" id="xxgk_lmcon"><div class="loading">正在加载……</div></div></div>
<script type="text/javascript">
  var publicInfoUrl = "{label_url()}";
  $(function () {{
    $("#xxgk_lmcon").load(publicInfoUrl + "&_=" + Math.random());
  }});
</script>"""
        crumbs = '<a href="/">首页</a> &gt; <a href="/xxgk/index.html">信息公开</a> &gt; 政府信息公开年报'
        html = markup.frame(SITE, "政府信息公开年报", body, crumbs=crumbs)
        return Reply(body=markup.encode_page(html, "utf-8"), content_type="text/html; charset=utf-8")
    return route


def label_reply(request: Request, items: list[tuple[str, str, str]]) -> Reply:
    """One page of publicInfoList for the requested unit, category, page size and page index."""
    query = request.query
    if query.get("labelName") != "publicInfoList" or query.get("organId") != UNIT or query.get("catId") != CAT:
        return Reply(body="<div class=\"xxgk_nav_con\">暂无相关信息</div>".encode())
    size = max(int(query.get("pageSize") or 15), 1)
    index = max(int(query.get("pageIndex") or 1), 1)
    count = max((len(items) + size - 1) // size, 1)
    rows = "".join(
        f'<div class="xxgk_navli"><span class="xh">{n}</span><a href="{href}" title="{escape(title)}" '
        f'target="_blank">{escape(title)}</a><span class="date">{date}</span></div>\n'
        for n, (href, title, date) in enumerate(items[(index - 1) * size:index * size], (index - 1) * size + 1)
    )
    body = f"""<div class="xxgk_nav_con">
{rows}</div>
<div class="xxgk_page"><div class="pagination" id="pagination_{CAT}"></div><span class="total">共{len(items)}条</span></div>
<script type="text/javascript">
$("#pagination_{CAT}").pagination({{pageCount: {count}, current: {index}, jump: true, coping: true,
  prevContent: "上页", nextContent: "下页",
  callback: function (api) {{ $("#xxgk_lmcon").load(publicInfoUrl.replace("pageIndex=1", "pageIndex=" + api.getCurrent())); }}
}});
</script>"""
    return Reply(body=body.encode())


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("anhui")
def render(report: Report) -> str:
    """Anhui provincial disclosure platform (/public/{unit}/{id}.html): th/td 索引 table, div.wzcon body."""
    m = report.meta
    rows = [("索引号", "索引号", "信息分类", "主题分类"), ("发布机构", "发文机关", "生成日期", "成文日期"),
            ("名称", "标题"), ("文号", "发文字号", "关键词", "主题词")]
    trs = []
    for row in rows:
        cells = []
        for label, key in zip(row[::2], row[1::2], strict=True):
            span = ' colspan="3"' if len(row) == 2 else ""
            cells.append(f"<th>{label}：</th><td{span}>{esc(m.get(key) or '')}</td>")
        trs.append("<tr>" + "".join(cells) + "</tr>")
    title = esc(report.title)
    shown = esc(m.get("发布日期") or report.publish_date)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}_明光市人民政府信息公开网</title>
<meta name="SiteName" content="明光市人民政府">
<meta name="SiteDomain" content="www.mingguang.gov.cn">
<meta name="SiteIDCode" content="3411820001">
<meta name="ColumnName" content="{esc(report.column_path[-1] if report.column_path else '')}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{shown}">
<link rel="stylesheet" href="/assets/css/xxgk.css">
<script src="/assets/js/jquery.min.js"></script>
</head>
<body>
<div class="header"><div class="wrap"><div class="logo">
<a href="/"><img src="/assets/images/xxgk_logo.png" alt="政府信息公开"></a></div>
<div class="search"><form action="/site/search/" method="get">
<input type="text" name="keywords" placeholder="请输入关键词">
<button type="submit">搜索</button></form></div></div></div>
<div class="wrap">
<div class="wz">当前位置：{crumbs_html(report)}</div>
<div class="xxgk_content">
<table class="table_suoyin" cellspacing="0" cellpadding="0" border="0">
{chr(10).join(trs)}
</table>
<div class="newsdetail">
<h1 class="newstitle">{title}</h1>
<div class="newsinfo"><span>发布时间:{shown}</span> <span>来源:</span> 【字体:
<a href="javascript:void(0)" class="fontb">大</a>
<a href="javascript:void(0)" class="fontm">中</a>
<a href="javascript:void(0)" class="fonts">小</a>】
<a href="javascript:window.print()">打印</a></div>
<div class="wzcon j-fontContent">
{blocks_html(report.blocks)}
</div>
{attachments_html(report)}
<div class="ewm"><img src="/assets/images/qrcode.png" alt=""><p>扫一扫在手机打开当前页</p></div>
</div></div></div>
<div class="footer"><p>主办单位：明光市人民政府办公室　地址：明光市明光大道</p>
<p>网站标识码：3411820001　皖ICP备05012345号</p></div>
</body>
</html>
"""
