"""The layers import downwards only: commands -> spiders -> pipelines/archive -> crawler's own modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("crawler/commands/", "crawler/scrapycommands/")
# what each room may not import (a module-level or a function-level import alike)
FORBIDDEN = {
    "crawler": {"spiders", "archive", "pipelines"},
    "archive": {"spiders", "pipelines"},
    "pipelines": {"spiders"},
    "spiders": {"pipelines"},
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """Top-level packages a module imports, with the line of each import."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def modules(room: str) -> list[Path]:
    return [path for path in sorted((ROOT / room).rglob("*.py"))
            if not str(path.relative_to(ROOT)).startswith(COMMANDS)]


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_room_imports_only_lower_layers(room: str) -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {package}"
             for path in modules(room) for package, line in sorted(imported_packages(path))
             if package in FORBIDDEN[room]]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_function_level_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from spiders.base import x\n", encoding="utf-8")
    assert ("spiders", 2) in imported_packages(module)
