"""Rich renderables for ``show`` and ``list``. Returns them; prints nothing.

Protocol text is data: it only ever enters Rich as :class:`rich.text.Text` (never parsed
as markup) and with control characters removed. ``plain`` output (for screen readers)
uses no boxes, guides or colour.

``show`` lists the nodes in file order, each with its branches one level in, rather than
as a tree: a tree nests once per step and, on a 60-column terminal, broke words into
pieces. Wrapped lines keep their indent, and ids, which people type, are never cut.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from ..describe import NOTICE, describe_condition, flag_words, review_words, title_of
from ..language import _, ngettext
from ..model import Action, Answer, AnyNode, Checklist, Info, Outcome, Protocol, Question, Route
from ..text import shown
from .richtext import text


def protocol_header(protocol: Protocol, plain: bool) -> RenderableType:
    title = text(protocol.title, "" if plain else "bold")
    title.append(f"  ({protocol.id} {protocol.version})")
    return Group(title, text(_(NOTICE), "" if plain else "italic"))


def render_flow(
    protocol: Protocol,
    plain: bool = False,
    *,
    full: bool = False,
    titles: Mapping[str, str] | None = None,
    source: str = "",
) -> RenderableType:
    """``crisisguide show``: every node in file order with where it leads; ``full`` adds
    what the walk shows (ask, avoid and why, watch for, notes, lived experience)."""
    parts: list[RenderableType] = [protocol_header(protocol, plain), Text("")]
    if source:
        parts.append(text(_("File: {source}").format(source=source)))
    if protocol.review is not None:
        parts.append(text(_("Reviewed: {review}").format(review=review_words(protocol.review))))
    parts.append(text(_("Starts at: {title}").format(title=title_of(protocol, protocol.start))))
    for node_id, node in protocol.nodes.items():
        parts.append(Text(""))
        parts.append(_node_line(protocol, node_id, node, plain))
        lines = _content(node) if full else []
        lines += _leads_to(protocol, node, titles or {})
        parts += [_indented(line, 2, plain) for line in lines]
    reachable = _reachable(protocol)
    unreachable = [n for n in protocol.nodes if n not in reachable]
    if unreachable:
        missed = _("Not reachable from the start: {ids}").format(ids=", ".join(unreachable))
        parts += [Text(""), text(missed)]
    return Group(*parts)


def _node_line(protocol: Protocol, node_id: str, node: AnyNode, plain: bool) -> Text:
    line = text(title_of(protocol, node_id), "" if plain else "bold")
    extra = f"{node.kind} {node_id}"
    if isinstance(node, Outcome):
        # Translators: {tier} is the protocol's name for a risk tier (not translated).
        extra += _(", tier {tier}").format(tier=node.tier)
        extra += _(", URGENT") if protocol.is_urgent(node.tier) else ""
    return line.append(f"  [{extra}]")


def _indented(line: Text, indent: int, plain: bool) -> RenderableType:
    if plain:  # one logical line: the reader or the terminal wraps it
        return Text(" " * indent).append_text(line)
    return Padding(line, (0, 0, 0, indent))  # wrapped lines keep the indent


def _content(node: AnyNode) -> list[Text]:
    lines: list[Text] = []
    if isinstance(node, (Question, Checklist)):
        lines.append(text(node.prompt))
        lines += [_labelled(_("Ask: "), a) for a in node.ask]
    elif isinstance(node, Action):
        lines.append(_labelled(_("Do: "), node.do))
        lines += [_labelled(_("Detail: "), d) for d in node.details]
    elif isinstance(node, Info):
        lines.append(text(node.text))
    for avoid in getattr(node, "avoid", []):
        why = _("\u201c{say}\u201d - why not: {why}").format(say=avoid.say, why=avoid.why)
        lines.append(_labelled(_("Avoid: "), why))
    lines += [_labelled(_("Watch for: "), w) for w in getattr(node, "watch_for", [])]
    if node.notes:
        lines.append(_labelled(_("Note: "), node.notes))
    lived = _("Lived experience: ")
    lines += [_labelled(lived, f"{p.text} ({p.source})") for p in node.perspectives]
    return lines


def _labelled(label: str, value: str) -> Text:
    return Text(label).append_text(text(value))


def _leads_to(protocol: Protocol, node: AnyNode, titles: Mapping[str, str]) -> list[Text]:
    def to(target: str) -> str:
        return f" \u2192 {title_of(protocol, target)}"

    if isinstance(node, Question):
        return [
            text(f"{shown(a.label, 200)}{_effects(a.tier, a.flags, _marked(a))}{to(a.next)}")
            for a in node.choices()
        ]
    if isinstance(node, Checklist):
        items = [text(f"[ ] {i.label}{_effects(i.tier, i.flags, False)}") for i in node.items]
        return [*items, text(_("then") + to(node.next))]
    if isinstance(node, Route):
        rules = [
            text(_("if {condition}").format(condition=describe_condition(r.when, protocol))
                 + to(r.next))
            for r in node.routes
        ]  # fmt: skip
        return [*rules, text(_("otherwise") + to(node.default))]
    if isinstance(node, Outcome):
        steps = _("{count}, first: {step}").format(count=len(node.steps), step=node.steps[0])
        lines = [_labelled(_("Steps: "), steps)]
        if node.referrals:
            lines.append(_labelled(_("Referrals: "), ", ".join(node.referrals)))
        if node.follow_up:
            names = [titles.get(f) or f for f in node.follow_up]
            lines.append(_labelled(_("Follow up with: "), ", ".join(names)))
        return lines
    return [text(_("then") + to(node.next))]


def _marked(answer: Answer) -> bool:
    """An unclear answer whose label does not already say so."""
    return answer.unclear and "unclear" not in answer.label.lower()


def _effects(tier: str | None, flags: list[str], unclear: bool) -> str:
    extras = [_("counts as unclear")] if unclear else []
    if tier:
        extras.append(_("tier at least {tier}").format(tier=tier))
    if flags:
        # Translators: a verb: the answer notes these flags (the protocol's ids, in words).
        extras.append(_("notes {flags}").format(flags=flag_words(flags)))
    return f" ({'; '.join(extras)})" if extras else ""


def _reachable(protocol: Protocol) -> set[str]:
    from ..model import successors

    seen: set[str] = set()
    todo = [protocol.start]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in protocol.nodes:
            continue
        seen.add(node_id)
        todo.extend(successors(protocol.nodes[node_id]))
    return seen


def protocol_table(rows: list[dict[str, object]], plain: bool = False) -> RenderableType:
    """``crisisguide list`` on a terminal: a table whose ids are never cut (the title
    wraps instead), or one sentence per protocol in plain mode."""
    if plain:
        lines = [
            text(
                # Translators: the English has one form ("nodes") for every number.
                ngettext(
                    "{id}: {title}, version {version}, {nodes} nodes, {file}",
                    "{id}: {title}, version {version}, {nodes} nodes, {file}",
                    int(str(row["nodes"])),
                ).format(**{k: row[k] for k in ("id", "title", "version", "nodes", "file")})
            )
            for row in rows
        ]
        return Group(*lines) if lines else text(_("No protocols found."))
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold", box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, overflow="ignore")
    table.add_column("title", ratio=1, overflow="fold")
    table.add_column("version", no_wrap=True)
    table.add_column("nodes", justify="right", no_wrap=True)
    table.add_column("file", overflow="fold")
    for row in rows:
        table.add_row(*(text(row[c]) for c in ("id", "title", "version", "nodes", "file")))
    return table
