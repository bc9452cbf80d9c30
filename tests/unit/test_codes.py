"""The code registry: every problem is made from it, the docs table is generated from it,
and ``validate --explain`` prints from it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from crisisguide.codes import Code, Severity

from conftest import ROOT, invoke


def tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ids_are_unique_ordered_and_well_formed() -> None:
    ids = [code.id for code in Code]
    assert ids == sorted(set(ids))
    assert all(re.fullmatch(r"CG1\d\d", i) for i in ids)
    assert all(code.summary and code.explanation for code in Code)


def test_warnings_and_errors_are_as_documented() -> None:
    warnings = {code.id for code in Code if code.severity is Severity.WARNING}
    assert warnings == {"CG120", "CG131", "CG132", "CG133", "CG134", "CG136", "CG140", "CG150",
                        "CG160", "CG161"}  # fmt: skip


def test_no_code_is_written_as_a_string_outside_the_registry() -> None:
    src = ROOT / "src" / "crisisguide"
    for path in src.rglob("*.py"):
        if path.name != "codes.py":
            assert not re.search(r"[\"']CG\d{3}[\"']", path.read_text("utf-8")), path


def test_every_code_is_used_by_some_check() -> None:
    src = ROOT / "src" / "crisisguide"
    text = "".join(p.read_text("utf-8") for p in src.rglob("*.py") if p.name != "codes.py")
    unused = [code.name for code in Code if f"Code.{code.name}" not in text]
    assert unused == []


def test_the_docs_table_is_generated_and_current() -> None:
    codes = tool("codes")
    current = codes.TARGET.read_text(encoding="utf-8")
    assert codes.rewritten(current) == current, "run python tools/codes.py"
    for code in Code:
        assert f"| {code.id} | {code.severity.value} | {code.summary} |" in current


def test_a_stale_docs_table_is_caught(tmp_path: Path) -> None:
    codes = tool("codes")
    current = codes.TARGET.read_text(encoding="utf-8")
    stale = current.replace("| CG150 |", "| CG15O |")
    assert codes.rewritten(stale) == current


@pytest.mark.parametrize("given", ["CG131", "cg131", " CG131 "])
def test_explain_prints_the_paragraph(runner: CliRunner, given: str) -> None:
    result = invoke(runner, "validate", "--explain", given)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"CG131 (warning): {Code.UNDER_TRIAGE.summary}\n\n")
    assert Code.UNDER_TRIAGE.explanation in result.stdout


def test_explain_an_unknown_code_is_usage(runner: CliRunner) -> None:
    result = invoke(runner, "validate", "--explain", "CG13")
    assert result.exit_code == 2
    assert "'CG13' is not a validation code (did you mean" in result.stderr
