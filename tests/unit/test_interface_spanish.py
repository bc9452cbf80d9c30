"""The interface in Spanish where it was marked last: drill run --lang, the drill report at
the terminal, drill and export messages, the emergency footer, ``now`` and ``config``;
English unchanged in each."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from crisisguide.language import use_language

from conftest import DATA, invoke

DRILLS = DATA / "drills"


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    use_language(None)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- drill run --lang -------------------------------------------------------------------


def _translated_drills(tmp_path: Path, runner: CliRunner) -> Path:
    """The test drills, with their protocol translated into Spanish: every string
    prefixed ``ES``, so that a screen shows which text it took."""
    folder = tmp_path / "drills"
    shutil.copytree(DRILLS, folder)
    result = invoke(runner, "i18n", "init", str(folder / "mini-protocol.yaml"), "--lang", "es")
    assert result.exit_code == 0, result.output
    path = folder / "translations" / "es" / "mini-drill-protocol.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = f"ES {entry.msgid}"
    po.save()
    return folder


def _drill_run(runner: CliRunner, folder: Path, results: Path, *extra: str) -> object:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("\r" * 5)  # first phrasing and first answer, twice; then the disposition
        return invoke(
            runner, "drill", "run", str(folder / "concern.yaml"), "--protocols", str(folder),
            "--seed", "5", "--results", str(results), *extra,
        )  # fmt: skip


def test_drill_run_in_spanish_shows_the_translation_and_records_the_original(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import crisisguide.cli.drills as drills_cli

    monkeypatch.setattr(drills_cli, "has_terminal", lambda: True)
    folder = _translated_drills(tmp_path, runner)
    results = tmp_path / "es.jsonl"
    result = _drill_run(runner, folder, results, "--lang", "es")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ES Ask directly about thoughts of suicide." in out  # the protocol, translated
    assert "Ask directly about thoughts of suicide." not in out.replace("ES Ask directly", "")
    assert "Paso 1 de al menos" in out  # the interface, in Spanish
    assert "Repaso del ejercicio" in out
    assert "Sometimes, yes." in out  # the drill's own words are the drill's
    record = json.loads(results.read_text())
    assert record["lang"] == "es"
    for step in record["steps"]:  # the original labels and phrasings, as a script has them
        for key in ("recorded", "expected"):
            if key in step:
                assert not str(step[key]).startswith("ES"), step
        if "phrasing" in step:
            assert not step["phrasing"]["text"].startswith("ES"), step
    assert record["steps"][0]["expected"] == "Yes"

    use_language(None)  # as a new process starts
    english = tmp_path / "en.jsonl"
    result = _drill_run(runner, folder, english)
    assert result.exit_code == 0, result.output
    assert "ES " not in result.stdout
    assert "Debrief" in result.stdout
    assert "lang" not in json.loads(english.read_text())
    same = json.loads(english.read_text())
    assert same["steps"] == record["steps"]  # the same choices, recorded alike


# --- crisisguide config -----------------------------------------------------------------


def test_config_shows_the_language_trainee_and_xapi_base_in_effect(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke(runner, "config")  # the tests' config file sets nothing; LANG=C.UTF-8
    assert result.exit_code == 0, result.output
    assert "language: en (from default)" in result.stdout
    assert "trainee for drill run --results: none" in result.stdout
    assert "xAPI base for drill report --format xapi: none" in result.stdout
    data = json.loads(invoke(runner, "config", "--format", "json").stdout)
    assert data["lang"] == {"value": "en", "from": "default"}
    assert data["trainee"] is None
    assert data["xapi_base"] is None

    config = tmp_path / "config.yaml"
    config.write_text("lang: es\ntrainee: river\nxapi_base: https://lms.example.org/cg\n")
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    data = json.loads(invoke(runner, "config", "--format", "json").stdout)
    assert data["lang"] == {"value": "es", "from": f"config {config}"}
    assert data["trainee"] == "river"
    assert data["xapi_base"] == "https://lms.example.org/cg"
    use_language(None)
    result = invoke(runner, "config")  # in the config file's language
    assert f"idioma: es (origen: archivo de configuración {config})" in result.stdout
    assert "river" in result.stdout
    assert "https://lms.example.org/cg" in result.stdout

    monkeypatch.delenv("CRISISGUIDE_CONFIG")
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    use_language(None)
    data = json.loads(invoke(runner, "config", "--format", "json").stdout)
    assert data["lang"] == {"value": "es", "from": "LANG"}
