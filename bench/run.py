"""crisisguide benchmarks: every figure is a ratio against a baseline measured in the same run.

    python bench/run.py [--quick]

The machine may be shared and noisy, so each measurement is repeated, runs of the
candidate and its baseline are interleaved, and the ratio of the best (minimum) times is
reported alongside the medians. Nothing here is a test: it prints numbers for people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from protocols import write_big

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
PROTOCOL = ROOT / "protocols" / "suicide-risk-screen.yaml"
SMALL = ROOT / "tests" / "data" / "valid" / "every-kind.yaml"


def crisisguide(*args: str) -> list[str]:
    return [sys.executable, "-m", "crisisguide", *args]


def timed_run(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def timed_call(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def compare(
    name: str, candidate: Callable[[], float], baseline: Callable[[], float], repeat: int
) -> dict[str, float | str]:
    """Interleave candidate and baseline runs; ratio of the minima and of the medians."""
    cand, base = [], []
    candidate()
    baseline()  # warm caches once, unmeasured
    for _ in range(repeat):
        cand.append(candidate())
        base.append(baseline())
    row: dict[str, float | str] = {
        "name": name,
        "candidate_min_ms": min(cand) * 1000,
        "baseline_min_ms": min(base) * 1000,
        "ratio_min": min(cand) / min(base),
        "ratio_median": statistics.median(cand) / statistics.median(base),
    }
    return row


def make_corpus(count: int) -> Path:
    """``count`` small, valid, distinct protocol files."""
    folder = WORK / f"corpus-{count}"
    if folder.exists() and len(list(folder.glob("*.yaml"))) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    template = SMALL.read_text(encoding="utf-8")
    for i in range(count):
        text = template.replace("id: every-kind", f"id: bench-{i:05d}")
        text = text.replace("follow_up: [every-kind]", f"follow_up: [bench-{i:05d}]")
        (folder / f"bench-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return folder


def raw_parse(files: list[Path]) -> None:
    for path in files:
        with open(path, "rb") as stream:
            yaml.load(stream.read(), Loader=yaml.CSafeLoader)


def core_validate(folder: Path) -> None:
    from crisisguide.library import Library, check_paths

    problems, count = check_paths([folder], Library(folders=[]), dt.date.today())
    if count != 2000 or problems:
        raise SystemExit(f"the benchmark corpus is not clean: {problems[:3]}")


PROMPT_MARK = r"\(arrow keys|\(arrows to move"
BASELINE_PROMPTS = (
    "import questionary\n"
    "for i in range(int(__import__('sys').argv[1])):\n"
    "    questionary.select(f'Step {i}', choices=['Yes', 'No'],\n"
    "        instruction='(arrow keys or number, then Enter)').unsafe_ask()\n"
)


def _spawn(argv: list[str]) -> Any:
    import pexpect

    env = {**os.environ, "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}
    return pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(40, 120), timeout=60)


def prompt_timings(argv: list[str], answers: int) -> tuple[float, float]:
    """(seconds to the first prompt, mean seconds per answer) in a real terminal."""
    started = time.perf_counter()
    child = _spawn(argv)
    child.expect(PROMPT_MARK)
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(answers):
        child.send("\r")
        child.expect(PROMPT_MARK)
    per_answer = (time.perf_counter() - started) / answers
    child.terminate(force=True)
    return first, per_answer


def interactive_rows(big: Path, repeat: int) -> list[dict[str, float | str]]:
    answers = 40
    ours = [prompt_timings(crisisguide("run", str(big)), answers) for _ in range(repeat)]
    base_argv = [sys.executable, "-c", BASELINE_PROMPTS, str(answers + 1)]
    base = [prompt_timings(base_argv, answers) for _ in range(repeat)]
    rows: list[dict[str, float | str]] = []
    for index, name in ((0, "time to first question"), (1, "per-answer latency")):
        cand = [o[index] for o in ours]
        bl = [b[index] for b in base]
        rows.append({
            "name": f"run 1,000-node protocol: {name} vs bare questionary prompts",
            "candidate_min_ms": min(cand) * 1000,
            "baseline_min_ms": min(bl) * 1000,
            "ratio_min": min(cand) / min(bl),
            "ratio_median": statistics.median(cand) / statistics.median(bl),
        })  # fmt: skip
    return rows


RAW_SCRIPT = (
    "import sys, pathlib, yaml\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (rougher figures)")
    args = parser.parse_args()
    repeat = 5 if args.quick else 15
    corpus = make_corpus(2000)
    files = sorted(corpus.glob("*.yaml"))
    env_note = (
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, libyaml {yaml.__with_libyaml__}"
    )
    print(f"crisisguide benchmarks ({env_note}); ratios are candidate / baseline, same run\n")
    pass_cmd = [sys.executable, "-c", "pass"]
    rows = [
        compare(
            "crisisguide --help vs python -c pass",
            lambda: timed_run(crisisguide("--help")),
            lambda: timed_run(pass_cmd),
            repeat,
        ),
        compare(
            "crisisguide validate FILE vs python -c pass",
            lambda: timed_run(crisisguide("validate", str(PROTOCOL))),
            lambda: timed_run(pass_cmd),
            repeat,
        ),
        compare(
            "validate 2,000 files in-process vs raw libyaml parse",
            lambda: timed_call(lambda: core_validate(corpus)),
            lambda: timed_call(lambda: raw_parse(files)),
            max(3, repeat // 3),
        ),
        compare(
            "crisisguide validate DIR (2,000 files) vs python+libyaml parse of DIR",
            lambda: timed_run(crisisguide("validate", str(corpus))),
            lambda: timed_run([sys.executable, "-c", RAW_SCRIPT, str(corpus)]),
            max(3, repeat // 3),
        ),
    ]
    big = write_big(WORK, 1000)
    rows += interactive_rows(big, max(3, repeat // 3))
    width = max(len(str(r["name"])) for r in rows)
    heads = ("ratio(min)", 10), ("ratio(median)", 13), ("cand ms", 9), ("base ms", 9)
    print(f"{'measure':<{width}}" + "".join(f"  {h:>{w}}" for h, w in heads))
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['ratio_min']:>10.2f}  {r['ratio_median']:>13.2f}  "
            f"{r['candidate_min_ms']:>9.1f}  {r['baseline_min_ms']:>9.1f}"
        )


if __name__ == "__main__":
    main()
