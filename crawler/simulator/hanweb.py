"""Simulated 漳县 portal on Hanweb JCMS.

Based on Hanweb JCMS column pages as public scrapers read them: the first records sit inside
`<script type="text/xml"><datastore><nextgroup><![CDATA[..]]></nextgroup><recordset><record><![CDATA[<li>..</li>]]>`
and later ones come from POST `/module/web/jpage/dataproxy.jsp?startrecord=N&endrecord=M&perpage=P` with the form
fields col, appid, webid, path, columnid, sourceContentType, unitid, webname, permissiontype, answering XML with
`<totalrecord>`, `<totalpage>` and 3×perpage records. The jpage call that carries those parameters is a
reconstruction (unverified); older articles lived under `/jcms_files/jcms1/web{n}/site/art/…` (one redirects here).
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, renders
from crawler.simulator.reports import Report, seed_reports
from crawler.simulator.server import Portal, Reply, Request

SITE = "漳县人民政府"
COL, UNIT, WEBID = "4561", "28367", "2"
COLUMN = f"/col/col{COL}/index.html"
PROXY = "/module/web/jpage/dataproxy.jsp"
PER_PAGE = 3
GROUP = 3  # jpage fetches three pages' worth of records per call

SPECS = [
    (2014, "漳县"), (2015, "漳县"), (2016, "漳县"), (2017, "漳县"), (2018, "漳县"), (2020, "漳县"), (2021, "漳县"),
    (2022, "漳县"), (2019, "漳县武阳镇"), (2019, "漳县三岔镇"), (2020, "漳县盐井镇"), (2020, "漳县教育局"),
    (2021, "漳县卫生健康局"), (2021, "漳县新寺镇"), (2022, "漳县殪虎桥镇"), (2022, "漳县财政局"), (2023, "漳县"),
    (2023, "漳县金钟镇"),
]


def art_path(report: Report) -> str:
    year, month, day = (int(part) for part in report.publish_date.split("-"))
    return f"/art/{year}/{month}/{day}/art_{COL}_{report.id}.html"


def record(href: str, title: str, date: str) -> str:
    return f'<li><a href="{href}" title="{escape(title)}" target="_blank">{escape(title)}</a><span>{date}</span></li>'


def build(portal: Portal) -> None:
    """Home, 政务公开, the column with its embedded datastore, dataproxy.jsp, report pages, redirect and 404."""
    seed = seed_reports()["004"]
    reports = markup.newest_first([seed, *markup.generated("hanweb", SPECS, 823401, 157, 621125)])
    moved = reports[-3]
    records: list[str] = []
    for report in reports:
        path = listed = art_path(report)
        if report is moved:
            listed = f"/jcms_files/jcms1/web{WEBID}/site{path}"
            markup.serve_redirect(portal, listed, path, 301)
        markup.serve_report(portal, path, report)
        records.append(record(listed, report.title, report.publish_date))
    missing = f"/art/2021/1/25/art_{COL}_823399.html"
    records.insert(GROUP * PER_PAGE + 1, record(missing, "漳县2020年政府信息公开工作年度报告（旧版）", "2021-01-25"))
    markup.serve_missing(portal, missing)
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/col/col4550/index.html", "政务公开")])))
    section = markup.link_list([("/col/col4552/index.html", "政府信息公开指南"), (COLUMN, "政府信息公开年报")])
    markup.serve_page(portal, "/col/col4550/index.html", markup.frame(SITE, "政务公开", section, crumbs="首页 &gt; 政务公开"))
    markup.serve_page(portal, COLUMN, column_page(records))
    portal.add(PROXY, lambda request: proxy_reply(request, records))


def cdata_records(records: list[str]) -> str:
    return "".join(f"<record><![CDATA[\n{r}\n]]></record>\n" for r in records)


def column_page(records: list[str]) -> str:
    first = records[:GROUP * PER_PAGE]
    nextgroup = (f'<a href="{PROXY}?page=1&appid=1&webid={WEBID}&path=/&columnid={COL}&unitid={UNIT}'
                 f'&webname={SITE}&permissiontype=0"></a>')
    body = f"""<div class="list_title">政府信息公开年报</div>
<div class="default_pgContainer" id="{UNIT}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[{nextgroup}]]></nextgroup>
<recordset>
{cdata_records(first)}</recordset>
</datastore></script></div>
<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>
<script type="text/javascript">
$(function () {{
  $("#{UNIT}").jpage({{
    dataStore: "#{UNIT} script[type='text/xml']", proxyUrl: "{PROXY}",
    totalRecord: {len(records)}, perPage: {PER_PAGE}, groupSize: {GROUP}, barPosition: "bottom",
    ajaxParam: {{col: 1, appid: 1, webid: {WEBID}, path: "/", columnid: {COL}, sourceContentType: 1,
      unitid: {UNIT}, webname: "{SITE}", permissiontype: 0}}
  }});
}});
</script>"""
    crumbs = '<a href="/">首页</a> &gt; <a href="/col/col4550/index.html">政务公开</a> &gt; 政府信息公开年报'
    return markup.frame(SITE, "政府信息公开年报", body, crumbs=crumbs)


def proxy_reply(request: Request, records: list[str]) -> Reply:
    """dataproxy.jsp: records startrecord..endrecord (1-based, inclusive) of the column named in the form."""
    form, query = request.form, request.query
    if request.method != "POST" or form.get("columnid") != COL or form.get("unitid") != UNIT:
        chosen, total = [], 0
    else:
        start = max(int(query.get("startrecord") or 1), 1)
        end = int(query.get("endrecord") or start + GROUP * PER_PAGE - 1)
        chosen, total = records[start - 1:end], len(records)
    per_page = max(int(query.get("perpage") or PER_PAGE), 1)
    body = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
            f"<totalpage>{(total + per_page - 1) // per_page}</totalpage><recordset>\n"
            f"{cdata_records(chosen)}</recordset></datastore>")
    return Reply(body=body.encode(), content_type="text/xml;charset=UTF-8")


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("hanweb")
def render(report: Report) -> str:
    """Hanweb JCMS article page (/art/YYYY/M/D/art_{col}_{id}.html): a frame of nested layout tables."""
    title = esc(report.title)
    m = report.meta
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title>
<meta name="SiteName" content="漳县人民政府">
<meta name="SiteDomain" content="www.zhangxian.gov.cn">
<meta name="SiteIDCode" content="6211250001">
<meta name="ColumnName" content="{esc(report.column_path[-1] if report.column_path else '')}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{esc(report.publish_date)} 16:20">
<meta name="ContentSource" content="{esc(m.get('发文机关') or '')}">
<script language="javascript" src="/script/0/1512111455488540.js"></script>
</head>
<body leftmargin="0" topmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td class="header"><img src="/images/top.jpg" width="1000" height="160"></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td class="dh">当前位置：{crumbs_html(report)}</td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td>
<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="title" align="center">{title}</td></tr>
<tr><td class="bt_info" align="center">发布日期：{esc(report.publish_date)}&nbsp;&nbsp;&nbsp;
信息来源：{esc(m.get('发文机关') or '')}&nbsp;&nbsp;&nbsp;
浏览次数：<script>document.write(1024)</script></td></tr>
<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td class="bt_content">
<div id="zoom">
{blocks_html(report.blocks)}
</div>
</td></tr></table></td></tr>
<tr><td>{attachments_html(report)}</td></tr>
<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td align="left">[ <a href="javascript:window.print()">打印本页</a> | <a href="javascript:window.close()">关闭窗口</a> ]
分享到:<span class="bdsharebuttonbox">
<a href="#" class="bds_weixin"></a><a href="#" class="bds_tsina"></a></span></td>
<td align="right">责任编辑:漳县管理员</td></tr></table></td></tr>
</table></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td class="footer" align="center">主办：漳县人民政府办公室　网站标识码：6211250001　陇ICP备09001234号<br>
<img src="/images/qrcode.jpg" alt="扫一扫"></td></tr></table>
</td></tr></table>
</body>
</html>
"""
