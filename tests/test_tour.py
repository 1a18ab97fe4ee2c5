"""docs/tour.md, run as written on a fresh data directory: each `$ ` command (`> ` lines continue it) in its order,
in one shell, and each line shown under it found in what it printed (`…` standing for anything, numbers for any
number, runs of spaces for any spacing). Only the ports change: the demo's and the replay server's are free ones."""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOUR = REPO / "docs" / "tour.md"
DEMO_PORT, REPLAY_PORT = 18400, 8080


def steps(text: str) -> list[tuple[str, list[str]]]:
    """(command, lines it is documented to print) for every `$ ` line of the page's console blocks."""
    found: list[tuple[str, list[str]]] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```console"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif line.startswith("> ") or line == ">":
            found[-1] = (found[-1][0] + "\n" + line[2:], found[-1][1])
        elif line.strip():
            found[-1][1].append(line)
    return found


def pattern(shown: str) -> re.Pattern:
    """A documented output line as a pattern: `…` anything, digits any number, spaces any spacing."""
    parts = []
    for piece in re.split(r"(…|\d+|\s+)", shown.strip()):
        if piece == "…":
            parts.append(".*")
        elif piece.isdigit():
            parts.append(r"\d+")
        elif piece.isspace():
            parts.append(r"\s+")
        elif piece:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_port_base(count: int) -> int:
    """A port with `count` free ones from it on, drawn at random (test_demo.py scans from 20000: never the same)."""
    for _ in range(200):
        base = random.randrange(21000, 60000)
        probes = []
        try:
            for port in range(base, base + count):
                probes.append(socket.socket())
                probes[-1].bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
    raise RuntimeError("no free ports")


def test_the_tour_prints_what_it_says(tmp_path):
    base, replay = free_port_base(4), free_port()

    def ported(text: str) -> str:
        text = re.sub(r"127\.0\.0\.1:184(0\d)", lambda m: f"127.0.0.1:{base + int(m.group(1))}", text)
        return text.replace(f"--port {REPLAY_PORT}", f"--port {replay}").replace(f":{REPLAY_PORT}/", f":{replay}/")

    tour = steps(TOUR.read_text(encoding="utf-8"))
    assert len(tour) >= 8 and any(command.startswith(".venv/bin/xxgk demo") for command, _ in tour)
    script = []
    for n, (command, _) in enumerate(tour):
        command = ported(command)
        if command.startswith(".venv/bin/xxgk demo"):
            command += f" --port-base {base}"
        script += [f"echo '@@@ {n}'", command, f"echo \"@@@ {n} exit $?\""]
    for venv in (".venv", ".venv-replay"):
        (tmp_path / venv).symlink_to(REPO / venv)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp_path, env=environment, capture_output=True,
                            text=True, timeout=1200)
    output = result.stdout
    for n, (command, shown) in enumerate(tour):
        printed = output.split(f"@@@ {n}\n", 1)[1].split(f"@@@ {n} exit ", 1)
        assert printed[1].startswith("0\n"), f"{command!r} failed:\n{printed[0][-3000:]}\n{result.stderr[-3000:]}"
        lines = printed[0].splitlines()
        for line in shown:
            expected = pattern(ported(line))
            assert any(expected.search(out) for out in lines), f"{command!r} did not print {line!r}:\n{printed[0]}"
    assert (tmp_path / "data" / "xxgk.sqlite").is_file() and (tmp_path / "demo.wacz").is_file()
