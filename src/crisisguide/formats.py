"""The vocabulary of the file formats, defined once: id and text patterns, tiers, kinds,
the constrained string types and the strict base of every model (protocols, drills,
referral directories, the config file).

Kept apart from the protocol models so that commands which never load a protocol
(``now``, ``resources``) do not pay for building them.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

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


def allow_extensions(schema: dict[str, Any]) -> None:
    schema["patternProperties"] = {"^x-": {}}


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, except ``x-`` extension keys (the
    loader sets those aside before a model sees them; see docs/format.md)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        populate_by_name=True,
        json_schema_extra=allow_extensions,
        defer_build=True,  # schemas are built on first use, not on import
    )
