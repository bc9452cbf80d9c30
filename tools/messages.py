"""Extract the interface's own words, update each language's catalogue and compile it.

    python tools/messages.py            # write the .pot, update every .po, compile every .mo
    python tools/messages.py --check    # exit 1 if any of them is out of date or incomplete
    python tools/messages.py --init LANG  # start a catalogue for a new language

The messages are the ``_()``, ``ngettext()`` and ``N_()`` calls of :mod:`crisisguide.language`
in the files babel.cfg names, extracted with Babel into
``src/crisisguide/locales/crisisguide.pot`` (without line numbers, so that editing code
elsewhere in a file does not touch the catalogues). Each language's
``locales/LANG/LC_MESSAGES/crisisguide.po`` is updated from it (a message whose original
changed keeps its old translation marked fuzzy, for the translator to review) and compiled
to the ``.mo`` the program reads. A fuzzy or missing translation is not compiled (the
English original is shown instead) and fails ``--check``.

Babel is a development dependency (``pip install -e '.[dev]'``); the program reads the
compiled catalogues with the standard library alone.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from string import Formatter

from babel.messages import frontend
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from crisisguide import __version__

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT
"""Where babel.cfg and the code are (the catalogues are under ``LOCALES``)."""
LOCALES = ROOT / "src" / "crisisguide" / "locales"
TEMPLATE = LOCALES / "crisisguide.pot"
DOMAIN = "crisisguide"
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
COMMENT_TAGS = ["Translators:"]
WIDTH = 96
STATUS = "X-Translation-Status"
"""A header field Babel does not keep: carried over from each .po by this script."""
CREATED = datetime(2026, 12, 7, tzinfo=timezone.utc)
"""The template's creation date, fixed so that extracting twice writes the same file."""


def _mapping() -> list[tuple[str, str]]:
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with (SOURCES / "babel.cfg").open(encoding="utf-8") as stream:
        method_map, _options = parse(stream)
    return list(method_map)


def extract() -> Catalog:
    """Every message the code marks, with the files it comes from."""
    template = Catalog(
        project="crisisguide", version=__version__, charset="utf-8", creation_date=CREATED, fuzzy=False,
        copyright_holder="crisisguide maintainers", msgid_bugs_address="",
    )  # fmt: skip
    found = extract_from_dir(
        str(SOURCES), _mapping(), keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )  # fmt: skip
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def catalogues() -> list[Path]:
    return sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=locale, domain=DOMAIN)


def po_text(catalog: Catalog, *, header: bool = True) -> str:
    out = io.BytesIO()
    write_po(
        out, catalog, width=WIDTH, omit_header=not header, include_lineno=False,
        ignore_obsolete=True,
    )  # fmt: skip
    return out.getvalue().decode("utf-8")


def messages_of(catalog: Catalog) -> str:
    """The messages alone, as a .pot lists them (no header, no dates): what a stale
    template is judged by."""
    bare = Catalog(fuzzy=False, charset="utf-8")
    for message in catalog:
        if message.id:
            bare[message.id] = message  # type: ignore[index]
    return po_text(bare, header=False)


def language_of(path: Path) -> str:
    return path.parents[1].name


def status_of(path: Path) -> str:
    found = re.search(rf'^"{STATUS}: (.*)\\n"$', path.read_text("utf-8"), re.MULTILINE)
    return found.group(1) if found else ""


def with_status(text: str, status: str) -> str:
    """The .po text with its translation-status header field put back after Babel's."""
    if not status:
        return text
    field = f'"{STATUS}: {status}\\n"\n'
    return re.sub(r'^("Generated-By: [^"]*"\n)', lambda m: m.group(1) + field, text, count=1,
                  flags=re.MULTILINE)  # fmt: skip


def updated(path: Path, template: Catalog) -> Catalog:
    catalog = read(path, language_of(path))
    catalog.update(template, update_creation_date=False)
    return catalog


def compiled(catalog: Catalog) -> dict[object, object]:
    """What a catalogue compiles to: each message id (a pair for plurals, with its
    context) and its translation, fuzzy and untranslated ones left out, as the .mo holds
    them."""
    out = io.BytesIO()
    write_mo(out, catalog)
    out.seek(0)
    return _table(read_mo(out))


def _table(catalog: Catalog) -> dict[object, object]:
    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list) else value

    return {(m.context, frozen(m.id)): frozen(m.string) for m in catalog if m.id}


def _read_mo(path: Path) -> dict[object, object]:
    with path.open("rb") as stream:
        return _table(read_mo(stream))


def problems(template: Catalog) -> list[str]:
    """Why the committed catalogues are out of date or incomplete (empty when they are not)."""
    found: list[str] = []
    rel = TEMPLATE.relative_to(ROOT)
    if not TEMPLATE.exists() or messages_of(read(TEMPLATE)) != messages_of(template):
        found.append(f"{rel} is out of date with the code")
    for path in catalogues():
        rel = path.relative_to(ROOT)
        catalog = read(path, language_of(path))
        if messages_of(updated(path, template)) != messages_of(catalog):
            found.append(f"{rel} is out of date with the template")
        found += [f"{rel}: {what}" for what in incomplete(catalog)]
        if not status_of(path):
            found.append(f"{rel}: no {STATUS} header field")
        mo = path.with_suffix(".mo")
        if not mo.exists() or _read_mo(mo) != compiled(catalog):
            found.append(f"{mo.relative_to(ROOT)} is out of date with {path.name}")
    return found


def incomplete(catalog: Catalog) -> Iterable[str]:
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        original = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.fuzzy:
            yield f"fuzzy (its original changed; review it): {original!r}"
        elif not all(strings):
            yield f"no translation: {original!r}"
        for error in message.check(catalog):
            yield f"{error}: {original!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*map(fields, ids))
        if any(string and fields(string) != wanted for string in strings):
            yield f"placeholders differ from {sorted(wanted)}: {original!r}"


def fields(message: str) -> set[str]:
    """The ``{name}`` placeholders of a message (``str.format`` would fail on a translation
    that names one the code does not pass, and drop one it leaves out)."""
    try:
        return {name for _, name, _, _ in Formatter().parse(message) if name is not None}
    except ValueError:  # an unmatched brace
        return {"<unmatched brace>"}


def write(template: Catalog) -> None:
    if not TEMPLATE.exists() or messages_of(read(TEMPLATE)) != messages_of(template):
        TEMPLATE.write_text(po_text(template), encoding="utf-8")
    for path in catalogues():
        catalog = updated(path, template)
        path.write_text(with_status(po_text(catalog), status_of(path)), encoding="utf-8")
        table = compiled(catalog)
        mo = path.with_suffix(".mo")
        if not mo.exists() or _read_mo(mo) != table:
            with mo.open("wb") as stream:
                write_mo(stream, catalog)


def init(language: str, template: Catalog) -> Path:
    """A new, empty catalogue for ``language``, marked as a draft to be reviewed."""
    path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} exists already")
    catalog = Catalog(locale=language, domain=DOMAIN, project="crisisguide", version=__version__,
                      charset="utf-8", creation_date=CREATED, fuzzy=False)  # fmt: skip
    catalog.header_comment = (
        f"# The crisisguide interface in {language}: its own words, not protocol text.\n"
        "# DRAFT TRANSLATION: it needs review by a qualified translator before it is relied on."
    )
    catalog.update(template, update_creation_date=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = with_status(po_text(catalog), "draft translation \u2014 needs review by a qualified "
                       "translator")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    template = extract()
    if "--init" in sys.argv:
        init(sys.argv[sys.argv.index("--init") + 1], template)
    if "--check" in sys.argv:
        found = problems(template)
        if found:
            print("\n".join(found), file=sys.stderr)
            raise SystemExit(
                "the interface catalogues are out of date: run python tools/messages.py"
            )
        return
    write(template)
    for path in catalogues():
        for what in incomplete(read(path, language_of(path))):
            print(f"{path.relative_to(ROOT)}: {what}", file=sys.stderr)


if __name__ == "__main__":
    main()
