"""The console script's two paths: ``now`` answered before typer is imported, and the full
command line, which builds only the command that runs. They must answer and fail alike."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import crisisguide.cli as cli
from crisisguide.entry import NowRequest, answer_now, parse_now
from crisisguide.environment import APP_NAME, app_dir
from crisisguide.errors import CrisisGuideError, Terminated, UsageError
from crisisguide.ui.lines import ONE_CELL, Line, as_text

from conftest import DATA, PROTOCOLS, invoke, write_yaml

# --- what the fast path reads ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["now"], NowRequest()),
        (["now", "--region", "gb"], NowRequest(region="gb")),
        (["now", "--region=JP", "--region", "GB"], NowRequest(region="GB")),  # the last wins
        (["now", "--plain", "--format", "json"], NowRequest(plain=True, as_json=True)),
        (["now", "--format=json", "--format=text"], NowRequest()),
        (
            ["now", "--referrals", "a.yaml", "--referrals=b/../c.yaml"],
            NowRequest(referrals=[Path("a.yaml"), Path("b/../c.yaml")]),
        ),
    ],
)
def test_the_fast_path_reads_what_now_accepts(args: list[str], expected: NowRequest) -> None:
    assert parse_now(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        [], ["list"], ["--version"], ["--debug", "now"], ["now", "--help"], ["now", "-h"],
        ["now", "--regin", "GB"], ["now", "--region"], ["now", "--region", "--plain"],
        ["now", "--region="], ["now", "--format", "xml"], ["now", "--format", "JSON"],
        ["now", "GB"], ["now", "--"], ["now", "--plain=yes"], ["now", "--referrals", "-"],
        ["resources", "--region", "GB"], ["drill", "list"],
    ],
)  # fmt: skip
def test_anything_else_goes_to_the_full_command_line(args: list[str]) -> None:
    assert parse_now(args) is None


def test_an_unreadable_referral_file_goes_to_the_full_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text("format: 1\nentries: []\n")
    monkeypatch.setattr(os, "access", lambda *args: False)  # as for a file of another user
    assert parse_now(["now", "--referrals", str(path)]) is None
    assert parse_now(["now", "--referrals", str(tmp_path / "missing.yaml")]) is not None


def test_completion_goes_to_the_full_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CRISISGUIDE_COMPLETE", "complete_bash")
    assert parse_now(["now"]) is None


# --- the fast path answers as the full command line does ---------------------------------


def fast(*args: str) -> tuple[str, str, int]:
    request = parse_now(["now", *args])
    assert request is not None, args
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = answer_now(request)
    return out.getvalue(), err.getvalue(), code


def full(*args: str) -> tuple[str, str, int]:
    result = invoke(CliRunner(), "now", *args)
    return result.stdout, result.stderr, result.exit_code


def broken_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text("region: GB\nreferals: [network.yaml]\n")
    return config


def network(tmp_path: Path, kind: str = "emergency") -> Path:
    entry = {"id": "city-er", "name": "City Hospital emergency department", "kind": kind,
             "regions": ["GB", "JP"], "contact": {"call": "0100 000 0000", "address": "1 High St"},
             "notes": "A long note\twith a tab, " + "and words " * 12 + "then\na second line.",
             "source": "https://example.org/city", "last_verified": "2026-11-01"}  # fmt: skip
    return write_yaml(tmp_path / f"network-{kind}.yaml", {"format": 1, "entries": [entry]})


MODES = [[], ["--plain"], ["--format", "json"]]


@pytest.mark.parametrize("region", ["US", "GB", "JP", "IE", "BV", "uk", "ZZ", "ALL"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("columns", ["100", "40", "9"])
def test_the_fast_path_prints_what_the_full_command_line_prints(
    monkeypatch: pytest.MonkeyPatch, region: str, mode: list[str], columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    args = ["--region", region, *mode]
    assert fast(*args) == full(*args)


@pytest.mark.parametrize("mode", MODES)
def test_the_fast_path_matches_with_referral_files_and_a_broken_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: list[str]
) -> None:
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(broken_config(tmp_path)))
    monkeypatch.delenv("NO_COLOR")
    good, broken = network(tmp_path), network(tmp_path, kind="emergncy")
    for args in (["--referrals", str(good)], ["--referrals", str(broken)],
                 ["--referrals", str(good), "--referrals", str(broken), "--region", "JP"]):  # fmt: skip
        found = fast(*args, *mode)
        assert found == full(*args, *mode)
        assert found[2] == 0
        assert "warning:" in found[1]


def test_the_fast_path_refuses_a_bad_region_as_the_full_command_line_does() -> None:
    found = fast("--region", "XX")
    assert found == full("--region", "XX")
    assert found[2] == 2
    assert found[1].startswith("crisisguide: 'XX' is not a region")


# --- text as Rich would print it ---------------------------------------------------------


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def through_rich(lines: list[Line], plain: bool, terminal: bool) -> str:
    from crisisguide.ui.console import console
    from crisisguide.ui.contacts import renderable

    stream = _Stream(terminal)
    saved, sys.stdout = sys.stdout, stream  # type: ignore[assignment]
    try:
        out = console(plain=plain)
        for line in lines:
            out.print(renderable(line))
        out.file.flush()
    finally:
        sys.stdout = saved
    return stream.getvalue()


ALPHABET = st.sampled_from(
    [" ", " ", " ", "\t", "\n", "\xa0", "a", "b", "Z", "9", ".", "-", "/", "\u00e9", "\u00c5",
     "\u2019", "\u201c", "\u2014", "\u2026", "\u0416"]
)  # fmt: skip
PIECES = st.tuples(st.text(ALPHABET, min_size=1, max_size=60), st.sampled_from(["", "bold"]))


@given(
    spans=st.lists(PIECES, min_size=1, max_size=3),
    indent=st.sampled_from([0, 2]),
    width=st.integers(8, 50),
    plain=st.booleans(),
    terminal=st.booleans(),
)
def test_lines_come_out_as_rich_prints_them(
    spans: list[tuple[str, str]], indent: int, width: int, plain: bool, terminal: bool
) -> None:
    spans = [(piece.strip(), "" if plain else style) for piece, style in spans
             if piece.strip()] or [("x", "")]  # fmt: skip
    indent = 0 if plain else indent  # --plain has no styles, and indents with spaces
    lines = [Line(tuple(spans), indent), Line((("Region: GB", ""),))]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        text = as_text(lines, plain=plain, terminal=terminal)
        if plain or not terminal:
            assert text == through_rich(lines, plain, terminal)
        else:
            assert text is None  # a terminal gets Rich itself


def test_one_cell_characters_are_one_cell_for_rich() -> None:
    from rich.cells import cell_len

    for low, high in ONE_CELL:
        assert all(cell_len(chr(c)) == 1 for c in range(low, high + 1)), hex(low)


@pytest.mark.parametrize("wide", ["\u65e5\u672c", "e\u0301", "\u200b", "\U0001f600"])
def test_a_character_only_rich_can_measure_goes_to_rich(wide: str) -> None:
    assert as_text([Line(((f"call {wide}", ""),))], plain=False) is None


@pytest.mark.parametrize("name", ["FORCE_COLOR", "TTY_COMPATIBLE"])
def test_a_setting_that_makes_rich_colour_a_pipe_goes_to_rich(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "1")
    assert as_text([Line((("Region: GB", ""),))], plain=True) is None


# --- the config folder, found without click ----------------------------------------------


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
@pytest.mark.parametrize("xdg", [None, "/tmp/xdg config"])
@pytest.mark.parametrize("appdata", [None, "C:/Users/A/AppData/Roaming"])
def test_the_config_folder_is_where_click_looks(
    monkeypatch: pytest.MonkeyPatch, platform: str, xdg: str | None, appdata: str | None
) -> None:
    import typer._click.utils as click_utils

    for name, value in (("XDG_CONFIG_HOME", xdg), ("APPDATA", appdata)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(click_utils, "WIN", platform == "win32")
    for name in (APP_NAME, "Foo  Bar"):
        assert app_dir(name) == typer.get_app_dir(name)


# --- the root command builds only what runs ----------------------------------------------


def test_the_table_lists_every_command_of_every_module() -> None:
    import importlib

    from typer.main import get_command_name

    defined = []
    for module in dict.fromkeys(module for module, _ in cli.COMMANDS.values()):
        own = importlib.import_module(f"crisisguide.cli.{module}").app
        defined += [c.name or get_command_name(c.callback.__name__)  # type: ignore[union-attr]
                    for c in own.registered_commands]  # fmt: skip
        defined += [g.name for g in own.registered_groups]
    assert sorted(defined) == sorted(cli.COMMANDS)


@pytest.mark.parametrize("name", list(cli.COMMANDS))
def test_the_short_help_in_the_table_is_the_commands_own(name: str) -> None:
    from typer._click.utils import make_default_short_help

    command = cli._build(name)
    assert command.name == name
    for limit in range(10, 160):
        expected = command.get_short_help_str(limit)
        assert make_default_short_help(cli.COMMANDS[name][1], limit) == expected, limit


def test_help_lists_the_commands_in_order_without_building_them(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(name: str) -> None:
        raise AssertionError(f"--help built {name}")

    monkeypatch.setattr(cli, "_build", refuse)
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == list(cli.COMMANDS)
    assert listed[9].startswith("  now        Emergency and crisis-line contacts for the region,")


def test_an_unknown_command_is_a_usage_error_with_a_suggestion(runner: CliRunner) -> None:
    result = invoke(runner, "exprot", "x")
    assert result.exit_code == 2
    assert "No such command 'exprot'" in result.stderr


# --- one error boundary for every command ------------------------------------------------

ARGS = {
    "validate": [str(DATA / "valid" / "every-kind.yaml")],
    "show": ["suicide-risk-screen"],
    "new": ["mini"],
    "run": ["suicide-risk-screen"],
    "export": ["suicide-risk-screen"],
    "diff": ["suicide-risk-screen", str(PROTOCOLS / "suicide-risk-screen.yaml")],
}
EVERY_COMMAND = [[name, *ARGS.get(name, [])] for name in cli.COMMANDS
                 if name not in ("drill", "i18n")] + [
    ["drill", "list"], ["drill", "check"], ["drill", "coverage", "suicide-risk-screen"],
    ["drill", "run", "alex-after-job-loss"],
    ["i18n", "extract", "suicide-risk-screen"], ["i18n", "status"],
]  # fmt: skip
FAILURES: list[tuple[BaseException, int, str]] = [
    (RuntimeError("bug"), 3, "crisisguide: internal error. Please rerun with --debug"),
    (CrisisGuideError("the file is broken"), 1, "crisisguide: the file is broken"),
    (UsageError("no such thing"), 2, "crisisguide: no such thing"),
    (KeyboardInterrupt(), 130, "Interrupted; nothing was saved."),
    (Terminated(signal.SIGHUP), 129, "Stopped; nothing was saved."),
    (OSError(5, "Input/output error"), 129, "The terminal closed; nothing was saved."),
]


def failing(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """Every command, once built, raises ``exc`` instead of running."""
    real = cli._build

    def fail(*args: Any, **kwargs: Any) -> None:
        raise exc

    def build(name: str) -> Any:
        command = real(name)
        for sub in [command, *getattr(command, "commands", {}).values()]:
            sub.callback = fail
        return command

    monkeypatch.setattr(cli, "_build", build)
    # a hang-up makes the boundary ignore further stop signals: not in the test process
    monkeypatch.setattr(signal, "signal", lambda *args: None)


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=" ".join)
@pytest.mark.parametrize(("exc", "code", "message"), FAILURES, ids=lambda v: str(v)[:12])
def test_every_command_ends_through_the_one_error_boundary(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    exc: BaseException,
    code: int,
    message: str,
) -> None:
    failing(monkeypatch, exc)
    result = invoke(runner, *args)
    assert result.exit_code == code, (result.output, result.exception)
    assert message in result.stderr


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=" ".join)
def test_debug_shows_the_traceback_of_any_command(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    failing(monkeypatch, RuntimeError("bug"))
    result = invoke(runner, "--debug", *args)
    assert isinstance(result.exception, RuntimeError)
    assert "internal error" not in result.stderr
