"""crisisguide benchmarks: every figure is a ratio against a baseline measured in the same run.

    python bench/run.py [--quick] [--repeat N] [--src PATH] [--module] [--only start-up]

The machine may be shared and noisy, so each measurement is repeated, candidate and
baseline runs are interleaved, and the ratio of the best (minimum) times is reported
next to the ratio of the medians. Peak memory (maximum resident set size) is measured
per process. Nothing here is a test: it prints numbers for people.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

from protocols import write_big, write_corpus  # noqa: E402
from results import write_results  # noqa: E402

PROTOCOL = ROOT / "protocols" / "suicide-risk-screen.yaml"
PY = sys.executable
SRC: Path | None = None
"""Another checkout's ``src`` to measure instead of this one (``--src``: before/after)."""
AS_MODULE = False
"""Run ``python -m crisisguide`` even where the console script is installed (``--module``:
the same invocation as ``--src``, for a fair before/after)."""
LOW_WALK = "wish-dead: No\nthoughts: No\nbehaviour: No\nclinical-concern-check: []\n"


@dataclass
class Row:
    name: str
    candidate: list[float]
    baseline: list[float]
    peak_mib: float = 0.0
    target: str = ""

    @property
    def ratio_min(self) -> float:
        return min(self.candidate) / min(self.baseline)

    @property
    def ratio_median(self) -> float:
        return statistics.median(self.candidate) / statistics.median(self.baseline)


def run_process(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak MiB) of one process, measured with wait4 so memory is its own."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = 0
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def crisisguide(*args: str) -> list[str]:
    """The command as users run it: the installed console script (``python -m
    crisisguide`` when measuring another checkout's ``src``, which has no script)."""
    script = Path(PY).parent / "crisisguide"
    if SRC is None and not AS_MODULE and script.is_file():
        return [str(script), *args]
    return [PY, "-m", "crisisguide", *args]


def compare_processes(name: str, argv: list[str], base: list[str], repeat: int, target: str) -> Row:
    env = {**os.environ, "CRISISGUIDE_CONFIG": str(WORK / "no-config.yaml"), "NO_COLOR": "1",
           "CRISISGUIDE_CACHE": str(WORK / "cache")}  # fmt: skip
    env.pop("CRISISGUIDE_PATH", None)
    if SRC is not None:
        env["PYTHONPATH"] = str(SRC)
    run_process(argv, env)  # warm the operating system's and crisisguide's caches, unmeasured
    cand, basel, peak = [], [], 0.0
    for _ in range(repeat):
        seconds, mib = run_process(argv, env)
        cand.append(seconds)
        peak = max(peak, mib)
        basel.append(run_process(base, env)[0])
    return Row(name, cand, basel, peak, target)


def worker(*args: str) -> list[str]:
    return [PY, str(HERE / "worker.py"), *args]


def timed_worker(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak MiB) as reported by a bench/worker.py process about its own work."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed: {' '.join(argv)}\n{proc.stderr}")
    seconds, mib = proc.stdout.split()
    return float(seconds), float(mib)


def compare_workers(name: str, argv: list[str], base: list[str], repeat: int, target: str) -> Row:
    cand, basel, peak = [], [], 0.0
    for _ in range(repeat):
        seconds, mib = timed_worker(argv)
        cand.append(seconds)
        peak = max(peak, mib)
        basel.append(timed_worker(base)[0])
    return Row(name, cand, basel, peak, target)


def scaling_rows(repeat: int) -> list[Row]:
    rows = []
    for task in ("validate", "export"):
        paths = {n: write_big(WORK, n) for n in (100, 1000, 10_000)}
        times: dict[int, list[float]] = {n: [] for n in paths}
        peaks: dict[int, float] = dict.fromkeys(paths, 0.0)
        for _ in range(repeat):
            for n, path in paths.items():
                seconds, mib = timed_worker(worker(task, str(path)))
                times[n].append(seconds)
                peaks[n] = max(peaks[n], mib)
        for small, large in ((100, 1000), (1000, 10_000)):
            rows.append(Row(f"{task} {large:,}-node protocol vs {small:,}-node (10x the size)",
                            times[large], times[small], peaks[large], "<= 11"))  # fmt: skip
    return rows


PROMPT_MARK = r"\(arrow keys|\(arrows to move"
BASELINE_PROMPTS = (
    "import questionary\n"
    "for i in range(int(__import__('sys').argv[1])):\n"
    "    questionary.select(f'Step {i}', choices=['Yes', 'No'],\n"
    "        instruction='(arrow keys or number, then Enter)').unsafe_ask()\n"
)


def prompt_timings(argv: list[str], answers: int) -> tuple[float, float, float]:
    """(seconds to the first prompt, mean seconds per answer, peak MiB) in a real terminal."""
    import pexpect

    env = {**os.environ, "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
           "CRISISGUIDE_CONFIG": str(WORK / "no-config.yaml")}  # fmt: skip
    started = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(40, 120), timeout=60)
    child.expect(PROMPT_MARK)
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(answers):
        child.send("\r")
        child.expect(PROMPT_MARK)
    per_answer = (time.perf_counter() - started) / answers
    peak = _peak_of(child.pid)
    child.terminate(force=True)
    return first, per_answer, peak


def _peak_of(pid: int) -> float:
    """Peak resident memory of a running process, from /proc (MiB)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def interactive_rows(repeat: int) -> list[Row]:
    big = write_big(WORK, 1000)
    answers = 40
    ours = [prompt_timings(crisisguide("run", str(big)), answers) for _ in range(repeat)]
    base = [
        prompt_timings([PY, "-c", BASELINE_PROMPTS, str(answers + 1)], answers)
        for _ in range(repeat)
    ]
    peak = max(o[2] for o in ours)
    return [
        Row("run 1,000-node protocol: time to first question vs bare questionary prompt",
            [o[0] for o in ours], [b[0] for b in base], peak, "(interactive)"),
        Row("run 1,000-node protocol: per-answer latency vs bare questionary prompt",
            [o[1] for o in ours], [b[1] for b in base], peak, "(interactive)"),
    ]  # fmt: skip


def report_rows(repeat: int) -> list[Row]:
    """``drill report`` over 100,000 generated results lines against ``json.loads`` of the
    same lines: in-process (the figures alone) and as the command (start-up, rendering)."""
    lines = write_results(WORK, 100_000)
    return [
        compare_workers("drill report, 100,000 results lines, in-process vs json.loads of them",
                        worker("report", str(lines)), worker("loads", str(lines)), repeat, "<= 3"),
        compare_processes("crisisguide drill report (100,000 lines) vs python json.loads of them",
                          crisisguide("drill", "report", str(lines)), worker("loads", str(lines)),
                          repeat, "<= 3"),
        compare_processes("crisisguide drill report --format xapi (100,000 lines) vs json.loads",
                          crisisguide("drill", "report", str(lines), "--format", "xapi"),
                          worker("loads", str(lines)), repeat, "-"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (rougher figures)")
    parser.add_argument("--src", type=Path, help="measure the crisisguide in this src folder")
    parser.add_argument("--only", choices=["start-up", "report"],
                        help="only the start-up of commands, or only drill report")  # fmt: skip
    parser.add_argument("--repeat", type=int, help="interleaved pairs per measure")
    parser.add_argument("--module", action="store_true", help="run python -m crisisguide")
    args = parser.parse_args()
    global SRC, AS_MODULE
    SRC = args.src.resolve() if args.src else None
    AS_MODULE = args.module
    repeat = args.repeat or (5 if args.quick else 21)
    WORK.mkdir(parents=True, exist_ok=True)
    # measure what users run: compiled bytecode (pip compiles a normal install)
    subprocess.run([PY, "-m", "compileall", "-q", str(SRC or ROOT / "src")], check=False,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    answers = WORK / "low-walk.yaml"
    answers.write_text(LOW_WALK, encoding="utf-8")
    import typer
    import yaml

    if args.only == "report":
        report(report_rows(max(3, repeat // 3)))
        return
    corpus = write_corpus(WORK, 2000)

    print(f"crisisguide benchmarks: python {sys.version.split()[0]}, typer {typer.__version__}, "
          f"{os.cpu_count()} cpus, libyaml {yaml.__with_libyaml__}; src {SRC or ROOT / 'src'}\n"
          "ratios are candidate / baseline, same run\n")  # fmt: skip
    passed = [PY, "-c", "pass"]
    rows = [
        compare_processes("crisisguide now vs python -c pass", crisisguide("now"), passed, repeat, "<= 6"),
        compare_processes("crisisguide --help vs python -c pass", crisisguide("--help"), passed, repeat, "<= 8"),
        compare_processes("crisisguide validate FILE vs python -c pass",
                          crisisguide("validate", str(PROTOCOL)), passed, repeat, "<= 12"),
        compare_processes("crisisguide export FILE vs python -c pass",
                          crisisguide("export", str(PROTOCOL)), passed, repeat, "<= 12"),
        compare_processes("crisisguide show ID vs python -c pass",
                          crisisguide("show", "suicide-risk-screen"), passed, repeat, "<= 12"),
        compare_processes("crisisguide run ID --answers F --json vs python -c pass",
                          crisisguide("run", "suicide-risk-screen", "--answers", str(answers), "--json"),
                          passed, repeat, "<= 12"),
        compare_processes("crisisguide list vs python -c pass", crisisguide("list"), passed, repeat, "<= 15"),
    ]  # fmt: skip
    if args.only == "start-up":
        report(rows)
        return
    rows += [
        compare_workers("validate 2,000 files in-process vs raw libyaml parse",
                        worker("check", str(corpus)), worker("raw", str(corpus)),
                        max(3, repeat // 3), "<= 1.3"),
        compare_processes("crisisguide validate DIR (2,000 files) vs python+libyaml parse",
                          crisisguide("validate", str(corpus)), worker("raw", str(corpus)),
                          max(3, repeat // 3), "<= 1.3"),
    ]  # fmt: skip
    rows += scaling_rows(max(3, repeat // 3))
    rows += report_rows(max(3, repeat // 3))
    rows += interactive_rows(max(3, repeat // 5))
    report(rows)


def report(rows: list[Row]) -> None:
    width = max(len(r.name) for r in rows)
    heads = [("ratio(min)", 10), ("ratio(median)", 13), ("target", 8), ("cand ms", 9),
             ("base ms", 9), ("cand med", 9), ("base med", 9), ("peak MiB", 9)]  # fmt: skip
    print(f"{'measure':<{width}}" + "".join(f"  {h:>{w}}" for h, w in heads))
    for r in rows:
        cells: list[Any] = [f"{r.ratio_min:.2f}", f"{r.ratio_median:.2f}", r.target,
                            f"{min(r.candidate) * 1000:.1f}", f"{min(r.baseline) * 1000:.1f}",
                            f"{statistics.median(r.candidate) * 1000:.1f}",
                            f"{statistics.median(r.baseline) * 1000:.1f}", f"{r.peak_mib:.0f}"]  # fmt: skip
        print(
            f"{r.name:<{width}}"
            + "".join(f"  {c:>{w}}" for c, (_, w) in zip(cells, heads, strict=True))
        )


if __name__ == "__main__":
    main()
