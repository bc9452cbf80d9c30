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
from ..drills.report import pct
from ..drills.run import CATEGORIES
from ..language import N_, _, ngettext
from .console import Console
from .richtext import text
from .screens import category_name

BAR_WIDTH = 10
MAX_CHARTS = 12
"""Above this many trainees, one chart each would bury the rest of the report."""


TRENDS = {
    "one run only": N_("one run only"),
    "improving": N_("improving"),
    "falling": N_("falling"),
    "steady": N_("steady"),
}
"""A trainee's trend (``drills.report.trend_word``), in words."""
GROUPS = {
    "drill": (N_("Drill"), N_("By drill:"),
              N_("By drill: each drill overall, then by category (SD in percentage points)")),
    "trainee": (N_("Trainee"), N_("By trainee:"),
                N_("By trainee: each trainee overall, then by category (SD in percentage points)")),
    "protocol": (N_("Protocol"), N_("By protocol:"),
                 N_("By protocol: each protocol overall, then by category (SD in percentage "
                    "points)")),
    "week": (N_("Week"), N_("By week:"),
             N_("By week: each week overall, then by category (SD in percentage points)")),
}  # fmt: skip
"""What ``--by`` groups: the column heading, the plain heading and the table's title."""


def headline(summary: Mapping[str, Any]) -> str:
    """The report's first sentence: how many runs by how many trainees, when, and the pass
    mark (the data formats have their own, English, in ``drills.report.headline``)."""
    runs, people = summary["runs"], len(summary["trainees"])
    if not runs:
        return _("Drill report: no runs to report (check the files, --since and --trainee).")
    figures = {
        "runs": ngettext("{count} run", "{count} runs", runs).format(count=runs),
        "trainees": ngettext("{count} trainee", "{count} trainees", people).format(count=people),
        "mark": pct(summary["pass_mark"]),
    }
    if summary["first_at"]:
        # Translators: {runs} is "3 runs", {trainees} "2 trainees", {first} and {last} are
        # dates (YYYY-MM-DD), {mark} a percentage.
        return _("Drill report: {runs} by {trainees}, from {first} to {last}. A run passes with "
                 "{mark} of its choices right and the right disposition.").format(
            first=summary["first_at"][:10], last=summary["last_at"][:10], **figures)  # fmt: skip
    return _("Drill report: {runs} by {trainees}. A run passes with {mark} of its choices right "
             "and the right disposition.").format(**figures)  # fmt: skip


def trend_words(person: Mapping[str, Any]) -> str:
    """``improving (+6.0 points a run)``; ``steady``; ``one run only``."""
    trend = person["trend"]
    word = _(TRENDS[trend]) if trend in TRENDS else str(trend)
    if person["slope"] is None:
        return word
    return _("{trend} ({slope} points a run)").format(
        trend=word, slope=f"{person['slope'] * 100:+.1f}"
    )


def points(sd: float | None) -> str:
    """A standard deviation in percentage points; ``-`` for a single run."""
    return "-" if sd is None else _("{value} points").format(value=f"{sd * 100:.1f}")


def _group_words(by: str) -> tuple[str, str, str]:
    if by in GROUPS:
        column, plain, title = GROUPS[by]
        return _(column), _(plain), _(title)
    return (by.capitalize(), f"By {by}:",
            f"By {by}: each {by} overall, then by category (SD in percentage points)")  # fmt: skip


def _bar(score: float | None) -> RenderableType:
    if score is None:
        return Text("")
    return Bar(1.0, 0, max(0.0, min(1.0, score)), width=BAR_WIDTH)


def report_screen(summary: Mapping[str, Any], plain: bool) -> RenderableType:
    """The whole report: headline, groups, categories, trainees, phrasings, mistakes."""
    if plain:
        return Group(*(text(line) for line in plain_lines(summary)))
    bold = "bold"
    parts: list[RenderableType] = [
        text(headline(summary), bold),
        text(_(NOTICE), "italic"),
        Text(""),
    ]
    if not summary["runs"]:
        return Group(*parts)
    parts += [_groups_table(summary), Text(""), _categories_table(summary), Text("")]
    parts += [_trainees_table(summary), Text("")]
    if len(summary["trainees"]) <= MAX_CHARTS:
        for person in summary["trainees"]:
            parts += [_trend_chart(person), Text("")]
    else:
        count = len(summary["trainees"])
        parts += [text(ngettext("Each trainee's runs as a chart: add --trainee NAME (there are "
                                "{count} trainees).", "Each trainee's runs as a chart: add "
                                "--trainee NAME (there are {count} trainees).", count).format(
            count=count)), Text("")]  # fmt: skip
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
    for column in (_("Runs"), _("Mean"), None, _("SD"), _("Range"), _("Passed")):
        table.add_column(column or "", no_wrap=True, justify="left" if column is None else "right")
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
        name = category_name(category).lower()
        table.add_row(Text(f"  {name}"), *_spread_cells(figures["categories"][category]))


def _groups_table(summary: Mapping[str, Any]) -> Table:
    column, _plain, title = _group_words(summary["by"])
    table = _figures_table(title, column)
    for group in summary["groups"]:
        _spread_rows(table, text(group["group"]), group)
    return table


def _categories_table(summary: Mapping[str, Any]) -> Table:
    table = _figures_table(_("All runs, overall and by category"), "")
    _spread_rows(table, Text(_("All runs")), summary["total"])
    return table


def _trainees_table(summary: Mapping[str, Any]) -> Table:
    table = _table(_("Trainees: first and latest run"), _("Trainee"), _("Runs"), _("First"),
                   _("Latest"), _("Trend"))  # fmt: skip
    for person in summary["trainees"]:
        table.add_row(text(person["trainee"]), Text(str(person["runs"])),
                      Text(pct(person["first"])), Text(pct(person["latest"])),
                      Text(trend_words(person)))  # fmt: skip
    return table


def _trend_chart(person: Mapping[str, Any]) -> RenderableType:
    """A trainee's latest runs in time order, one bar each: the trend as a picture."""
    shown = len(person["recent"])
    title = ngettext("{trainee}: {trend}; latest {shown} of {count} runs",
                     "{trainee}: {trend}; latest {shown} of {count} runs", person["runs"]).format(
        trainee=person["trainee"], trend=trend_words(person), shown=shown, count=person["runs"])  # fmt: skip
    table = _table("", _("Run finished"), _("Score"), "")
    for run in person["recent"]:
        table.add_row(Text(_day(run["at"])), _bar(run["score"]), Text(pct(run["score"])))
    return Group(text(title, "bold"), table)


def _phrasings_table(rows: Sequence[Mapping[str, Any]]) -> RenderableType:
    if not rows:
        return text(_("Avoid phrasings chosen: none."))
    table = _table(_("Avoid phrasings chosen most often"), "#", _("Phrasing"), _("Why to avoid it"),
                   _("Times"), _("Trainees"), _("Where"))  # fmt: skip
    for rank, row in enumerate(rows, 1):
        table.add_row(Text(str(rank)), text(f"\u201c{row['text']}\u201d"), text(row.get("why", "")),
                      Text(str(row["count"])), Text(str(row["trainees"])),
                      text(f"{row['protocol']}: {row['node']}"))  # fmt: skip
    return table


def _mistakes_table(rows: Sequence[Mapping[str, Any]]) -> RenderableType:
    if not rows:
        return text(_("Recording mistakes: none."))
    table = _table(_("Recording mistakes made most often"), "#", _("Step"), _("The client meant"),
                   _("Recorded as"), _("Times"), _("Trainees"))  # fmt: skip
    for rank, row in enumerate(rows, 1):
        table.add_row(Text(str(rank)), text(f"{row['protocol']}: {row['node']}"),
                      text(row["expected"]), text(row["recorded"]), Text(str(row["count"])),
                      Text(str(row["trainees"])))  # fmt: skip
    return table


def _day(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else _("unknown")


def plain_lines(summary: Mapping[str, Any]) -> list[str]:
    """The report in sentences, one figure after another, no table or chart."""
    lines = [headline(summary), _(NOTICE)]
    if not summary["runs"]:
        return lines
    lines += ["", _group_words(summary["by"])[1]]
    for group in summary["groups"]:
        cats = ", ".join(
            f"{category_name(c).lower()} {pct(group['categories'][c].get('mean'))}"
            for c in CATEGORIES
        )
        lines.append(_("{group}: {figures} Category means: {means}.").format(
            group=group["group"], figures=spread_words(group["overall"]), means=cats))  # fmt: skip
    lines += ["", _("By category, all runs:")]
    lines.append(_("Overall: {figures}").format(figures=spread_words(summary["total"]["overall"])))
    for name in CATEGORIES:
        lines.append(_("{category}: {figures}").format(
            category=category_name(name),
            figures=spread_words(summary["total"]["categories"][name])))  # fmt: skip
    lines += ["", _("Trainees:")]
    for person in summary["trainees"]:
        scores = ", ".join(pct(r["score"]) for r in person["recent"])
        # Translators: {runs} is "3 runs"; {first} and {latest} are percentages; {trend} is
        # "improving (+6.0 points a run)" or similar; {scores} a list of percentages.
        lines.append(_("{trainee}: {runs}; first {first}, latest {latest}; {trend}. Latest runs "
                       "in order: {scores}.").format(
            trainee=person["trainee"], runs=_runs(person["runs"]), first=pct(person["first"]),
            latest=pct(person["latest"]), trend=trend_words(person), scores=scores))  # fmt: skip
    lines += ["", _("Avoid phrasings chosen most often:")]
    for rank, row in enumerate(summary["avoid_phrasings"], 1):
        # Translators: {times} is "3 times by 2 trainees"; {node} is a step's id.
        lines.append(_("{rank}. \u201c{phrasing}\u201d, chosen {times} ({protocol}, step {node}). "
                       "Why to avoid it: {why}").format(
            rank=rank, phrasing=row["text"], times=_times(row), protocol=row["protocol"],
            node=row["node"], why=row.get("why", "")))  # fmt: skip
    if not summary["avoid_phrasings"]:
        lines.append(_("None."))
    lines += ["", _("Recording mistakes made most often:")]
    for rank, row in enumerate(summary["recording_mistakes"], 1):
        # Translators: {expected} and {recorded} are answer labels from the protocol.
        lines.append(_("{rank}. {protocol}, step {node}: the client meant \u2018{expected}\u2019, "
                       "recorded as \u2018{recorded}\u2019, {times}.").format(
            rank=rank, protocol=row["protocol"], node=row["node"], expected=row["expected"],
            recorded=row["recorded"], times=_times(row)))  # fmt: skip
    if not summary["recording_mistakes"]:
        lines.append(_("None."))
    return lines


def _runs(count: int) -> str:
    return ngettext("{count} run", "{count} runs", count).format(count=count)


def _times(row: Mapping[str, Any]) -> str:
    count, people = row["count"], row["trainees"]
    # Translators: "3 times by 2 trainees": how often a phrasing or mistake was chosen.
    return _("{times} by {trainees}").format(
        times=ngettext("{count} time", "{count} times", count).format(count=count),
        trainees=ngettext("{count} trainee", "{count} trainees", people).format(count=people),
    )


def spread_words(s: Mapping[str, Any]) -> str:
    if not s.get("runs"):
        return _("no runs.")
    sd = points(s["sd"]) if s["sd"] is not None else _("none (one run)")
    # Translators: {runs} is "3 runs"; {mean}, {low}, {high} and {rate} are percentages;
    # {sd} is "4.2 points" (percentage points) or "none (one run)".
    return _("{runs}, mean {mean}, standard deviation {sd}, range {low} to {high}, passed "
             "{passed} of {total} ({rate}).").format(
        runs=_runs(s["runs"]), mean=pct(s["mean"]), sd=sd, low=pct(s["min"]), high=pct(s["max"]),
        passed=s["passed"], total=s["runs"], rate=pct(s["pass_rate"]))  # fmt: skip


def report_text(summary: Mapping[str, Any], plain: bool, width: int = 100) -> str:
    """The terminal report as text for a file (``-o``): no colour, no escape sequence."""
    out = Console(file=io.StringIO(), width=width, color_system=None, highlight=False,
                  markup=False, emoji=False, soft_wrap=plain)  # fmt: skip
    out.print(report_screen(summary, plain))
    value = out.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in value.splitlines()) + "\n"
