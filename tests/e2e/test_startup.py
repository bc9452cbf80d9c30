"""Start-up in a real process: ``crisisguide now`` answers without the command-line
framework (and without Rich when its output is not a terminal), every other command
builds only itself, and both paths print and fail alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
import yaml

from conftest import DATA, ROOT, TESTS

SRC = ROOT / "src" / "crisisguide"

FULL = "import sys; from crisisguide.cli import main; main(sys.argv[1:])"
"""The full command line, as ``crisisguide.cli.main`` runs it (no fast path)."""


def run(argv: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
    kw.setdefault("capture_output", True)
    return subprocess.run([sys.executable, *argv], cwd=str(ROOT), check=False, **kw)  # type: ignore[call-overload, no-any-return]


PROBE = """
import atexit, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
runpy.run_module("crisisguide", run_name="__main__", alter_sys=True)
"""
"""``python -m crisisguide ARGS``, writing the names of every module it imported to a file
as it exits."""


def imported(tmp_path: Path, *args: str) -> set[str]:
    """Every module ``crisisguide ARGS`` imports, its output piped."""
    out = tmp_path / "modules.txt"
    result = run(["-c", PROBE, str(out), *args])
    assert result.returncode == 0, result.stderr.decode()
    return set(out.read_text().split())


def tops(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


NEVER_FOR_NOW = {"typer", "click", "rich", "questionary", "prompt_toolkit", "pydantic"}


@pytest.mark.parametrize(
    "args", [["now"], ["now", "--region", "GB", "--plain"], ["now", "--format=json"]]
)
def test_now_piped_imports_no_framework_and_no_rich(tmp_path: Path, args: list[str]) -> None:
    assert tops(imported(tmp_path, *args)) & NEVER_FOR_NOW == set()


def test_now_without_a_library_of_ones_own_reads_no_protocol(tmp_path: Path) -> None:
    """With only the built-in library there is no referral directory beside protocols to
    find, so ``now`` loads neither the library nor the protocol model."""
    found = imported(tmp_path, "now")
    assert found & {"crisisguide.library", "crisisguide.model", "crisisguide.loader"} == set()


def test_now_from_the_cache_parses_no_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the shipped directory and the config file are in the cache, ``now`` loads
    neither PyYAML nor the parser: the data comes from the cache and is checked as it
    stands."""
    config = tmp_path / "config.yaml"
    config.write_text("region: GB\n")
    old = time.time() - 120
    os.utime(config, (old, old))
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(config))
    time.sleep(2.1)  # a file is cached once its change time is two seconds old
    imported(tmp_path, "now")  # fills the cache if no earlier command has
    found = imported(tmp_path, "now")
    assert "crisisguide.yamldoc.parse" not in found
    assert "yaml" not in tops(found)


def test_now_finds_a_directory_beside_a_sites_protocols(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "local.yaml").write_text(
        "format: 1\nentries:\n  - {id: riverside-er, name: Riverside ER, kind: emergency,"
        " regions: [US], contact: {call: 555-0100}, source: https://example.org/er,"
        " last_verified: 2026-11-01}\n"
    )
    monkeypatch.setenv("CRISISGUIDE_PATH", str(site))
    result = run(["-m", "crisisguide", "now"])
    assert result.returncode == 0, result.stderr.decode()
    assert "Riverside ER" in result.stdout.decode()


def test_now_on_a_terminal_uses_rich_but_not_the_framework(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    out = tmp_path / "modules.txt"
    child = pexpect.spawn(
        sys.executable, ["-c", PROBE, str(out), "now", "--region", "GB"],
        env=env, dimensions=(40, 100), encoding="utf-8", timeout=30, cwd=str(TESTS),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "999 Emergency Services" in child.before
    loaded = set(out.read_text().split())
    assert "rich" in tops(loaded)
    assert tops(loaded) & {"typer", "click", "questionary"} == set()


@pytest.mark.parametrize(
    "args",
    [["list"], ["validate", str(DATA / "valid" / "every-kind.yaml")],
     ["export", "suicide-risk-screen"]],
)  # fmt: skip
def test_list_validate_and_export_import_no_prompts(tmp_path: Path, args: list[str]) -> None:
    assert tops(imported(tmp_path, *args)) & {"questionary", "prompt_toolkit"} == set()


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    loaded = imported(tmp_path, "--help")
    assert sorted(m for m in loaded if m.startswith("crisisguide.cli.")) == []
    assert tops(loaded) & {"rich", "pydantic", "questionary", "yaml"} == set()


def test_a_command_imports_only_its_own_module(tmp_path: Path) -> None:
    loaded = imported(tmp_path, "schema")
    assert sorted(m for m in loaded if m.startswith("crisisguide.cli.")) == [
        "crisisguide.cli.authoring",
        "crisisguide.cli.common",
        "crisisguide.cli.complete",
    ]


# --- both paths, in real processes -------------------------------------------------------


def both(
    *args: str, env: dict[str, str] | None = None, **kw: object
) -> list[tuple[bytes, bytes, int]]:
    """(stdout, stderr, exit code) of ``crisisguide ARGS`` (the console path, fast for
    ``now``) and of ``crisisguide.cli.main`` (the full command line)."""
    found = []
    for argv in (["-m", "crisisguide", *args], ["-c", FULL, *args]):
        result = run(argv, env=env, **kw)
        found.append((result.stdout, result.stderr, result.returncode))
    return found


CASES = [
    ["now"], ["now", "--region", "GB"], ["now", "--region=JP", "--plain"],
    ["now", "--region", "BV"], ["now", "--region", "US", "--format", "json"],
    ["now", "--region", "XX"],
]  # fmt: skip


@pytest.mark.parametrize("args", CASES, ids=" ".join)
@pytest.mark.parametrize("colour", ["NO_COLOR", "colour"])
def test_both_paths_print_the_same(args: list[str], colour: str) -> None:
    env = {**os.environ}
    if colour != "NO_COLOR":
        env.pop("NO_COLOR", None)
    fast, full = both(*args, env=env)
    assert fast == full
    assert fast[2] == (2 if "XX" in args else 0)


def test_now_piped_is_the_golden_text() -> None:
    fast, full = both("now", "--region", "GB", env={**os.environ, "COLUMNS": "100"})
    assert fast == full
    assert fast[0].decode() == (TESTS / "golden" / "now-piped.txt").read_text(encoding="utf-8")


def test_both_paths_set_aside_broken_files_after_the_numbers(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("region: JP\nreferals: [network.yaml]\n")
    network = tmp_path / "network.yaml"
    network.write_text(yaml.safe_dump({"format": 1, "entries": [{"id": "x", "kind": "emergncy"}]}))
    env = {**os.environ, "CRISISGUIDE_CONFIG": str(config)}
    for mode in ([], ["--plain"], ["--format", "json"]):
        fast, full = both("now", "--referrals", str(network), *mode, env=env)
        assert fast == full
        out, err, code = fast
        assert code == 0
        assert out.startswith(b"{" if "json" in mode else b"Region: JP")
        warnings = err.decode().splitlines()
        assert [w.split(":")[0] for w in warnings] == ["warning", "warning"]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_both_paths_write_through_the_terminal_encoding(encoding: str, tmp_path: Path) -> None:
    entry = {"id": "x", "name": "Caf\u00e9 \u201cline\u201d \u2014 \u65e5\u672c", "kind": "crisis-line",
             "regions": ["GB"], "contact": {"call": "1"}, "source": "https://example.org/",
             "last_verified": "2026-11-01"}  # fmt: skip
    network = tmp_path / "n.yaml"
    network.write_text(yaml.safe_dump({"format": 1, "entries": [entry]}), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    for mode in ([], ["--plain"]):
        fast, full = both("now", "--region", "GB", "--referrals", str(network), *mode, env=env)
        assert fast == full
        fast[0].decode(encoding)


def test_both_paths_report_a_closed_stdout() -> None:
    fast, full = both("now", stdout=subprocess.DEVNULL, capture_output=False,
                      stderr=subprocess.PIPE, close_fds=True, preexec_fn=lambda: os.close(1))  # fmt: skip
    assert fast == full
    assert fast[2] == 1
    assert b"crisisguide: cannot write output: standard output is closed" in fast[1]


STOPPED = """
import os, signal, sys
import crisisguide.listing as listing
real = listing.show_entries
def stopped(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)
    real(*args, **kwargs)
listing.show_entries = stopped
if sys.argv[1] == "fast":
    from crisisguide.entry import main
else:
    from crisisguide.cli import main
main(sys.argv[2:])
"""


def test_both_paths_stop_the_same_way_on_sigterm() -> None:
    found = [run(["-c", STOPPED, path, "now"]) for path in ("fast", "full")]
    fast, full = ((r.stdout, r.stderr, r.returncode) for r in found)
    assert fast == full
    assert found[0].returncode == 128 + signal.SIGTERM
    assert found[0].stderr.decode().strip() == "Stopped; nothing was saved."


@pytest.mark.parametrize("args", [["now", "--help"], ["now", "--regin", "GB"], ["--version"]])
def test_anything_else_is_the_full_command_line_unchanged(args: list[str]) -> None:
    fast, full = both(*args)
    assert fast == full


# --- completion goes to the framework ----------------------------------------------------


def complete(words: str, index: int) -> list[str]:
    env = {**os.environ, "_CRISISGUIDE_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(index)}  # fmt: skip
    return run(["-m", "crisisguide"], env=env).stdout.decode().split()


def test_completion_of_command_names() -> None:
    assert complete("crisisguide ex", 1) == ["export"]
    assert complete("crisisguide n", 1) == ["new", "now"]
    assert complete("crisisguide drill c", 2) == ["check", "coverage"]
    assert complete("crisisguide now --reg", 2) == ["--region"]


def test_show_completion_prints_the_script() -> None:
    # Typer finds the shell from the process tree unless told not to; under a runner whose
    # nearest shell is sh (not a completion shell) that would fail whatever the code does.
    # With detection off, --show-completion takes the shell's name as its value.
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = run(["-m", "crisisguide", "--show-completion", "bash"], env=env)
    assert result.returncode == 0
    assert b"_CRISISGUIDE_COMPLETE=complete_bash" in result.stdout


@pytest.mark.parametrize(
    ("args", "locale"),
    [(["now", "--lang", "es"], "C.UTF-8"), (["now", "--lang=es", "--plain"], "C.UTF-8"),
     (["now", "--plain"], "es_ES.UTF-8"), (["now", "--region", "GB"], "es_MX.UTF-8")],
    ids=["--lang es", "--lang=es --plain", "LANG=es_ES", "LANG=es_MX --region GB"],
)  # fmt: skip
def test_now_speaks_the_language_asked_for_on_both_paths(
    tmp_path: Path, args: list[str], locale: str
) -> None:
    env = {**os.environ, "LANG": locale}
    fast, full = both(*args, env=env)
    assert fast == full
    out = fast[0].decode()
    assert out.startswith("Región: ")
    assert "llame al " in out  # the contact words, as the Spanish interface says them
    assert tops(imported(tmp_path, *args)) & NEVER_FOR_NOW == set()


def test_now_in_english_is_unchanged_by_an_english_or_unknown_locale() -> None:
    for locale in ("en_GB.UTF-8", "C", "xx_YY.UTF-8"):
        fast, _full = both("now", "--region", "GB", env={**os.environ, "COLUMNS": "100",
                                                         "LANG": locale})  # fmt: skip
        golden = (TESTS / "golden" / "now-piped.txt").read_text(encoding="utf-8")
        assert fast[0].decode() == golden, locale
