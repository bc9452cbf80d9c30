"""Generated results lines (``drill run --results``, format 2) for the report benchmark:
realistic in shape and size, deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from pathlib import Path

DRILLS = [
    ("alex-after-job-loss", "suicide-risk-screen", ["wish-dead", "thoughts", "method", "intent",
                                                    "plan", "behaviour"]),
    ("sam-literal-answers", "suicide-risk-screen", ["wish-dead", "thoughts", "behaviour"]),
    ("jo-parent-present", "youth-screen", ["ask-alone", "wish-dead", "thoughts", "behaviour",
                                           "safety-at-home"]),
    ("lee-veteran", "suicide-risk-screen", ["wish-dead", "thoughts", "method", "intent", "plan",
                                            "behaviour", "recent"]),
]  # fmt: skip
AVOID = [
    ("You're not thinking of doing anything silly, are you?", "A leading negative question invites a no."),
    ("Why would you want to do that?", "A why question sounds like judgement."),
    ("I promise I won't tell anyone.", "A promise of secrecy cannot be kept when life is at risk."),
]  # fmt: skip
ASK = ["Are you thinking about killing yourself?", "Are you having thoughts of suicide?"]


def results_line(rng: random.Random, when: dt.datetime, trainee: str, skill: float) -> str:
    drill, protocol, nodes = rng.choice(DRILLS)
    steps, right = [], {"asking": 0, "recording": 0}
    for node in nodes:
        good = rng.random() < skill
        phrasing: dict[str, object] = {"text": rng.choice(ASK), "good": True}
        if not good:
            text, why = rng.choice(AVOID)
            phrasing = {"text": text, "good": False, "why": why}
        expected = rng.choice(["Yes", "No"])
        recorded_ok = rng.random() < skill
        recorded = expected if recorded_ok else ("No" if expected == "Yes" else "Yes")
        right["asking"] += good
        right["recording"] += recorded_ok
        steps.append({"node": node, "correct": {"asking": good, "recording": recorded_ok},
                      "phrasing": phrasing, "recorded": recorded, "expected": expected})  # fmt: skip
    disposition_ok = rng.random() < skill
    steps.append({"node": "high-risk", "disposition": {"chosen": "high-risk" if disposition_ok
                  else "low-risk", "expected": "high-risk"}, "correct": {"disposition": disposition_ok}})  # fmt: skip
    seconds = rng.uniform(60, 600)
    started = when - dt.timedelta(seconds=seconds)
    record = {
        "schema": 2, "drill": drill, "protocol": protocol, "version": "1.2.0",
        "seed": rng.randrange(1_000_000),
        "scores": {"asking": {"correct": right["asking"], "total": len(nodes)},
                   "recording": {"correct": right["recording"], "total": len(nodes)},
                   "disposition": {"correct": int(disposition_ok), "total": 1}},
        "seconds": round(seconds, 1), "finished": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "trainee": trainee, "started_at": started.isoformat(timespec="seconds"),
        "finished_at": when.isoformat(timespec="seconds"), "drill_title": drill.replace("-", " "),
        "drill_sha256": hashlib.sha256(drill.encode()).hexdigest(),
        "protocol_title": protocol.replace("-", " "),
        "protocol_sha256": hashlib.sha256(protocol.encode()).hexdigest(), "steps": steps,
    }  # fmt: skip
    return json.dumps(record, ensure_ascii=False)


def write_results(work: Path, count: int, trainees: int = 60, seed: int = 16) -> Path:
    """``count`` lines by ``trainees`` trainees over a year, each trainee improving a little."""
    path = work / f"results-{count}.jsonl"
    if path.exists() and sum(1 for _ in path.open("rb")) == count:
        return path
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            who = i % trainees
            progress = i / count
            skill = min(0.95, 0.45 + 0.4 * progress + 0.1 * (who % 3) / 2)
            when = start + dt.timedelta(minutes=5 * i)
            out.write(results_line(rng, when, f"trainee-{who:03d}", skill) + "\n")
    return path
