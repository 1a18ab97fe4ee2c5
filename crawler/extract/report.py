"""Report-level facts: the year a report covers and the government it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from crawler.extract.chinese import normalise_numerals
from crawler.extract.document import text_holders

YEAR = r"((?:19|20)\d{2})"
TITLE_YEAR = re.compile(YEAR + r"\s*年")
TEXT_YEAR = (re.compile(r"统计期限[为是]?\s*[自从]?\s*" + YEAR + r"\s*年"), re.compile(YEAR + r"\s*年度"),
             re.compile(r"截[至止]\s*" + YEAR + r"\s*年\s*12\s*月\s*31\s*日"))
LEADING_YEAR = re.compile(r"^\s*(?:关于)?\s*" + YEAR + r"\s*年度?")
AGENCY_END = re.compile(YEAR + r"\s*年|(?:人民)?政府信息公开|政务公开|信息公开|年度报告|工作报告|工作年报")
BREADCRUMB = re.compile(r"(?:当前位置|您的位置|您现在的位置|所在位置|当前的位置)\s*[:：]?")
CRUMB_SEP = re.compile(r"\s*(?:>|»|›|＞|→|/)+\s*")
HOME = {"首页", "网站首页", "主页", "首 页"}


# What makes a title a 政府信息公开工作年度报告: the disclosure phrase, then a report word within a few characters
# (信息公开工作二00九年度报告, 政府信息公开年报, 政务公开工作年度报告); a title that goes on after it, or opens
# as a reading of it, is another document about the report (通知 on compiling it, 解读, 一图读懂).
REPORT_TITLE = re.compile(r"(?:政府|政务)?信息公开|政务公开")
REPORT_WORD = re.compile(r"年度报告|年报|工作报告|情况报告|报告|情况统计表|统计表")  # 统计表: the report's own tables
AFTER_REPORT = re.compile(r"^[\s(（\[【《》“”\"]*(?:(?:19|20)\d{2}\s*年度?|全文|文字版|正文|修订版|更正版|图文版|[.．](?:pdf|docx?|wps|xlsx?))?"
                          r"[\s)）\]】》“”\"]*$", re.IGNORECASE)
ABOUT_REPORT = re.compile(r"^[\s【\[]*(?:图解|图说|一图读懂|一图看懂|图文解读|解读|政策解读)")
OTHER_KIND = re.compile(r"(?:通知|决定|公告|公报|通报|意见|办法|方案|规划|批复|复函|函|令|规定|细则|纪要|会议|讲话|要点|计划"
                        r"|总结|指南|目录|制度|条例|公示|简报|解读|动态|新闻|信息发布)[\s)）\]】》”]*$")
TEMPLATE_HEADS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼")
BODY_HEAD = 2000  # characters of the body where a report says what it is


@dataclass(frozen=True)
class Classified:
    """What a document is: a government's 政府信息公开工作年度报告 for a year, or something else (year and agency None)."""

    is_report: bool
    year: int | None = None
    agency: str | None = None


def classify(title: str | None, text: str | None = None) -> Classified:
    """Classify a document before reading a year into it: an annual report by its title, else by its opening text."""
    title = " ".join(normalise_numerals(title or "").split())
    if not (is_report_title(title) or (not OTHER_KIND.search(title) and _report_text(text))):
        return Classified(False)
    return Classified(True, report_year(title, text), agency(title))


def is_report_title(title: str) -> bool:
    """True for a title naming an annual disclosure report (and nothing after it but a year, 全文 or a file type)."""
    title = normalise_numerals(title)
    if not title or ABOUT_REPORT.search(title) or OTHER_KIND.search(title):
        return False
    for phrase in REPORT_TITLE.finditer(title):
        for word in REPORT_WORD.finditer(title, phrase.end(), phrase.end() + 20):
            if AFTER_REPORT.match(title[word.end():]):
                return True
    return False


def _report_text(text: str | None) -> bool:
    """True when a body opens as an annual disclosure report (its own title line, or the template's statements)."""
    head = (text or "")[:BODY_HEAD]
    if "信息公开" not in head and "政务公开" not in head:
        return False
    lines = (line.strip(" |") for line in head.splitlines()[:15])
    if any(len(line) <= 80 and is_report_title(line) for line in lines):
        return True
    return "年度报告" in head and (sum(h in (text or "") for h in TEMPLATE_HEADS) >= 2 or bool(TEXT_YEAR[0].search(head)))


def report_year(title: str | None, text: str | None) -> int | None:
    """Year the report covers, from its title, else from 统计期限/年度 in the text; never the publication date."""
    if title and (m := TITLE_YEAR.search(normalise_numerals(title))):
        return int(m.group(1))
    head = normalise_numerals((text or "")[:3000])
    for pattern in TEXT_YEAR:
        if m := pattern.search(head):
            return int(m.group(1))
    return None


def agency(title: str | None) -> str | None:
    """Government the report is about: the title's name before the year or 政府信息公开 (人民政府 dropped)."""
    if not title:
        return None
    name = LEADING_YEAR.sub("", normalise_numerals(" ".join(title.split())))
    name = re.sub(r"^关于", "", name.strip())
    m = AGENCY_END.search(name)
    if not m:
        return None
    name = name[: m.start()].strip(" 　:：-—_·《》“”\"")
    for suffix in ("人民政府", "政府"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name.removesuffix(suffix)
            break
    return name or None


def column_path(root: lxml.html.HtmlElement) -> str | None:
    """Breadcrumb after 首页 joined with " > ", from the 当前位置 element."""
    # the first breadcrumb text, walked in order: it sits near the top, so most of the page is never read
    holder = next((element for body in root.iter("body") for node, element in text_holders(body)
                   if BREADCRUMB.search(node)), None)
    if holder is None:
        return None
    text = " ".join(holder.text_content().split())
    crumbs = [c for c in CRUMB_SEP.split(BREADCRUMB.split(text, maxsplit=1)[-1]) if c.strip()]
    while crumbs and crumbs[0].replace(" ", "") in HOME:
        crumbs.pop(0)
    return " > ".join(crumbs) or None


SECTION_HEAD = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(.*)$")
SECTION_NUMBERS = "一二三四五六七八九十"
HEAD_END = re.compile(r"[。：:；;，,]")


def sections(text: str | None) -> list[dict]:
    """The report's numbered sections 一、二、… in order: number, heading and text (table rows stay in their section)."""
    out: list[dict] = []
    for line in (text or "").splitlines():
        m = SECTION_HEAD.match(line)
        if m and "|" not in line and SECTION_NUMBERS.find(m.group(1)) == len(out):
            rest = m.group(2).strip()
            cut = HEAD_END.search(rest)
            heading = rest[: cut.start()] if cut and len(rest) > 30 else rest
            body = rest[len(heading):].lstrip("。：:；;，, ")
            out.append({"no": len(out) + 1, "heading": heading, "text": body})
        elif out:
            out[-1]["text"] = (out[-1]["text"] + "\n" + line).strip("\n")
    return out


def before_2019(year: int | None) -> bool:
    """True for a year before the 2019 template: its report is pre2019 whatever its tables show."""
    return year is not None and year <= 2018


def report_format(year: int | None, text: str | None, tables: set[str] = frozenset(), fmt2021: bool = False) -> str | None:
    """pre2019, fmt2019, fmt2021 or nonstandard, from the report year and what the text and tables show."""
    if "pre2019" in tables or before_2019(year):
        return "pre2019"
    heads = sum(h in (text or "") for h in TEMPLATE_HEADS)
    templated = bool(tables & {"t2", "t3", "t4"}) or heads >= 2
    if not templated:
        return "nonstandard" if year is not None else None
    if fmt2021 or (year is not None and year >= 2021):
        return "fmt2021"
    return "fmt2019"
