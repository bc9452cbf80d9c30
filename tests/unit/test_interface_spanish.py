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
    # the feedback on each choice is Spanish, and quotes the steps, phrasings and labels as
    # they were shown
    assert "ask: preguntó de forma directa (\u201cES Are you thinking" in out
    assert "ask: registró bien la respuesta ('ES Yes')." in out
    assert "now: \u201cES But you're fine now, right?\u201d puede hacer daño. ES Invites" in out
    assert "now: la respuesta significa 'ES No'; usted registró 'ES Yes'." in out
    assert "you asked directly" not in out
    assert "recorded the reply" not in out
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


# --- drill report -----------------------------------------------------------------------


def _results(tmp_path: Path) -> Path:
    """Two runs of one trainee, the second better, each choosing a phrasing to avoid."""
    lines = []
    for day, right in (("2026-12-01", 1), ("2026-12-02", 3)):
        lines.append({
            "schema": 2, "drill": "mini-concern", "protocol": "mini-drill-protocol",
            "version": "1.0.0", "seed": 5, "seconds": 60.0, "finished": f"{day}T10:00:00Z",
            "scores": {"asking": {"correct": right // 3, "total": 1},
                       "recording": {"correct": min(right, 2), "total": 2},
                       "disposition": {"correct": right // 3, "total": 1}},
            "trainee": "ash", "started_at": f"{day}T09:59:00+00:00",
            "finished_at": f"{day}T10:00:00+00:00",
            "steps": [{"node": "ask", "phrasing": {"text": "Why would you think that?",
                                                  "good": False, "why": "Sounds like blame."},
                       "recorded": "No", "expected": "Yes",
                       "correct": {"asking": False, "recording": False}}],
        })  # fmt: skip
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_the_drill_report_in_spanish_and_its_data_formats_in_english(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(_results(tmp_path))
    english = invoke(runner, "drill", "report", path, "--plain")
    assert english.exit_code == 0, english.output
    assert english.stdout.startswith("Drill report: 2 runs by 1 trainee, from 2026-12-01 to ")
    assert "Recording: 2 runs, mean" in english.stdout
    assert "chosen 2 times by 1 trainee (mini-drill-protocol, step ask)" in english.stdout
    assert "the client meant \u2018Yes\u2019, recorded as \u2018No\u2019" in english.stdout
    md_en = invoke(runner, "drill", "report", path, "--format", "md").stdout
    csv_en = invoke(runner, "drill", "report", path, "--format", "csv").stdout

    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    plain = invoke(runner, "drill", "report", path, "--plain")
    assert plain.exit_code == 0, plain.output
    out = plain.stdout
    assert out.startswith("Informe de simulacros: 2 prácticas de 1 persona en formación, del ")
    assert "Registrar: 2 prácticas, media" in out  # a category, in words
    assert "ash: 2 prácticas; primera" in out
    assert "mejorando" in out
    assert "elegida 2 veces, por 1 persona en formación (mini-drill-protocol, paso ask)" in out
    assert "la persona quiso decir \u2018Yes\u2019, se registró como \u2018No\u2019" in out
    assert "Drill report" not in out
    table = invoke(runner, "drill", "report", path).stdout
    assert "Personas en formación: primera y última práctica" in table
    assert "Tendencia" in table
    # the data formats are for other tools: the same bytes in any interface language
    assert invoke(runner, "drill", "report", path, "--format", "md").stdout == md_en
    assert invoke(runner, "drill", "report", path, "--format", "csv").stdout == csv_en


# --- the walk's prompts, drill and export messages, the emergency footer -------------------


def test_the_note_and_phrasing_prompts_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    import crisisguide.ui.walk as walk_ui
    from crisisguide.engine import Session
    from crisisguide.loader import load_protocol
    from crisisguide.ui.prompts import NOTE, PHRASING

    asked: list[str] = []
    monkeypatch.setattr(walk_ui, "write", lambda label, plain: asked.append(label) or "ok")
    monkeypatch.setattr(walk_ui, "pick", lambda label, options, plain: asked.append(label))
    loaded = load_protocol(str(DRILLS / "mini-protocol.yaml"))
    assert loaded.protocol is not None
    for lang in ("en", "es"):
        use_language(lang)
        session = Session(loaded.protocol)
        node = session.current
        walk_ui._extra(session, NOTE, None, True, node)  # type: ignore[arg-type]
        walk_ui._extra(session, PHRASING, None, True, node)  # type: ignore[arg-type]
    assert asked == [
        "Your note (kept with this step in the record; no client names):",
        "Which phrasing did you use?",
        "Su nota (se guarda con este paso en el registro; no incluya nombres de clientes):",
        "¿Qué forma de preguntar usó?",
    ]


def test_drill_check_and_run_messages_in_spanish(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = invoke(runner, "drill", "check", str(DRILLS), "--protocols", str(DRILLS))
    assert "2 passed, 0 failed" in english.stderr
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    spanish = invoke(runner, "drill", "check", str(DRILLS), "--protocols", str(DRILLS))
    assert "2 aprobados, 0 fallidos" in spanish.stderr
    assert "PASS mini-concern" in spanish.stdout  # a check's lines are read by CI: English
    result = invoke(runner, "drill", "run", "mini-concern")
    assert result.exit_code == 2
    assert "drill run necesita una terminal" in result.stderr


def test_the_emergency_footer_of_a_refusal_in_spanish(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("referals: []\n")
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    english = invoke(runner, "resources")
    assert english.exit_code == 1
    assert f"{config}: the config file has errors" in english.stderr
    assert "Emergency help (US): 911 Emergency Services: call 911" in english.stderr
    spanish = invoke(runner, "list", "--lang", "es")
    assert spanish.exit_code == 1
    assert f"{config}: el archivo de configuración tiene errores" in spanish.stderr
    assert "CG103 unknown key 'referals'" in spanish.stderr  # a problem line stays English
    assert "Ayuda de emergencia (US): 911 Emergency Services: llame al 911" in spanish.stderr


def test_an_export_in_a_language_keeps_its_record_words_in_english(runner: CliRunner) -> None:
    english = invoke(runner, "export", "suicide-risk-screen", "--format", "md")
    assert "Language:" not in english.stdout
    spanish = invoke(runner, "export", "suicide-risk-screen", "--format", "md", "--lang", "es")
    assert spanish.exit_code == 0, spanish.output
    assert "\n> Language: es (" in spanish.stdout  # a record, like the headings: English
    assert "\n## Steps\n" in spanish.stdout
    bad = invoke(runner, "export", "suicide-risk-screen", "--format", "mermaid", "--card",
                 "--lang", "es")  # fmt: skip
    assert bad.exit_code == 2
    assert "--card es una tarjeta de bolsillo de una página" in bad.stderr
