"""Protocol translations: extraction, init and update of PO files, a catalogue applied for
display (labels stay ids), the checks of validate, status, and how the language is chosen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from crisisguide.engine import Session, play
from crisisguide.environment import resolve_language
from crisisguide.errors import UsageError
from crisisguide.i18n import load_translation, translation_files
from crisisguide.i18n.apply import translate
from crisisguide.i18n.catalogue import (
    DRAFT,
    new_translation,
    read_catalogue,
    template,
    update,
)
from crisisguide.i18n.messages import messages, structure_problem
from crisisguide.i18n.tags import from_environment, normalize
from crisisguide.loader import load_protocol
from crisisguide.ui.walk import display_session

from conftest import ROOT, invoke

DATA = ROOT / "tests" / "data" / "i18n"
PROTOCOL = DATA / "every-kind.yaml"
SPANISH = DATA / "translations" / "es" / "every-kind.po"
ANSWERS = {"signs": ["Talks of being a burden"], "ask-thoughts": "Yes", "secure": "done"}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The fixture protocol and its Spanish translation, in a folder of their own."""
    shutil.copy(PROTOCOL, tmp_path / PROTOCOL.name)
    (tmp_path / "translations" / "es").mkdir(parents=True)
    shutil.copy(SPANISH, tmp_path / "translations" / "es" / SPANISH.name)
    return tmp_path / PROTOCOL.name


def po_of(protocol: Path, lang: str = "es") -> Path:
    return protocol.parent / "translations" / lang / f"{protocol.stem}.po"


def edit_po(path: Path, **by_context: str) -> None:
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        if entry.msgctxt in by_context:
            entry.msgstr = by_context[entry.msgctxt]
    po.save()


def line_of(path: Path, context: str) -> int:
    return next(e.linenum for e in polib.pofile(str(path)) if e.msgctxt == context)


# --- extract ----------------------------------------------------------------------------


def test_every_field_of_the_contract_is_extracted_with_its_context_and_line() -> None:
    found = {m.context: m for m in messages(load_protocol(str(PROTOCOL)))}
    expected = [
        "title", "summary", "nodes.intro.title", "nodes.intro.text",
        "nodes.intro.perspectives.0.text", "nodes.signs.prompt", "nodes.signs.ask.0",
        "nodes.signs.avoid.0.say", "nodes.signs.avoid.0.why", "nodes.signs.watch_for.0",
        "nodes.signs.items.2.label", "nodes.ask-thoughts.answers.0.label",
        "nodes.ask-thoughts.answers.0.note", "nodes.secure.do", "nodes.secure.details.0",
        "nodes.triage.notes", "nodes.urgent.summary", "nodes.urgent.steps.1",
        "nodes.urgent.document.1",
    ]  # fmt: skip
    assert set(expected) <= set(found)
    assert found["title"].location.line == 5
    assert found["nodes.ask-thoughts.answers.1.label"].text == "No"
    assert found["nodes.signs.avoid.0.say"].kind == "avoid"
    # never translated: ids, tiers, flags, referrals, sources, follow-ups
    assert not [c for c in found if c.endswith((".tier", ".flags", ".next", ".referrals"))]
    assert not [m for m in found.values() if m.text in ("A published framework", "clinician")]


def test_contexts_are_stable_and_follow_file_order() -> None:
    first = [m.context for m in messages(load_protocol(str(PROTOCOL)))]
    assert first == [m.context for m in messages(load_protocol(str(PROTOCOL)))]
    lines = [m.location.line for m in messages(load_protocol(str(PROTOCOL)))]
    assert lines == sorted(lines)


def test_extract_writes_a_template_with_references(runner: object, tmp_path: Path) -> None:
    result = invoke(runner, "i18n", "extract", str(PROTOCOL))
    assert result.exit_code == 0, result.output
    pot = polib.pofile(result.stdout)
    entry = pot.find("Every kind of node", msgctxt="title")
    assert entry is not None
    assert entry.occurrences == [("every-kind.yaml", "5")]
    assert all(e.msgstr == "" for e in pot)
    out = tmp_path / "sub" / "every-kind.pot"
    out.parent.mkdir()
    assert invoke(runner, "i18n", "extract", str(PROTOCOL), "-o", str(out)).exit_code == 0
    ref = polib.pofile(str(out)).find("Every kind of node", msgctxt="title")
    assert ref is not None
    assert (out.parent / ref.occurrences[0][0]).resolve() == PROTOCOL.resolve()


def test_extract_to_an_unwritable_place_is_one_message(runner: object, tmp_path: Path) -> None:
    result = invoke(runner, "i18n", "extract", str(PROTOCOL), "-o", str(tmp_path / "no" / "x.pot"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


# --- init and update ---------------------------------------------------------------------


def test_init_writes_a_draft_next_to_the_protocol_and_refuses_to_overwrite(
    runner: object, tmp_path: Path
) -> None:
    protocol = tmp_path / PROTOCOL.name
    shutil.copy(PROTOCOL, protocol)
    result = invoke(runner, "i18n", "init", str(protocol), "--lang", "es")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(po_of(protocol)))
    assert po.metadata["Language"] == "es"
    assert po.metadata["X-Translation-Status"] == DRAFT
    assert po.metadata["Project-Id-Version"] == "every-kind 2.1.0-rc.1+build.5"
    assert po.find("Yes", msgctxt="nodes.ask-thoughts.answers.0.label") is not None
    again = invoke(runner, "i18n", "init", str(protocol), "--lang", "es")
    assert again.exit_code == 1
    assert "already exists" in again.stderr


def test_init_where_the_folder_cannot_be_made_is_one_message(
    runner: object, tmp_path: Path
) -> None:
    protocol = tmp_path / PROTOCOL.name
    shutil.copy(PROTOCOL, protocol)
    (tmp_path / "translations").write_text("a file, not a folder", "utf-8")
    result = invoke(runner, "i18n", "init", str(protocol), "--lang", "es")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output


def test_update_marks_changed_originals_fuzzy_adds_new_strings_and_obsoletes_gone_ones(
    runner: object, copy: Path
) -> None:
    text = copy.read_text("utf-8")
    text = text.replace("Tick the warning signs you notice.", "Tick every warning sign you see.")
    text = text.replace("    watch_for: [Withdrawal]\n", "")
    text = text.replace(
        'ask: ["Are you thinking about killing yourself?"]',
        'ask: ["Are you thinking about killing yourself?", "Are you thinking of suicide?"]',
    )
    copy.write_text(text, "utf-8")
    result = invoke(runner, "i18n", "update", str(copy))
    assert result.exit_code == 0, result.output
    assert "1 added, 1 to check (fuzzy), 1 obsolete" in result.stderr
    po = polib.pofile(str(po_of(copy)))
    changed = next(e for e in po if e.msgctxt == "nodes.signs.prompt")
    assert changed.fuzzy
    assert changed.previous_msgid == "Tick the warning signs you notice."
    assert changed.msgid == "Tick every warning sign you see."
    assert changed.msgstr == "Marque las señales de alerta que observe."
    added = next(e for e in po if e.msgctxt == "nodes.ask-thoughts.ask.1")
    assert added.msgstr == ""
    assert not added.obsolete
    gone = next(e for e in po if e.msgctxt == "nodes.signs.watch_for.0")
    assert gone.obsolete
    assert gone.msgstr == "Aislamiento"
    assert '#| msgid "Tick the warning signs you notice."' in po_of(copy).read_text("utf-8")


def test_update_leaves_an_up_to_date_file_untouched(runner: object, copy: Path) -> None:
    before = po_of(copy).read_bytes()
    result = invoke(runner, "i18n", "update", str(copy), "--lang", "es")
    assert result.exit_code == 0
    assert "is up to date" in result.stderr
    assert po_of(copy).read_bytes() == before


def test_update_of_a_language_without_a_file_says_how_to_start(runner: object, copy: Path) -> None:
    result = invoke(runner, "i18n", "update", str(copy), "--lang", "fr")
    assert result.exit_code == 1
    assert "i18n init" in result.stderr


def test_update_in_memory_keeps_unchanged_translations() -> None:
    loaded = load_protocol(str(PROTOCOL))
    po = read_catalogue(SPANISH, "es").po
    assert po is not None
    changes = update(po, template(loaded))
    assert (changes.added, changes.fuzzy, changes.obsolete) == (0, 0, 0)
    assert po.percent_translated() == 100


# --- apply ------------------------------------------------------------------------------


def test_a_complete_translation_is_shown_and_said_to_be_complete() -> None:
    shown = load_translation(load_protocol(str(PROTOCOL)), "es")
    t = shown.translation
    assert t is not None
    assert t.percent == 100
    assert t.translated == t.total == 34
    assert t.protocol.title == "Todos los tipos de paso"
    assert "español: 34 of 34 strings translated (100%)" in shown.headline()
    assert DRAFT in shown.headline()


def test_fuzzy_empty_outdated_and_misshapen_translations_fall_back_to_the_original() -> None:
    loaded = load_protocol(str(PROTOCOL))
    assert loaded.protocol is not None
    catalogue = read_catalogue(SPANISH, "es")
    entries = catalogue.entries()
    entries["nodes.intro.title"].flags.append("fuzzy")
    entries["nodes.signs.prompt"].msgstr = ""
    entries["nodes.secure.do"].msgid = "An older original"
    entries["nodes.intro.text"].msgstr = "Una línea\ny otra"
    t = translate(loaded.protocol, [entries], "es")
    nodes = t.protocol.nodes
    assert nodes["intro"].title == "Introduction"
    assert nodes["signs"].prompt == "Tick the warning signs you notice."  # type: ignore[union-attr]
    assert nodes["secure"].do.startswith("Agree with")  # type: ignore[union-attr]
    assert nodes["intro"].text.startswith("Explain")  # type: ignore[union-attr]
    assert t.translated == 30
    assert t.percent == 88


def test_labels_translated_alike_are_all_shown_as_written() -> None:
    loaded = load_protocol(str(PROTOCOL))
    assert loaded.protocol is not None
    entries = read_catalogue(SPANISH, "es").entries()
    entries["nodes.ask-thoughts.answers.2.label"].msgstr = "No"
    t = translate(loaded.protocol, [entries], "es")
    labels = [a.label for a in t.protocol.nodes["ask-thoughts"].answers]  # type: ignore[union-attr]
    assert labels == ["Yes", "No", "Unsure"]


def test_labels_stay_ids_the_translated_walk_reaches_the_same_outcome() -> None:
    loaded = load_protocol(str(PROTOCOL))
    assert loaded.protocol is not None
    shown = load_translation(loaded, "es").translation
    assert shown is not None
    session = play(Session(loaded.protocol), ANSWERS)
    on_screen = display_session(session, shown)
    assert on_screen.current_id == session.current_id == "concern"
    assert [s.node for s in on_screen.path] == [s.node for s in session.path]
    assert on_screen.answered("ask-thoughts") == "Sí"
    assert session.answered("ask-thoughts") == "Yes"
    assert shown.original_answer("signs", ("Dice que es una carga",)) == (
        "Talks of being a burden",
    )
    # the route condition names the shown label, so the translated protocol walks alike
    assert "'Sí'" in " ".join(on_screen.trace)


def test_an_answers_file_with_original_labels_walks_a_spanish_protocol(
    runner: object, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(json.dumps(ANSWERS), "utf-8")
    english = invoke(runner, "run", str(PROTOCOL), "--answers", str(answers), "--json")
    spanish = invoke(runner, "run", str(PROTOCOL), "--answers", str(answers), "--json",
                     "--lang", "es")  # fmt: skip
    assert english.exit_code == spanish.exit_code == 0, spanish.output
    a, b = json.loads(english.stdout), json.loads(spanish.stdout)
    assert b.pop("language") == "es"
    a.pop("trace"), b.pop("trace")  # sentences in the interface's language
    assert a == b  # same outcome, tier, flags and recorded (original) answers


def test_the_walk_and_the_transcript_say_the_language(runner: object, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(json.dumps(ANSWERS), "utf-8")
    record = tmp_path / "record.md"
    result = invoke(runner, "run", str(PROTOCOL), "--answers", str(answers), "--lang", "es",
                    "--plain", "--no-pager", "--transcript", str(record))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.count("español: 34 de 34 textos traducidos (100 %)") == 1
    assert "Hagan juntos un plan de seguridad" in result.stdout
    text = record.read_text("utf-8")
    assert "| Language | es (100% of 34 strings translated; draft translation" in text
    assert "Yes" in text  # the answers as recorded


def test_a_language_without_a_translation_shows_the_original_with_a_note(runner: object) -> None:
    result = invoke(runner, "show", str(PROTOCOL), "--lang", "fr", "--plain")
    assert result.exit_code == 0
    assert "has no français (fr) translation; it is shown as written" in result.stderr
    assert "Every kind of node" in result.stdout


def test_show_list_and_export_in_a_language(runner: object) -> None:
    shown = invoke(runner, "show", str(PROTOCOL), "--lang", "es", "--plain")
    assert "Todos los tipos de paso" in shown.stdout
    assert "'Sí'" in shown.stdout
    listed = invoke(runner, "list", "--protocols", str(DATA), "--lang", "es", "--plain")
    # the status is written in English in the file, and shown in the interface language
    assert "every-kind (es): borrador de traducción — debe revisarla un traductor" in listed.stdout
    exported = invoke(runner, "export", str(PROTOCOL), "--lang", "es")
    assert exported.stdout.startswith("# Todos los tipos de paso\n\n> Language: es (100%")
    as_json = json.loads(invoke(runner, "export", str(PROTOCOL), "--lang", "es", "--format",
                                "json").stdout)  # fmt: skip
    assert as_json["language"].startswith("es (100%")
    assert as_json["title"].startswith("Todos")


def test_list_as_json_and_mermaid_say_the_translation(runner: object) -> None:
    rows = json.loads(invoke(runner, "list", "--protocols", str(DATA), "--lang", "es",
                             "--format", "json").stdout)  # fmt: skip
    row = next(r for r in rows if r["id"] == "every-kind")
    assert row["translation"] == {"language": "es", "status": DRAFT}
    assert "translation" not in next(r for r in rows if r["id"] == "risk-formulation")
    flow = invoke(runner, "export", str(PROTOCOL), "--lang", "es", "--format", "mermaid")
    assert flow.stdout.startswith("%% language: es (100% of 34 strings translated; draft")


def test_an_html_export_in_a_language_is_marked_as_that_language(runner: object) -> None:
    page = invoke(runner, "export", str(PROTOCOL), "--lang", "es", "--format", "html").stdout
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="es" xml:lang="es">' in page
    assert '<main>\n<p class="note">Language: es (100% of 34 strings translated' in page
    assert "Todos los tipos de paso" in page


def test_no_translations_at_all_is_said_once(runner: object, tmp_path: Path) -> None:
    shutil.copy(PROTOCOL, tmp_path / PROTOCOL.name)
    result = invoke(runner, "i18n", "status", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no translations found" in result.stderr


def test_a_malformed_translation_is_one_message_for_a_walk(runner: object, copy: Path) -> None:
    po_of(copy).write_text('msgid "a"\nmsgstr "b"\nnot po at all\n', "utf-8")
    result = invoke(runner, "show", str(copy), "--lang", "es")
    assert result.exit_code == 1
    assert "the translation cannot be used" in result.stderr
    assert "CG100" in result.stderr
    assert "Traceback" not in result.output


# --- validate ----------------------------------------------------------------------------


def codes(runner: object, path: Path) -> list[tuple[str, str]]:
    result = invoke(runner, "validate", "--format", "json", str(path))
    return [(p["code"], f"{Path(p['file']).name}:{p['line']}") for p in json.loads(result.stdout)]


def test_a_complete_translation_validates_cleanly(runner: object, copy: Path) -> None:
    result = invoke(runner, "validate", "--strict", str(copy.parent))
    assert result.exit_code == 0, result.output


def test_untranslated_fuzzy_and_misshapen_strings_are_located_in_the_po_file(
    runner: object, copy: Path
) -> None:
    po = po_of(copy)
    edit_po(po, **{"nodes.intro.title": "", "nodes.intro.text": "Una\nlínea"})
    copy.write_text(copy.read_text("utf-8").replace("Tick the warning signs you notice.",
                                                    "Tick each sign."), "utf-8")  # fmt: skip
    found = codes(runner, copy)
    assert ("CG160", f"every-kind.po:{line_of(po, 'nodes.intro.title')}") in found
    assert ("CG162", f"every-kind.po:{line_of(po, 'nodes.intro.text')}") in found
    assert ("CG161", f"every-kind.po:{line_of(po, 'nodes.signs.prompt')}") in found
    assert invoke(runner, "i18n", "update", str(copy)).exit_code == 0
    after = codes(runner, copy)
    assert ("CG161", f"every-kind.po:{line_of(po, 'nodes.signs.prompt')}") in after
    result = invoke(runner, "validate", str(copy))
    assert "the original of nodes.signs.prompt changed (it was 'Tick the warning" in result.stdout


def test_placeholders_must_be_kept() -> None:
    assert structure_problem("Call {number} now", "Llame al {numero} ahora") is not None
    assert structure_problem("Call {number} now", "Llame al {number} ya") is None
    assert structure_problem("50% of %s", "50 % de %s") is None
    assert structure_problem("see https://x.org/a?b=1", "vea https://x.org/a?b=1") is None


def test_labels_alike_are_cg162(runner: object, copy: Path) -> None:
    po = po_of(copy)
    edit_po(po, **{"nodes.ask-thoughts.answers.2.label": "No"})
    assert ("CG162", f"every-kind.po:{line_of(po, 'nodes.ask-thoughts.answers.2.label')}") in (
        codes(runner, copy)
    )


def test_spanish_stigmatising_wording_is_cg133_outside_an_avoid_entry(
    runner: object, copy: Path
) -> None:
    po = po_of(copy)
    edit_po(po, **{"nodes.intro.text": "Si un familiar cometió suicidio, pregunte con calma.",
                   "nodes.signs.avoid.0.say": "Su hermano cometió suicidio, ¿verdad?"})  # fmt: skip
    found = codes(runner, copy)
    assert ("CG133", f"every-kind.po:{line_of(po, 'nodes.intro.text')}") in found
    assert [c for c in found if c[0] == "CG133"] == [
        ("CG133", f"every-kind.po:{line_of(po, 'nodes.intro.text')}")
    ]


def test_a_malformed_po_file_is_one_located_problem(runner: object, copy: Path) -> None:
    po_of(copy).write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\nthis is not po\n', "utf-8"
    )
    result = invoke(runner, "validate", "--format", "json", str(copy))
    (problem,) = json.loads(result.stdout)
    assert (problem["code"], problem["line"]) == ("CG100", 6)
    assert problem["file"].endswith("every-kind.po")


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ('msgid "a\nmsgstr "b"\n', 1, "not closed with a double quote"),
        ('msgid "a"\nmsgstr "b"\nmsgid garbage\n', 3, "msgid needs a string in double quotes"),
        ('msgid "a"\nmsgstr "b"\n"continued\n', 3, "not closed with a double quote"),
        ('# ok\n\nmsgid "a"\nmsgstr "b"\nhello "c"\n', 5, "'hello' is not a PO keyword"),
    ],
)
def test_what_polib_would_read_without_complaint_is_a_located_problem(
    runner: object, copy: Path, text: str, line: int, why: str
) -> None:
    """polib takes an unterminated string or a stray word for an entry; validate says the
    file is broken, at the line, instead of reporting every string as missing."""
    po_of(copy).write_text(text, "utf-8")
    result = invoke(runner, "validate", "--format", "json", str(copy))
    (problem,) = json.loads(result.stdout)
    assert (problem["code"], problem["line"]) == ("CG100", line)
    assert why in problem["message"]


def test_every_po_file_shipped_is_po_syntax() -> None:
    """The syntax check accepts what polib and Babel write: previous originals (#|),
    obsolete entries (#~, #~|), plurals and continued strings."""
    from crisisguide.i18n.catalogue import syntax_error

    files = [
        *ROOT.glob("protocols/translations/*/*.po"),
        *ROOT.glob("src/crisisguide/locales/**/*.po"),
    ]
    files += [*ROOT.glob("src/crisisguide/locales/*.pot"), *DATA.rglob("*.po")]
    assert len(files) >= 6
    for path in files:
        assert syntax_error(path.read_text("utf-8")) is None, path
    obsolete = '#~| msgid "old"\n#~ msgctxt "c"\n#~ msgid "a"\n#~ msgstr "b"\n'
    plural = 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "uno"\nmsgstr[1] ""\n"muchos"\n'
    assert syntax_error(obsolete + plural) is None


# --- status ------------------------------------------------------------------------------


def test_status_is_a_table_of_languages_by_protocols(runner: object, copy: Path) -> None:
    edit_po(po_of(copy), **{"nodes.intro.title": ""})
    (copy.parent / "translations" / "fr").mkdir()
    assert invoke(runner, "i18n", "init", str(copy), "--lang", "fr").exit_code == 0
    table = invoke(runner, "i18n", "status", str(copy.parent))
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines() == ["protocol     es  fr", "every-kind  97%  0%"]
    plain = invoke(runner, "i18n", "status", str(copy), "--plain")
    assert plain.stdout == "every-kind: es: 97% (33 of 34 strings); fr: 0% (0 of 34 strings)\n"
    data = json.loads(invoke(runner, "i18n", "status", str(copy), "--format", "json").stdout)
    assert data[0]["languages"]["es"]["translated"] == 33


# --- which language ----------------------------------------------------------------------


def test_language_tags_from_options_and_locales() -> None:
    assert normalize("es") == "es"
    assert normalize("pt_br") == "pt-BR"
    assert normalize("es_ES.UTF-8") == "es-ES"
    assert normalize("not a tag") is None
    assert from_environment({"LANG": "es_ES.UTF-8"}) == "es"
    assert from_environment({"LC_ALL": "C", "LANG": "es_ES.UTF-8"}) is None
    assert from_environment({"LC_MESSAGES": "fr_FR", "LANG": "es_ES"}) == "fr"
    assert from_environment({}) is None


def test_the_language_is_chosen_option_then_config_then_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crisisguide.config import settings

    config = tmp_path / "config.yaml"
    config.write_text("lang: fr\n", "utf-8")
    plain = settings(tmp_path / "none.yaml")
    with_config = settings(config)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert resolve_language("pt-br", with_config).value == "pt-BR"
    assert (resolve_language(None, with_config).value, resolve_language(None, with_config).source) == (
        "fr", f"config {config}")  # fmt: skip
    assert resolve_language(None, plain).value == "es"
    monkeypatch.setenv("LC_MESSAGES", "de_DE.UTF-8")
    assert resolve_language(None, plain).value == "de"
    monkeypatch.setenv("LC_ALL", "C")
    assert resolve_language(None, plain).value == "en"
    with pytest.raises(UsageError):
        resolve_language("es!", plain)


def test_a_bad_lang_is_a_usage_error_and_a_bad_config_lang_is_located(
    runner: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke(runner, "show", str(PROTOCOL), "--lang", "español!")
    assert result.exit_code == 2
    assert "is not a language tag" in result.stderr
    config = tmp_path / "config.yaml"
    config.write_text("region: US\nlang: 'x y'\n", "utf-8")
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    bad = invoke(runner, "show", str(PROTOCOL))
    assert bad.exit_code == 1
    assert f"{config}:2:7" in bad.stderr


def test_the_environment_picks_the_language_when_nothing_else_does(
    runner: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    result = invoke(runner, "show", str(PROTOCOL), "--plain")
    assert "Todos los tipos de paso" in result.stdout
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert "Every kind of node" in invoke(runner, "show", str(PROTOCOL), "--plain").stdout


def test_translation_files_are_found_by_language() -> None:
    assert translation_files(str(PROTOCOL), "every-kind") == {"es": SPANISH}
    assert translation_files(str(PROTOCOL), "other") == {}


def test_new_translation_has_every_string_untranslated() -> None:
    po = new_translation(load_protocol(str(PROTOCOL)), "es", str(DATA))
    assert po.percent_translated() == 0
    assert len(po) == 34


def test_an_overlay_translates_its_own_strings_and_takes_the_rest_from_its_base(
    runner: object, tmp_path: Path
) -> None:
    overlay = tmp_path / "site.yaml"
    overlay.write_text(
        "extends: every-kind\nid: every-kind-site\ntitle: Our site\nversion: 1.0.0\n"
        "nodes:\n  intro:\n    text: Our own introduction.\n",
        "utf-8",
    )
    args = ("--protocols", str(DATA))
    assert invoke(runner, "i18n", "init", str(overlay), "--lang", "es", *args).exit_code == 0
    po = tmp_path / "translations" / "es" / "every-kind-site.po"
    edit_po(po, **{"title": "Nuestro sitio", "nodes.intro.text": "Nuestra introducción."})
    shown = invoke(runner, "show", str(overlay), "--lang", "es", "--full", "--plain", *args)
    assert shown.exit_code == 0, shown.output
    assert "Nuestro sitio" in shown.stdout
    assert "Nuestra introducción." in shown.stdout
    assert "Marque las señales de alerta que observe." in shown.stdout  # from the base
    assert "español: 34 de 34 textos traducidos (100 %)" in shown.stdout
    checked = invoke(runner, "validate", "--strict", str(overlay), *args)
    assert checked.exit_code == 0, checked.output


def test_terminal_controls_in_a_translation_never_reach_the_screen(copy: Path) -> None:
    edit_po(po_of(copy), **{"title": "T\x1b[31mítulo\x07"})
    shown = load_translation(load_protocol(str(copy)), "es").translation
    assert shown is not None
    assert shown.protocol.title == "T[31mítulo"


def test_the_built_in_spanish_translations_are_complete_and_checked(
    runner: object, tmp_path: Path
) -> None:
    built_in = ROOT / "protocols"
    spanish = sorted((built_in / "translations" / "es").glob("*.po"))
    assert {p.stem for p in spanish} >= {"suicide-risk-screen", "youth-risk-screen",
                                         "imminent-risk-response", "safety-plan"}  # fmt: skip
    result = invoke(
        runner, "validate", "--strict", *(str(built_in / f"{p.stem}.yaml") for p in spanish)
    )
    assert result.exit_code == 0, result.output
    for po in spanish:
        assert polib.pofile(str(po)).metadata["X-Translation-Status"] == DRAFT
    # an edited original and a missing translation are reported in a copy
    protocol = tmp_path / "suicide-risk-screen.yaml"
    shutil.copy(built_in / protocol.name, protocol)
    (tmp_path / "translations" / "es").mkdir(parents=True)
    copied = tmp_path / "translations" / "es" / "suicide-risk-screen.po"
    shutil.copy(built_in / "translations" / "es" / copied.name, copied)
    edit_po(copied, **{"nodes.how-to-ask.title": ""})
    text = protocol.read_text("utf-8")
    protocol.write_text(text.replace("Suicide risk screening", "Suicide risk screen", 1), "utf-8")
    found = {code for code, _ in codes(runner, protocol)}
    assert found == {"CG160", "CG161"}
