"""Read a YAML file into a tree of located nodes, safely and within bounds.

Why not ``yaml.safe_load``: we need the line and column of every key and value to point
errors at them, and libyaml's own composer recurses in C and crashes the interpreter on a
deeply nested input (``[[[[…``), which no ``except`` can catch. So we take libyaml's event
stream (fast, iterative) and build the tree here with an explicit stack and a depth bound.
Nothing is ever constructed from tags: scalars stay text plus their resolved tag.

Aliases make the tree a graph that can expand exponentially ("billion laughs"); the
validator that walks it spends a visit budget, see ``spec.Context``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.resolver import Resolver

from mobility_coach.core.userfiles import FileTooLarge, read_user_file

# Prefer libyaml's C parser when PyYAML was built with it; the results are the same.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1 << 20
_TOO_LARGE = "the file is larger than 1 MiB; a routine file never needs to be"
MAX_DEPTH = 64

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
_resolver = Resolver()


@dataclass(eq=False, slots=True)
class Node:
    """A YAML node with its 1-based position. ``items`` holds a sequence's nodes or a
    mapping's (key, value) pairs in file order; ``text`` a scalar's source text."""

    kind: Literal["map", "seq", "scalar"]
    line: int
    column: int
    tag: str = ""
    text: str = ""
    quoted: bool = False
    items: list[Any] = field(default_factory=list)  # Node, or (key, value) pairs of Nodes

    def describe(self) -> str:
        """How an error names what it found here."""
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        if self.tag == NULL_TAG:
            return "nothing" if self.text in ("", "~", "null", "Null", "NULL") else repr(self.text)
        return repr(shortened(self.text))


SHOWN_CHARS = 40


def shortened(text: str) -> str:
    """``text`` cut to SHOWN_CHARS with "..." when longer: a message quotes what a user wrote
    (a value, a key in a dotted path), and a 30,000-character key must not fill the screen."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


class YamlProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def read_tree(path: Path) -> Node | None:
    """The file's single document as a node tree, or None for an empty file.

    Raises ``YamlProblem`` for anything that keeps the file from being read."""
    try:
        data = read_user_file(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raise YamlProblem(1, 1, _TOO_LARGE) from None
    except OSError as error:
        raise YamlProblem(1, 1, f"cannot read the file: {error.strerror or error}") from None
    return parse_tree(data)


def parse_tree(data: bytes) -> Node | None:
    """Like ``read_tree`` for bytes already read."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, _TOO_LARGE)
    text = _decode(data)
    try:
        return _compose(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlProblem(line, column, f"not valid YAML: {what}") from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise YamlProblem(line, column, f"not valid YAML: {error.reason}") from None
    except yaml.YAMLError as error:  # any other complaint of the parser
        raise YamlProblem(1, 1, f"not valid YAML: {error}") from None


def _decode(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(line, column, "the file is not UTF-8 text") from None


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _compose(events) -> Node | None:  # type: ignore[no-untyped-def]
    root: Node | None = None
    stack: list[Node] = []
    pending_key: list[Node | None] = []
    anchors: dict[str, Node] = {}
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == "seq":
            parent.items.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            parent.items.append((pending_key[-1], node))
            pending_key[-1] = None

    # Ordered by how often each event occurs in a routine file; identity checks on the
    # class are markedly cheaper than an isinstance chain in this, the hottest loop.
    for event in events:
        cls = type(event)
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if cls is yaml.ScalarEvent:
            plain = event.implicit[0]
            if event.tag is None:
                tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
            else:
                tag = STR_TAG if event.tag == "!" else event.tag
            node = Node("scalar", line, column, tag=tag, text=event.value, quoted=not plain)
            if event.anchor is not None:
                anchors[event.anchor] = node
            attach(node)
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(line, column, f"nested more than {MAX_DEPTH} levels deep")
            kind: Literal["map", "seq"] = "seq" if cls is yaml.SequenceStartEvent else "map"
            default = "tag:yaml.org,2002:seq" if kind == "seq" else "tag:yaml.org,2002:map"
            node = Node(kind, line, column, tag=event.tag if event.tag not in (None, "!") else default)
            if event.anchor is not None:
                anchors[event.anchor] = node
            attach(node)
            stack.append(node)
            pending_key.append(None)
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            stack.pop()
            pending_key.pop()
        elif cls is yaml.AliasEvent:
            target = anchors.get(event.anchor)
            if target is None:
                raise YamlProblem(line, column, f"alias *{event.anchor} names no anchor defined before it")
            attach(target)
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlProblem(line, column, "a routine file holds one YAML document; a second one starts here")
    return root
