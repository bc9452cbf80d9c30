"""The interface in the practitioner's language: English unless a catalogue says otherwise,
Spanish shipped compiled, and catalogues that a test holds to the code."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from rich.console import Console, RenderableType
from typer.testing import CliRunner

from crisisguide import language
from crisisguide.language import _, current_language, ngettext, use_language

from conftest import ROOT, invoke


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """Every test here leaves the interface as it found it (the rest of the suite is English)."""
    before = current_language()
    yield
    use_language(before)


def shown(renderable: RenderableType) -> str:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None, soft_wrap=True).print(renderable)
    return out.getvalue()


def screening() -> object:
    from crisisguide.library import load_library, search_folders

    protocol = load_library(search_folders()).valid_protocol("suicide-risk-screen")
    assert protocol is not None
    return protocol


def question_screen() -> str:
    from crisisguide.model import Protocol
    from crisisguide.ui.screens import node_screen, step_heading

    protocol = screening()
    assert isinstance(protocol, Protocol)
    return shown(node_screen(step_heading("Thoughts", 2, 5), protocol.nodes["thoughts"], True))


def negative_outcome() -> str:
    from crisisguide.engine import Session, play
    from crisisguide.model import Protocol
    from crisisguide.places import default_directory_file
    from crisisguide.referrals import Directory, load_directory
    from crisisguide.ui.screens import outcome_screen

    protocol = screening()
    assert isinstance(protocol, Protocol)
    session = play(Session(protocol), {"wish-dead": "No", "thoughts": "No", "behaviour": "No",
                                       "clinical-concern-check": []})  # fmt: skip
    directory = Directory.merge([load_directory(str(default_directory_file()), dt.date.today())])
    resolved = directory.resolve(session.outcome.referrals, "US")
    return shown(
        outcome_screen(session, resolved, True, urgent=directory.urgent("US"), region="US")
    )


def test_english_is_the_default_and_reads_no_catalogue() -> None:
    use_language(None)
    assert current_language() == "en"
    assert language._catalogue is None
    assert _("Do now:") == "Do now:"
    assert ngettext("{count} change(s)", "{count} change(s)", 3) == "{count} change(s)"


def test_a_question_screen_in_spanish_labels_every_section() -> None:
    english = question_screen()
    assert "Ask (say it directly):" in english
    use_language("es")
    spanish = question_screen()
    for label in ("Paso 2 de al menos 5: Thoughts", "Pregunte (dígalo directamente):",
                  "Evite decir:", "” - por qué no: ", "Nota: "):  # fmt: skip
        assert label in spanish
    assert "Ask (say it directly):" not in spanish
    use_language("en")
    assert question_screen() == english


def test_the_outcome_screen_in_spanish_and_its_disclaimer() -> None:
    english = negative_outcome()
    use_language("es")
    spanish = negative_outcome()
    assert "Resultado: Negative screen" in spanish  # the protocol's own words are its own
    assert "Nivel de riesgo: NONE (1 de" in spanish  # a tier is an id: never translated
    assert "Haga ahora:" in spanish
    assert "Ayuda de emergencia (US): 911 Emergency Services" in spanish
    assert "no es un instrumento clínico" in spanish
    assert "Por qué este nivel:" in spanish
    assert "Ninguna respuesta cumplió una regla de mayor riesgo, así que el resultado es" in spanish
    assert "Outcome:" not in spanish
    assert "Outcome: Negative screen" in english
    assert "not a clinical instrument" in english


def test_prompts_and_typed_replies_in_spanish() -> None:
    from crisisguide.ui import prompts

    use_language("es")
    assert prompts.NOTE.label == "Agregar una nota sobre este paso"
    assert prompts._plain_error("9", 3, True, False) == "Por favor, escriba un número del 0 al 3."
    use_language(None)
    assert prompts.NOTE.label == "Add a note about this step"
    assert prompts._plain_error("9", 3, True, False) == "Please type a number from 0 to 3."


def test_a_usage_error_in_spanish(runner: CliRunner) -> None:
    use_language("es")
    result = invoke(runner, "validate")
    assert result.exit_code == 2
    assert "crisisguide: indique los archivos o las carpetas que desea revisar" in result.stderr
    result = invoke(runner, "show", "suicide-risk-scren")
    assert result.exit_code == 1
    assert (
        "crisisguide: no hay ningún protocolo con el id 'suicide-risk-scren' (did you mean "
        "'suicide-risk-screen'?); ejecute 'crisisguide list' para ver la biblioteca"
    ) in result.stderr
    use_language("en")
    result = invoke(runner, "validate")
    assert "crisisguide: name the files or folders to check" in result.stderr


def test_spanish_plurals_have_their_own_forms() -> None:
    use_language("es")
    assert ngettext("{count} change(s)", "{count} change(s)", 1) == "{count} cambio"
    assert ngettext("{count} change(s)", "{count} change(s)", 2) == "{count} cambios"


@pytest.mark.parametrize(
    ("asked", "current", "spanish"),
    [(None, "en", False), ("", "en", False), ("C", "en", False), ("POSIX", "en", False),
     ("en", "en", False), ("en_GB.UTF-8", "en-gb", False), ("es", "es", True),
     ("ES", "es", True), ("es_MX.UTF-8", "es-mx", True), ("es-419", "es-419", True),
     ("xx", "xx", False), ("zz-QQ", "zz-qq", False), ("../../etc", "en", False), ("es/../es", "en", False)],
)  # fmt: skip
def test_languages_are_read_leniently_and_never_fail(
    asked: str | None, current: str, spanish: bool
) -> None:
    use_language(asked)
    assert current_language() == current
    assert (_("Do now:") == "Haga ahora:") is spanish


def test_a_damaged_catalogue_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "crisisguide.mo").write_bytes(b"\x00not a catalogue")
    monkeypatch.setattr(language, "LOCALES", str(tmp_path))
    use_language("fr")
    assert _("Do now:") == "Do now:"


# --- the catalogues against the code -------------------------------------------------------


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "tools" / "messages.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_catalogues_are_current_complete_and_compiled() -> None:
    messages = tool()
    assert messages.problems(messages.extract()) == [], "run python tools/messages.py"


@pytest.fixture
def copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, Path]:
    """The tool, pointed at a copy of the catalogues."""
    messages = tool()
    locales = tmp_path / "locales"
    shutil.copytree(messages.LOCALES, locales)
    monkeypatch.setattr(messages, "ROOT", tmp_path)
    monkeypatch.setattr(messages, "LOCALES", locales)
    monkeypatch.setattr(messages, "TEMPLATE", locales / "crisisguide.pot")
    return messages, locales / "es" / "LC_MESSAGES" / "crisisguide.po"


def test_a_new_message_in_the_code_makes_the_template_and_catalogue_stale(
    copied: tuple[ModuleType, Path],
) -> None:
    messages, _po = copied
    template = messages.extract()
    template.add("A message added to the code", locations=[("src/crisisguide/x.py", 1)])
    found = messages.problems(template)
    assert "locales/crisisguide.pot is out of date with the code" in found
    assert "locales/es/LC_MESSAGES/crisisguide.po is out of date with the template" in found


def test_an_untranslated_or_fuzzy_message_fails(copied: tuple[ModuleType, Path]) -> None:
    messages, po = copied
    text = po.read_text("utf-8")
    text = text.replace('msgstr "Haga ahora:"', 'msgstr ""')
    text = text.replace('msgid "Then:"', '#, fuzzy\nmsgid "Then:"')
    po.write_text(text, "utf-8")
    found = messages.problems(messages.extract())
    assert "locales/es/LC_MESSAGES/crisisguide.po: no translation: 'Do now:'" in found
    assert any("fuzzy" in f and "'Then:'" in f for f in found)


def test_a_translation_that_drops_a_placeholder_fails(copied: tuple[ModuleType, Path]) -> None:
    messages, po = copied
    po.write_text(po.read_text("utf-8").replace('"Resultado: {title}"', '"Resultado: {titulo}"'))
    found = messages.problems(messages.extract())
    assert any("placeholders differ" in f and "'Outcome: {title}'" in f for f in found)


def test_a_compiled_catalogue_older_than_its_source_fails(copied: tuple[ModuleType, Path]) -> None:
    messages, po = copied
    po.write_text(po.read_text("utf-8").replace('msgstr "Haga ahora:"', 'msgstr "Hágalo ahora:"'))
    found = messages.problems(messages.extract())
    assert found == ["locales/es/LC_MESSAGES/crisisguide.mo is out of date with crisisguide.po"]
    messages.write(messages.extract())
    assert messages.problems(messages.extract()) == []


def test_the_spanish_catalogue_is_marked_as_a_draft() -> None:
    po = ROOT / "src" / "crisisguide" / "locales" / "es" / "LC_MESSAGES" / "crisisguide.po"
    text = po.read_text("utf-8")
    assert '"Language: es\\n"' in text
    assert (
        '"X-Translation-Status: draft translation \u2014 needs review by a qualified translator\\n"'
        in text
    )
    assert "cometió suicidio" not in text.lower()


def test_no_message_is_built_before_it_is_translated() -> None:
    """``_(f"...")`` or ``_("a" + b)`` would be looked up as built, never found in the
    catalogue (the extractor cannot see it): placeholders go in, values go in after."""
    import ast

    wrong = []
    for path in (ROOT / "src" / "crisisguide").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "ngettext")
                and any(isinstance(a, (ast.JoinedStr, ast.BinOp)) for a in node.args)
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []
