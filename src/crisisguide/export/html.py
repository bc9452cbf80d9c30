"""Printable HTML pages of a protocol: the checklist (``export --format html``) and the
pocket card (``--card``). Pure and deterministic: same input, same bytes.

Each page stands alone: no script, no file or address it loads (the style and the flow's
SVG are inline), and a Content-Security-Policy that would block either if one slipped in.
The text is the markdown export rendered by markdown-it-py with raw HTML switched off, so
protocol text (already escaped for markdown) can only ever come out as text; links are
kept only for http(s) addresses. The print style sets the paper (A4 or Letter), starts
each outcome on a new page and puts how to reach emergency help in the footer of every
printed page (docs/printing.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from ..describe import NOTICE
from ..model import Protocol
from ..referrals import Resolved
from ..text import strip_controls
from . import markdown

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
PAPERS = {"a4": "A4", "letter": "letter"}
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "DO", "GT", "PA",
                            "PR", "SV"})  # fmt: skip
"""Regions where Letter is the usual paper; A4 everywhere else."""


def paper_for(region: str) -> str:
    """The usual paper in ``region``: ``letter`` in North America and a few countries that
    follow it, ``a4`` elsewhere."""
    return "letter" if region.upper() in LETTER_REGIONS else "a4"


def emergency_line(urgent_help: Sequence[Resolved], region: str) -> str:
    """How to reach emergency help, as plain text: the same words as the markdown card's."""
    reach = "; ".join(markdown.emergency_reach(urgent_help, region))
    return " ".join(strip_controls(f"Emergency help ({region}): {reach}").split())


def checklist_page(
    protocol: Protocol,
    resolved: Mapping[str, Sequence[Resolved]],
    urgent_help: Sequence[Resolved],
    region: str,
    *,
    paper: str,
    titles: Mapping[str, str] | None = None,
    tables: bool = True,
) -> str:
    """The protocol's checklist as a printable page, with the flow drawn as SVG."""
    from .flow import flow_picture

    text = markdown.checklist(protocol, resolved, region, titles=titles, tables=tables)
    picture = flow_picture(protocol)
    if picture.svg is not None:
        figure = f'<figure class="flow">\n{picture.svg}</figure>\n'
    else:
        figure = f'<p class="note flow-note">{escape(picture.note)}</p>\n'
    body = render(text, flow=figure)
    emergency = emergency_line(urgent_help, region)
    return page(protocol.title, body, emergency, paper, "checklist", protocol.locale)


def card_page(
    protocol: Protocol, urgent_help: Sequence[Resolved], region: str, *, paper: str
) -> str:
    """The pocket card on one printed page."""
    text = markdown.pocket_card(protocol, urgent_help, region)
    body = render(text)
    title = f"Pocket card: {protocol.title}"
    return page(title, body, emergency_line(urgent_help, region), paper, "card", protocol.locale)


def render(text: str, flow: str = "") -> str:
    """Markdown from the export as HTML: raw HTML off, links http(s) only, task items
    marked, outcome headings marked (a page break before each) and the Mermaid block
    replaced by ``flow`` (the SVG, or a note saying why there is none)."""
    md = _markdown()
    tokens = md.parse(text)
    _mark(tokens)
    return str(md.renderer.render(tokens, md.options, {"flow": flow}))


def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True}).enable("table")
    md.validateLink = _http_only  # type: ignore[method-assign]
    md.add_render_rule("fence", _fence)
    return md


def _http_only(url: str) -> bool:
    return url.strip().lower().startswith(("https://", "http://"))


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """The Mermaid block becomes the picture; any other block stays code."""
    token = tokens[idx]
    if token.info.strip() == "mermaid":
        return str(env.get("flow", ""))
    return f"<pre><code>{escape(token.content, quote=False)}</code></pre>\n"


def _mark(tokens: Sequence[Token]) -> None:
    """Task items (``- [ ] ``, as the export writes them, not escaped text) get a box, and
    outcome headings a class the print style breaks the page before."""
    for i, token in enumerate(tokens):
        if token.type != "inline" or i == 0:
            continue
        before = tokens[i - 1]
        if before.type == "heading_open" and token.content.startswith("Outcome: "):
            before.attrJoin("class", "outcome")
        elif token.content.startswith("[ ] ") and i >= 2 and tokens[i - 2].type == "list_item_open":
            tokens[i - 2].attrJoin("class", "task")
            _drop_prefix(token, 4)


def _drop_prefix(token: Token, count: int) -> None:
    for child in token.children or []:
        if count <= 0:
            return
        if child.type == "text":
            taken = min(count, len(child.content))
            child.content = child.content[taken:]
            count -= taken


def page(title: str, body: str, emergency: str, paper: str, kind: str, lang: str = "en") -> str:
    """The whole document: a polyglot (XHTML-compatible) HTML5 page with its style, in
    the protocol's language (its ``locale``)."""
    heading = escape(" ".join(strip_controls(title).split()))
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{escape(lang)}" xml:lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8" />',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        '<meta name="referrer" content="no-referrer" />',
        f"<title>{heading}</title>",
        f"<style>\n{style(paper, emergency, title, kind)}</style>",
        "</head>",
        f'<body class="{kind}">',
        # the card ends with this line itself; the checklist has it first, for the screen
        # and for browsers that print no @page footer
        *([] if kind == "card" else [f'<p class="emergency" role="note">{escape(emergency)}</p>']),
        "<main>",
        body.rstrip(),
        "</main>",
        f'<footer><p class="notice">{escape(NOTICE)}</p></footer>',
        "</body>",
        "</html>",
        "",
    ])  # fmt: skip


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string that cannot end the string, the rule or the
    ``<style>`` element: anything but plain letters, digits, spaces and common
    punctuation is written as a 6-digit hex escape (and a space, which CSS reads as the
    end of the escape: without it a space that follows would be swallowed)."""
    safe = set(" .,:;()!?+-_/'@#%=*$")
    out = []
    for ch in " ".join(strip_controls(value).split()):
        out.append(ch if (ch.isalnum() and ch.isascii()) or ch in safe else f"\\{ord(ch):06x} ")
    return '"' + "".join(out) + '"'


def style(paper: str, emergency: str, title: str, kind: str) -> str:
    size = PAPERS[paper]
    card = kind == "card"
    return f"""\
@page {{
  size: {size};
  margin: {"12mm 12mm 16mm" if card else "16mm 15mm 20mm"};
  @top-left {{ content: {css_string(title)}; font: 8pt sans-serif; color: #444; }}
  @top-right {{ content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #444; }}
  @bottom-center {{
    content: {css_string(emergency)};
    font: bold 9pt sans-serif; color: #000; border-top: 1.5pt solid #000;
    vertical-align: top; padding-top: 2mm;
  }}
}}
:root {{ color: #111; background: #fff; }}
body {{
  font: {"10.5pt/1.35" if card else "11pt/1.4"} Georgia, "DejaVu Serif", "Liberation Serif", serif;
  max-width: 48rem; margin: 1rem auto; padding: 0 1rem;
}}
h1, h2, h3, h4 {{ font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; line-height: 1.2;
  break-after: avoid; }}
h1 {{ font-size: {"15pt" if card else "20pt"}; margin: 0 0 .4em; }}
h2 {{ font-size: {"11.5pt" if card else "15pt"}; margin: {".7em 0 .2em" if card else "1.2em 0 .4em"};
  border-bottom: 1pt solid #999; }}
h3 {{ font-size: 12.5pt; margin: 1.1em 0 .3em; }}
h4 {{ font-size: 11pt; margin: .8em 0 .2em; }}
p, li {{ orphans: 2; widows: 2; }}
{"p, ul { margin: .3em 0; }" if card else ""}
ul {{ padding-left: 1.4em; }}
li.task {{ list-style: none; }}
li.task::before {{ content: "\\2610"; display: inline-block; width: 1.3em; margin-left: -1.3em; }}
table {{ border-collapse: collapse; margin: .4em 0 .8em; width: 100%; break-inside: auto; }}
th, td {{ border: .75pt solid #777; padding: .2em .4em; text-align: left; vertical-align: top; }}
tr {{ break-inside: avoid; }}
blockquote {{ margin: .5em 0; padding: .2em .8em; border-left: 3pt solid #555; }}
a {{ color: inherit; }}
code {{ font-family: "DejaVu Sans Mono", monospace; font-size: 90%; }}
.emergency {{
  font: bold {"9.5pt" if card else "10pt"} "DejaVu Sans", Arial, sans-serif;
  border: 1.5pt solid #000; padding: .3em .6em; margin: 0 0 .8em;
}}
.notice {{ font-size: 9pt; color: #333; }}
.note {{ font-style: italic; }}
h2.outcome, h3.outcome {{ break-before: page; }}
figure.flow {{ margin: .5em 0; break-inside: avoid; }}
svg.flow {{ display: block; width: 100%; height: auto; max-height: 215mm; }}
svg.flow text {{ font: 12px "DejaVu Sans", Arial, sans-serif; fill: #000; }}
svg.flow text.kind {{ font-size: 9.5px; font-weight: bold; letter-spacing: .04em; fill: #333; }}
svg.flow .shape {{ fill: #fff; stroke: #333; stroke-width: 1.2; }}
svg.flow .route .shape {{ stroke-dasharray: 4 2; }}
svg.flow .outcome .shape {{ fill: #f2f2f2; }}
svg.flow .urgent .shape {{ stroke: #000; stroke-width: 2.4; }}
svg.flow .urgent .inner {{ fill: none; stroke: #000; stroke-width: 1; }}
svg.flow .urgent text.kind {{ fill: #000; }}
svg.flow .start .shape {{ stroke-width: 2.4; }}
svg.flow .edge {{ fill: none; stroke: #555; stroke-width: 1.1; }}
svg.flow .arrowhead {{ fill: #555; }}
svg.flow text.edge-label {{ font-size: 10.5px; fill: #222; paint-order: stroke; stroke: #fff;
  stroke-width: 4px; stroke-linejoin: round; }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; }}
  a[href]::after {{ content: " (" attr(href) ")"; font-size: 85%; word-break: break-all; }}
  footer {{ display: none; }}
}}
"""
