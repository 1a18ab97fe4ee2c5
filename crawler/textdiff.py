"""A unified diff for people: a line edited in place is shown once, prefixed `~`, with the words and numbers
that changed marked `[-old-]{+new+}` (git's --word-diff markers), or in colour on a terminal; lines removed or
added whole keep `-` and `+`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Numbers whole (1,204 · 3820.5 · ２０２１), Latin words whole, every other character alone: Chinese has no spaces,
# so a changed character is the smallest unit a reader can take in; runs of them are joined in one mark.
TOKEN = re.compile(r"[0-9０-９]+(?:[.,，．][0-9０-９]+)*|[A-Za-z]+|\s+|.", re.S)
SIMILAR = 0.4  # a removed and an added line this alike are one edited line, marked word by word


@dataclass(frozen=True)
class Style:
    """How a removal and an insertion are marked inside a line, and how whole lines are coloured."""

    deleted: tuple[str, str]
    inserted: tuple[str, str]
    removed_line: tuple[str, str] = ("", "")
    added_line: tuple[str, str] = ("", "")
    header: tuple[str, str] = ("", "")


PLAIN = Style(deleted=("[-", "-]"), inserted=("{+", "+}"))
# git's colours: removed red, added green; inside an edited line the changes in reverse video as well
COLOUR = Style(deleted=("\x1b[7;31m", "\x1b[0m"), inserted=("\x1b[7;32m", "\x1b[0m"),
               removed_line=("\x1b[31m", "\x1b[0m"), added_line=("\x1b[32m", "\x1b[0m"), header=("\x1b[1m", "\x1b[0m"))


def tokens(line: str) -> list[str]:
    return TOKEN.findall(line)


def marked(old: str, new: str, style: Style) -> str:
    """One line holding both versions of an edited line, each change marked where it happened."""
    a, b = tokens(old), tokens(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            parts.append(removed)
            continue
        if removed:
            parts.append(style.deleted[0] + removed + style.deleted[1])
        if added:
            parts.append(style.inserted[0] + added + style.inserted[1])
    return "".join(parts)


def similar(old: str, new: str) -> bool:
    return difflib.SequenceMatcher(None, tokens(old), tokens(new), autojunk=False).ratio() >= SIMILAR


def replaced(old: list[str], new: list[str], style: Style) -> Iterator[str]:
    """A block of removed lines and the block that replaced it: lines edited in place as one marked `~` line,
    the others removed (`-`) and added (`+`) whole, in order."""
    for n in range(max(len(old), len(new))):
        before, after = (old[n] if n < len(old) else None), (new[n] if n < len(new) else None)
        if before is not None and after is not None and similar(before, after):
            yield "~" + marked(before, after, style)
            continue
        if before is not None:
            yield style.removed_line[0] + "-" + before + style.removed_line[1]
        if after is not None:
            yield style.added_line[0] + "+" + after + style.added_line[1]


def unified(old: list[str], new: list[str], fromfile: str, tofile: str, style: Style = PLAIN,
            context: int = 3) -> Iterator[str]:
    """Lines of a unified diff (difflib's hunks) with the changes inside edited lines marked."""
    head = style.header
    for n, group in enumerate(difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context)):
        if n == 0:  # nothing at all when nothing differs, as difflib.unified_diff
            yield f"{head[0]}--- {fromfile}{head[1]}"
            yield f"{head[0]}+++ {tofile}{head[1]}"
        first, last = group[0], group[-1]
        yield f"@@ -{span(first[1], last[2])} +{span(first[3], last[4])} @@"
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                yield from (" " + line for line in old[i1:i2])
            else:
                yield from replaced(old[i1:i2], new[j1:j2], style)


def span(start: int, stop: int) -> str:
    """A hunk range as unified diffs write it (1-based start, length omitted when 1)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"
