"""``drill report --format md|csv``: the report's figures for documents and spreadsheets.
Pure and deterministic: the same summary gives the same bytes.

Everything read from results files is data: in markdown it is escaped so it can never
become markup (as in every export), and in CSV a cell that a spreadsheet would take for
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) starts
with an apostrophe instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from ..describe import NOTICE
from ..drills.report import headline, pct, points, trend_words
from ..drills.run import CATEGORIES
from .markdown import md, md_inline

CSV_COLUMNS = (
    "section", "group", "category", "runs", "mean", "sd", "min", "max", "passed", "pass_rate",
    "first", "latest", "slope", "trend", "rank", "protocol", "node", "text", "why",
    "expected", "recorded", "count", "trainees",
)  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def _spread_row(section: str, group: str, category: str, s: Mapping[str, Any]) -> dict[str, Any]:
    row = {"section": section, "group": group, "category": category, "runs": s.get("runs", 0)}
    row.update({k: s.get(k) for k in ("mean", "sd", "min", "max", "passed", "pass_rate")})
    return row


def report_csv(summary: Mapping[str, Any]) -> str:
    """One table, one row per figure set; ``section`` says which part of the report a row
    belongs to (docs/trainers.md, "CSV columns"). Scores are fractions from 0 to 1."""
    rows: list[dict[str, Any]] = []
    for group in summary["groups"]:
        rows.append(_spread_row("group", group["group"], "overall", group["overall"]))
        rows += [_spread_row("group", group["group"], c, group["categories"][c])
                 for c in CATEGORIES]  # fmt: skip
    rows.append(_spread_row("total", "all runs", "overall", summary["total"]["overall"]))
    rows += [_spread_row("total", "all runs", c, summary["total"]["categories"][c])
             for c in CATEGORIES]  # fmt: skip
    for person in summary["trainees"]:
        rows.append({"section": "trainee", "group": person["trainee"], "runs": person["runs"],
                     **{k: person[k] for k in ("first", "latest", "slope", "trend")}})  # fmt: skip
    for rank, row in enumerate(summary["avoid_phrasings"], 1):
        rows.append({"section": "avoid-phrasing", "rank": rank, **row})
    for rank, row in enumerate(summary["recording_mistakes"], 1):
        rows.append({"section": "recording-mistake", "rank": rank, **row})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in CSV_COLUMNS})
    return out.getvalue()


def _spread_cells(s: Mapping[str, Any]) -> list[str]:
    if not s.get("runs"):
        return ["0", "-", "-", "-", "-"]
    return [str(s["runs"]), pct(s["mean"]), points(s["sd"]), f"{pct(s['min'])}-{pct(s['max'])}",
            f"{pct(s['pass_rate'])} ({s['passed']} of {s['runs']})"]  # fmt: skip


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def report_markdown(summary: Mapping[str, Any]) -> str:
    """The report as a markdown document: the same sections as at the terminal, as tables."""
    out = ["# Drill report", "", md(headline(summary)), "", f"> {md(NOTICE)}", ""]
    if not summary["runs"]:
        return "\n".join(out).rstrip() + "\n"
    by = summary["by"]
    out += [f"## By {by}", "",
            _row([by.capitalize(), "Runs", "Mean", "SD", "Range", "Passed",
                  *(c.capitalize() for c in CATEGORIES)]),
            _row(["---"] * (6 + len(CATEGORIES)))]  # fmt: skip
    for group in summary["groups"]:
        means = [pct(group["categories"][c].get("mean")) for c in CATEGORIES]
        out.append(_row([md_inline(group["group"]), *_spread_cells(group["overall"]), *means]))
    out += ["", "## By category (all runs)", "",
            _row(["Category", "Runs", "Mean", "SD", "Range", "Passed"]), _row(["---"] * 6),
            _row(["Overall", *_spread_cells(summary["total"]["overall"])])]  # fmt: skip
    out += [_row([c.capitalize(), *_spread_cells(summary["total"]["categories"][c])])
            for c in CATEGORIES]  # fmt: skip
    out += ["", "## Trainees", "", _row(["Trainee", "Runs", "First", "Latest", "Trend",
                                          "Latest runs in order"]), _row(["---"] * 6)]  # fmt: skip
    for p in summary["trainees"]:
        recent = ", ".join(pct(r["score"]) for r in p["recent"])
        out.append(_row([md_inline(p["trainee"]), str(p["runs"]), pct(p["first"]),
                         pct(p["latest"]), trend_words(p), recent]))  # fmt: skip
    out += ["", "## Avoid phrasings chosen most often", ""]
    if summary["avoid_phrasings"]:
        out += [_row(["#", "Phrasing", "Why to avoid it", "Times", "Trainees", "Where"]),
                _row(["---"] * 6)]  # fmt: skip
        out += [_row([str(i), f"\u201c{md_inline(r['text'])}\u201d", md_inline(r.get("why", "")),
                      str(r["count"]), str(r["trainees"]),
                      f"{md_inline(r['protocol'])}: {md_inline(r['node'])}"])
                for i, r in enumerate(summary["avoid_phrasings"], 1)]  # fmt: skip
    else:
        out.append("None.")
    out += ["", "## Recording mistakes made most often", ""]
    if summary["recording_mistakes"]:
        out += [_row(["#", "Step", "The client meant", "Recorded as", "Times", "Trainees"]),
                _row(["---"] * 6)]  # fmt: skip
        out += [_row([str(i), f"{md_inline(r['protocol'])}: {md_inline(r['node'])}",
                      md_inline(r["expected"]), md_inline(r["recorded"]), str(r["count"]),
                      str(r["trainees"])])
                for i, r in enumerate(summary["recording_mistakes"], 1)]  # fmt: skip
    else:
        out.append("None.")
    return "\n".join(out).rstrip() + "\n"
