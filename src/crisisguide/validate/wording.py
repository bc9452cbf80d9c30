"""Safe language: stigmatising wording outside an ``avoid`` entry (CG133), located at the
phrase itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import Code, Location
from ..yamldoc import Document
from .checker import Checker

_STIGMA = re.compile(
    r"\b(?:commit(?:s|ted|ting)?\s+suicide"
    r"|(?:un)?successful(?:ly)?\s+(?:suicide|attempt)"
    r"|failed\s+(?:suicide\s+)?attempt|failed\s+suicide"
    r"|completed\s+suicide)\b",
    re.IGNORECASE,
)


_STIGMA_WORDS = ("commit", "successful", "failed", "completed")


def _may_stigmatise(text: str) -> bool:
    """A fast test (plain substring search) before the slower regular expression."""
    lowered = text.lower()
    return any(word in lowered for word in _STIGMA_WORDS) and bool(_STIGMA.search(text))


def _suggestion(phrase: str) -> str:
    lowered = phrase.lower()
    if lowered.startswith(("fail", "unsuccess")):
        return "say 'suicide attempt' or 'survived a suicide attempt'"
    if "attempt" in lowered:
        return "say 'suicide attempt'"
    return "say 'died by suicide' or 'took their own life'"


_STIGMA_ES = re.compile(
    r"\b(?:comet(?:er|e|en|i[óo]|ieron|ido|iendo|a|an)\s+(?:un\s+|el\s+)?suicidio"
    r"|suicidios?\s+(?:exitos[oa]s?|logrados?|consumados?|completados?|fallidos?|frustrados?)"
    r"|intentos?\s+(?:de\s+suicidio\s+)?(?:fallidos?|exitosos?|frustrados?|logrados?)"
    r"|(?:fallidos?|frustrados?)\s+intentos?)\b",
    re.IGNORECASE,
)


def _suggestion_es(phrase: str) -> str:
    lowered = phrase.lower()
    if "intento" in lowered or "fallid" in lowered or "frustrad" in lowered:
        return "say 'intento de suicidio' or 'sobrevivió a un intento de suicidio'"
    return "say 'murió por suicidio' or 'se quitó la vida'"


STIGMA_BY_LANGUAGE: dict[str, tuple[re.Pattern[str], Callable[[str], str]]] = {
    "en": (_STIGMA, _suggestion),
    "es": (_STIGMA_ES, _suggestion_es),
}
"""Each language's stigmatising phrasings (CG133) and what to say instead, by primary
tag. A language without a list is not checked for wording."""


def stigmatising(text: str, language: str) -> list[tuple[str, str]]:
    """(phrase, suggestion) for each stigmatising phrasing of ``text`` in ``language``."""
    rule = STIGMA_BY_LANGUAGE.get(language.split("-", 1)[0].lower())
    if rule is None:
        return []
    pattern, suggest = rule
    return [(m.group(0), suggest(m.group(0))) for m in pattern.finditer(text)]


def check_wording(c: Checker) -> None:
    doc = c.doc
    if not isinstance(doc.data, dict) or not _may_stigmatise(doc.text):
        return
    for path, text in _texts(doc.data, ()):
        for match in _STIGMA.finditer(text):
            phrase = match.group(0)
            c.report(
                Code.STIGMATISING,
                f"stigmatising wording '{phrase}': {_suggestion(phrase)} "
                "(such phrasings belong only in an 'avoid' entry)",
                _text_location(doc, path, match.start()),
            )


def _texts(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        if _STIGMA.search(value):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "avoid" and len(path) == 2 and path[0] == "nodes":
                continue
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))


def _text_location(doc: Document, path: tuple[Any, ...], offset: int) -> Location:
    """Where a phrase inside a scalar is: exact for one-line scalars without escapes."""
    loc = doc.locate(path)
    node = doc.node_at(path)
    if node is None or node.start_mark.line != node.end_mark.line:
        return loc
    style = getattr(node, "style", None) or None
    if style not in (None, "'", '"'):
        return loc
    source = doc.text_at(path)[node.start_mark.index : node.end_mark.index]
    if "\\" in source or "''" in source:
        return loc
    return Location(loc.file, loc.line, loc.column + (1 if style else 0) + offset)
