"""Page links are joined through a cache by directory and href: always what urljoin(page URL, href) gives."""

from __future__ import annotations

from itertools import product
from urllib.parse import urljoin

from archive.pagelinks import joiner

BASES = ["http://a.example/xxgk/2023/index_3.html", "http://a.example/xxgk/2023/", "http://a.example",
         "http://a.example/", "https://a.example:8443/a/b/c.jsp?id=1&x=/y/z#frag", "http://a.example/a/b;p=1/c.html",
         "http://a.example/a/b/..", "http://a.example/a/./b.html", "http://a.example/a/b.html?q=/../../"]
HREFS = ["", "#top", "?page=2", "index_4.html", "./t20230101_1.html", "../", "..", "../../..", "/abs/x.pdf",
         "//cdn.example/s.js", "http://b.example/", "javascript:void(0)", "mailto:a@b", ";param", "a/../b",
         " spaced.html ", "年报.pdf", "%E5%B9%B4.html", "a?b#c", ".", "../?x=1", "https:rel", "///triple"]


def test_joined_links_equal_urljoin():
    for base in BASES:
        join = joiner(base)
        for href in HREFS:
            assert join(href) == urljoin(base, href), (base, href)
    for base, href in product(BASES, HREFS):  # the cache filled by other pages of the same directory
        assert joiner(base)(href) == urljoin(base, href), (base, href)
