"""What a column page's scripts would do, read without running them: the URL an onclick or `javascript:` call goes
to, the form a JS pager submits, the JSON list endpoint a script fetches, the entries of a JSON answer, and the
(name, URL) nodes of a script-built 分类 tree.

Portals build these from a few idioms (string concatenation into `location.href`, `window.open`, a frame's `src`;
`document.form.field.value = n; form.submit()`; `$.ajax({url: …, data: {…}})`), and this module reads exactly those
idioms. A call it cannot resolve yields nothing rather than a guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from parsel import Selector

CALL_RE = re.compile(r"^\s*(?:javascript:\s*)?(?:return\s+)?([A-Za-z_$][\w$.]*)\s*\((.*)\)\s*;?\s*(?:return\s+\w+;?)?\s*$",
                     re.S)
ARG_RE = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|[A-Za-z_$][\w$]*|\$\([^)]*\)\.val\(\))\s*""")
FUNCTION_RE = re.compile(r"function\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*\{")
# where a script sends the browser: location(.href) = …, window.open(…), location.assign/replace(…), frame.src = …
NAVIGATE_RE = re.compile(
    r"(?:(?:window\.|document\.|self\.|top\.|parent\.)?location(?:\.href)?\s*=(?!=)\s*|"
    r"(?:window\.)?open\s*\(\s*|location\.(?:assign|replace)\s*\(\s*|window\.navigate\s*\(\s*|\.src\s*=(?!=)\s*)"
    r"([^;\n]+?)\s*(?:[;\n]|\)\s*[;\n]|\)\s*$|$)")
VAR_RE = re.compile(r"(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*([^;\n]+)")
FORM_FIELD_RES = (
    re.compile(r"document\.(?:forms\[['\"])?(\w+)(?:['\"]\])?\.(\w+)\.value\s*=\s*([^;\n]+)"),
    re.compile(r"document\.getElementById\(\s*['\"]([\w-]+)['\"]\s*\)\.value\s*=\s*([^;\n]+)"),
    re.compile(r"\$\(\s*['\"]#([\w-]+)['\"]\s*\)\.val\(\s*([^)\n]+)\)"),
)
SUBMIT_RE = re.compile(r"\.submit\(\s*\)")
PAGE_FIELD_RE = re.compile(r"^(?:page|pageno|pagenum|pageindex|currpage|currentpage|curpage|pn|p|cpage|page_no)$", re.I)
# a script's request for list data, its address a whole string literal (a literal that is only the start of a
# concatenation names no address): $.ajax({url: …}), $.get/$.post/$.getJSON("…"), fetch("…"), axios("…"), xhr.open
AJAX_OPTIONS_RE = re.compile(r"(?:\$|jQuery)\.ajax\s*\(")
AJAX_CALL_RE = re.compile(r"""(?:(?:\$|jQuery)\.(get|post|getJSON)|fetch|axios(?:\.(get|post))?)\s*\(\s*(["'])([^"'\s]+)\3"""
                          r"""\s*(?=[,)])""", re.I)
XHR_OPEN_RE = re.compile(r"""\.open\s*\(\s*["'](GET|POST)["']\s*,\s*(["'])([^"'\s]+)\2\s*(?=[,)])""", re.I)
OBJECT_RE = re.compile(r"\{([^{}]*)\}", re.S)
PAIR_RE = re.compile(r"""["']?(\w+)["']?\s*:\s*(?:"([^"]*)"(?!\s*\+)|'([^']*)'(?!\s*\+)|(-?\d+(?:\.\d+)?)(?!\s*[-+*/])|"""
                     r"""([A-Za-z_$][\w$.]*))""")
LIBRARY_RE = re.compile(r"jquery|bootstrap|layui|layer|vue|react|echarts|swiper|zepto|lodash|polyfill|html5shiv|"
                        r"respond|ztree|wdatepicker|my97|baidu|hm\.js|analytics|jiathis|bshare|share", re.I)
TREE_NODE_RE = re.compile(r"\{[^{}]*?\bname\s*:\s*[\"']([^\"']+)[\"'][^{}]*?\}", re.S)
NODE_URL_RE = re.compile(r"\b(?:url|href|link|path)\s*:\s*[\"']([^\"']+)[\"']")
DATE_RE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}")
LINKLIKE_RE = re.compile(r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jsp|aspx?|php|pdf|docx?|xlsx?|wps)(?:[?#]|$)", re.I)
# JSON keys for what a list row carries, by what their lowercased names contain
JSON_KEYS = {
    "title": ("title", "name", "mc", "biaoti", "subject", "doctitle", "wjmc", "xxmc"),
    "url": ("url", "link", "href", "path", "posturl", "fileurl", "docurl"),
    "date": ("date", "time", "rq", "fbrq", "publish", "pubdate", "created", "fwrq", "cwrq"),
    "index_no": ("identifier", "indexno", "index_no", "syh", "suoyinhao", "indexnum", "infoindex"),
    "publisher": ("publisher", "fbjg", "organ", "source", "dept", "unitname", "fwjg", "issuer"),
    "doc_number": ("document_number", "docnumber", "wh", "fwzh", "filenum", "docno"),
}
TOTAL_KEYS = ("totalpage", "totalpages", "pagecount", "pages", "pagetotal", "total_page", "countpage")
COUNT_KEYS = ("total", "totalcount", "totalrecord", "count", "totalnum", "recordcount", "totalelements")


@dataclass
class Call:
    """A JavaScript call as written in an onclick or href: function name and literal arguments."""

    name: str
    args: list[str | float | None] = field(default_factory=list)


def parse_call(code: str) -> Call | None:
    """`gotopage(2)`, `javascript:showList('123')` -> Call; None for anything else."""
    match = CALL_RE.match(code or "")
    if not match:
        return None
    args, rest = [], match.group(2)
    while rest.strip():
        arg = ARG_RE.match(rest)
        if not arg:
            return None
        args.append(literal(arg.group(1)))
        rest = rest[arg.end():]
        if rest.startswith(","):
            rest = rest[1:]
        elif rest.strip():
            return None
    return Call(match.group(1).split(".")[-1], args)


def literal(token: str) -> str | float | None:
    """A literal argument's value; None for an identifier or expression (unknown without running the page)."""
    if token[:1] in "\"'":
        return token[1:-1].replace("\\'", "'").replace('\\"', '"')
    try:
        return float(token) if "." in token else int(token)
    except ValueError:
        return None


def functions(page: Selector) -> dict[str, tuple[list[str], str]]:
    """The functions defined in the page's inline scripts: name -> (parameters, body)."""
    found = {}
    for script in page.xpath("//script[not(@src)]/text()").getall():
        for match in FUNCTION_RE.finditer(script):
            body = braced(script, match.end() - 1)
            params = [p.strip() for p in match.group(2).split(",") if p.strip()]
            found[match.group(1)] = (params, body)
    return found


def braced(text: str, start: int) -> str:
    """The text inside the braces opening at `start` (strings and nesting respected)."""
    depth, quote, n = 0, "", start
    while n < len(text):
        char = text[n]
        if quote:
            if char == "\\":
                n += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:n]
        n += 1
    return text[start + 1:]


def evaluate(expression: str, names: dict[str, object]) -> str | None:
    """A concatenation of string literals, numbers and known names (`"list.jsp?id=" + id + "&p=" + (p+1)`);
    None when any part is unknown."""
    parts, out = split_plus(expression.strip()), []
    for part in parts:
        part = part.strip()
        while part.startswith("(") and part.endswith(")"):
            part = part[1:-1].strip()
        if part[:1] in "\"'" and part[-1:] == part[:1]:
            out.append(part[1:-1])
        elif re.fullmatch(r"-?\d+", part):
            out.append(part)
        elif part in names and names[part] is not None:
            value = names[part]
            out.append(str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
        else:
            arithmetic = re.fullmatch(r"([A-Za-z_$][\w$]*)\s*([+-])\s*(\d+)", part)
            if arithmetic and isinstance(names.get(arithmetic.group(1)), int | float):
                value = names[arithmetic.group(1)] + int(arithmetic.group(3)) * (1 if arithmetic.group(2) == "+" else -1)
                out.append(str(int(value)))
            else:
                return None
    return "".join(out)


def split_plus(expression: str) -> list[str]:
    """Split on top-level `+` (not inside quotes or parentheses)."""
    parts, depth, quote, current = [], 0, "", ""
    for char in expression:
        if quote:
            current += char
            if char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "+" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    return [*parts, current]


@dataclass
class Action:
    """What a call does: go to `url`, or submit form `form` with `fields` set."""

    url: str | None = None
    form: str | None = None  # the form's name or id
    fields: dict[str, str] = field(default_factory=dict)


def resolve(call: Call, defined: dict[str, tuple[list[str], str]]) -> Action | None:
    """The navigation or form submission the called function performs with these arguments, when the page defines
    the function in an idiom this module reads."""
    if call.name not in defined:
        return None
    params, body = defined[call.name]
    names: dict[str, object] = dict(zip(params, call.args, strict=False))
    for var in VAR_RE.finditer(body):
        value = evaluate(var.group(2), names)
        if value is not None:
            names[var.group(1)] = value
    for match in NAVIGATE_RE.finditer(body):
        url = evaluate(match.group(1).split(",")[0] if match.group(0).lstrip().startswith(("open", "window.open"))
                       else match.group(1), names)
        if url and LINKLIKE_RE.search(url) or (url and "?" in url):
            return Action(url=url)
    if SUBMIT_RE.search(body):
        return form_action(body, names)
    return None


def form_action(body: str, names: dict[str, object]) -> Action | None:
    """`document.f.page.value = n; document.f.submit()` and its getElementById / jQuery forms."""
    fields, form = {}, None
    for pattern in FORM_FIELD_RES:
        for match in pattern.finditer(body):
            groups = match.groups()
            if len(groups) == 3:
                form, name, expression = groups
            else:
                name, expression = groups
            value = evaluate(expression, names)
            if value is not None:
                fields[name] = value
    submit = re.search(r"document\.(?:forms\[['\"])?(\w+)(?:['\"]\])?\.submit\(|getElementById\(\s*['\"]([\w-]+)['\"]\s*\)"
                       r"\.submit\(|\$\(\s*['\"]#([\w-]+)['\"]\s*\)\.submit\(", body)
    if submit:
        form = next(g for g in submit.groups() if g)
    return Action(form=form, fields=fields) if fields else None


def pager_form_action(page: Selector, call: Call) -> Action | None:
    """A pager function the page does not define (an external script): the form holding a page-number field,
    submitted with the call's numeric argument that a page number can be (the last one)."""
    numbers = [int(a) for a in call.args if isinstance(a, int | float) or (isinstance(a, str) and a.isdigit())]
    if not numbers:
        return None
    for form in page.xpath("//form"):
        for name in form.xpath(".//input/@name").getall():
            if PAGE_FIELD_RE.match(name):
                return Action(form=form.attrib.get("name") or form.attrib.get("id") or "", fields={name: str(numbers[-1])})
    return None


def script_calls(page: Selector) -> Iterator[tuple[object, Call]]:
    """(element, call) for each element whose onclick or `javascript:` href calls a function."""
    for element in page.xpath("//*[@onclick] | //a[starts-with(normalize-space(@href), 'javascript:')]"):
        code = element.attrib.get("onclick") or element.attrib.get("href", "")
        call = parse_call(code)
        if call:
            yield element, call


# -- JSON list endpoints ---------------------------------------------------------------------------------------

@dataclass
class Endpoint:
    """A list-data request a page's script makes."""

    url: str
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)

    def page_field(self) -> str | None:
        """The parameter that numbers the pages (in the query or the data)."""
        names = [*self.data, *(pair.split("=")[0] for pair in urlsplit(self.url).query.split("&") if pair)]
        return next((name for name in names if PAGE_FIELD_RE.match(name)), None)


def endpoints(page: Selector) -> list[Endpoint]:
    """The list-data requests in the page's inline scripts ($.ajax, $.get/$.post/$.getJSON, fetch, axios, XHR)."""
    return endpoints_in(page.xpath("//script[not(@src)]/text()").getall())


def external_scripts(page: Selector) -> list[str]:
    """The src of the page's scripts that may hold its list code (not well-known libraries)."""
    return [src for src in page.xpath("//script/@src").getall() if src.strip() and not LIBRARY_RE.search(src)]


def endpoints_in(texts: list[str]) -> list[Endpoint]:
    """The list-data requests in these script texts."""
    found: dict[str, Endpoint] = {}
    for script in texts:
        for match in AJAX_OPTIONS_RE.finditer(script):
            call = script[match.end():match.end() + 1500]
            options = object_literal(call) if call.lstrip().startswith("{") else {}
            if options.get("url"):
                method = (options.get("type") or options.get("method") or "GET").upper()
                add_endpoint(found, options["url"], method, options_data(call))
        for match in AJAX_CALL_RE.finditer(script):
            kind = (match.group(1) or match.group(2) or "").lower()
            rest = script[match.end():match.end() + 600]
            data = pairs(braced(rest, rest.index("{"))) if re.match(r"\s*,\s*\{", rest) and kind != "" else {}
            add_endpoint(found, match.group(4), "POST" if kind == "post" else "GET", data)
        for match in XHR_OPEN_RE.finditer(script):
            add_endpoint(found, match.group(3), match.group(1).upper(), {})
    return list(found.values())


def add_endpoint(found: dict[str, Endpoint], url: str, method: str, data: dict[str, str]) -> None:
    """Keep a request address that can name a list (a path or URL, not a fragment or a script call)."""
    if url.startswith(("#", "?", "javascript:")) or not (LINKLIKE_RE.search(url) or "?" in url):
        return
    found.setdefault(url, Endpoint(url, method, data))


def object_literal(text: str) -> dict[str, str]:
    """The flat `key: value` pairs of the first object literal in `text` (nested objects skipped)."""
    start = text.find("{")
    if start < 0:
        return {}
    flat, previous = braced(text, start), None
    while flat != previous:  # nested objects and function bodies out, innermost first
        previous, flat = flat, re.sub(r"\{[^{}]*\}", "", flat)
    return pairs(flat)


def options_data(text: str) -> dict[str, str]:
    """The `data: {…}` object of an $.ajax options object, or the object passed as $.get/$.post's second argument."""
    match = re.search(r"\bdata\s*:\s*\{", text) or re.search(r"^\s*['\"][^'\"]*['\"]\s*,\s*\{", text)
    if not match:
        return {}
    return pairs(braced(text, match.end() - 1))


def pairs(text: str) -> dict[str, str]:
    """Literal `key: value` pairs (identifiers as values are left out: their value is unknown)."""
    out = {}
    for m in PAIR_RE.finditer(text):
        value = next((g for g in m.groups()[1:4] if g is not None), None)
        if value is not None:
            out[m.group(1)] = value
    return out


def json_entries(data) -> tuple[list[dict], int | None]:
    """The list rows of a JSON answer (the longest list of objects that carry a title and a link) and the page
    count it states (or None)."""
    best: list[dict] = []
    for rows in json_lists(data):
        entries = [entry for entry in (json_entry(row) for row in rows) if entry]
        if len(entries) > len(best):
            best = entries
    return best, page_count(data, len(best))


def json_lists(data) -> Iterator[list[dict]]:
    if isinstance(data, list):
        if data and all(isinstance(item, dict) for item in data):
            yield data
        for item in data:
            yield from json_lists(item)
    elif isinstance(data, dict):
        for value in data.values():
            yield from json_lists(value)


def json_entry(row: dict) -> dict | None:
    """An entry from one JSON row: url and title required; date, index_no, publisher, doc_number when present."""
    entry: dict[str, str | None] = {}
    for key, value in row.items():
        if not isinstance(value, str | int) or isinstance(value, bool):
            continue
        text, lower = str(value).strip(), key.lower()
        for name, words in JSON_KEYS.items():
            if name in entry or not any(word in lower for word in words):
                continue
            if name == "url" and not LINKLIKE_RE.search(text):
                continue
            if name == "date" and not DATE_RE.search(text):
                continue
            if name == "title" and not re.search(r"[\u4e00-\u9fff]", text):
                continue
            entry[name] = text
            break
    if not entry.get("url") or not entry.get("title"):
        return None
    if entry.get("date"):
        entry["date"] = re.sub(r"[/.年月]", "-", DATE_RE.search(entry["date"]).group(0))
    return {key: entry.get(key) for key in ("url", "title", "date", "index_no", "publisher", "doc_number")
            if key in ("url", "title", "date") or entry.get(key)}


def page_count(data, rows: int) -> int | None:
    """Pages the answer says the list has: a page-count key, else a record count over the rows per page."""
    flat = dict(flatten(data))
    for key, value in flat.items():
        if key.lower() in TOTAL_KEYS and str(value).isdigit():
            return int(value)
    for key, value in flat.items():
        if key.lower() in COUNT_KEYS and str(value).isdigit() and rows:
            return -(-int(value) // rows)
    return None


def flatten(data, depth: int = 0) -> Iterator[tuple[str, object]]:
    """Scalar (key, value) pairs of a JSON object, outer levels first (lists are not entered)."""
    if not isinstance(data, dict) or depth > 3:
        return
    nested = []
    for key, value in data.items():
        if isinstance(value, dict):
            nested.append(value)
        elif not isinstance(value, list):
            yield key, value
    for value in nested:
        yield from flatten(value, depth + 1)


def parse_json(text: str):
    """A JSON (or JSONP `callback({...})`) answer, or None."""
    text = text.strip()
    match = re.match(r"^[\w$.]+\s*\((.*)\)\s*;?\s*$", text, re.S)
    try:
        return json.loads(match.group(1) if match else text)
    except ValueError:
        return None


def with_page(endpoint: Endpoint, number: int) -> tuple[str, dict[str, str]]:
    """The endpoint's URL and data for page `number` (its page parameter replaced)."""
    from w3lib.url import add_or_replace_parameter

    name = endpoint.page_field()
    data = dict(endpoint.data)
    url = endpoint.url
    if name and name in data:
        data[name] = str(number)
    elif name:
        url = add_or_replace_parameter(url, name, str(number))
    if endpoint.method == "GET" and data:
        url = url + ("&" if "?" in url else "?") + urlencode(data)
        data = {}
    return url, data


# -- script-built trees ----------------------------------------------------------------------------------------

def tree_links(page: Selector) -> list[tuple[str, str]]:
    """(name, url) of the nodes of a script-built tree (zTree-style `{id, pId, name, url}` objects) in inline scripts."""
    found = []
    for script in page.xpath("//script[not(@src)]/text()").getall():
        for node in TREE_NODE_RE.finditer(script):
            url = NODE_URL_RE.search(node.group(0))
            if url:
                found.append((node.group(1), url.group(1)))
    return found
