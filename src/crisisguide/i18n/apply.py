"""A catalogue applied to a protocol: the protocol as it is shown in a language.

Only what is shown changes. A string with no usable translation (empty, fuzzy, written
for an original that has since changed, or not keeping the original's placeholders and
lines) is shown as written. Answer and item labels are translated for display alone: the
walk (:class:`crisisguide.engine.Session`), answers files, drills and records keep the
labels as written, which are ids. :attr:`Translation.labels` maps a shown label back to
its original, and :meth:`Translation.shown` the other way, so a screen can show one and
the engine record the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..model import AnyNode, Checklist, Condition, Protocol, Question, Route
from ..shapes import Record
from ..text import strip_controls
from .messages import Path, context_of, strings, structure_problem

R = TypeVar("R", bound=Record)


def _with(record: R, **changes: Any) -> R:
    values = {spec.name: getattr(record, spec.name) for spec in record.__specs__}
    return type(record)(**{**values, **changes})


@dataclass
class Translation:
    """A protocol as shown in ``language``, and how complete its translation is."""

    language: str
    original: Protocol
    protocol: Protocol
    translated: int
    total: int
    status: str = ""
    """The file's X-Translation-Status header (a draft notice), or ''."""
    path: str = ""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Node id -> shown label -> original label (only labels that differ)."""

    @property
    def percent(self) -> int:
        """Whole percent translated, rounded down (100 only when every string is)."""
        return 100 if self.total == 0 else self.translated * 100 // self.total

    def original_answer(self, node_id: str, reply: Any) -> Any:
        """A reply chosen on a translated screen, as the engine records it."""
        back = self.labels.get(node_id, {})
        if isinstance(reply, str):
            return back.get(reply, reply)
        if isinstance(reply, tuple):
            return tuple(back.get(r, r) for r in reply)
        return reply

    def shown(self, node_id: str, answer: Any) -> Any:
        """A recorded answer as a translated screen shows it."""
        forward = {o: s for s, o in self.labels.get(node_id, {}).items()}
        if isinstance(answer, str):
            return forward.get(answer, answer)
        if isinstance(answer, tuple):
            return tuple(forward.get(a, a) for a in answer)
        return answer


def usable(entry: Any, original: str) -> str | None:
    """The translation an entry gives for ``original`` (None: show the original)."""
    if entry is None or entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
        return None
    if entry.msgid != original or structure_problem(original, entry.msgstr) is not None:
        return None
    return strip_controls(str(entry.msgstr))  # data, like the protocol's own text


def translate(
    protocol: Protocol,
    entries: Sequence[Mapping[str, Any]],
    language: str,
    status: str = "",
    path: str = "",
) -> Translation:
    """``protocol`` shown in ``language`` from catalogues' entries (by context): for each
    string, the first usable translation (an overlay's own file, then its base's)."""
    table: dict[Path, str] = {}
    total = 0
    for where, text, _kind in strings(protocol):
        total += 1
        context = context_of(where)
        for layer in entries:
            found = usable(layer.get(context), text)
            if found is not None:
                table[where] = found
                break
    translated = len(table)
    labels: dict[str, dict[str, str]] = {}
    nodes: dict[str, AnyNode] = {}
    for node_id, node in protocol.nodes.items():
        shown_labels = _labels(node_id, node, table)
        if shown_labels:
            labels[node_id] = {s: o for o, s in shown_labels.items()}
        nodes[node_id] = _node(node_id, node, table, shown_labels)
    nodes = {
        node_id: _route(node, labels) if isinstance(node, Route) else node
        for node_id, node in nodes.items()
    }
    shown = _with(
        protocol,
        title=table.get(("title",), protocol.title),
        summary=table.get(("summary",), protocol.summary),
        locale=language,  # what the protocol as shown is written in (an HTML page's lang)
        nodes=nodes,
    )
    return Translation(language, protocol, shown, translated, total, status, path, labels)


def _labels(node_id: str, node: AnyNode, table: Mapping[Path, str]) -> dict[str, str]:
    """Original -> shown label at a node, when the shown labels are all distinct (two
    originals shown alike could not be told apart: then every label stays as written)."""
    if isinstance(node, Question):
        originals = [a.label for a in node.answers]
        field_name = "answers"
    elif isinstance(node, Checklist):
        originals = [i.label for i in node.items]
        field_name = "items"
    else:
        return {}
    shown = [table.get(("nodes", node_id, field_name, i, "label"), o)
             for i, o in enumerate(originals)]  # fmt: skip
    if len(set(shown)) != len(shown):
        return {}
    return {o: s for o, s in zip(originals, shown, strict=True) if o != s}


def _node(
    node_id: str, node: AnyNode, table: Mapping[Path, str], labels: Mapping[str, str]
) -> AnyNode:
    base: Path = ("nodes", node_id)
    changes: dict[str, Any] = {}
    for name in ("title", "notes", "prompt", "do", "text", "summary"):
        key = (*base, name)
        if key in table:
            changes[name] = table[key]
    for name in ("ask", "watch_for", "details", "steps", "document"):
        values = getattr(node, name, None)
        if values:
            changes[name] = [table.get((*base, name, i), v) for i, v in enumerate(values)]
    avoid = getattr(node, "avoid", None)
    if avoid:
        changes["avoid"] = [
            _with(a, say=table.get((*base, "avoid", i, "say"), a.say),
                  why=table.get((*base, "avoid", i, "why"), a.why))
            for i, a in enumerate(avoid)
        ]  # fmt: skip
    if node.perspectives:
        changes["perspectives"] = [
            _with(p, text=table.get((*base, "perspectives", i, "text"), p.text))
            for i, p in enumerate(node.perspectives)
        ]
    if isinstance(node, Question):
        changes["answers"] = [
            _with(a, label=labels.get(a.label, a.label),
                  note=table.get((*base, "answers", i, "note"), a.note))
            for i, a in enumerate(node.answers)
        ]  # fmt: skip
    if isinstance(node, Checklist):
        changes["items"] = [_with(item, label=labels.get(item.label, item.label))
                            for item in node.items]  # fmt: skip
    return _with(node, **changes) if changes else node


def _route(node: Route, labels: Mapping[str, Mapping[str, str]]) -> Route:
    """A route whose ``answered`` conditions name the shown labels, so that the translated
    protocol walks exactly as the original does."""
    forward = {n: {o: s for s, o in m.items()} for n, m in labels.items()}
    rules = [_with(r, when=_condition(r.when, forward)) for r in node.routes]
    return _with(node, routes=rules)


def _condition(cond: Condition, forward: Mapping[str, Mapping[str, str]]) -> Condition:
    if cond.answered is not None:
        shown = forward.get(cond.answered.node, {}).get(cond.answered.label)
        if shown is None:
            return cond
        return _with(cond, answered=_with(cond.answered, label=shown))
    if cond.all_of is not None:
        return _with(cond, all_of=[_condition(c, forward) for c in cond.all_of])
    if cond.any_of is not None:
        return _with(cond, any_of=[_condition(c, forward) for c in cond.any_of])
    if cond.not_ is not None:
        return _with(cond, not_=_condition(cond.not_, forward))
    return cond
