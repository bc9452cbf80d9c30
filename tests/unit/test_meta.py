"""The project's own promises: README commands, CI script, packaging."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, TODAY


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_two_commands() -> None:
    install_and_run, install_and_test = readme_commands()[:2]
    assert "pip install ." in install_and_run
    assert install_and_run.endswith("crisisguide run suicide-risk-screen")
    assert install_and_test.endswith("pytest")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = readme_commands()[1]
    assert test_command in ci.splitlines()
    assert "ruff check" in ci
    assert "mypy" in ci


def readme_yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.+?)```", (ROOT / "README.md").read_text("utf-8"), re.DOTALL)


def readme_yaml(kind: str) -> str:
    """The README's example of ``kind``: protocol, drill, directory, config or answers."""
    keys = {"protocol": "\nnodes:", "drill": "\nclient:", "directory": "\nentries:"}
    for block in readme_yaml_blocks():
        if kind in keys and keys[kind] in block:
            return block
        if kind == "config" and block.startswith("region:"):
            return block
        if kind == "answers" and block.startswith("# answers.yaml"):
            return block
    raise AssertionError(f"no {kind} example in the README")


def test_readme_protocol_example_validates_strictly(tmp_path: Path) -> None:
    from crisisguide.library import load_library
    from crisisguide.validate import check_paths

    path = tmp_path / "example.yaml"
    path.write_text(readme_yaml("protocol"), encoding="utf-8")
    problems, _ = check_paths([path], load_library([]), TODAY)
    assert problems == []


def test_readme_answers_example_walks_the_screen(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from crisisguide.cli import app

    path = tmp_path / "answers.yaml"
    path.write_text(readme_yaml("answers"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", "suicide-risk-screen", "--answers", str(path), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"outcome": "low-risk"' in result.stdout


def test_readme_directory_and_config_examples_load(tmp_path: Path) -> None:
    import datetime as dt

    from crisisguide.config import read_config
    from crisisguide.referrals import load_directory

    directory = tmp_path / "network.yaml"
    directory.write_text(readme_yaml("directory"), encoding="utf-8")
    loaded = load_directory(str(directory), dt.date(2026, 11, 26))
    assert loaded.problems == []
    assert loaded.entries[0].kind == "emergency"
    config = tmp_path / "config.yaml"
    config.write_text(readme_yaml("config"), encoding="utf-8")
    settings = read_config(config)
    assert settings is not None
    assert settings.region == "GB"


def test_protocol_catalogue_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "catalogue.py"), "--check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout


def test_readme_drill_example_passes_drill_check(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from crisisguide.cli import app

    text = readme_yaml("drill").replace("Alex, 34, comes in two weeks after being made redundant...",
                                        "Alex, 34, comes in two weeks after being made redundant.")  # fmt: skip
    path = tmp_path / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["drill", "check", str(path)])
    assert result.exit_code == 0, result.output


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """A module the package imports (even lazily, inside a function) comes from a
    distribution pyproject.toml declares, so a clean install never fails on first use."""
    import ast
    from importlib.metadata import packages_distributions

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M)
    assert block is not None
    declared = re.findall(r'^\s*"([A-Za-z0-9_.-]+)', block[1], re.M)
    names = {d.lower().replace("_", "-") for d in declared}
    providers = packages_distributions()
    missing = {}
    for path in (ROOT / "src" / "crisisguide").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top in sys.stdlib_module_names or top in ("crisisguide", "__future__"):
                    continue
                dists = {d.lower().replace("_", "-") for d in providers.get(top, [top])}
                if not dists & names:
                    missing[top] = str(path.relative_to(ROOT))
    assert missing == {}


def test_test_file_names_are_unique_across_folders() -> None:
    """pytest's default import mode cannot collect two test files of one name (the folders
    are not packages): the whole run would stop before any test."""
    names = [p.name for p in (ROOT / "tests").rglob("test_*.py")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
