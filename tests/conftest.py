"""Shared fixtures: paths to test data, a CLI runner, and a small protocol builder."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from crisisguide.cli import app

TESTS = Path(__file__).parent
DATA = TESTS / "data"
ROOT = TESTS.parent
PROTOCOLS = ROOT / "protocols"

# The long fuzzing run, 100,000 cases per generator:
#   pytest tests/e2e/test_fuzz.py --hypothesis-profile=long
settings.register_profile(
    "long", max_examples=100_000, deadline=None, suppress_health_check=list(HealthCheck)
)

# A test run started in the background by a shell without job control (``cmd &``,
# ``nohup``) inherits SIGINT ignored, and so would every program the tests start: a Ctrl-C
# typed at a line-mode prompt, or sent as a signal, would then do nothing. The tests send
# Ctrl-C on purpose, so it is given back its usual meaning; ignored SIGHUP likewise.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if getattr(signal, "SIGHUP", None) and signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
    signal.signal(signal.SIGHUP, signal.SIG_DFL)

TODAY = dt.date.today()
"""Real today: the shipped directory must not go stale unnoticed (CG150 after a year)."""

EXPECT = re.compile(r"^# expect: (CG\d{3})(?: (\d+):(\d+))?$", re.MULTILINE)


def expectations(path: Path) -> list[tuple[str, int | None, int | None]]:
    """The ``# expect: CODE LINE:COL`` header lines of an invalid fixture."""
    found = []
    for code, line, col in EXPECT.findall(path.read_text(encoding="utf-8")):
        found.append((code, int(line) if line else None, int(col) if col else None))
    return found


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/* from the current output (review the diff!).",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Any:
    """Compare text with tests/golden/NAME, or rewrite it with --update-golden."""

    def compare(name: str, actual: str) -> None:
        path = TESTS / "golden" / name
        if request.config.getoption("--update-golden"):
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"no golden file {name}: run pytest --update-golden and review it"
        assert actual == path.read_text(encoding="utf-8")

    return compare


@pytest.fixture(scope="session")
def _empty_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = tmp_path_factory.mktemp("config") / "config.yaml"
    config.write_text("# no settings: the defaults apply\n")  # an empty config file is silent
    return config


@pytest.fixture(scope="session")
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, _empty_config: Path, _cache: Path) -> None:
    """No user library, config, cache or colour leaks into a test (the cache is on, shared
    by the tests of one run, as it is by the commands of one user)."""
    monkeypatch.delenv("CRISISGUIDE_PATH", raising=False)
    monkeypatch.setenv("CRISISGUIDE_CACHE", str(_cache))
    monkeypatch.setenv("CRISISGUIDE_CONFIG", str(_empty_config))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    # a terminal type, whatever the machine running the tests has (CI may have none: no
    # TERM means a dumb terminal, and prompts fall back to typed lines); the tests of
    # dumb terminals set it themselves
    monkeypatch.setenv("TERM", "xterm")
    # the language: English unless a test asks for another, whatever the machine's locale
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    from crisisguide.language import use_language

    use_language(None)  # a command run in-process with --lang does not leak into the next


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, **kwargs: Any) -> Any:
    return runner.invoke(app, list(args), **kwargs)


def minimal_protocol(**overrides: Any) -> dict[str, Any]:
    """A small valid protocol as data, to be changed by a test and dumped to YAML."""
    protocol: dict[str, Any] = {
        "format": 1,
        "id": "mini",
        "title": "Mini",
        "version": "1.0.0",
        "summary": "A small protocol for tests.",
        "sources": [{"title": "A source", "url": "https://example.org/"}],
        "start": "ask",
        "nodes": {
            "ask": {
                "kind": "question",
                "prompt": "Ask directly.",
                "ask": ["Are you thinking about killing yourself?"],
                "avoid": [{"say": "You're not, are you?", "why": "Leading."}],
                "answers": [
                    {"label": "Yes", "next": "triage", "tier": "high", "flags": ["ideation"]},
                    {"label": "No", "next": "triage"},
                    {
                        "label": "Declines or unclear",
                        "next": "triage",
                        "tier": "high",
                        "unclear": True,
                    },
                ],
            },
            "triage": {
                "kind": "route",
                "routes": [{"when": {"tier_at_least": "high"}, "next": "urgent"}],
                "default": "routine",
            },
            "urgent": {
                "kind": "outcome",
                "tier": "high",
                "steps": ["Stay with the person"],
                "referrals": ["emergency", "crisis-line"],
            },
            "routine": {"kind": "outcome", "tier": "none", "steps": ["Thank them"]},
        },
    }
    protocol.update(overrides)
    return protocol


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def env_without(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}
