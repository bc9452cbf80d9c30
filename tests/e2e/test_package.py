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
    assert "crisisguide/locales/es/LC_MESSAGES/crisisguide.mo" in names  # the Spanish interface
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
    spoken = subprocess.run(
        [sys.executable, "-c", "from crisisguide.language import _, use_language; "
         "use_language('es'); print(_('Do now:'))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert spoken.stdout.strip() == "Haga ahora:", spoken.stderr


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


LIBRARY = Path(__file__).parents[2] / "protocols"
LOW_WALK = "wish-dead: No\nthoughts: No\nbehaviour: No\nclinical-concern-check: []\n"


@pytest.mark.parametrize(
    "args",
    [["now"], ["list"], ["validate", "{screen}"], ["export", "{screen}"],
     ["show", "suicide-risk-screen"], ["run", "suicide-risk-screen", "--answers", "{answers}", "--json"],
     ["schema"], ["drill", "check"], ["resources"]],
    ids=lambda args: " ".join(a for a in args if not a.startswith("{")),
)  # fmt: skip
def test_commands_import_no_pydantic_and_no_prompts(args: list[str], tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(LOW_WALK)
    screen = str(LIBRARY / "suicide-risk-screen.yaml")
    argv = [a.format(screen=screen, answers=answers) for a in args]
    code = (
        "import sys\n"
        "from crisisguide.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print([m for m in ('pydantic', 'questionary', 'prompt_toolkit') if m in sys.modules])\n"
    )
    env = {**os.environ, "CRISISGUIDE_CONFIG": str(tmp_path / "none.yaml")}
    env.pop("CRISISGUIDE_PATH", None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
