"""The vocabulary of the file formats: id and text patterns, tiers, kinds. Light to import.

Kept apart from the models so that commands which never load a protocol (``now``,
``resources``) do not pay for building them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

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

Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]
SemVer = Annotated[str, StringConstraints(pattern=SEMVER_PATTERN)]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]
Locale = Annotated[str, StringConstraints(pattern=LOCALE_PATTERN)]

NODE_KINDS: tuple[str, ...] = ("question", "checklist", "action", "info", "route", "outcome")
