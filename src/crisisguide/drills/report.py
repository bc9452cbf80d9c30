"""``drill report``: results lines summed up for trainers. Pure: no files, no printing.

A :class:`Tally` takes parsed results lines one at a time (:meth:`Tally.add`) and keeps
only running sums, so a report of any number of lines needs memory for its groups,
trainees and phrasings, not for its lines (a trainee's trend keeps two numbers a run).
Fields are picked out defensively: a line from an older release lacks the trainee, the
times and the steps, and those figures say "unknown" for it; only a line without a drill
or with scores that do not add up is refused (docs/trainers.md, "Reading results").

Scores are fractions (0 to 1) of the choices made right: per category (asking, recording,
disposition) and overall (every choice of the run). A run passes when its overall score
reaches the pass mark and its disposition was right; a category passes when its own
score reaches the pass mark.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from array import array
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..text import strip_controls
from .run import CATEGORIES, clean_trainee

GROUPINGS = ("drill", "trainee", "protocol", "week")
PASS_MARK = 0.8
STEADY = 0.05
"""A fitted change of less than five percentage points from the first run to the latest,
either way, is "steady"."""
NO_TRAINEE = "(no trainee)"
UNKNOWN_WEEK = "(unknown date)"
CHART_RUNS = 12
"""How many of a trainee's latest runs the report lists one by one."""


@dataclass
class Spread:
    """Running mean, standard deviation (Welford), minimum, maximum and passes."""

    runs: int = 0
    mean: float = 0.0
    _m2: float = 0.0
    low: float = math.inf
    high: float = -math.inf
    passed: int = 0

    def add(self, score: float, passed: bool) -> None:
        self.runs += 1
        delta = score - self.mean
        self.mean += delta / self.runs
        self._m2 += delta * (score - self.mean)
        self.low = min(self.low, score)
        self.high = max(self.high, score)
        self.passed += passed

    def merge(self, other: Spread) -> None:
        """Add another spread's runs (Chan's parallel form of Welford's update): all runs'
        figures are made from the groups' at the end, not counted twice a line."""
        if not other.runs:
            return
        runs = self.runs + other.runs
        delta = other.mean - self.mean
        self._m2 += other._m2 + delta * delta * self.runs * other.runs / runs
        self.mean += delta * other.runs / runs
        self.runs = runs
        self.low = min(self.low, other.low)
        self.high = max(self.high, other.high)
        self.passed += other.passed

    @property
    def sd(self) -> float | None:
        """The sample standard deviation; None for fewer than two runs."""
        return math.sqrt(self._m2 / (self.runs - 1)) if self.runs > 1 else None

    def as_dict(self) -> dict[str, Any]:
        if not self.runs:
            return {"runs": 0}
        sd = self.sd
        return {
            "runs": self.runs,
            "mean": _round(self.mean),
            "sd": None if sd is None else _round(sd),
            "min": _round(self.low),
            "max": _round(self.high),
            "passed": self.passed,
            "pass_rate": _round(self.passed / self.runs),
        }


@dataclass
class Group:
    overall: Spread = field(default_factory=Spread)
    categories: dict[str, Spread] = field(
        default_factory=lambda: {name: Spread() for name in CATEGORIES}
    )


@dataclass
class Trainee:
    """A trainee's runs as (time, order read, score), for first, latest and the trend."""

    times: array[float] = field(default_factory=lambda: array("d"))
    order: array[int] = field(default_factory=lambda: array("q"))
    scores: array[float] = field(default_factory=lambda: array("d"))


@dataclass
class Counted:
    """A phrasing or a mistake, how often, and by how many trainees."""

    count: int = 0
    trainees: set[str] = field(default_factory=set)
    why: str = ""


@dataclass
class Run:
    """What :meth:`Tally.add` picked out of one line (for the xAPI export too)."""

    drill: str
    protocol: str
    version: str
    trainee: str | None
    when: dt.datetime | None
    started: dt.datetime | None
    seconds: float | None
    scores: dict[str, tuple[int, int]]
    overall: float
    passed: bool


class BadLine(ValueError):
    """A results line that cannot be counted, and why (located by the caller)."""


@dataclass
class Tally:
    """Results lines summed up as they come (see the module's docstring)."""

    by: str = "drill"
    since: dt.date | None = None
    trainees: Collection[str] = ()
    """Only these trainees (compared case-insensitively); empty: everyone."""
    pass_mark: float = PASS_MARK
    runs: int = 0
    left_out: int = 0
    """Lines read and understood but not counted (before --since, another trainee)."""
    groups: dict[str, Group] = field(default_factory=dict)
    total: Group = field(default_factory=Group)
    people: dict[str, Trainee] = field(default_factory=dict)
    avoided: dict[tuple[str, str, str], Counted] = field(default_factory=dict)
    mistakes: dict[tuple[str, str, str, str], Counted] = field(default_factory=dict)
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.by not in GROUPINGS:
            raise ValueError(f"--by takes one of: {', '.join(GROUPINGS)}")
        self._wanted = {name.casefold() for name in self.trainees}

    def add(self, record: Any) -> Run | None:
        """Count one parsed results line; None when a filter leaves it out. Raises
        :class:`BadLine` for a line that is not a results line."""
        run = pick_run(record, self.pass_mark)
        if self.since is not None and (run.when is None or run.when.date() < self.since):
            self.left_out += 1
            return None
        if self._wanted and (run.trainee or "").casefold() not in self._wanted:
            self.left_out += 1
            return None
        self.runs += 1
        self._count(run)
        steps = record.get("steps")
        if isinstance(steps, list):
            self._steps(steps, run)
        return run

    def _count(self, run: Run) -> None:
        key = self._key(run)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group()
        group.overall.add(run.overall, run.passed)
        for name, (correct, total) in run.scores.items():
            if total:
                score = correct / total
                group.categories[name].add(score, score >= self.pass_mark)
        who = run.trainee or NO_TRAINEE
        person = self.people.get(who)
        if person is None:
            person = self.people[who] = Trainee()
        person.times.append(run.when.timestamp() if run.when is not None else math.inf)
        person.order.append(self.runs)
        person.scores.append(run.overall)
        if run.when is not None:
            if self.first_at is None or run.when < self.first_at:
                self.first_at = run.when
            if self.last_at is None or run.when > self.last_at:
                self.last_at = run.when

    def _key(self, run: Run) -> str:
        if self.by == "drill":
            return run.drill
        if self.by == "trainee":
            return run.trainee or NO_TRAINEE
        if self.by == "protocol":
            return run.protocol
        if run.when is None:
            return UNKNOWN_WEEK
        year, week, _ = run.when.isocalendar()
        return f"{year}-W{week:02d}"

    def _steps(self, steps: list[Any], run: Run) -> None:
        """Count the avoid phrasings chosen and the replies recorded wrongly. Keys keep the
        values as read (cleaned once, when the summary is made): this runs for every step
        of every line."""
        who = run.trainee or NO_TRAINEE
        for step in steps:
            correct = step.get("correct") if type(step) is dict else None
            if type(correct) is not dict:
                continue
            if correct.get("asking") is False:
                phrasing = step.get("phrasing")
                if type(phrasing) is dict:
                    key = (run.protocol, _key(step.get("node")), _key(phrasing.get("text")))
                    counted = self.avoided.get(key)
                    if counted is None:
                        counted = self.avoided[key] = Counted(why=_text(phrasing.get("why")))
                    counted.count += 1
                    counted.trainees.add(who)
            if correct.get("recording") is False:
                key4 = (run.protocol, _key(step.get("node")), _key(step.get("expected")),
                        _key(step.get("recorded")))  # fmt: skip
                mistake = self.mistakes.get(key4)
                if mistake is None:
                    mistake = self.mistakes[key4] = Counted()
                mistake.count += 1
                mistake.trainees.add(who)

    def summary(self, top: int = 10) -> dict[str, Any]:
        """The report as data: what every output format (terminal, md, csv, json) shows."""
        self.total = Group()
        for group in self.groups.values():
            self.total.overall.merge(group.overall)
            for name, spread in group.categories.items():
                self.total.categories[name].merge(spread)
        groups = [
            {"group": key, "overall": g.overall.as_dict(),
             "categories": {n: s.as_dict() for n, s in g.categories.items()}}
            for key, g in sorted(self.groups.items(), key=lambda kv: _group_order(kv[0], self.by))
        ]  # fmt: skip
        return {
            "by": self.by,
            "pass_mark": self.pass_mark,
            "since": self.since.isoformat() if self.since else None,
            "trainee_filter": sorted(self.trainees),
            "runs": self.runs,
            "left_out": self.left_out,
            "first_at": _iso(self.first_at),
            "last_at": _iso(self.last_at),
            "total": {"overall": self.total.overall.as_dict(),
                      "categories": {n: s.as_dict() for n, s in self.total.categories.items()}},
            "groups": groups,
            "trainees": [trend(name, person) for name, person in sorted(self.people.items())],
            "avoid_phrasings": ranked(self.avoided, top, ("protocol", "node", "text"), _text),
            "recording_mistakes": ranked(self.mistakes, top,
                                         ("protocol", "node", "expected", "recorded"), _answer),
        }  # fmt: skip


def pick_run(record: Any, pass_mark: float = PASS_MARK) -> Run:
    """The fields of a results line that the report uses; :class:`BadLine` when it has no
    drill or its scores do not add up. Every other field is optional."""
    if not isinstance(record, dict):
        raise BadLine("not a results line: a JSON object was expected")
    drill = record.get("drill")
    if not isinstance(drill, str) or not drill:
        raise BadLine("not a results line: it names no drill")
    raw = record.get("scores")
    if not isinstance(raw, dict):
        raise BadLine("the line has no scores")
    scores: dict[str, tuple[int, int]] = {}
    for name in CATEGORIES:
        score = raw.get(name)
        if score is None:
            continue
        correct = score.get("correct") if isinstance(score, dict) else None
        total = score.get("total") if isinstance(score, dict) else None
        if not (_count(correct) and _count(total) and correct <= total):  # type: ignore[operator]
            raise BadLine(f"the {name} score is not 'correct' of 'total' counts")
        scores[name] = (correct, total)  # type: ignore[assignment]
    right = sum(c for c, _ in scores.values())
    asked = sum(t for _, t in scores.values())
    if not asked:
        raise BadLine("the scores count no choice")
    overall = right / asked
    disposition = scores.get("disposition")
    passed = overall >= pass_mark and (disposition is None or disposition[0] == disposition[1])
    trainee = record.get("trainee")
    seconds: Any = record.get("seconds")
    started = _time(record.get("started_at"))
    return Run(
        drill=_clean(drill),
        protocol=_clean(_str(record.get("protocol"))) or "unknown",
        version=_clean(_str(record.get("version"))),
        trainee=_clean_name(trainee) if isinstance(trainee, str) else None,
        when=_time(record.get("finished_at")) or _time(record.get("finished")) or started,
        started=started,
        seconds=float(seconds) if _number(seconds) and float(seconds) >= 0 else None,
        scores=scores,
        overall=overall,
        passed=passed,
    )


def _str(value: Any) -> str:
    return value if type(value) is str else ""


@functools.lru_cache(maxsize=4096)
def _clean(value: str) -> str:
    """:func:`_text`, remembered: the same few drill and protocol names recur on every line."""
    return _text(value)


@functools.lru_cache(maxsize=4096)
def _clean_name(value: str) -> str | None:
    return clean_trainee(value)


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # not True or False


def _text(value: Any) -> str:
    return strip_controls(value) if isinstance(value, str) else ""


def _key(value: Any) -> Any:
    """A value from a line as a dictionary key: as it is when it can be one (a string, a
    number), a tuple for a list of ticks, else None (unknown)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is list:
        return tuple(v if type(v) is str else "" for v in value)
    return None


def _answer(value: Any) -> str:
    """A recorded or expected answer in words: a label, ticks joined by commas."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value) if value else "nothing ticked"
    if value is None:
        return "unknown"
    return _text(value) if isinstance(value, str) else strip_controls(str(value))


def _time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time as an aware datetime (no offset: UTC); None when absent or bad."""
    if not isinstance(value, str):
        return None
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        found = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=dt.timezone.utc)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _round(value: float) -> float:
    return round(value, 4)


def _group_order(key: str, by: str) -> tuple[int, str]:
    unknown = key in (NO_TRAINEE, UNKNOWN_WEEK)
    return (1 if unknown else 0, key)


def slope(scores: list[float]) -> float | None:
    """The least-squares slope of scores against run number (change per run)."""
    n = len(scores)
    if n < 2:
        return None
    mean_x = (n - 1) / 2
    mean_y = sum(scores) / n
    num = sum((i - mean_x) * (y - mean_y) for i, y in enumerate(scores))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den


def trend_word(value: float | None, runs: int) -> str:
    """The trend in a word, from the least-squares slope over ``runs`` runs: the fitted
    change from the first run to the latest decides (see :data:`STEADY`)."""
    if value is None:
        return "one run only"
    change = value * (runs - 1)
    if change > STEADY:
        return "improving"
    if change < -STEADY:
        return "falling"
    return "steady"


def trend(name: str, person: Trainee) -> dict[str, Any]:
    """A trainee's runs in time order (runs with no time last, in the order read): first
    and latest score, the trend per run, and the latest runs one by one."""
    order = sorted(range(len(person.scores)), key=lambda i: (person.times[i], person.order[i]))
    scores = [person.scores[i] for i in order]
    times = [person.times[i] for i in order]
    per_run = slope(scores)
    recent = [
        {"at": _stamp(times[i]), "score": _round(scores[i])}
        for i in range(max(0, len(scores) - CHART_RUNS), len(scores))
    ]
    return {
        "trainee": name,
        "runs": len(scores),
        "first": _round(scores[0]),
        "first_at": _stamp(times[0]),
        "latest": _round(scores[-1]),
        "latest_at": _stamp(times[-1]),
        "slope": None if per_run is None else _round(per_run),
        "trend": trend_word(per_run, len(scores)),
        "recent": recent,
    }


def _stamp(timestamp: float) -> str | None:
    if math.isinf(timestamp):
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")


def ranked(
    counts: dict[Any, Counted], top: int, names: tuple[str, ...], words: Callable[[Any], str]
) -> list[dict[str, Any]]:
    """The ``top`` most frequent, most frequent first (ties by name, for a stable order);
    the key's parts after the protocol and node are made into words with ``words``."""
    best = sorted(counts.items(), key=lambda kv: (-kv[1].count, -len(kv[1].trainees), repr(kv[0])))[
        :top
    ]
    rows = []
    for key, counted in best:
        row: dict[str, Any] = {names[0]: key[0], names[1]: _text(key[1])}
        row.update((name, words(value)) for name, value in zip(names[2:], key[2:], strict=True))
        if counted.why:
            row["why"] = counted.why
        row["count"] = counted.count
        row["trainees"] = len(counted.trainees)
        rows.append(row)
    return rows


def pct(score: float | None) -> str:
    """A fraction as a whole percentage (``71%``); ``-`` when unknown."""
    return "-" if score is None else f"{score * 100:.0f}%"


def points(sd: float | None) -> str:
    """A standard deviation in percentage points; ``-`` for a single run."""
    return "-" if sd is None else f"{sd * 100:.1f} points"


def headline(summary: Mapping[str, Any]) -> str:
    runs, people = summary["runs"], len(summary["trainees"])
    if not runs:
        return "Drill report: no runs to report (check the files, --since and --trainee)."
    when = ""
    if summary["first_at"]:
        when = f", from {summary['first_at'][:10]} to {summary['last_at'][:10]}"
    return (
        f"Drill report: {runs} run{'s' * (runs != 1)} by {people} trainee{'s' * (people != 1)}"
        f"{when}. A run passes with {pct(summary['pass_mark'])} of its choices right and "
        "the right disposition."
    )


def trend_words(person: Mapping[str, Any]) -> str:
    """``improving (+6 points a run)``; ``steady``; ``one run only``."""
    if person["slope"] is None:
        return person["trend"]  # type: ignore[no-any-return]
    return f"{person['trend']} ({person['slope'] * 100:+.1f} points a run)"
