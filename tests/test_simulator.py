"""The simulated portals serve what the crawler meets on the real ones, byte for byte as logged."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlsplit

import pytest

from crawler.simulator import SimulatedPortals
from crawler.sites import load_registry

SITES = ("panjin", "mingguang", "yanji", "zhangxian")
SECTIONS = {
    "panjin": "/html/zwgk/index.html",
    "mingguang": "/xxgk/index.html",
    "yanji": "/xxgk/index.html",
    "zhangxian": "/col/col4550/index.html",
}


def fetch(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    """(status, headers as a dict of lower-case names, raw body) without following redirects or decoding."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    raw_headers = {name.lower(): value for name, value in response.getheaders()}
    data = response.read()
    conn.close()
    return response.status, raw_headers, data


def decode(headers: dict, body: bytes) -> str:
    """Body text in the charset the Content-Type header names."""
    charset = headers["content-type"].partition("charset=")[2] or "utf-8"
    return body.decode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset)


def column_url(portals: SimulatedPortals, site: str) -> str:
    return load_registry()[site].url(load_registry()[site].columns[0], portals.base_urls[site])


def test_base_urls_are_loopback_and_keyed_by_site(portals):
    assert set(portals.base_urls) == set(SITES)
    assert all(url.startswith("http://127.0.0.1:") for url in portals.base_urls.values())
    assert len(set(portals.base_urls.values())) == len(SITES)


@pytest.mark.parametrize("site", SITES)
def test_home_links_section_and_section_links_column(portals, site):
    base = portals.base_urls[site]
    status, _, home = fetch(base + "/")
    assert status == 200 and SECTIONS[site].encode() in home
    status, headers, section = fetch(base + SECTIONS[site])
    assert status == 200
    column_path = load_registry()[site].columns[0]
    text = decode(headers, section)
    assert column_path in text or column_path.rsplit("/", 2)[-2] + "/index.html" in text


@pytest.mark.parametrize("site", SITES)
def test_column_page_is_served(portals, site):
    status, headers, body = fetch(column_url(portals, site))
    assert status == 200 and headers["content-type"].startswith("text/html") and len(body) > 500


@pytest.mark.parametrize("site", SITES)
def test_every_report_and_attachment_is_served(portals, site):
    portal = portals.portals[site]
    assert 15 <= len(portal.report_urls) == len(portal.reports)
    for url in portal.report_urls:
        status, headers, body = fetch(url)
        assert status == 200, url
        assert portal.reports[url].title in decode(headers, body)
    assert portal.attachment_urls
    for url in portal.attachment_urls:
        assert fetch(url)[0] == 200, url


@pytest.mark.parametrize("site", SITES)
def test_gzip_only_when_accepted(portals, site):
    url = portals.portals[site].report_urls[0]
    _, plain_headers, plain = fetch(url)
    status, headers, body = fetch(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert "content-encoding" not in plain_headers
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain and int(headers["content-length"]) == len(body)


@pytest.mark.parametrize("site", SITES)
def test_listed_old_url_redirects_to_a_served_report(portals, site):
    portal = portals.portals[site]
    [(old, new)] = portal.redirects.items()
    status, headers, _ = fetch(old)
    assert status in (301, 302)
    assert portal.url(headers["location"]) == new if headers["location"].startswith("/") else headers["location"] == new
    assert new in portal.report_urls


@pytest.mark.parametrize("site", SITES)
def test_one_listed_entry_is_missing(portals, site):
    [missing] = portals.portals[site].missing_urls
    assert fetch(missing)[0] == 404


def test_panjin_year_subcolumns_page_with_next_links(portals):
    base = portals.base_urls["panjin"]
    column = fetch(base + "/html/zfxxgknb/index.html")[2].decode()
    assert "/html/zfxxgknb2018/index.html" in column and "2015年" in column
    first = fetch(base + "/html/zfxxgknb2018/index.html")[2].decode()
    assert "下一页" in first and 'href="index_2.html">下一页' in first
    assert fetch(base + "/html/zfxxgknb2018/index_3.html")[0] == 200


def test_panjin_big5_gateway_serves_the_toolbar_capture(portals):
    portal = portals.portals["panjin"]
    [(url, report)] = portal.extra_urls.items()
    assert urlsplit(url).path.startswith("/gate/big5/www.panjin.gov.cn/html/zfxxgknb2018/")
    assert report.id == "000" and url not in portal.report_urls
    text = fetch(url)[2].decode()
    assert "當(dāng)" in text


def test_trs_is_gbk_with_a_stub_past_the_last_page(portals):
    base = portals.base_urls["yanji"] + "/xxgk/zfxxgknb/"
    status, headers, body = fetch(base + "index.html")
    assert headers["content-type"] == "text/html; charset=GBK"
    assert b"charset=gb2312" in body and 'createPageHTML(4, 0, "index", "html")' in body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert 'createPageHTML(4, 3, "index", "html")' in fetch(base + "index_3.html")[2].decode("gbk")
    status, _, stub = fetch(base + "index_4.html")
    assert status == 200 and len(stub) < 100


def test_anhui_shell_and_label_pages(portals):
    base = portals.base_urls["mingguang"]
    shell = fetch(column_url(portals, "mingguang"))[2].decode()
    assert "xxgk_navli" not in shell and "/site/label/8888?IsAjax=1&amp;dataType=html" not in shell
    assert "/site/label/8888?IsAjax=1&dataType=html&labelName=publicInfoList" in shell
    query = "IsAjax=1&dataType=html&labelName=publicInfoList&siteId=6790931&organId=6618851&catId=6717391"
    page = fetch(f"{base}/site/label/8888?{query}&pageSize=5&pageIndex=2")[2].decode()
    assert page.count('class="xxgk_navli"') == 5 and "pageCount: 4, current: 2" in page
    assert 'class="xxgk_navli"' not in fetch(f"{base}/site/label/8888?IsAjax=1&pageIndex=1")[2].decode()


def test_anhui_pdf_only_report_with_gbk_filename(portals):
    portal = portals.portals["mingguang"]
    [report] = [r for r in portal.reports.values() if r.attachments and "/group1/M00/" in r.attachments[0][0]]
    assert report.blocks == ["详见附件"]
    pdf_url = portal.url(report.attachments[0][0])
    status, headers, body = fetch(pdf_url, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-type"] == "application/pdf" and "content-encoding" not in headers
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF") and 2000 < len(body) < 500_000
    from crawler.extract.attachments import read_attachment

    text = read_attachment(body, "report.pdf").text
    assert "明光市管店镇" in text and "2012" in text, "the PDF is the report the page points to"
    [sent] = portal.sent.for_url(pdf_url)[-1:]
    [disposition] = [value for name, value in sent["headers"] if name == "Content-Disposition"]
    raw = disposition.encode("latin-1")
    assert raw == 'attachment; filename="明光市管店镇2012年政府信息公开工作年度报告.pdf"'.encode("gbk")


def test_hanweb_datastore_and_dataproxy(portals):
    base = portals.base_urls["zhangxian"]
    column = fetch(column_url(portals, "zhangxian"))[2].decode()
    assert column.count("<record><![CDATA[") == 9 and "totalRecord: 20, perPage: 3" in column
    form = b"col=1&appid=1&webid=2&path=%2F&columnid=4561&sourceContentType=1&unitid=28367&permissiontype=0"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    url = f"{base}/module/web/jpage/dataproxy.jsp?startrecord=10&endrecord=18&perpage=3"
    status, got, xml = fetch(url, "POST", form, headers)
    text = xml.decode()
    assert status == 200 and got["content-type"].startswith("text/xml")
    assert "<totalrecord>20</totalrecord><totalpage>7</totalpage>" in text and text.count("<record>") == 9
    assert "<totalrecord>0</totalrecord>" in fetch(url, "POST", b"columnid=1", headers)[2].decode()


def test_sent_logs_the_bytes_on_the_wire(portals):
    portal = portals.portals["zhangxian"]
    url = portal.report_urls[1]
    status, headers, body = fetch(url, headers={"Accept-Encoding": "gzip"})
    sent = portal.sent.for_url(url)[-1]
    assert sent["method"] == "GET" and sent["status"] == status == 200
    assert sent["body"] == body and gzip.decompress(sent["body"]).startswith(b"<!DOCTYPE")
    assert ("Content-Encoding", "gzip") in sent["headers"]
    assert {name.lower(): value for name, value in sent["headers"]} == headers


def test_subset_and_stop_release_the_port():
    with SimulatedPortals(["yanji"]) as sim:
        assert list(sim.base_urls) == ["yanji"]
        url = sim.base_urls["yanji"] + "/"
        assert fetch(url)[0] == 200
    with pytest.raises(OSError):
        fetch(url)
    with pytest.raises(ValueError):
        SimulatedPortals(["nowhere"])
