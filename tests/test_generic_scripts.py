"""Reading what a column page's scripts would do, on markup as real portals write it (quoted from the real pages
described in shared/reference/portals.md: 008 Ordos, 010 mnr.gov.cn, 016 fj.tzxm.gov.cn)."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from spiders import scripts
from spiders.generic import count_page_call, list_entries, next_pages, pager_action, selector


def page(body: str, url: str = "http://www.example.gov.cn/xxgk/nb/index.html") -> HtmlResponse:
    request = Request(url, meta={"column": url, "page": 1})
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8", request=request)


def test_onclick_rows_resolve_through_the_function_the_page_defines():
    response = page("""<script>function applyproject(projectcode, biaoji) {
        window.open("https://fj.tzxm.gov.cn:443/eap/credit.publicShow?projectcode=" + projectcode + "&biaoji=" + biaoji);
    }</script><table><tr class="project" onclick="applyproject('2303-350725','0')">
    <td>某县2022年政府信息公开工作年度报告</td><td>2023-01-20</td></tr></table>""")
    [entry] = list_entries(selector(response), response)
    assert entry["url"] == "https://fj.tzxm.gov.cn:443/eap/credit.publicShow?projectcode=2303-350725&biaoji=0"
    assert entry["title"] == "某县2022年政府信息公开工作年度报告" and entry["date"] == "2023-01-20"


def test_a_call_to_an_unknown_function_gives_no_url():
    response = page("""<table><tr onclick="openDoc('1')"><td>某县2022年政府信息公开工作年度报告</td></tr></table>""")
    assert list_entries(selector(response), response) == []


def test_script_only_pagers():
    gotopage = page("""<script>function gotopage(pageValue) {
        document.infoform_ts_phone.page.value = pageValue; document.infoform_ts_phone.submit(); }</script>
        <form name="infoform_ts_phone" method="post" action="list"><input type="hidden" name="page" value="1"></form>
        <A HREF="#" onclick="gotopage(2);">下一页&raquo;</A>""")
    action = pager_action(selector(gotopage), gotopage, 1)
    assert (action.form, action.fields) == ("infoform_ts_phone", {"page": "2"})
    external = page("""<form id="tableForm1" action="" method="get"><input id="pageNo" type="hidden" name="pageNo"
        value="464"/><input type="button" value="2" onclick="_gotoPage(5392,464,'2');"/></form>""")
    action = pager_action(selector(external), external, 1)
    assert (action.form, action.fields) == ("tableForm1", {"pageNo": "2"}), "the function is in a script file"
    trs = page("""<script>var currentPage = 0;//所在页从0开始
        var countPage = 3//共多少页
        document.write("&nbsp;<a href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>");</script>""")
    assert count_page_call(trs.text) == (3, "index", "html")
    assert next_pages(selector(trs), trs) == ["http://www.example.gov.cn/xxgk/nb/index_1.html",
                                              "http://www.example.gov.cn/xxgk/nb/index_2.html"]


def test_list_endpoints_in_scripts_and_their_json():
    response = page("""<script>$.ajax({url: "/api/list", type: "POST", data: {col: "12", pageIndex: 1},
        success: function (res) { $.each(res.rows, function (i, r) { html += r.title; }); }});
        fetch('/data/items.json?page=1').then(r => r.json());</script>""")
    found = scripts.endpoints(selector(response))
    assert [(e.url, e.method, e.data, e.page_field()) for e in found] == [
        ("/api/list", "POST", {"col": "12", "pageIndex": "1"}, "pageIndex"),
        ("/data/items.json?page=1", "GET", {}, "page")]
    answer = scripts.parse_json('cb({"total": 25, "rows": [{"title": "某县2021年政府信息公开工作年度报告", '
                                '"url": "/a/1.html", "pubDate": "2022/01/28", "syh": "11341126/2022-00001"}]})')
    entries, pages = scripts.json_entries(answer)
    assert entries == [{"url": "/a/1.html", "title": "某县2021年政府信息公开工作年度报告", "date": "2022-01-28",
                        "index_no": "11341126/2022-00001"}]
    assert pages == 25


def test_header_labels_of_a_catalogue_list_describe_its_rows():
    response = page("""<table><tr><th>索 引 号</th><th>名　称</th><th>发布机构</th><th>生成日期</th></tr>
        <tr><td>11341126/2021-00042</td><td><a href="/f/1.pdf">凤阳县2020年政府信息公开工作年度报告</a></td>
        <td>凤阳县人民政府办公室</td><td>2021-01-29</td></tr></table>""")
    [entry] = list_entries(selector(response), response)
    assert entry["index_no"] == "11341126/2021-00042" and entry["publisher"] == "凤阳县人民政府办公室"
    assert entry["written_date"] == "2021-01-29" and entry["date"] is None, "生成日期 is not a publication date"


def test_script_built_tree_nodes():
    response = page("""<script>var zNodes = [{id: 12, pId: 1, name: "政府信息公开年报",
        url: "/xxgk/list.jsp?ClassID=12", target: "listFrame"}];</script>""")
    assert scripts.tree_links(selector(response)) == [("政府信息公开年报", "/xxgk/list.jsp?ClassID=12")]


def test_records_inside_script_xml_cdata_are_links():
    """Hanweb's datastore, read by the generic reading (a family-less site on the same platform)."""
    response = page("""<script type="text/xml"><datastore><recordset>
        <record><![CDATA[<li><a href="/art/2021/1/20/art_4561_1.html" title="漳县2020年政府信息公开工作年度报告">漳县2020年…</a>
        <span>2021-01-20</span></li>]]></record></recordset></datastore></script>""")
    [entry] = list_entries(selector(response), response)
    assert entry == {"url": "http://www.example.gov.cn/art/2021/1/20/art_4561_1.html",
                     "title": "漳县2020年政府信息公开工作年度报告", "date": "2021-01-20"}
