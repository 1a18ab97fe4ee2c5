"""Words for ReplayWeb.page's page search, which cannot split Chinese.

Its index (flexsearch 0.7 defaults) lower-cases a page's url, title and text, splits them on spaces, symbols and
punctuation, and matches whole tokens only. Chinese has no spaces, so 延吉市2023年政府信息公开工作年度报告 is one
token and neither 延吉 nor 依申请 is ever found. Appending the text's words, space-separated, makes them tokens:
rjieba (jieba-rs) in search mode, plus every dictionary word of two characters or more inside longer words
(信息公开 inside 政府信息公开), with the disclosure reports' own terms added to its dictionary. Traditional text
is read as Simplified, as people type it.
"""

from __future__ import annotations

import re
from functools import cache

TERMS = ("依申请", "依申请公开", "主动公开", "政府信息公开", "信息公开", "年度报告", "行政复议", "行政诉讼",
         "不予公开", "部分公开", "予以公开", "政务公开")
WORD = re.compile(r"\w")


@cache
def _segmenter():
    import rjieba

    for term in TERMS:
        rjieba.add_word(term, None, None)
    return rjieba


def search_words(text: str) -> str:
    """The distinct words of `text` (Simplified), in first-seen order, separated by spaces."""
    from crawler.extract.chinese import to_simplified

    jieba = _segmenter()
    simplified = to_simplified(text)
    words = jieba.cut_for_search(simplified) + [word for word in jieba.cut_all(simplified) if len(word) > 1]
    pieces = (piece for word in words for piece in word.split())  # jieba keeps a newline before some numbers
    return " ".join(dict.fromkeys(piece for piece in pieces if WORD.search(piece)))


def searchable(title: str | None, text: str | None) -> str | None:
    """A page's `text` for pages.jsonl: the text as extracted (ReplayWeb.page shows snippets from it), then a blank
    line and the words of the title and text."""
    if not title and not text:
        return text
    words = search_words(f"{title or ''}\n{text or ''}")
    return f"{text or ''}\n\n{words}" if words else text
