"""The command line: exit codes, output formats and one clear message per mistake."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from crisisguide import __version__
from crisisguide.cli import app

from conftest import DATA, invoke, minimal_protocol, write_yaml

COMMANDS = ["validate", "list", "show", "schema", "new"]


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"crisisguide {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.strip().splitlines()) > 3


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = invoke(runner)
    assert result.exit_code in (0, 2)
    assert "validate" in result.output


def test_validate_clean_file(runner: CliRunner) -> None:
    result = invoke(runner, "validate", str(DATA / "valid" / "every-kind.yaml"))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no problems" in result.stderr


def test_validate_reports_every_problem_with_location(runner: CliRunner) -> None:
    path = DATA / "invalid" / "cg110-bad-target.yaml"
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4
    assert all(line.startswith(f"{path}:") and " error CG110 " in line for line in lines)
    assert "4 error(s)" in result.stderr


def test_validate_json(runner: CliRunner) -> None:
    result = invoke(
        runner, "validate", "--format", "json", str(DATA / "invalid" / "cg132-no-avoid.yaml")
    )
    assert result.exit_code == 0
    (problem,) = json.loads(result.stdout)
    assert problem == {
        "file": str(DATA / "invalid" / "cg132-no-avoid.yaml"),
        "line": 10,
        "column": 3,
        "severity": "warning",
        "code": "CG132",
        "message": "question 'ask' has no 'avoid' guidance (phrasings not to use, and why)",
    }


def test_validate_strict_fails_on_warnings(runner: CliRunner) -> None:
    path = str(DATA / "invalid" / "cg134-no-sources.yaml")
    assert invoke(runner, "validate", path).exit_code == 0
    assert invoke(runner, "validate", "--strict", path).exit_code == 1


def test_validate_folder_reads_every_yaml(runner: CliRunner) -> None:
    result = invoke(runner, "validate", "--format", "json", str(DATA / "invalid"))
    assert result.exit_code == 1
    files = {Path(p["file"]).name for p in json.loads(result.stdout)}
    assert files == {p.name for p in (DATA / "invalid").glob("*.yaml")}


def test_validate_missing_path_is_usage_error(runner: CliRunner) -> None:
    result = invoke(runner, "validate", "does-not-exist.yaml")
    assert result.exit_code == 2
    assert "no such file or folder: does-not-exist.yaml" in result.stderr


def test_validate_unreadable_file_is_a_file_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "locked.yaml", minimal_protocol())
    path.chmod(0)
    try:
        result = invoke(runner, "validate", str(path))
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    if result.exit_code == 0:  # running as root: permissions do not apply
        return
    assert result.exit_code == 1
    assert "CG100 cannot read the file" in result.stdout


def test_validate_with_no_arguments_is_usage(runner: CliRunner) -> None:
    assert invoke(runner, "validate").exit_code == 2


def test_list_builtin(runner: CliRunner) -> None:
    result = invoke(runner, "list", "--format", "json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["suicide-risk-screen"]["origin"] == "built-in"
    assert rows["suicide-risk-screen"]["nodes"] > 5


def test_list_includes_env_and_option_folders(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_dir = tmp_path / "env"
    opt_dir = tmp_path / "opt"
    env_dir.mkdir()
    opt_dir.mkdir()
    write_yaml(env_dir / "a.yaml", minimal_protocol(id="from-env"))
    write_yaml(opt_dir / "b.yaml", minimal_protocol(id="from-option", title="Opt"))
    monkeypatch.setenv("CRISISGUIDE_PATH", str(env_dir))
    result = invoke(runner, "list", "--protocols", str(opt_dir), "--plain")
    assert result.exit_code == 0
    assert "from-env: Mini, version 1.0.0, 4 nodes, " in result.stdout
    assert "built-in" in result.stdout  # the built-in files are named so, not by a package path
    assert "from-option: Opt" in result.stdout
    assert "suicide-risk-screen" in result.stdout


def test_list_reports_broken_files_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("format: 1\nid: x\nnodes: [\n")
    write_yaml(tmp_path / "ok.yaml", minimal_protocol())
    result = invoke(runner, "list", "--protocols", str(tmp_path))
    assert result.exit_code == 1
    assert "mini" in result.stdout
    assert "broken.yaml:4:1: error CG100" in result.stderr


def test_show_by_id_and_by_file(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "show", "suicide-risk-screen")
    assert result.exit_code == 0
    assert "[question wish-dead]" in result.stdout
    assert "not a clinical instrument" in result.stdout
    path = write_yaml(tmp_path / "mini.yaml", minimal_protocol())
    result = invoke(runner, "show", str(path), "--plain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "Ask  [question ask]" in lines
    assert "  'No' \u2192 Triage" in lines
    assert "  'Yes' (tier at least high; notes ideation) \u2192 Triage" in lines
    assert "  if the risk tier is high or higher \u2192 Urgent" in lines
    assert "Urgent  [outcome urgent, tier high, URGENT]" in lines
    assert not any(ch in result.stdout for ch in "\u2502\u251c\u2514\u2501\u2503")


def test_show_unknown_id_suggests(runner: CliRunner) -> None:
    result = invoke(runner, "show", "suicide-risk-scren")
    assert result.exit_code == 1
    assert "did you mean 'suicide-risk-screen'" in result.stderr
    assert "Traceback" not in result.output


def test_show_missing_file(runner: CliRunner) -> None:
    result = invoke(runner, "show", "nope/x.yaml")
    assert result.exit_code == 1
    assert result.stderr.strip() == "crisisguide: nope/x.yaml: no such file"


def test_show_refuses_a_protocol_with_errors(runner: CliRunner) -> None:
    path = DATA / "invalid" / "cg110-bad-target.yaml"
    result = invoke(runner, "show", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("error CG110") == 4
    assert "cannot be used" in result.stderr


def test_show_a_drill_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "drill.yaml"
    path.write_text("format: 1\nid: d\nclient: {}\n")
    result = invoke(runner, "show", str(path))
    assert result.exit_code == 1
    assert "not a protocol" in result.stderr


def test_protocol_text_is_never_markup(runner: CliRunner, tmp_path: Path) -> None:
    data = minimal_protocol()
    data["nodes"]["ask"]["title"] = "Call [bold]now[/] [/] \x1b[31mred"  # type: ignore[index]
    path = write_yaml(tmp_path / "m.yaml", data)
    result = invoke(runner, "show", str(path))
    assert result.exit_code == 0
    assert "Call [bold]now[/] [/] [31mred" in result.stdout
    assert "\x1b" not in result.stdout


def test_schema_is_json_schema(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    out = tmp_path / "s.json"
    assert invoke(runner, "schema", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text()) == schema


def test_schema_accepts_builtin_and_rejects_typos(runner: CliRunner) -> None:
    import jsonschema

    schema = json.loads(invoke(runner, "schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(Path(__file__).parents[2].joinpath("protocols").glob("*.yaml")):
        data = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
        assert list(validator.iter_errors(data)) == [], path
    data = yaml.safe_load((DATA / "valid" / "every-kind.yaml").read_text())
    assert list(validator.iter_errors(data)) == []
    data["nodes"]["intro"]["txet"] = "typo"
    assert list(validator.iter_errors(data))
    bad_condition = yaml.safe_load((DATA / "valid" / "every-kind.yaml").read_text())
    bad_condition["nodes"]["triage"]["routes"][0]["when"] = {
        "tier_at_least": "red",
        "tier_below": "red",
    }
    assert list(validator.iter_errors(bad_condition))


def test_schema_unwritable_output(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "schema", "-o", str(tmp_path / "no-such-dir" / "s.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith("crisisguide: cannot write")
    assert "Traceback" not in result.output


def test_new_writes_a_protocol_that_validates_strictly(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "new", "my-check")
    assert result.exit_code == 0
    assert (tmp_path / "my-check.yaml").exists()
    content = (tmp_path / "my-check.yaml").read_text()
    assert content.startswith("# yaml-language-server: $schema=")
    assert "id: my-check" in content
    assert invoke(runner, "validate", "--strict", "my-check.yaml").exit_code == 0
    again = invoke(runner, "new", "my-check")
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert invoke(runner, "new", "my-check", "--force").exit_code == 0


def test_new_to_stdout_and_bad_id(runner: CliRunner) -> None:
    result = invoke(runner, "new", "abc", "-o", "-")
    assert result.exit_code == 0
    assert "id: abc" in result.stdout
    bad = invoke(runner, "new", "Not An Id")
    assert bad.exit_code == 2
    assert "not a valid id" in bad.stderr


def test_internal_error_is_exit_3_without_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crisisguide.library as library

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(library, "load_library", boom)
    result = invoke(runner, "list")
    assert result.exit_code == 3
    assert "internal error" in result.stderr
    assert "kaboom" not in result.output
    debug = runner.invoke(app, ["--debug", "list"])
    assert isinstance(debug.exception, RuntimeError)


def test_keyboard_interrupt_is_130(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import crisisguide.library as library

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(library, "load_library", interrupted)
    result = invoke(runner, "list")
    assert result.exit_code == 130


def test_validate_checks_referral_ids_against_the_directory(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = minimal_protocol()
    data["nodes"]["routine"]["referrals"] = ["us-98", "us-988"]  # type: ignore[index]
    path = write_yaml(tmp_path / "p.yaml", data)
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    assert (
        "error CG112 referral 'us-98' is neither a referral kind nor a directory entry (did you mean 'us-988'?)"
        in result.stdout
    )


def test_validate_a_directory_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_text(
        "format: 1\nentries:\n  - id: er\n    name: ER\n    kind: emergency\n    regions: [US]\n"
        "    contact: {call: '1'}\n"
    )
    result = invoke(runner, "validate", "--format", "json", str(path))
    assert result.exit_code == 0
    (problem,) = json.loads(result.stdout)
    assert (problem["code"], problem["line"], problem["column"]) == ("CG150", 3, 9)
    assert invoke(runner, "validate", "--strict", str(path)).exit_code == 1
