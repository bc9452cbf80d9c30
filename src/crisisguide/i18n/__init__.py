"""Protocol translations: PO files next to a protocol (``translations/LANG/ID.po``), the
strings they translate, and a protocol as shown in a language (docs/languages.md).

Pure core: no printing. :mod:`.tags` (language tags) is light and used at start-up;
everything that reads or writes PO files imports polib, and only the commands that need
translations import this package's other modules.

- :mod:`.messages`: every user-facing string of a protocol, its context and line;
- :mod:`.catalogue`: the template, init, update, reading a PO file back;
- :mod:`.apply`: a catalogue applied to a protocol, for display; completeness.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CrisisGuideError
from ..language import N_
from .tags import TRANSLATIONS_DIR, candidates, is_default, name_of

if TYPE_CHECKING:
    from ..loader import LoadedProtocol
    from .apply import Translation

DRAFT_STATUS = N_("draft translation \u2014 needs review by a qualified translator")
"""The status header ``i18n init`` writes (``X-Translation-Status``): nobody qualified has
reviewed the translation yet."""


def shown_status(status: str) -> str:
    """A translation's status header as the interface shows it: the header is written in
    English, so the status ``i18n init`` writes is shown in the interface language (any
    other status is shown as written)."""
    from ..language import _

    return _(status) if status else ""


__all__ = [
    "DRAFT_STATUS", "Shown", "draft_notice", "load_translation", "shown_status",
    "translation_files",
]  # fmt: skip


def translation_files(protocol_file: str, protocol_id: str) -> dict[str, Path]:
    """The translations of a protocol, by language: ``translations/*/ID.po`` next to
    its file, sorted by language."""
    folder = Path(os.path.dirname(protocol_file) or ".") / TRANSLATIONS_DIR
    found: dict[str, Path] = {}
    try:
        languages = sorted(p.name for p in folder.iterdir() if p.is_dir())
    except OSError:
        return found
    for language in languages:
        path = folder / language / f"{protocol_id}.po"
        if path.is_file():
            found[language] = path
    return found


@dataclass
class Shown:
    """What a command shows for ``--lang``: the translation, or a one-line note saying why
    the original is shown."""

    translation: Translation | None
    note: str = ""

    def headline(self) -> str:
        """Said once, at the top: how complete the translation is, and its status."""
        from ..language import _

        t = self.translation
        if t is None:
            return self.note
        words = {"language": name_of(t.language), "percent": t.percent,
                 "translated": t.translated, "total": t.total}  # fmt: skip
        if t.translated < t.total:
            line = _("{language}: {translated} of {total} strings translated ({percent}%); "
                     "the rest is shown as written.").format(**words)  # fmt: skip
        else:
            line = _("{language}: {translated} of {total} strings translated ({percent}%).")
            line = line.format(**words)
        if t.status:
            line += " " + _("Translation status: {status}").format(status=shown_status(t.status))
        return line

    def record(self) -> str:
        """The language as records and exports name it."""
        t = self.translation
        if t is None:
            return ""
        words = f"{t.language} ({t.percent}% of {t.total} strings translated"
        return words + (f"; {t.status})" if t.status else ")")


def sources_of(loaded: LoadedProtocol) -> list[tuple[str, str]]:
    """(file, id) of the protocol, then of each protocol it extends (an overlay's base,
    and that base's own base): where its translations may be."""
    protocol = loaded.protocol or loaded.partial
    found = [(loaded.path, protocol.id if protocol is not None else "")]
    base = getattr(loaded.doc, "base", None)  # an overlay's merged document
    while base is not None:
        data = base.data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append((base.path, data["id"]))
        base = getattr(base, "base", None)
    return found


def translation_paths(loaded: LoadedProtocol, language: str) -> list[Path]:
    """The files that translate ``loaded`` into ``language``: its own, then its bases'
    (an overlay that changes two sentences needs to translate only those two). In each
    folder the most specific tag is taken (``pt-BR``, then ``pt``)."""
    paths = []
    for file, protocol_id in sources_of(loaded):
        files = translation_files(file, protocol_id)
        path = next((files[c] for c in candidates(language) if c in files), None)
        if path is not None:
            paths.append(path)
    return paths


def load_translation(loaded: LoadedProtocol, language: str) -> Shown:
    """The protocol of ``loaded`` shown in ``language``: from its translation files (see
    :func:`translation_paths`), or the original with a note when it has none. A
    translation file that cannot be read is a :class:`CrisisGuideError`."""
    protocol = loaded.protocol
    assert protocol is not None
    if is_default(language) or language.split("-")[0] == protocol.locale.split("-")[0].lower():
        return Shown(None)
    paths = translation_paths(loaded, language)
    if not paths:
        from ..language import _

        note = _("note: {id} has no {language} ({tag}) translation; it is shown as written")
        return Shown(None, note.format(id=protocol.id, language=name_of(language), tag=language))
    from .apply import translate
    from .catalogue import read_catalogue

    catalogues = [read_catalogue(path, language) for path in paths]
    for catalogue in catalogues:
        if catalogue.po is None:
            message = f"{catalogue.path}: the translation cannot be used"
            raise CrisisGuideError(message, catalogue.problems)
    status = next((c.status for c in catalogues if c.status), "")
    layers = [c.entries() for c in catalogues]
    return Shown(translate(protocol, layers, language, status, str(paths[0])))


def draft_notice(loaded: LoadedProtocol, language: str) -> str:
    """The status header (a draft notice) of the translation of ``loaded`` into
    ``language``; '' when it has none, or no translation, or one that cannot be read."""
    if is_default(language):
        return ""
    from .catalogue import read_catalogue

    paths = translation_paths(loaded, language)
    return next((s for s in (read_catalogue(p, language).status for p in paths) if s), "")
