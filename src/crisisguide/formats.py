"""The vocabulary of the file formats, defined once: id and text patterns, tiers, kinds,
the constrained string types and the base of every record (protocols, drills, referral
directories, the config file).

Kept apart from the protocol models so that commands which never load a protocol
(``now``, ``resources``) do not pay for building them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from .shapes import Before, Pattern, Record

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SEMVER_PATTERN = (
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
TEXT_PATTERN = r"\S"
URL_PATTERN = r"^https?://\S+$"
LOCALE_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"

DEFAULT_TIERS: tuple[str, ...] = ("none", "low", "moderate", "high", "imminent")

REFERRAL_KINDS: tuple[str, ...] = (
    "emergency",
    "crisis-line",
    "mobile-crisis",
    "inpatient",
    "crisis-stabilization",
    "partial-hospitalization",
    "outpatient",
    "ongoing-program",
    "peer-support",
    "disability-services",
    "occupational-therapy",
    "vocational",
    "primary-care",
    "other",
)
URGENT_REFERRAL_KINDS: frozenset[str] = frozenset({"emergency", "crisis-line"})

Slug = Annotated[str, Pattern(ID_PATTERN)]
Text = Annotated[str, Pattern(TEXT_PATTERN)]
SemVer = Annotated[str, Pattern(SEMVER_PATTERN)]
Url = Annotated[str, Pattern(URL_PATTERN)]
Locale = Annotated[str, Pattern(LOCALE_PATTERN)]

NODE_KINDS: tuple[str, ...] = ("question", "checklist", "action", "info", "route", "outcome")


Strict = Record
"""Base of every record of the formats: a frozen, keyword-only dataclass whose unknown keys
are errors, except ``x-`` extension keys (the loader sets those aside before a record sees
them; see docs/format.md)."""


def _exactly_one(value: Any) -> Any:
    if value == 1 and type(value) is not int:  # true and 1.0 equal 1 in Python; not here
        shown = "true" if value is True else repr(value)
        raise ValueError(f"must be the whole number 1, not {shown}")
    return value


FormatVersion = Annotated[Literal[1], Before(_exactly_one)]
"""The ``format`` key of every file: the integer 1 (not ``true``, not ``1.0``)."""


def _date_text(value: Any) -> Any:
    if not isinstance(value, str):
        shown = "true/false" if isinstance(value, bool) else f"the number {value}"
        raise ValueError(f"should be a date like 2026-01-31, not {shown}")
    return value


Date = Annotated[dt.date, Before(_date_text)]
"""A date written as text, ``2026-01-31`` (YAML 1.2 keeps dates as text; never a number)."""
