"""The interface's own words in the practitioner's language: section labels, prompts,
outcome headings, messages and errors (protocol text has its own translations).

Messages are marked with :func:`_` (and :func:`ngettext` where a number changes the
words) and extracted by Babel (``python tools/messages.py``) into
``locales/crisisguide.pot``; each language's catalogue is compiled to
``locales/LANG/LC_MESSAGES/crisisguide.mo`` and read here with the standard library's
:mod:`gettext` (Babel is needed only to extract and compile, never at run time).

English is the source language: with no language chosen, English, or a language that has
no catalogue, every message is its own original and nothing is read from disk. Imported
by everything that prints words, so it imports nothing until a catalogue is loaded.
A message is one whole sentence with named placeholders
(``_("Step {number} of ~{total}").format(...)``), so a translator can reorder it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import GNUTranslations

__all__ = ["N_", "_", "current_language", "ngettext", "use_language"]

DOMAIN = "crisisguide"
LOCALES = os.path.join(os.path.dirname(__file__), "locales")
SOURCE_LANGUAGE = "en"

_catalogue: GNUTranslations | None = None
_language = SOURCE_LANGUAGE


def _(message: str) -> str:
    """``message`` in the interface language (the original where it has no translation)."""
    catalogue = _catalogue
    return message if catalogue is None else catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number ``n`` (languages differ in how many forms
    they have and which numbers take which)."""
    catalogue = _catalogue
    if catalogue is None:
        return singular if n == 1 else plural
    return catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for extraction without translating it: for text defined before a
    language is chosen (a module constant), translated with :func:`_` where it is shown."""
    return message


def normalise(lang: str | None) -> str:
    """A language as the catalogues are named: ``es_MX.UTF-8`` -> ``es-mx``, ``ES`` ->
    ``es``; no language, ``C``, ``POSIX`` or what is not a language tag -> ``en``."""
    tag = (lang or "").split(".", 1)[0].split("@", 1)[0].strip().replace("_", "-").lower()
    if tag in ("", "c", "posix") or not tag.replace("-", "").isalnum() or not tag.isascii():
        return SOURCE_LANGUAGE  # not a language (and never a path to read)
    return tag


def _candidates(tag: str) -> list[str]:
    """Catalogue folders to try for ``tag``, most specific first: ``pt-br`` -> ``pt_BR``,
    ``pt-BR``, ``pt``."""
    primary, _sep, region = tag.partition("-")
    found = [f"{primary}_{region.upper()}", f"{primary}-{region.upper()}"] if region else []
    return [*found, primary]


def _find(tag: str) -> str | None:
    for name in _candidates(tag):
        path = os.path.join(LOCALES, name, "LC_MESSAGES", f"{DOMAIN}.mo")
        if os.path.isfile(path):
            return path
    return None


def use_language(lang: str | None) -> None:
    """Speak ``lang`` (a BCP 47 tag such as ``es`` or ``pt-BR``, or a locale name) from
    now on. English for None, English itself, or a language with no catalogue: never an
    error, since the original words are always there to fall back on."""
    global _catalogue, _language
    tag = normalise(lang)
    catalogue = None
    path = None if tag.partition("-")[0] == SOURCE_LANGUAGE else _find(tag)
    if path is not None:
        from gettext import GNUTranslations

        try:
            with open(path, "rb") as stream:
                catalogue = GNUTranslations(stream)
        except Exception:  # a damaged catalogue (bad magic, cut short): the original words serve
            catalogue = None
    _catalogue, _language = catalogue, tag


def current_language() -> str:
    """The language last chosen with :func:`use_language`, normalised (``en`` when none
    was). Messages with no translation in it are shown in English."""
    return _language
