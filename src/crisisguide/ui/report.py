"""``drill report`` at a terminal: tables with bar charts (Rich's own :class:`rich.bar.Bar`),
or, with ``--plain``, the same figures as sentences a screen reader reads in order.

Every figure is written as a number beside its bar, so nothing is carried by the bar or
by colour alone; every name and phrasing from a results file is literal text (no markup,
no control characters).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.bar import Bar
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..describe import NOTICE
from ..drills.report import headline, pct, points, trend_words
from ..drills.run import CATEGORIES
from .console import Console
from .richtext import text

BAR_WIDTH = 10
MAX_CHARTS = 12
"""Above this many trainees, one chart each would bury the rest of the report."""


def _bar(score: float | None) -> RenderableType:
    if score is None:
        return Text("")
    return Bar(1.0, 0, max(0.0, min(1.0, score)), width=BAR_WIDTH)


def report_screen(summary: Mapping[str, Any], plain: bool) -> RenderableType:
    """The whole report: headline, groups, categories, trainees, phrasings, mistakes."""
    if plain:
        return Group(*(text(line) for line in plain_lines(summary)))
    bold = "bold"
    parts: list[RenderableType] = [text(headline(summary), bold), text(NOTICE, "italic"), Text("")]
    if not summary["runs"]:
        return Group(*parts)
    parts += [_groups_table(summary), Text(""), _categories_table(summary), Text("")]
    parts += [_trainees_table(summary), Text("")]
    if len(summary["trainees"]) <= MAX_CHARTS:
        for person in summary["trainees"]:
            parts += [_trend_chart(person), Text("")]
    else:
        parts += [text(f"Each trainee's runs as a chart: add --trainee NAME (there are "
                       f"{len(summary['trainees'])} trainees)."), Text("")]  # fmt: skip
    parts += [_phrasings_table(summary["avoid_phrasings"]), Text("")]
    parts.append(_mistakes_table(summary["recording_mistakes"]))
    return Group(*parts)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _figures_table(title: str, first: str) -> Table:
    """Names fold; figures never wrap (a number split over two lines misreads)."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=False)
    table.add_column(first, overflow="fold", min_width=14)
    for column in ("Runs", "Mean", "", "SD", "Range", "Passed"):
        table.add_column(column, no_wrap=True, justify="right" if column != "" else "left")
    return table


def _spread_cells(s: Mapping[str, Any]) -> list[RenderableType]:
    if not s.get("runs"):
        return [Text("0"), Text("-"), Text(""), Text("-"), Text("-"), Text("-")]
    return [
        Text(str(s["runs"])),
        Text(pct(s["mean"])),
        _bar(s["mean"]),
        Text("-" if s["sd"] is None else f"{s['sd'] * 100:.1f}"),
        Text(f"{pct(s['min'])}-{pct(s['max'])}"),
        Text(f"{pct(s['pass_rate'])} ({s['passed']}/{s['runs']})"),
    ]


def _spread_rows(table: Table, name: RenderableType, figures: Mapping[str, Any]) -> None:
    table.add_row(name, *_spread_cells(figures["overall"]))
    for category in CATEGORIES:
        table.add_row(Text(f"  {category}"), *_spread_cells(figures["categories"][category]))


def _groups_table(summary: Mapping[str, Any]) -> Table:
    by = summary["by"]
    table = _figures_table(
        f"By {by}: each {by} overall, then by category (SD in percentage points)",
        by.capitalize(),
    )
    for group in summary["groups"]:
        _spread_rows(table, text(group["group"]), group)
    return table


def _categories_table(summary: Mapping[str, Any]) -> Table:
    table = _figures_table("All runs, overall and by category", "")
    _spread_rows(table, Text("All runs"), summary["total"])
    return table


def _trainees_table(summary: Mapping[str, Any]) -> Table:
    table = _table("Trainees: first and latest run", "Trainee", "Runs", "First", "Latest",
                   "Trend")  # fmt: skip
    for person in summary["trainees"]:
        table.add_row(text(person["trainee"]), Text(str(person["runs"])),
                      Text(pct(person["first"])), Text(pct(person["latest"])),
                      Text(trend_words(person)))  # fmt: skip
    return table


def _trend_chart(person: Mapping[str, Any]) -> RenderableType:
    """A trainee's latest runs in time order, one bar each: the trend as a picture."""
    shown = len(person["recent"])
    title = f"{person['trainee']}: {trend_words(person)}; latest {shown} of {person['runs']} runs"
    table = _table("", "Run finished", "Score", "")
    for run in person["recent"]:
        table.add_row(Text(_day(run["at"])), _bar(run["score"]), Text(pct(run["score"])))
    return Group(text(title, "bold"), table)


def _phrasings_table(rows: Sequence[Mapping[str, Any]]) -> RenderableType:
    if not rows:
        return text("Avoid phrasings chosen: none.")
    table = _table("Avoid phrasings chosen most often", "#", "Phrasing", "Why to avoid it",
                   "Times", "Trainees", "Where")  # fmt: skip
    for rank, row in enumerate(rows, 1):
        table.add_row(Text(str(rank)), text(f"\u201c{row['text']}\u201d"), text(row.get("why", "")),
                      Text(str(row["count"])), Text(str(row["trainees"])),
                      text(f"{row['protocol']}: {row['node']}"))  # fmt: skip
    return table


def _mistakes_table(rows: Sequence[Mapping[str, Any]]) -> RenderableType:
    if not rows:
        return text("Recording mistakes: none.")
    table = _table("Recording mistakes made most often", "#", "Step", "The client meant",
                   "Recorded as", "Times", "Trainees")  # fmt: skip
    for rank, row in enumerate(rows, 1):
        table.add_row(Text(str(rank)), text(f"{row['protocol']}: {row['node']}"),
                      text(row["expected"]), text(row["recorded"]), Text(str(row["count"])),
                      Text(str(row["trainees"])))  # fmt: skip
    return table


def _day(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else "unknown"


def plain_lines(summary: Mapping[str, Any]) -> list[str]:
    """The report in sentences, one figure after another, no table or chart."""
    lines = [headline(summary), NOTICE]
    if not summary["runs"]:
        return lines
    lines += ["", f"By {summary['by']}:"]
    for group in summary["groups"]:
        cats = ", ".join(f"{c} {pct(group['categories'][c].get('mean'))}" for c in CATEGORIES)
        lines.append(f"{group['group']}: {spread_words(group['overall'])} Category means: {cats}.")
    lines += ["", "By category, all runs:"]
    lines.append(f"Overall: {spread_words(summary['total']['overall'])}")
    for name in CATEGORIES:
        lines.append(f"{name.capitalize()}: {spread_words(summary['total']['categories'][name])}")
    lines += ["", "Trainees:"]
    for person in summary["trainees"]:
        scores = ", ".join(pct(r["score"]) for r in person["recent"])
        lines.append(
            f"{person['trainee']}: {_n(person['runs'], 'run')}; first {pct(person['first'])}, latest "
            f"{pct(person['latest'])}; {trend_words(person)}. Latest runs in order: {scores}."
        )
    lines += ["", "Avoid phrasings chosen most often:"]
    for rank, row in enumerate(summary["avoid_phrasings"], 1):
        lines.append(
            f"{rank}. \u201c{row['text']}\u201d, chosen {_times(row)} "
            f"({row['protocol']}, step {row['node']}). Why to avoid it: {row.get('why', '')}"
        )
    if not summary["avoid_phrasings"]:
        lines.append("None.")
    lines += ["", "Recording mistakes made most often:"]
    for rank, row in enumerate(summary["recording_mistakes"], 1):
        lines.append(
            f"{rank}. {row['protocol']}, step {row['node']}: the client meant \u2018{row['expected']}\u2019, "
            f"recorded as \u2018{row['recorded']}\u2019, {_times(row)}."
        )
    if not summary["recording_mistakes"]:
        lines.append("None.")
    return lines


def _times(row: Mapping[str, Any]) -> str:
    people = row["trainees"]
    return f"{_n(row['count'], 'time')} by {_n(people, 'trainee')}"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def spread_words(s: Mapping[str, Any]) -> str:
    if not s.get("runs"):
        return "no runs."
    return (
        f"{_n(s['runs'], 'run')}, mean {pct(s['mean'])}, "
        f"standard deviation {points(s['sd']) if s['sd'] is not None else 'none (one run)'}, "
        f"range {pct(s['min'])} to {pct(s['max'])}, passed {s['passed']} of {s['runs']} "
        f"({pct(s['pass_rate'])})."
    )


def report_text(summary: Mapping[str, Any], plain: bool, width: int = 100) -> str:
    """The terminal report as text for a file (``-o``): no colour, no escape sequence."""
    out = Console(file=io.StringIO(), width=width, color_system=None, highlight=False,
                  markup=False, emoji=False, soft_wrap=plain)  # fmt: skip
    out.print(report_screen(summary, plain))
    value = out.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in value.splitlines()) + "\n"
