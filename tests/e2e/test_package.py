"""The package as users get it: a built wheel that works from elsewhere, and a start-up
that does not pay for what it does not use."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


def test_the_wheel_carries_the_builtin_library_and_works_from_elsewhere(tmp_path: Path) -> None:
    """A non-editable install, run from another folder, finds the built-in protocols."""
    wheel_dir = tmp_path / "wheel"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(wheel_dir), str(ROOT)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheel_dir.glob("crisisguide-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    protocols = sorted(p.name for p in (ROOT / "protocols").glob("*.yaml"))
    for name in protocols:
        assert f"crisisguide/protocols/{name}" in names
    assert "crisisguide/templates/starter.yaml" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run(
        [sys.executable, "-m", "crisisguide", "list", "--format", "json"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert '"suicide-risk-screen"' in listed.stdout
    assert str(target) in listed.stdout  # the packaged copy, not the checkout


@pytest.mark.parametrize("module", ["rich", "questionary", "prompt_toolkit", "pydantic", "yaml"])
def test_help_does_not_import_heavy_modules(module: str) -> None:
    code = (
        "import sys\n"
        "from crisisguide.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print({module!r} in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
