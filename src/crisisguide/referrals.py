"""The referral directory: loading, checking, merging and resolving for a region.

The project ships a default directory (national emergency numbers and crisis lines, each
with a ``source`` and a ``last_verified`` date); users add their own local network in
their own files, merged over it (same id replaces). An outcome's referral names a kind
(every entry of that kind in the region) or an entry id (docs/format.md, "Referral
directories").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from .errors import Code, CrisisGuideError, Problem, UsageError, did_you_mean, problem
from .formats import REFERRAL_KINDS, Date, FormatVersion, Slug, Strict, Text, Url
from .shapes import MinLen
from .structure import model_from_document
from .yamldoc import DEFAULT_LIMITS, Document, Limits, read_document

STALE_AFTER_DAYS = 365
_KIND_ORDER = {kind: i for i, kind in enumerate(REFERRAL_KINDS)}
DEFAULT_REGION = "US"

# ISO 3166-1 alpha-2, plus the two pseudo-regions ALL and EU (docs/format.md).
ISO_REGIONS = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL
    GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM
    JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
    MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
    NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD
    SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 (a table, easier to read and check as text)
)
EU_MEMBERS = frozenset(
    """
    AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE
    """.split()  # noqa: SIM905 (a table, easier to read and check as text)
)
PSEUDO_REGIONS = frozenset({"ALL", "EU"})


def normalize_region(region: str) -> str | None:
    """``region`` as an upper-case ISO code (``UK`` -> ``GB``), or None if it is not one."""
    code = region.strip().upper()
    code = "GB" if code == "UK" else code
    return code if code in ISO_REGIONS or code in PSEUDO_REGIONS else None


def region_or_usage_error(region: str) -> str:
    code = normalize_region(region)
    if code is None or code in PSEUDO_REGIONS:
        raise UsageError(
            f"'{region}' is not a region: use a two-letter ISO 3166-1 code such as "
            "US, CA, GB (or UK), IE, AU, NZ or DE"
        )
    return code


class Contact(Strict):
    call: Text | None = None
    text: Text | None = None
    chat: Url | None = None
    web: Url | None = None
    email: Text | None = None
    address: Text | None = None

    def methods(self) -> list[tuple[str, str]]:
        """(how, where) pairs in a fixed order: call, text, chat, web, email, address."""
        names = ("call", "text", "chat", "web", "email", "address")
        return [(name, getattr(self, name)) for name in names if getattr(self, name)]


class Entry(Strict):
    id: Slug
    name: Text
    kind: Slug
    regions: Annotated[list[Text], MinLen(1)]
    contact: Contact
    hours: Text | None = None
    languages: list[Text] = field(default_factory=list)
    tags: list[Slug] = field(default_factory=list)
    notes: Text | None = None
    source: Url | None = None
    last_verified: Date | None = None

    def serves(self, region: str) -> bool:
        codes = {normalize_region(r) for r in self.regions}
        return region in codes or "ALL" in codes or ("EU" in codes and region in EU_MEMBERS)

    def as_result(self) -> dict[str, Any]:
        """The entry as it appears in a session result."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "contact": dict(self.contact.methods()),
            "hours": self.hours,
            "notes": self.notes,
        }

    def as_listed(self) -> dict[str, Any]:
        """The entry as ``resources`` and ``now`` list it: with where it applies and where,
        and when, its details were checked."""
        return {
            **self.as_result(),
            "regions": self.regions,
            "tags": self.tags,
            "source": self.source,
            "last_verified": self.last_verified.isoformat() if self.last_verified else None,
        }


class DirectoryFile(Strict):
    format: FormatVersion
    entries: list[Entry] = field(default_factory=list)


@dataclass
class LoadedDirectory:
    doc: Document
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def directory_from_document(doc: Document, today: dt.date) -> LoadedDirectory:
    """Check one directory file: structure (CG104...), kinds (CG112), ids (CG113), CG150."""
    loaded = LoadedDirectory(doc=doc, problems=list(doc.problems))
    if not isinstance(doc.data, dict):
        return loaded
    model, problems = model_from_document(doc, DirectoryFile)
    loaded.problems.extend(problems)
    if model is None:
        return loaded
    loaded.entries = list(model.entries)
    loaded.problems.extend(_check_entries(doc, model.entries, today))
    return loaded


def _check_entries(doc: Document, entries: Sequence[Entry], today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        here = ("entries", i)
        if entry.id in seen:
            first = f"first at entries[{seen[entry.id]}]"
            problems.append(
                problem(Code.DUPLICATE_ID, f"entry id '{entry.id}' is used twice ({first})",
                      doc.locate((*here, "id")))
            )  # fmt: skip
        seen.setdefault(entry.id, i)
        if entry.kind not in REFERRAL_KINDS:
            problems.append(
                problem(
                    Code.UNKNOWN_REFERRAL,
                    f"referral kind '{entry.kind}' is unknown"
                    f"{did_you_mean(entry.kind, REFERRAL_KINDS)}; "
                    f"kinds are: {', '.join(REFERRAL_KINDS)}",
                    doc.locate((*here, "kind")),
                )
            )
        for j, region in enumerate(entry.regions):
            if normalize_region(region) is None:
                problems.append(
                    problem(Code.BAD_VALUE, f"'{region}' is not a region: use an ISO 3166-1 code like US "
                          "or GB, or ALL or EU", doc.locate((*here, "regions", j)))
                )  # fmt: skip
        if not entry.contact.methods():
            problems.append(
                problem(Code.MISSING_KEY, f"entry '{entry.id}' has no way to reach it: add call, text, chat, "
                      "web, email or address", doc.locate((*here, "contact")))
            )  # fmt: skip
        problems.extend(_check_freshness(doc, entry, here, today))
    return problems


def _check_freshness(
    doc: Document, entry: Entry, here: tuple[Any, ...], today: dt.date
) -> list[Problem]:
    if entry.source is None:
        return [
            problem(Code.UNVERIFIED_ENTRY, f"entry '{entry.id}' has no source: add the web page where its "
                    "contact details are published", doc.locate((*here, "id")))
        ]  # fmt: skip
    if entry.last_verified is None:
        return [
            problem(Code.UNVERIFIED_ENTRY, f"entry '{entry.id}' has no last_verified date: check it and "
                    "record the date", doc.locate((*here, "id")))
        ]  # fmt: skip
    age = (today - entry.last_verified).days
    if age < 0:
        return [
            problem(Code.UNVERIFIED_ENTRY, f"entry '{entry.id}' was last verified on "
                    f"{entry.last_verified}, which is in the future: record the date it was "
                    "really checked", doc.locate((*here, "last_verified")))
        ]  # fmt: skip
    if age > STALE_AFTER_DAYS:
        return [
            problem(Code.UNVERIFIED_ENTRY, f"entry '{entry.id}' was last verified {entry.last_verified} "
                    f"({age} days ago): check it against {entry.source}",
                    doc.locate((*here, "last_verified")))
        ]  # fmt: skip
    return []


def load_directory(path: str, today: dt.date, limits: Limits = DEFAULT_LIMITS) -> LoadedDirectory:
    return directory_from_document(read_document(path, limits, cached=True), today)


# --- the merged directory --------------------------------------------------------------


@dataclass(frozen=True)
class Unlisted:
    """A referral kind with no entry for the region: the user should add local services."""

    kind: str
    region: str


Resolved = Entry | Unlisted


def as_results(resolved: Sequence[Resolved]) -> list[dict[str, Any]]:
    """Resolved referrals as a session result lists them: the entries, not the hints."""
    return [item.as_result() for item in resolved if isinstance(item, Entry)]


@dataclass
class Directory:
    """Entries from the default directory with the user's files merged over it."""

    entries: dict[str, Entry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    """Warnings about user files left out because they have errors (``skip_broken``)."""

    @classmethod
    def merge(cls, loaded: Iterable[LoadedDirectory], *, skip_broken: bool = False) -> Directory:
        """The files merged in order (same id replaces). A file with errors is refused, or,
        with ``skip_broken`` (for ``now``, which must always answer), left out with a
        warning."""
        directory = cls()
        for one in loaded:
            errors = [p for p in one.problems if p.is_error]
            if errors and skip_broken:
                directory.set_aside.append(
                    f"warning: {one.doc.path} was left out: {errors[0].message} "
                    f"(crisisguide validate {one.doc.path})"
                )
                continue
            if errors:
                raise CrisisGuideError(
                    f"{one.doc.path}: the referral directory has {len(errors)} error(s); "
                    f"fix them first (crisisguide validate {one.doc.path})",
                    errors,
                )
            directory.files.append(one.doc.path)
            for entry in one.entries:
                directory.entries[entry.id] = entry  # same id replaces
        return directory

    def kinds(self) -> dict[str, str]:
        """Entry id -> kind (what protocol validation checks referral ids against)."""
        return {entry.id: entry.kind for entry in self.entries.values()}

    def select(
        self, region: str, kinds: Sequence[str] = (), tags: Sequence[str] = ()
    ) -> list[Entry]:
        """Entries serving ``region``, optionally of some kinds or with all of some tags,
        grouped by kind: emergency first, then crisis lines, then the others in the order
        of the kinds (within a kind, in directory order)."""
        found = [
            entry
            for entry in self.entries.values()
            if entry.serves(region)
            and (not kinds or entry.kind in kinds)
            and all(tag in entry.tags for tag in tags)
        ]
        return sorted(found, key=lambda e: _KIND_ORDER.get(e.kind, len(_KIND_ORDER)))

    def resolve(self, referrals: Sequence[str], region: str) -> list[Resolved]:
        """An outcome's referrals for ``region``: entries, and the kinds nobody serves."""
        found: list[Resolved] = []
        seen: set[str] = set()
        for ref in referrals:
            if ref in self.entries:
                matches = [self.entries[ref]]
            elif ref in REFERRAL_KINDS:
                matches = self.select(region, kinds=[ref])
                if not matches:
                    found.append(Unlisted(ref, region))
            else:
                raise CrisisGuideError(f"referral '{ref}' is not in the directory")
            for entry in matches:
                if entry.id not in seen:
                    seen.add(entry.id)
                    found.append(entry)
        return found

    def urgent(self, region: str) -> list[Entry]:
        """Emergency and crisis-line entries for ``region``, emergency first."""
        return self.select(region, kinds=["emergency"]) + self.select(region, kinds=["crisis-line"])


def builtin_urgent(region: str, today: dt.date) -> list[Entry]:
    """The shipped directory's emergency and crisis lines for ``region``, whatever the
    user's own files say (the fallback when they cannot be read)."""
    from .places import default_directory_file

    shipped = load_directory(str(default_directory_file()), today)
    return Directory.merge([shipped], skip_broken=True).urgent(region)
