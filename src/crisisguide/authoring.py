"""Tools for protocol authors: the JSON Schema of the format and the starter protocol."""

from __future__ import annotations

import json
import re
from importlib import resources
from string import Template

from .errors import UsageError
from .model import ID_PATTERN, Protocol
from .shapes import json_schema

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def protocol_schema() -> dict[str, object]:
    """The JSON Schema of a protocol file, generated from the models."""
    schema = json_schema(Protocol)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "crisisguide protocol",
        "description": "A crisis protocol for crisisguide (format 1). Keys starting "
        "with x- are allowed anywhere and ignored.",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def protocol_schema_text() -> str:
    return json.dumps(protocol_schema(), indent=2, ensure_ascii=False) + "\n"


def starter_protocol(protocol_id: str) -> str:
    """A commented starter protocol with ``protocol_id`` that validates without warnings."""
    if not re.match(ID_PATTERN, protocol_id):
        raise UsageError(
            f"'{protocol_id}' is not a valid id: use lowercase letters, digits and hyphens"
        )
    template = resources.files("crisisguide").joinpath("templates/starter.yaml").read_text("utf-8")
    title = protocol_id.replace("-", " ").capitalize()
    return Template(template).substitute(id=protocol_id, title=title)


def starter_overlay(protocol_id: str, base: Protocol) -> str:
    """A commented starter overlay of ``base`` (``crisisguide new ID --extends BASE``)."""
    if not re.match(ID_PATTERN, protocol_id):
        raise UsageError(
            f"'{protocol_id}' is not a valid id: use lowercase letters, digits and hyphens"
        )
    template = resources.files("crisisguide").joinpath("templates/overlay.yaml").read_text("utf-8")
    major = base.version.split(".")[0]
    return Template(template).substitute(
        id=protocol_id,
        base=base.id,
        base_version=base.version.split("-")[0].split("+")[0],
        next_major=f"{int(major) + 1}" if major.isdigit() else "999",
        title=base.title,
        first_node=next(iter(base.nodes)),
    )
