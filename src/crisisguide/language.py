"""The interface's own words in the language in effect (gettext), English by default.

``use_language(lang)`` loads ``locales/LANG/LC_MESSAGES/crisisguide.mo`` with the standard
library's gettext when there is one; otherwise the words stay as written (identity)."""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path

__all__ = ["_", "current_language", "ngettext", "use_language"]

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "crisisguide"

_catalogue: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def use_language(lang: str | None) -> None:
    """Show the interface in ``lang`` (a tag like ``es``; None or unknown: English)."""
    global _catalogue, _language
    _language = lang or "en"
    _catalogue = _gettext.NullTranslations()
    if not lang:
        return
    tags = [lang, lang.split("-")[0]] if "-" in lang else [lang]
    for tag in tags:
        path = LOCALES / tag / "LC_MESSAGES" / f"{DOMAIN}.mo"
        try:
            with open(path, "rb") as stream:
                _catalogue = _gettext.GNUTranslations(stream)
            return
        except (OSError, ValueError):
            continue


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue.ngettext(singular, plural, n)
