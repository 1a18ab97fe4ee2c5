"""Simulated 杭州市 report column on Hanweb's xxgk (information-disclosure) module.

Based on public scrapers of zj.gov.cn, hangzhou.gov.cn and sthjt.zj.gov.cn: the column page's script POSTs
`/module/xxgk/search.jsp?standardXxgk=0&isAllList=1&texttype=0&fbtime=-1&…&currpage=N&sortfield=…` with the form
fields infotypeId, jdid, area, divid (+ the query's own fields), and the answer is an HTML fragment whose rows carry
their metadata as attributes of the link (`mc` title, `wh` 文号, `syh` 索引号, `rq` date) with a 第N/M页 pager.
Per-year report pages come from `/module/xxgk/xxgkAnnualReport.jsp?fbtime=YYYY&area=…` with the same rows.
The exact row and pager markup is a reconstruction (unverified).
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, meta_value, national_head, renders
from crawler.simulator.reports import Report
from crawler.simulator.server import Portal, Reply, Request

SITE = "杭州市人民政府"
COL, AREA, JDID, INFOTYPE, DIVID = "1229063387", "002489580", "149", "C0201", "div1229063387"
COLUMN = f"/col/col{COL}/index.html"
SEARCH = "/module/xxgk/search.jsp"
ANNUAL = "/module/xxgk/xxgkAnnualReport.jsp"
PER_PAGE = 4
SEARCH_QUERY = ("standardXxgk=0&isAllList=1&texttype=0&fbtime=-1&vc_all=&vc_filenumber=&vc_title=&vc_number="
                "&currpage=1&sortfield=,compaltedate:0")

SPECS = [(year, agency) for year in range(2014, 2024) for agency in ("杭州市", "杭州市上城区")][:17]


def art_path(report: Report) -> str:
    year, month, day = (int(part) for part in report.publish_date.split("-"))
    return f"/art/{year}/{month}/{day}/art_{COL}_{report.id}.html"


def row(report: Report, href: str) -> str:
    """One list row: the link carries title, 文号, 索引号 and date as attributes."""
    syh = report.meta.get("索引号") or f"002489580/{report.publish_date[:4]}-{report.id[-5:]}"
    return (f'<tr><td class="xxgk_tit"><a href="{href}" target="_blank" mc="{escape(report.title)}" wh="" '
            f'syh="{escape(syh)}" rq="{report.publish_date}">{escape(report.title)}</a></td>'
            f'<td class="xxgk_date">{report.publish_date}</td></tr>')


def build(portal: Portal) -> None:
    """Home, 政务公开, the column shell, search.jsp (POST, currpage), xxgkAnnualReport.jsp and the report pages."""
    reports = markup.newest_first(markup.generated("hanweb_xxgk", SPECS, 7010301, 131, 330100))
    rows: list[tuple[Report, str]] = []
    for report in reports:
        markup.serve_report(portal, art_path(report), report)
        rows.append((report, art_path(report)))
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/col/col1229063380/index.html",
                                                                                 "政务公开")])))
    section = markup.link_list([("/col/col1229063381/index.html", "政府信息公开指南"), (COLUMN, "政府信息公开年报")])
    markup.serve_page(portal, "/col/col1229063380/index.html", markup.frame(SITE, "政务公开", section))
    years = sorted({int(r.publish_date[:4]) - 1 for r, _ in rows}, reverse=True)
    markup.serve_page(portal, COLUMN, column_page(years))
    portal.add(SEARCH, lambda request: search_reply(request, rows))
    portal.add(ANNUAL, lambda request: annual_reply(request, rows))


def column_page(years: list[int]) -> str:
    links = "".join(f'<li><a href="{ANNUAL}?fbtime={year}&area={AREA}">{year}年度报告</a></li>' for year in years)
    body = f"""<div class="xxgk_left"><ul class="nb_years">{links}</ul></div>
<div class="xxgk_right" id="{DIVID}"></div>
<script type="text/javascript">
function search(currpage) {{
  $.ajax({{
    url: "{SEARCH}?{SEARCH_QUERY}".replace("currpage=1", "currpage=" + currpage),
    type: "POST",
    data: {{infotypeId: "{INFOTYPE}", jdid: "{JDID}", area: "{AREA}", divid: "{DIVID}", vc_title: "",
           vc_number: "", sortfield: ",compaltedate:0"}},
    success: function (html) {{ $("#{DIVID}").html(html); }}
  }});
}}
search(1);
</script>"""
    return markup.frame(SITE, "政府信息公开年报", body, crumbs="首页 &gt; 政务公开 &gt; 政府信息公开年报")


def table(rows: list[tuple[Report, str]]) -> str:
    return '<table class="xxgk_list">' + "".join(row(r, href) for r, href in rows) + "</table>"


def search_reply(request: Request, rows: list[tuple[Report, str]]) -> Reply:
    """search.jsp: page `currpage` of the rows, only for a POST naming this column's infotypeId and area."""
    form = request.form
    if request.method != "POST" or form.get("infotypeId") != INFOTYPE or form.get("area") != AREA:
        return Reply(body='<div class="xxgk_none">暂无信息</div>'.encode())
    count = max(-(-len(rows) // PER_PAGE), 1)
    page = min(max(int(request.query.get("currpage") or form.get("currpage") or 1), 1), count)
    chosen = rows[(page - 1) * PER_PAGE:page * PER_PAGE]
    pager = (f'<div class="xxgk_page">共{len(rows)}条 第{page}/{count}页 '
             f'<a href="javascript:search({min(page + 1, count)})">下一页</a></div>')
    return Reply(body=(table(chosen) + pager).encode())


def annual_reply(request: Request, rows: list[tuple[Report, str]]) -> Reply:
    """xxgkAnnualReport.jsp: the reports on the year `fbtime` (report year) of the area."""
    if request.query.get("area") != AREA:
        return Reply(body='<div class="xxgk_none">暂无信息</div>'.encode())
    year = request.query.get("fbtime", "")
    chosen = [(r, href) for r, href in rows if str(int(r.publish_date[:4]) - 1) == year]
    html = markup.frame(SITE, f"{year}年度报告", table(chosen))
    return Reply(body=markup.encode_page(html, "utf-8"))


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("hanweb_xxgk")
def render(report: Report) -> str:
    """Hanweb xxgk-module article: metadata in div.bt-article-y as <td><b>label</b></td><td>value</td>, body #zoom."""
    pairs = [("索引号", "索引号"), ("发布机构", "发文机关"), ("生成日期", "成文日期"), ("公开方式", None),
             ("文号", "发文字号"), ("组配分类", "主题分类")]
    cells = "".join(f"<td><b>{label}：</b></td><td>{meta_value(report, key) if key else '主动公开'}</td>"
                    + ("</tr><tr>" if n % 2 else "") for n, (label, key) in enumerate(pairs))
    return f"""<!DOCTYPE html>
<html>
{national_head(report, "杭州市人民政府", "3301000016", "www.hangzhou.gov.cn")}
<body>
<div class="top">无障碍 | 长者模式 | 繁體</div>
<div class="position">当前位置：{crumbs_html(report)}</div>
<div class="bt-article-y"><table class="xxgk_table"><tr>{cells}</tr>
<tr><td><b>名称：</b></td><td colspan="3">{esc(report.title)}</td></tr></table></div>
<div class="bt-article-title"><h1>{esc(report.title)}</h1></div>
<div class="bt-article-info">发布日期：{esc(report.publish_date)}</div>
<div id="zoom">
{blocks_html(report.blocks)}
</div>
{attachments_html(report)}
<div class="bt-article-tools">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
<div class="footer">主办：杭州市人民政府办公厅　网站标识码：3301000016</div>
</body>
</html>
"""
