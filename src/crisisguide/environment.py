"""The settings in effect for one run of a command, and the library and referral directory
they name, loaded on first use. No command-line framework: the full command line and the
start-up path of ``crisisguide now`` load them through the same functions."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Code, CrisisGuideError, did_you_mean
from .language import _, ngettext
from .shell import after_command

if TYPE_CHECKING:
    from .config import Setting, Settings
    from .library import Library
    from .referrals import Directory, LoadedDirectory

APP_NAME = "crisisguide"
DEFAULT_LANGUAGE = "en"
"""The interface's own language (``i18n.tags.DEFAULT``, not imported at start-up)."""


def app_dir(app_name: str) -> str:
    """The platform's config folder for ``app_name``, as click's ``get_app_dir`` finds it
    (roaming on Windows, not forced to POSIX): the command line has always looked there,
    and ``now`` must find the same file without importing click."""
    if sys.platform.startswith("win"):
        folder = os.environ.get("APPDATA")
        if folder is None:
            folder = os.path.expanduser("~")
        return os.path.join(folder, app_name)
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Application Support"), app_name)
    return os.path.join(
        os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config")),
        "-".join(app_name.split()).lower(),
    )


def today() -> dt.date:
    return dt.date.today()


@dataclass
class Env:
    """The settings in effect, with the library and directory loaded on first use."""

    settings: Settings
    resilient: bool = False
    """For ``now``: user files with errors are set aside with a warning, never refused."""
    notes: list[str] = field(default_factory=list)
    """Warnings and notes for stderr, shown after the command's own output."""
    language: Setting | None = None
    """The language in effect and where it came from (:func:`resolve_language`)."""
    _library: Library | None = field(default=None, repr=False)
    _directory: Directory | None = field(default=None, repr=False)
    _loaded_directories: list[LoadedDirectory] | None = field(default=None, repr=False)

    @property
    def region(self) -> str:
        return self.settings.region.value

    @property
    def lang(self) -> str:
        """The language tag in effect (``en`` by default)."""
        return self.language.value if self.language is not None else "en"

    def input_files(self) -> list[Path]:
        """The files this run reads besides a protocol: config and referral directories
        (never to be overwritten by an output)."""
        return [self.settings.config_path, *(Path(s.value) for s in self.settings.referral_files)]

    def output(
        self, path: str | None, inputs: Sequence[str | Path] = (), force: bool = False
    ) -> Path | None:
        """An output path checked before any work (None: there is none, or it is stdout)."""
        from .fileio import check_output

        if path is None:
            return None
        return check_output(path, inputs=[*inputs, *self.input_files()], force=force)

    @property
    def library(self) -> Library:
        if self._library is None:
            from .library import load_library, search_layers

            config = [Path(s.value) for s in self.settings.protocol_folders if s.source == "config"]
            extra = [Path(s.value) for s in self.settings.protocol_folders if s.source != "config"]
            folders = search_layers(extra=extra, config=config)
            self._library = load_library(
                folders, hide=self.settings.hidden, hidden_by=str(self.settings.config_path)
            )
            built_in = {h.id for h in self._library.headers if h.layer == 0}
            for name in self.settings.hidden:
                if name not in self._library.hidden:
                    known = sorted(built_in | set(self._library.hidden))
                    self.notes.append(_("note: the config file hides '{name}', which is not a "
                                        "built-in protocol{hint}").format(
                        name=name, hint=did_you_mean(name, known)))  # fmt: skip
        return self._library

    @property
    def loaded_directories(self) -> list[LoadedDirectory]:
        """The default directory, then those in the library's folders, then the user's
        files (config, then --referrals), each checked (CG150 dated today)."""
        if self._loaded_directories is None:
            from .places import default_directory_file
            from .referrals import load_directory

            named = [s.value for s in self.settings.referral_files]
            beside = [f for f in self._directories_beside()
                      if not any(_same_file(f, n) for n in named)]  # fmt: skip
            files = [str(default_directory_file()), *beside, *named]
            self._loaded_directories = [load_directory(f, today()) for f in files]
        return self._loaded_directories

    def _directories_beside(self) -> list[str]:
        """Referral directories in the library's own folders. With no folder but the
        built-in one (whose directory is the default), there are none, and the library
        is not even looked at: ``now`` stays light."""
        user_folders = (
            self.settings.protocol_folders or os.environ.get("CRISISGUIDE_PATH", "").strip()
        )
        if self._library is None and not user_folders:
            return []
        return self.library.directory_files()

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            from .referrals import Directory

            try:
                directory = Directory.merge(self.loaded_directories, skip_broken=self.resilient)
            except CrisisGuideError as exc:
                exc.footer = emergency_footer(self.region)
                raise
            self.notes += directory.set_aside
            stale = sum(
                1
                for d in self.loaded_directories
                for p in d.problems
                if p.code == Code.UNVERIFIED_ENTRY.id
            )
            if stale:
                self.notes.append(ngettext(
                    "note: {count} referral entry need checking (no source, or last verified "
                    "over a year ago); see crisisguide validate",
                    "note: {count} referral entries need checking (no source, or last verified "
                    "over a year ago); see crisisguide validate", stale).format(count=stale))  # fmt: skip
            self._directory = directory
        return self._directory


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def emergency_footer(region: str) -> str:
    """How to reach emergency help in ``region``, from the shipped directory alone: the
    last line of a refusal, so that a broken file never hides the numbers."""
    from .referrals import builtin_urgent
    from .text import one_line

    entries = builtin_urgent(region, today())
    emergency = [e for e in entries if e.kind == "emergency"][:1]
    lines = [e for e in entries if e.kind == "crisis-line"][:1]
    # ``how`` is a contact method (call, text...): its words are the ones marked in ui/lines.py
    reach = [f"{e.name}: {', '.join(f'{_(how)} {where}' for how, where in e.contact.methods()[:2])}"
             for e in [*emergency, *lines]]  # fmt: skip
    if not emergency:
        reach.insert(0, _("no emergency number on file for {region}: dial your local emergency "
                          "number").format(region=region))  # fmt: skip
    # Translators: the last line of a refusal; {region} is a code (US), {reach} says how to
    # reach emergency services and a crisis line.
    return one_line(_("Emergency help ({region}): {reach}").format(
        region=region, reach="; ".join(reach)))  # fmt: skip


def resolve_language(option: str | None, settings: Settings) -> Setting:
    """The language in effect: ``--lang``, then the config file's ``lang:``, then the
    locale environment (LC_ALL, LC_MESSAGES, LANG), then English. A ``--lang`` that is not
    a language tag is a usage error."""
    from .config import Setting
    from .errors import UsageError
    from .i18n.tags import DEFAULT, ENV_VARIABLES, from_environment, normalize
    from .text import one_line

    if option is not None:
        tag = normalize(option)
        if tag is None:
            raise UsageError(
                _("'{value}' is not a language tag: use a code like es, fr or pt-BR").format(
                    value=one_line(option)
                )
            )
        return Setting(tag, "--lang")
    if settings.lang is not None:
        return settings.lang
    found = from_environment()
    if found is not None:
        name = next(n for n in ENV_VARIABLES if os.environ.get(n, "").strip())
        return Setting(found, name)
    return Setting(DEFAULT, "default")


def _early_language(option: str | None) -> str:
    """The language of ``--lang`` or the locale, chosen before the config file is read (so
    that its errors and the emergency footer are in it; its own ``lang:`` applies once it
    has been read). ``en`` when neither names one, or ``--lang`` is not a language tag
    (refused later, by :func:`resolve_language`)."""
    from .i18n.tags import DEFAULT, from_environment, normalize

    tag = normalize(option) if option is not None else from_environment()
    _speak(tag or DEFAULT)
    return tag or DEFAULT


def _speak(tag: str, before: str = DEFAULT_LANGUAGE) -> None:
    """Choose the interface language ``tag`` when it is not the one chosen ``before`` (at
    start, English: it needs no catalogue, nothing is read for it)."""
    if tag != before:
        from .language import use_language

        use_language(tag)


def load_env(
    region: str | None = None,
    referrals: list[Path] | None = None,
    protocols: list[Path] | None = None,
    *,
    resilient: bool = False,
    lang: str | None = None,
) -> Env:
    """The settings in effect. A broken config file is refused (its errors, then how to
    reach emergency help), or, when ``resilient`` (``now``), set aside with a warning.
    Notes and warnings are printed on stderr when the command ends."""
    from .config import config_path, salvaged_region, settings, settings_or_defaults
    from .referrals import DEFAULT_REGION, region_or_usage_error

    if region is not None:
        region = region_or_usage_error(region)
    path = config_path(app_dir(APP_NAME))
    early = _early_language(lang)  # so that a refusal of the config file is in it too
    if resilient:
        found = settings_or_defaults(path, region=region, referrals=referrals)
    else:
        try:
            found = settings(path, region=region, referrals=referrals, protocols=protocols)
        except CrisisGuideError as exc:
            exc.footer = emergency_footer(region or salvaged_region(path) or DEFAULT_REGION)
            raise
    env = Env(found, resilient=resilient, notes=list(found.notes))
    env.language = resolve_language(lang, found)
    _speak(env.lang, early)  # the config file's lang: (read after the early choice)
    after_command(env.notes)
    return env
