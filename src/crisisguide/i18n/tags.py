"""Language tags: from the command line, the config file or the locale environment to the
short tag that names a translations folder (``es``, ``pt-BR``). No I/O, no imports of
polib: the start-up path of every command uses it."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

DEFAULT = "en"
TRANSLATIONS_DIR = "translations"

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

NAMES = {
    "ar": "العربية", "de": "Deutsch", "en": "English", "es": "español", "fr": "français",
    "it": "italiano", "ja": "日本語", "ko": "한국어", "nl": "Nederlands", "pl": "polski",
    "pt": "português", "ru": "русский", "tl": "Tagalog", "uk": "українська",
    "vi": "Tiếng Việt", "zh": "中文",
}  # fmt: skip
"""Languages by their own names: a reader who walks in a language reads its name best."""

ENV_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def normalize(value: str) -> str | None:
    """``value`` as a tag (``es``, ``pt-BR``), or None when it is not a language tag.

    Locale spellings are accepted too: ``es_ES.UTF-8`` and ``es_ES@euro`` are ``es-ES``."""
    text = value.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-")
    if not _TAG.match(text):
        return None
    first, *rest = text.split("-")
    return "-".join([first.lower(), *(p.upper() if len(p) == 2 else p for p in rest)])


def from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale environment asks for (LC_ALL, then LC_MESSAGES, then LANG,
    the first one set), as a primary tag; None when none is set or it is ``C``/``POSIX``
    (the default language then)."""
    environ = os.environ if environ is None else environ
    for name in ENV_VARIABLES:
        value = environ.get(name, "").strip()
        if not value:
            continue
        if value.split(".", 1)[0] in ("C", "POSIX"):
            return None
        tag = normalize(value)
        return tag.split("-", 1)[0] if tag else None
    return None


def candidates(tag: str) -> list[str]:
    """The folders to look in for ``tag``, most specific first (``pt-BR``, then ``pt``)."""
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def is_default(tag: str) -> bool:
    return tag.split("-", 1)[0] == DEFAULT


def name_of(tag: str) -> str:
    """The language's own name (``español``), or its tag when it is not in the table."""
    return NAMES.get(tag.split("-", 1)[0], tag)
