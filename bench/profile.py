"""Summarise a py-spy raw (collapsed) profile: the functions and project files where the samples went.

    python -m bench.profile prof.txt [--top 40]
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def summarise(path: Path) -> tuple[int, collections.Counter, collections.Counter, collections.Counter]:
    """(samples, inclusive samples per function, self samples per function, inclusive samples per file)."""
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    files: collections.Counter = collections.Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [_name(frame) for frame in stack.split(";")]
        for name in set(frames):
            inclusive[name] += samples
        for name in {name.split(" ", 1)[1] for name in frames if " " in name}:
            files[name] += samples
        if frames:
            own[frames[-1]] += samples
    return total, inclusive, own, files


def _name(frame: str) -> str:
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    file = match.group("file")
    for marker in ("/site-packages/", "/work/main/", "/lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{match.group('func')} {file}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    total, inclusive, own, files = summarise(args.profile)
    print(f"{total} samples")
    for title, counter in (("self", own), ("inclusive", inclusive), ("files (inclusive)", files)):
        print(f"\n-- {title}")
        for name, samples in counter.most_common(args.top):
            print(f"{samples / total:6.1%}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
