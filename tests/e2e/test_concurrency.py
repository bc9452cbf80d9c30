"""Many trainees appending to one shared results file at once (the robustness report, D1:
46-49 lines of 50 survived when each run rewrote the file)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

APPEND = """
import json, sys
from crisisguide.fileio import AppendFile
with AppendFile(sys.argv[1]) as results:
    sys.stdin.readline()  # start together
    results.append(json.dumps({"run": int(sys.argv[2]), "pad": "x" * 3000}))
"""


def test_fifty_concurrent_appends_keep_fifty_whole_lines(tmp_path: Path) -> None:
    target = tmp_path / "results.jsonl"
    target.write_text('{"run": -1}\n')
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", APPEND, str(target), str(i)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(50)
    ]
    try:
        for proc in procs:  # every process has the file open before any writes
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    lines = target.read_text().splitlines()
    runs = sorted(json.loads(line)["run"] for line in lines)
    assert runs == list(range(-1, 50))
