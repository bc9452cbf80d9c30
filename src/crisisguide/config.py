"""The user's config file and the settings in effect, with where each came from.

The file is YAML in the platform's config folder (the CLI finds it; ``CRISISGUIDE_CONFIG``
overrides the location)::

    region: GB                       # default region for referrals
    referrals: [~/network.yaml]      # the user's own referral directories
    protocols: [~/protocols]         # extra protocol folders
    lang: es                         # the language to show (before LC_ALL/LC_MESSAGES/LANG)
    trainee: river                   # drill run: the name or pseudonym results lines carry
    xapi_base: https://lms.example.org/crisisguide   # drill report --format xapi: IRI base

Relative paths are relative to the config file's folder. A value from the command line
beats the config file, which beats the default.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Code, CrisisGuideError, Problem, problem
from .formats import Slug, Strict, Text
from .language import _
from .referrals import DEFAULT_REGION, PSEUDO_REGIONS, normalize_region
from .structure import model_from_document
from .yamldoc import read_document

ENV_CONFIG = "CRISISGUIDE_CONFIG"
CONFIG_NAME = "config.yaml"


class ConfigFile(Strict):
    region: Text | None = None
    referrals: list[Text] = field(default_factory=list)
    protocols: list[Text] = field(default_factory=list)
    hide: list[Slug] = field(default_factory=list)
    """Built-in protocol ids a service does not use (a site's own file may replace them)."""
    lang: Text | None = None
    """The language to show protocols and the interface in (``es``), before the locale."""
    trainee: Text | None = None
    """The trainee's name or pseudonym for ``drill run --results`` (docs/trainers.md)."""
    xapi_base: Text | None = None
    """The IRI that ``drill report --format xapi`` builds activity and account ids on."""


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
    config_exists: bool = False
    """The file is there (it may set nothing: an empty file means the defaults)."""
    referral_files: list[Setting] = field(default_factory=list)
    protocol_folders: list[Setting] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    """Built-in protocol ids hidden by the config file."""
    lang: Setting | None = None
    """The config file's language (``lang:``), if it sets one."""
    trainee: str | None = None
    """The config file's ``trainee`` (``--trainee`` beats it)."""
    xapi_base: str | None = None
    """The config file's ``xapi_base`` (``--xapi-base`` beats it)."""
    notes: list[str] = field(default_factory=list)
    """Warnings about the settings themselves (a config file named but missing, or broken
    and set aside), for the command line to show on stderr."""


def config_path(app_dir: str) -> Path:
    override = os.environ.get(ENV_CONFIG)
    return Path(override) if override else Path(app_dir) / CONFIG_NAME


_EMPTY = hashlib.sha256(b"").hexdigest()


def _is_blank(text: str) -> bool:
    """Nothing but whitespace and comments: a config file that sets nothing."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _found(path: Path) -> bool:
    try:
        return path.is_file() or path.exists()
    except OSError as exc:  # a folder on the way that we may not enter
        raise CrisisGuideError(
            _("{path}: cannot read the config file: {reason}").format(
                path=path, reason=exc.strerror or type(exc).__name__
            )
        ) from None


def read_config(path: Path) -> ConfigFile | None:
    """The config file at ``path``: None if there is none or it sets nothing (defaults
    apply); a bad file is a located error."""
    if not _found(path):
        return None
    doc = read_document(str(path), cached=True)  # only a file that sets something is cached
    if doc.sha256 == _EMPTY or (doc.text and _is_blank(doc.text)):
        return None
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
    region = doc.data.get("region") if isinstance(doc.data, dict) else None
    if isinstance(region, str) and region.strip() and _country(region) is None:
        problems.append(
            problem(
                Code.BAD_VALUE,
                f"'{region}' is not a country or territory: use an ISO 3166-1 code "
                "like US or GB (ALL and EU are not regions you can be in)",
                doc.locate(("region",)),
            )
        )
    lang = doc.data.get("lang") if isinstance(doc.data, dict) else None
    if isinstance(lang, str) and _language(lang) is None:
        problems.append(
            problem(
                Code.BAD_VALUE,
                f"'{lang}' is not a language tag: use a code like es, fr or pt-BR",
                doc.locate(("lang",)),
            )
        )
    if problems or config is None:
        problems.sort(key=Problem.sort_key)
        raise CrisisGuideError(_("{path}: the config file has errors").format(path=path), problems)
    return config


def _language(value: str) -> str | None:
    from .i18n.tags import normalize

    return normalize(value)


def _country(region: str) -> str | None:
    code = normalize_region(region)
    return None if code is None or code in PSEUDO_REGIONS else code


def settings(
    path: Path,
    region: str | None = None,
    referrals: list[Path] | None = None,
    protocols: list[Path] | None = None,
) -> Settings:
    """The settings in effect: command-line values, then the config file, then defaults."""
    return _settings(path, read_config(path), region, referrals, protocols)


def _settings(
    path: Path,
    config: ConfigFile | None,
    region: str | None,
    referrals: list[Path] | None,
    protocols: list[Path] | None,
) -> Settings:
    base = path.parent
    chosen = (
        Setting(region, "--region")
        if region
        else Setting(config.region, f"config {path}")
        if config and config.region
        else Setting(DEFAULT_REGION, "default")
    )
    chosen.value = normalize_region(chosen.value) or chosen.value
    try:
        exists = _found(path)
    except CrisisGuideError:
        exists = True  # there, but unreadable: reported by read_config, or set aside by now
    result = Settings(path, config is not None, chosen, config_exists=exists)
    if os.environ.get(ENV_CONFIG) and not exists:
        result.notes.append(
            _("warning: {variable} names {path}, which does not exist; the defaults apply").format(
                variable=ENV_CONFIG, path=path
            )
        )
    if config:
        result.referral_files += [
            Setting(str(_resolve(base, p)), "config") for p in config.referrals
        ]
        result.protocol_folders += [
            Setting(str(_resolve(base, p)), "config") for p in config.protocols
        ]
        result.hidden = list(config.hide)
        if config.lang:
            result.lang = Setting(_language(config.lang) or config.lang, f"config {path}")
        result.trainee, result.xapi_base = config.trainee, config.xapi_base
    result.referral_files += [Setting(str(p), "--referrals") for p in referrals or []]
    result.protocol_folders += [Setting(str(p), "--protocols") for p in protocols or []]
    return result


def settings_or_defaults(
    path: Path, region: str | None = None, referrals: list[Path] | None = None
) -> Settings:
    """The settings for ``now``, which must always answer: a broken config file is set
    aside with a warning, keeping the region and referral files it names if they can be
    read, and the defaults otherwise."""
    try:
        return settings(path, region, referrals)
    except CrisisGuideError as exc:
        salvaged = _salvage(path)
        result = _settings(path, salvaged, region, referrals, None)
        first = str(exc.problems[0]) if exc.problems else exc.message
        result.notes.append(
            _("warning: the config file has errors and was set aside: {problem}").format(
                problem=first
            )
        )
        return result


def salvaged_region(path: Path) -> str | None:
    """The region a broken config file names, if it names a real one."""
    config = _salvage(path)
    return config.region if config is not None else None


def _salvage(path: Path) -> ConfigFile | None:
    """What can still be used from a broken config file: a valid region, a list of
    referral files."""
    try:
        data = read_document(str(path)).data
    except OSError:
        return None
    if not isinstance(data, dict):
        return None
    region = data.get("region")
    files = data.get("referrals")
    return ConfigFile(
        region=_country(region) if isinstance(region, str) else None,
        referrals=[f for f in files if isinstance(f, str)] if isinstance(files, list) else [],
        protocols=[],
        hide=[],
        trainee=None,
        xapi_base=None,
    )


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
    folders = [{"path": str(builtin_dir()), "from": "built-in", "layer": 0}]
    folders += [{"path": str(p), "from": "CRISISGUIDE_PATH", "layer": 1} for p in env_folders()]
    folders += [{"path": p.value, "from": p.source, "layer": 2 if p.source == "config" else 3}
                for p in s.protocol_folders]  # fmt: skip
    return {
        "config_file": str(s.config_path),
        "config_file_found": s.config_found,
        "config_file_exists": s.config_exists,
        "region": {"value": s.region.value, "from": s.region.source},
        "referral_files": referral_files,
        "protocol_folders": folders,
        "hidden": s.hidden,
        **({"lang": {"value": s.lang.value, "from": s.lang.source}} if s.lang else {}),
    }
