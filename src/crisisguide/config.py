"""The user's config file and the settings in effect, with where each came from.

The file is YAML in the platform's config folder (the CLI finds it; ``CRISISGUIDE_CONFIG``
overrides the location)::

    region: GB                       # default region for referrals
    referrals: [~/network.yaml]      # the user's own referral directories
    protocols: [~/protocols]         # extra protocol folders

Relative paths are relative to the config file's folder. A value from the command line
beats the config file, which beats the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field

from .errors import Code, CrisisGuideError, problem
from .formats import Strict, Text
from .referrals import DEFAULT_REGION, normalize_region
from .structure import model_from_document
from .yamldoc import read_document

ENV_CONFIG = "CRISISGUIDE_CONFIG"
CONFIG_NAME = "config.yaml"


class ConfigFile(Strict):
    region: Text | None = None
    referrals: list[Text] = Field(default_factory=list)
    protocols: list[Text] = Field(default_factory=list)


@dataclass
class Setting:
    """A value in effect and where it came from (``default``, ``config``, ``option``...)."""

    value: str
    source: str


@dataclass
class Settings:
    config_path: Path
    config_found: bool
    region: Setting
    referral_files: list[Setting] = field(default_factory=list)
    protocol_folders: list[Setting] = field(default_factory=list)


def config_path(app_dir: str) -> Path:
    override = os.environ.get(ENV_CONFIG)
    return Path(override) if override else Path(app_dir) / CONFIG_NAME


def read_config(path: Path) -> ConfigFile | None:
    """The config file at ``path`` (None if there is none); a bad file is a located error."""
    if not path.exists():
        return None
    doc = read_document(str(path))
    problems = list(doc.problems)
    config = None
    if doc.ok:
        if not isinstance(doc.data, dict):
            problems.append(
                problem(Code.BAD_YAML, "the config file must be a mapping", doc.at(1, 1))
            )
        else:
            config, found = model_from_document(doc, ConfigFile)
            problems.extend(found)
    if config is not None and config.region and normalize_region(config.region) is None:
        problems.append(
            problem(
                Code.BAD_VALUE,
                f"'{config.region}' is not a region: use an ISO 3166-1 code like US or GB",
                doc.locate(("region",)),
            )
        )
    if problems or config is None:
        raise CrisisGuideError(f"{path}: the config file has errors", problems)
    return config


def settings(
    path: Path,
    region: str | None = None,
    referrals: list[Path] | None = None,
    protocols: list[Path] | None = None,
) -> Settings:
    """The settings in effect: command-line values, then the config file, then defaults."""
    config = read_config(path)
    base = path.parent
    chosen = (
        Setting(region, "--region")
        if region
        else Setting(config.region, f"config {path}")
        if config and config.region
        else Setting(DEFAULT_REGION, "default")
    )
    chosen.value = normalize_region(chosen.value) or chosen.value
    result = Settings(config_path=path, config_found=config is not None, region=chosen)
    if config:
        result.referral_files += [
            Setting(str(_resolve(base, p)), "config") for p in config.referrals
        ]
        result.protocol_folders += [
            Setting(str(_resolve(base, p)), "config") for p in config.protocols
        ]
    result.referral_files += [Setting(str(p), "--referrals") for p in referrals or []]
    result.protocol_folders += [Setting(str(p), "--protocols") for p in protocols or []]
    return result


def _resolve(base: Path, value: str) -> Path:
    path = Path(os.path.expanduser(value))
    return path if path.is_absolute() else base / path


def describe_settings(s: Settings) -> dict[str, Any]:
    """The settings in effect and where each came from, as ``crisisguide config`` shows
    them: the built-in files first, then the environment, the config file and options."""
    from .library import env_folders  # not at the top: ``now`` must not load the models
    from .places import builtin_dir, default_directory_file

    referral_files = [{"path": str(default_directory_file()), "from": "built-in"}]
    referral_files += [{"path": r.value, "from": r.source} for r in s.referral_files]
    folders = [{"path": str(builtin_dir()), "from": "built-in"}]
    folders += [{"path": str(p), "from": "CRISISGUIDE_PATH"} for p in env_folders()]
    folders += [{"path": p.value, "from": p.source} for p in s.protocol_folders]
    return {
        "config_file": str(s.config_path),
        "config_file_found": s.config_found,
        "region": {"value": s.region.value, "from": s.region.source},
        "referral_files": referral_files,
        "protocol_folders": folders,
    }
