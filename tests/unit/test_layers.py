"""The package's layers: every import points down (or stays inside its own module or
package), so following a call from the command line to the YAML parser never turns back."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "crisisguide"

# Lowest first. A module may import from a lower layer, or within its own top-level
# module or package, never from its own layer or above.
LAYERS = [
    {"shapes", "filecache"},
    {"crisisguide", "codes", "formats", "memory", "places", "text", "language"},
    {"errors"},
    {"yamldoc", "fileio", "streams"},
    {"structure", "model", "overlay", "shell"},
    {"describe", "files", "loader", "authoring"},
    {"library", "referrals", "engine", "diff"},
    {"answers", "config"},
    {"drills", "environment"},
    {"validate"},
    {"export", "ui"},
    {"listing"},
    {"cli"},
    {"entry"},
    {"__main__"},
]


def layer(top: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if top in names)


def top_of(module: str) -> str:
    parts = [part for part in module.split(".") if part != "__init__"]
    return parts[1] if len(parts) > 1 else parts[0]


def is_module(name: str) -> bool:
    path = SRC.parent.joinpath(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def imports(path: Path) -> set[str]:
    """Every crisisguide module ``path`` imports, at the top or inside a function."""
    rel = path.relative_to(SRC.parent).with_suffix("").parts
    package = list(rel if path.name == "__init__.py" else rel[:-1])
    if path.name == "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            names = [target]
            if not node.module:  # from .. import x: x is a module, or a name of the package
                names = [f"{target}.{a.name}" if is_module(f"{target}.{a.name}") else target
                         for a in node.names]  # fmt: skip
            found.update(n for n in names if n.startswith("crisisguide"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("crisisguide"))
    return found


def test_every_module_has_a_layer() -> None:
    tops = {
        top_of(".".join(p.relative_to(SRC.parent).with_suffix("").parts)) for p in SRC.rglob("*.py")
    }
    assert tops <= set().union(*LAYERS)


def test_imports_point_down() -> None:
    wrong = []
    for path in SRC.rglob("*.py"):
        here = top_of(".".join(path.relative_to(SRC.parent).with_suffix("").parts))
        for target in imports(path):
            there = top_of(target)
            if there != here and layer(there) >= layer(here):
                wrong.append(f"{path.relative_to(SRC)} imports {target}")
    assert wrong == []
