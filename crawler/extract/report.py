"""Report-level facts: the year a report covers and the government it is about."""

from __future__ import annotations

import re

import lxml.html

from crawler.extract.chinese import normalise_numerals
from crawler.extract.document import text_holders

YEAR = r"((?:19|20)\d{2})"
TITLE_YEAR = re.compile(YEAR + r"\s*年")
TEXT_YEAR = (re.compile(r"统计期限自\s*" + YEAR + r"\s*年"), re.compile(YEAR + r"\s*年度"),
             re.compile(r"截[至止]\s*" + YEAR + r"\s*年\s*12\s*月\s*31\s*日"))
LEADING_YEAR = re.compile(r"^\s*(?:关于)?\s*" + YEAR + r"\s*年度?")
AGENCY_END = re.compile(YEAR + r"\s*年|(?:人民)?政府信息公开|政务公开|信息公开|年度报告|工作报告|工作年报")
BREADCRUMB = re.compile(r"(?:当前位置|您的位置|您现在的位置|所在位置|当前的位置)\s*[:：]?")
CRUMB_SEP = re.compile(r"\s*(?:>|»|›|＞|→|/)+\s*")
HOME = {"首页", "网站首页", "主页", "首 页"}


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
TEMPLATE_HEADS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼")


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
