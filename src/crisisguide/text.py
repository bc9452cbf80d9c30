"""Text that is safe to show: no terminal controls, no invisible format characters, one
line where one line is promised, and values described in words, not Python syntax.

The lowest layer of the package: loading (every string of every file), messages (every
path and value they echo) and rendering all use it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# What is removed: every control character (Unicode category Cc) except tab and newline,
# that is C0, DEL and C1; every format character (category Cf: the bidi marks, embeddings,
# overrides and isolates, zero-width spaces, the word joiner and invisible operators, the
# soft hyphen, the byte order mark, the tag characters U+E0001 and U+E0020-E007F, and every
# other one); the line and paragraph separators U+2028/U+2029, which some terminals show as
# a line break; and the invisible marks and fillers of other categories listed in
# ``_INVISIBLE`` (the combining grapheme joiner, the variation selectors, the Mongolian
# free variation selectors, the Khmer inherent vowels and the Hangul fillers), which show
# nothing yet make two texts differ. The categories are read from :mod:`unicodedata`, one
# character at a time and only for characters that occur, so ASCII text and ordinary text
# pay a single C-level check. The zero-width joiner and non-joiner (U+200C, U+200D) are
# kept: Persian, Indic scripts and emoji need them to be spelt correctly (labels are
# compared without them, see :func:`fold_label`).
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
_KEPT = frozenset("\t\n\u200c\u200d")
_INVISIBLE = (
    "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef"
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_ASCII_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_verdicts: dict[str, bool] = {}


def _is_removed(char: str) -> bool:
    verdict = _verdicts.get(char)
    if verdict is None:
        verdict = char not in _KEPT and (
            unicodedata.category(char) in _REMOVED_CATEGORIES
            or _INVISIBLE_RE.match(char) is not None
        )
        _verdicts[char] = verdict
    return verdict


def removed_in(text: str) -> list[str]:
    """The distinct characters of ``text`` that :func:`strip_controls` removes, sorted (for
    ASCII text, or text without line breaks or any non-printable character, found by one
    C-level check)."""
    if text.isascii():
        return sorted(set(_ASCII_CONTROLS.findall(text)))
    # Every character of a removed category is non-printable to Python; the invisible
    # marks and fillers are printable, so they are searched for on their own.
    printable = text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable()
    if printable and _INVISIBLE_RE.search(text) is None:
        return []
    return sorted(c for c in set(text) if _is_removed(c))


def has_controls(text: str) -> bool:
    """Whether :func:`strip_controls` would change ``text``."""
    if text.isascii():
        return _ASCII_CONTROLS.search(text) is not None
    return bool(removed_in(text))


def strip_controls(text: str) -> str:
    """Remove terminal control characters and invisible format characters (tab and newline
    are kept)."""
    if text.isascii():
        return _ASCII_CONTROLS.sub("", text)
    found = removed_in(text)
    return text.translate(dict.fromkeys(map(ord, found))) if found else text


def one_line(text: str) -> str:
    """``text`` as one safe line: controls removed, line breaks written as ``\\n``, so that
    an echoed value can never forge a second message."""
    clean = strip_controls(text)
    return clean.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n").replace("\t", " ")


def shown(value: object, limit: int = 60) -> str:
    """A value as a message echoes it: text in quotes (shortened, on one line), true/false,
    numbers, and lists or mappings in words - never Python's own notation."""
    if isinstance(value, str):
        text = one_line(value)
        text = text if len(text) <= limit else text[: limit - 1] + "\u2026"
        return f"'{text}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, (int, float)):
        text = str(value)
        return text if len(text) <= limit else f"a number of {len(text)} digits"
    if isinstance(value, (list, tuple)):
        if not value:
            return "an empty list"
        return (
            "a list ("
            + ", ".join(shown(v, 20) for v in list(value)[:5])
            + (", ...)" if len(value) > 5 else ")")
        )
    if isinstance(value, dict):
        return "a mapping"
    return "a value of another kind"


def to_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON for people and programs: readable non-ASCII text, but every control and invisible
    format character escaped (``\\u001b``), since JSON itself leaves DEL, the C1 controls
    and format characters raw."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    found = removed_in(text)
    if not found:
        return text
    return text.translate({ord(c): "".join(_json_escape(c)) for c in found})


def _json_escape(char: str) -> list[str]:
    """``char`` as JSON escapes: ``\\u001b``, or a surrogate pair beyond the BMP."""
    code = ord(char)
    if code < 0x10000:
        return [f"\\u{code:04x}"]
    code -= 0x10000
    return [f"\\u{0xD800 + (code >> 10):04x}", f"\\u{0xDC00 + (code & 0x3FF):04x}"]
