"""The translations of a protocol (``translations/LANG/ID.po`` next to it), checked per
language: strings with no translation (CG160), translations whose original changed
(CG161), translations that break placeholders, lines or labels (CG162), and stigmatising
wording in the language's own words (CG133). Each problem is located at the line of its
PO entry. polib is imported only when a protocol has translation files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import Code, Location, Problem, problem
from ..i18n import translation_files, translation_paths
from ..loader import LoadedProtocol
from ..model import Checklist, Protocol, Question
from ..text import one_line
from .wording import stigmatising


def check_translations(loaded: LoadedProtocol) -> list[Problem]:
    protocol = loaded.protocol
    if protocol is None:
        return []
    files = translation_files(loaded.path, protocol.id)
    problems: list[Problem] = []
    for language, path in files.items():
        bases = translation_paths(loaded, language)[1:]  # an overlay's bases' translations
        problems += check_translation(protocol, language, path, bases)
    return problems


def _quote(text: str, size: int = 60) -> str:
    line = one_line(text)
    return f"'{line if len(line) <= size else line[: size - 3] + '...'}'"


def check_translation(
    protocol: Protocol, language: str, path: Path, bases: Sequence[Path] = ()
) -> list[Problem]:
    """One translation file's problems (a file that cannot be read: one CG100). A string
    that ``bases`` (the translations of an overlay's base) translate is not missing."""
    from ..i18n.apply import usable
    from ..i18n.catalogue import read_catalogue
    from ..i18n.messages import context_of, strings, structure_problem

    catalogue = read_catalogue(path, language)
    if catalogue.po is None:
        return catalogue.problems
    entries = catalogue.entries()
    inherited = [c.entries() for c in (read_catalogue(b, language) for b in bases)]

    def from_base(context: str, original: str) -> bool:
        return any(usable(layer.get(context), original) is not None for layer in inherited)

    file = str(path)
    problems: list[Problem] = []

    def at(entry: Any) -> Location:
        return Location(file, entry.linenum if entry is not None else 1, 1)

    def report(code: Code, message: str, entry: Any) -> None:
        problems.append(problem(code, f"{language}: {message}", at(entry)))

    for where, original, _kind in strings(protocol):
        context = context_of(where)
        entry = entries.get(context)
        if (entry is None or not entry.msgstr) and from_base(context, original):
            continue
        if entry is None:
            report(Code.UNTRANSLATED, f"{context} {_quote(original)} is not in the file; "
                   f"bring it up to date: crisisguide i18n update {protocol.id} --lang "
                   f"{language}", None)  # fmt: skip
        elif not entry.msgstr:
            report(Code.UNTRANSLATED, f"no translation for {context} {_quote(original)}", entry)
        elif "fuzzy" in entry.flags:
            was = f" (it was {_quote(entry.previous_msgid)})" if entry.previous_msgid else ""
            report(Code.FUZZY_TRANSLATION, f"the original of {context} changed{was}: check "
                   "the translation and remove its fuzzy mark", entry)  # fmt: skip
        elif entry.msgid != original:
            report(Code.FUZZY_TRANSLATION, f"{context} was translated from {_quote(entry.msgid)}, "
                   f"and the original is now {_quote(original)}: run crisisguide i18n update "
                   f"{protocol.id} --lang {language}, then check the translation", entry)  # fmt: skip
        else:
            shape = structure_problem(original, entry.msgstr)
            if shape is not None:
                report(Code.TRANSLATION_SHAPE, f"{context}: {shape}", entry)
    problems += _alike_labels(protocol, entries, language, file)
    for context, entry in entries.items():
        if not entry.msgstr or "fuzzy" in entry.flags:
            continue
        if context.startswith("nodes.") and ".avoid." in context:
            continue  # examples of what not to say: they may say it
        for phrase, instead in stigmatising(entry.msgstr, language):
            report(Code.STIGMATISING, f"stigmatising wording '{phrase}' in {context}: "
                   f"{instead} (such phrasings belong only in an 'avoid' entry)", entry)  # fmt: skip
    return problems


def _alike_labels(
    protocol: Protocol, entries: dict[str, Any], language: str, file: str
) -> list[Problem]:
    """Labels of one question or checklist translated alike: the practitioner could not
    tell them apart (the walk then shows that step's labels as written)."""
    from ..i18n.apply import usable

    problems: list[Problem] = []
    for node_id, node in protocol.nodes.items():
        if isinstance(node, Question):
            labels, name = [a.label for a in node.answers], "answers"
        elif isinstance(node, Checklist):
            labels, name = [i.label for i in node.items], "items"
        else:
            continue
        seen: dict[str, str] = {}
        for i, original in enumerate(labels):
            entry = entries.get(f"nodes.{node_id}.{name}.{i}.label")
            shown = usable(entry, original) or original
            if shown in seen and seen[shown] != original:
                problems.append(problem(
                    Code.TRANSLATION_SHAPE,
                    f"{language}: '{one_line(shown)}' stands for both '{one_line(seen[shown])}' "
                    f"and '{one_line(original)}' at step '{node_id}': each label must be told "
                    "apart",
                    Location(file, entry.linenum if entry is not None else 1, 1),
                ))  # fmt: skip
            seen.setdefault(shown, original)
    return problems
