"""The YAML parser behind :mod:`crisisguide.yamldoc`: composing, building safe plain data,
finding nodes for locations, and reading a file's header from the parser's events. It
imports PyYAML, so it is loaded only when a file is actually parsed."""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import replace
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Code, Location, problem
from ..memory import paused_gc
from ..text import has_controls, strip_controls
from . import (
    _KIND_KEYS,
    _KIND_ORDER,
    BROKEN,
    DEFAULT_LIMITS,
    Document,
    Header,
    Limits,
    PathElem,
    _failed,
    _NotRegular,
    _read,
    _size,
)


class _Yaml12Resolver(yaml.resolver.BaseResolver):
    """Implicit tags of the YAML 1.2 core schema (no yes/no/on/off booleans, no timestamps)."""


_CORE_RESOLVERS: list[tuple[str, str, str]] = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "tag:yaml.org,2002:int",
        r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
]
for _tag, _pattern, _first in _CORE_RESOLVERS:
    _Yaml12Resolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_Yaml12Resolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])


def _libyaml_parser() -> Any:
    try:
        return importlib.import_module("yaml.cyaml").CParser
    except (ImportError, AttributeError):  # pragma: no cover - PyYAML built without libyaml
        return None


_CParser: Any = _libyaml_parser()
LIBYAML = _CParser is not None
"""True when libyaml parses (about 8x faster than PyYAML's pure-Python parser)."""

if _CParser is not None:

    class _Composer(_CParser, _Yaml12Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Yaml12Resolver.__init__(self)

else:  # pragma: no cover - exercised only where libyaml is missing

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Yaml12Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Yaml12Resolver.__init__(self)


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _LimitExceeded(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


_KEYS: dict[int, tuple[MappingNode, dict[str, tuple[Node, Node]]]] = {}
"""Each large mapping's keys, indexed on first use, so that locating thousands of entries
of one mapping (an answers file of 10,000 unknown ids) is not quadratic."""


def child(node: Node, elem: PathElem) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode):
        if len(node.value) > 16:
            found = _index(node).get(str(elem))
            return (found[1], found[0]) if found else (None, None)
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and _same_key(key_node, elem):
                return value_node, key_node
        return None, None
    if isinstance(node, SequenceNode) and isinstance(elem, int) and 0 <= elem < len(node.value):
        return node.value[elem], None
    return None, None


def _index(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    cached = _KEYS.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    index: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode):
            index.setdefault(str(key_node.value), (key_node, value_node))
    if len(_KEYS) > 64:
        _KEYS.clear()  # a small cache: the documents being reported on right now
    _KEYS[id(node)] = (node, index)
    return index


def _same_key(key_node: ScalarNode, elem: PathElem) -> bool:
    if isinstance(elem, str):
        return bool(key_node.value == elem)
    return bool(key_node.value == str(elem))


def parse_yaml(raw: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse one YAML document from ``raw`` bytes into located, safe, plain data."""
    sha = hashlib.sha256(raw).hexdigest()
    if len(raw) > limits.max_bytes:
        return _failed(
            path,
            raw,
            Code.TOO_LARGE,
            f"the file is larger than the {_size(limits.max_bytes)} limit",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw[: exc.start])
        return _failed(
            path,
            raw,
            Code.BAD_YAML,
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            line,
            col,
        )
    if text.startswith("\ufeff"):
        text = text[1:]  # a UTF-8 byte order mark is harmless; editors add it
    doc = Document(path=path, sha256=sha, text=text)
    if not text.strip():
        doc.problems.append(
            problem(Code.BAD_YAML, "the file is empty: expected a mapping of keys", doc.at(1, 1))
        )
        return doc
    with paused_gc():
        root = _compose(text, doc)
        if root is None:
            return doc
        doc.root = root
        builder = _Builder(
            doc,
            limits,
            clean=has_controls(text) or "\\" in text,
            extensions="x-" in text,
            anchors="&" in text,
        )
        return _build(doc, builder, root)


def _build(doc: Document, builder: _Builder, root: Node) -> Document:
    try:
        doc.data = builder.build(root, 0)
    except _LimitExceeded as exc:
        mark = exc.node.start_mark
        doc.data = None
        doc.problems.append(
            problem(Code.TOO_LARGE, exc.message, doc.at(mark.line + 1, mark.column + 1))
        )
        return doc
    if not isinstance(doc.data, dict):
        what = _describe(doc.data)
        mark = root.start_mark
        doc.problems.append(
            problem(
                Code.BAD_YAML,
                f"the file must be a mapping of keys, but it is {what}",
                doc.at(mark.line + 1, mark.column + 1),
            )
        )
    return doc


def _line_col(prefix: bytes) -> tuple[int, int]:
    line = prefix.count(b"\n") + 1
    last = prefix.rfind(b"\n")
    col = len(prefix[last + 1 :].decode("utf-8", "replace")) + 1
    return line, col


def _compose(text: str, doc: Document) -> Node | None:
    composer = _Composer(text)
    try:
        root: Node | None = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or "YAML syntax error"
        if "nesting depth" in reason:
            doc.problems.append(
                problem(Code.TOO_LARGE, "the file is nested too deeply", doc.at(line, col))
            )
        elif "expected a single document" in (exc.context or ""):
            doc.problems.append(
                problem(
                    Code.BAD_YAML,
                    "one protocol per file: a second YAML document starts here",
                    doc.at(line, col),
                )
            )
        else:
            context = f", {exc.context}" if exc.context else ""
            where = exc.context_mark
            if context and where is not None and (where.line, where.column) != (line - 1, col - 1):
                context += f" that starts at line {where.line + 1}, column {where.column + 1}"
            start = (where.line + 1, where.column + 1) if where is not None else (line, col)
            sentence, (line, col) = _in_words(reason, context, text, (line, col), start)
            doc.problems.append(
                problem(
                    Code.BAD_YAML,
                    f"{sentence} (YAML says: {reason}{context})",
                    doc.at(line, col),
                )
            )
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL...)
        line, col = _position(text, exc.position)
        doc.problems.append(
            problem(
                Code.BAD_YAML,
                f"the file contains a character YAML does not allow (U+{exc.character:04X}); "
                "remove it or write it as an escape in double quotes",
                doc.at(line, col),
            )
        )
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        what = "the file is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        code = Code.TOO_LARGE if isinstance(exc, RecursionError) else Code.BAD_YAML
        doc.problems.append(problem(code, what, doc.at(1, 1)))
        return None
    finally:
        dispose = getattr(composer, "dispose", None)
        if dispose is not None:
            dispose()
    if root is None:
        doc.problems.append(
            problem(Code.BAD_YAML, "the file is empty: expected a mapping of keys", doc.at(1, 1))
        )
    return root


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _in_words(
    reason: str, context: str, text: str, at: tuple[int, int], start: tuple[int, int]
) -> tuple[str, tuple[int, int]]:
    """The parser's complaint as a sentence, at the line the mistake is on (the parser
    often notices it only at the next line): (sentence, (line, column))."""
    lines = text.splitlines()
    row = at[0]
    if "tab" in reason:
        return "a tab is used to indent this line: YAML needs spaces", at
    if "end of stream" in reason and start != at:
        what = "quote" if "quoted" in context else "bracket or block"
        return f"this {what} is never closed", start
    if "expected ':'" in reason:
        return ("this line is neither 'key: value' nor a list item ('- ...'): add the "
                "missing ': ' or '- ', or put the text in quotes"), start  # fmt: skip
    if "expected ',' or ']'" in reason or "expected ',' or '}'" in reason:
        return ("a [...] or {...} that starts here is not closed, or two of its items lack "
                "a comma between them"), start  # fmt: skip
    if "mapping values are not allowed" in reason and 1 < row <= len(lines):
        above = next(
            (
                ln
                for ln in reversed(lines[: row - 1])
                if ln.strip() and not ln.lstrip().startswith("#")
            ),
            "",
        )
        if _indent(lines[row - 1]) > _indent(above) and not above.rstrip().endswith(":"):
            return "this line is indented more than the one above it", (row, 1)
        return "a ': ' inside unquoted text: put the whole value in quotes", at
    if "expected '-' indicator" in reason:
        return (f"this line is inside the list that starts at line {start[0]} but is not an "
                "item: start it with '- ', or indent it under the item above"), at  # fmt: skip
    if "expected key" in reason or "expected <block end>" in reason:
        return (f"this line is indented differently from the block it belongs to (which "
                f"starts at line {start[0]}): line it up with that block's keys"), at  # fmt: skip
    return "YAML syntax error", at


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character ``index`` of ``text``."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a piece of text"
    return "not a mapping"


class _Builder:
    """Turns composed nodes into plain data, counting work so that it stays bounded."""

    def __init__(
        self, doc: Document, limits: Limits, *, clean: bool, extensions: bool, anchors: bool
    ) -> None:
        self.doc = doc
        self.limits = limits
        self.clean = clean
        self.extensions = extensions
        self.anchors = anchors
        """Whether the text has an anchor at all: without one there is no alias to count."""
        self.nodes = 0
        self.aliases = 0
        self.text = 0
        self.seen: set[int] = set()

    def build(self, node: Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _LimitExceeded(f"the file has more than {self.limits.max_nodes} YAML nodes", node)
        if node.__class__ is ScalarNode:
            if self.anchors:
                self._count_scalar(node)
            return self.scalar(node)
        if depth >= self.limits.max_depth:
            raise _LimitExceeded(
                f"the file is nested more than {self.limits.max_depth} levels deep "
                "(or an alias refers to itself)",
                node,
            )
        self._count_alias(node)
        if node.__class__ is MappingNode:
            return self.mapping(node, depth)
        return self.sequence(node, depth)  # type: ignore[arg-type]

    def _count_alias(self, node: Node) -> None:
        """A node met a second time is an alias: count it against the alias limit."""
        ident = id(node)
        if ident in self.seen:
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise _LimitExceeded(
                    f"the file expands more than {self.limits.max_aliases} aliases", node
                )
        else:
            self.seen.add(ident)

    def _count_scalar(self, node: ScalarNode) -> None:
        """Aliases of scalars count against the alias limit, and the text they expand to
        against the text limit (an alias to a long scalar repeated many times)."""
        self._count_alias(node)
        self.text += len(node.value)
        if self.text > self.limits.max_text:
            raise _LimitExceeded(
                f"the file's text, with its aliases expanded, is longer than the "
                f"{_size(self.limits.max_text)} limit",
                node,
            )

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        value: str = node.value
        if tag == _STR:
            return strip_controls(value) if self.clean else value
        if tag == _INT:
            try:
                return _to_int(value)
            except ValueError:  # more digits than Python converts (4,300 by default)
                self._problem(
                    Code.BAD_VALUE,
                    f"the number is too long ({len(value)} characters): write a number of a "
                    "few digits, or put text in quotes",
                    node,
                )
                return BROKEN
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _FLOAT:
            return _to_float(value)
        self._bad_tag(node)
        return strip_controls(value) if self.clean else value

    def mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        if node.tag != _MAP:
            self._bad_tag(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                self._problem(
                    Code.BAD_VALUE, "a key must be plain text, not a list or mapping", key_node
                )
                continue
            key = self.scalar(key_node)
            if key.__class__ is not str:
                self._problem(Code.BAD_VALUE, _key_message(key_node.value, key), key_node)
                continue
            if key in result or (self.extensions and self._seen_extension(result, key)):
                first = _first_line(node, key_node)
                self._problem(
                    Code.DUPLICATE_KEY,
                    f"duplicate key '{key}' (first defined at line {first}); "
                    "only one value is allowed",
                    key_node,
                )
                continue
            value = self.build(value_node, depth + 1)
            if self.extensions and key.__class__ is str and key.startswith("x-"):
                # kept aside, so that models never see them: x- keys are ignored (docs/format.md)
                self.doc.extensions.setdefault(id(result), (result, {}))[1][key] = value
            else:
                result[key] = value
        return result

    def _seen_extension(self, result: dict[Any, Any], key: Any) -> bool:
        entry = self.doc.extensions.get(id(result))
        return entry is not None and key in entry[1]

    def sequence(self, node: SequenceNode, depth: int) -> list[Any]:
        if node.tag != _SEQ:
            self._bad_tag(node)
        depth += 1
        return [self.build(item, depth) for item in node.value]

    def _bad_tag(self, node: Node) -> None:
        self._problem(
            Code.BAD_VALUE, f"YAML tag '{node.tag}' is not allowed (plain data only)", node
        )

    def _problem(self, code: Code, message: str, node: Node) -> None:
        mark = node.start_mark
        self.doc.problems.append(
            problem(code, message, self.doc.at(mark.line + 1, mark.column + 1))
        )


def _key_message(written: str, value: Any) -> str:
    what = (
        "a true/false value" if isinstance(value, bool)
        else "empty" if value is None
        else "a number" if isinstance(value, (int, float))
        else "not text"
    )  # fmt: skip
    shown = written if len(written) <= 40 else written[:40] + "…"
    return f"the key '{shown}' is {what} to YAML, not text: put it in quotes if you mean it"


def _first_line(node: MappingNode, duplicate: Node) -> int:
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == duplicate.value:
            return int(key_node.start_mark.line) + 1
    return 0


def _to_int(value: str) -> int:
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value)


def _to_float(value: str) -> float:
    lowered = value.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(value)


# --- a file's header, without building it --------------------------------------------------
def peek_header(path: str, limits: Limits = DEFAULT_LIMITS) -> Header | None:
    """The kind and top-level ``id`` of the file at ``path``, from its first parser events,
    without building anything: a library finds a protocol by id this way without loading
    the others. None when the file is not a readable, regular, well-formed YAML mapping:
    read it in full to see its problems."""
    try:
        raw = _read(path, limits.max_bytes + 1, regular_only=True)
        if len(raw) > limits.max_bytes:
            return None
        text = raw.decode("utf-8").removeprefix("\ufeff")
        header = _scan_header(path, text)
        return replace(header, sha256=hashlib.sha256(raw).hexdigest()) if header else None
    except (OSError, _NotRegular, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None


def _scan_header(path: str, text: str) -> Header | None:
    parser = _CParser(text) if _CParser is not None else _PurePeeker(text)
    try:
        return _walk_header(path, parser)
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


class _PurePeeker(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """Events without libyaml (the rare PyYAML build without it)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _walk_header(path: str, parser: Any) -> Header | None:
    events = iter(lambda: parser.get_event() if parser.check_event() else None, None)
    for event in events:
        if isinstance(event, yaml.MappingStartEvent):
            break
        if not isinstance(event, (yaml.StreamStartEvent, yaml.DocumentStartEvent)):
            return None  # not a mapping at the top
    else:
        return None
    kinds: set[str] = set()
    found_id, title, version, extends, where = "", "", "", "", Location(path, 1, 1)
    for key in events:
        if isinstance(key, yaml.MappingEndEvent):
            break
        if not isinstance(key, yaml.ScalarEvent):
            return None  # a complex key: let the full read report it
        value = next(events, None)
        if key.value in _KIND_KEYS:
            kinds.add(_KIND_KEYS[key.value])
        if key.value == "id" and isinstance(value, yaml.ScalarEvent):
            found_id = strip_controls(value.value)
            mark = value.start_mark
            where = Location(path, mark.line + 1, mark.column + 1) if mark else where
        elif key.value == "title" and isinstance(value, yaml.ScalarEvent):
            title = strip_controls(value.value)
        elif key.value == "version" and isinstance(value, yaml.ScalarEvent):
            version = strip_controls(value.value)
        elif key.value == "extends" and isinstance(value, yaml.ScalarEvent):
            extends = strip_controls(value.value)
            kinds.add("protocol")  # an overlay may hold no nodes at all
        elif key.value == "extends" and isinstance(value, yaml.MappingStartEvent):
            extends = _id_in(events)
            kinds.add("protocol")
        elif key.value == "nodes" and found_id:
            break  # the nodes come last in a protocol: everything else has been read
        elif isinstance(value, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            _skip(events)
    kind = next((k for k in _KIND_ORDER if k in kinds), "unknown")
    return Header(path, kind, found_id, where, title, version, extends)


def _id_in(events: Any) -> str:
    """The ``id`` of a mapping whose start was just read (and skip the rest of it)."""
    found = ""
    depth = 1
    expecting_key = True
    last_key = ""
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            expecting_key = True
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth == 0:
                return found
        elif isinstance(event, yaml.ScalarEvent) and depth == 1:
            if expecting_key:
                last_key = event.value
            elif last_key == "id":
                found = strip_controls(event.value)
            expecting_key = not expecting_key
    return found


def _skip(events: Any) -> None:
    """Skip the events of one collection whose start was just read."""
    depth = 1
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth == 0:
                return
