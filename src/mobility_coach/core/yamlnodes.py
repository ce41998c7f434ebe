"""Read a YAML file into a tree of located nodes, safely and within bounds.

Why not ``yaml.safe_load``: we need the line and column of every key and value to point
errors at them, and libyaml's own composer recurses in C and crashes the interpreter on a
deeply nested input (``[[[[…``), which no ``except`` can catch. So we take libyaml's event
stream (fast, iterative) and build the tree here with an explicit stack and a depth bound.
Nothing is ever constructed from tags: scalars stay text plus their resolved tag.

Aliases make the tree a graph that can expand exponentially ("billion laughs"); the
validator that walks it spends a visit budget, see ``spec.Context``.

PyYAML is imported only when a file is parsed (``compose_text``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from mobility_coach.core.userfiles import FileTooLarge, read_user_file

MAX_DEPTH = 64

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"


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
    # Node, or (key, value) pairs of Nodes; a scalar's is one shared empty tuple, since a
    # list per scalar doubled the objects a file makes (and the collector's work).
    items: Sequence[Any] = ()

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


# --- reading ---------------------------------------------------------------------------

MAX_FILE_BYTES = 1 << 20
_TOO_LARGE = "the file is larger than 1 MiB; a routine file never needs to be"


def read_tree(path: Path) -> Node | None:
    """The file's single document as a node tree, or None for an empty file.
    Raises ``YamlProblem`` for anything that keeps the file from being read."""
    return parse_tree(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, for ``parse_tree``; ``YamlProblem`` when they cannot be had."""
    try:
        return read_user_file(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raise YamlProblem(1, 1, _TOO_LARGE) from None
    except OSError as error:
        raise YamlProblem(1, 1, f"cannot read the file: {error.strerror or error}") from None


def parse_tree(data: bytes) -> Node | None:
    """Like ``read_tree`` for bytes already read."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, _TOO_LARGE)
    return compose_text(_decode(data))


def _decode(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(line, column, "the file is not UTF-8 text") from None


# --- composing libyaml's events ------------------------------------------------------------


def compose_text(text: str) -> Node | None:
    """The single document of ``text`` as a node tree, or None when it holds none;
    ``YamlProblem`` (located) for anything the parser refuses."""
    # PyYAML (some 7 ms to import) only once a file is parsed: the commands that read no
    # routine file and no config.yaml ('history', 'log') never pay for it.
    import yaml

    # libyaml's C parser where PyYAML was built with it; the results are the same.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return _compose(loader(text))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (error.context, error.problem) if part)
        hint = syntax_hint(what, _line_of(text, line), column)
        raise YamlProblem(line, column, f"not valid YAML: {what}" + (f"; {hint}" if hint else "")) from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise YamlProblem(line, column, f"not valid YAML: {error.reason}") from None
    except yaml.YAMLError as error:  # any other complaint of the parser
        raise YamlProblem(1, 1, f"not valid YAML: {error}") from None


def _line_of(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, or "" past its end."""
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def syntax_hint(what: str, line: str, column: int) -> str | None:
    """What to look at for the parser's complaint ``what`` (libyaml's words or PyYAML's
    own, which differ), found at ``column`` of ``line``; None when there is nothing to add."""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    at = line[column - 1 : column]
    if "\t" in indent or at == "\t":
        return "YAML indents with spaces only: replace the tabs on this line with spaces"
    if "'-' indicator" in what or ("block collection" in what and "<block end>" in what):
        return (
            "check the indentation of this line and the one above: items of a list start with '- ' at the same column"
        )
    if "expected key" in what or "<block end>" in what:
        if column - 1 > len(indent):
            return "something follows a value on this line: to mean it all as one text, put it all in quotes"
        if line.lstrip().startswith("-"):
            return (
                "check the indentation of this line and the ones above: "
                "items of a list start with '- ' at the same column, indented under their key"
            )
        return "check the indentation of this line and the ones above: the keys of one mapping start at the same column"
    if "mapping values are not allowed" in what:
        return (
            "a ': ' inside a value: quote the whole value if it is text, "
            "or check the indentation of this line and the one above"
        )
    if "expected ':'" in what:
        return "a key above has no ':' after it (key: value), or a value runs on over lines without quotes"
    if "cannot start any token" in what:
        return f"a value cannot start with {at!r} unquoted: put the whole value in quotes" if at.strip() else None
    if "quoted scalar" in what and "end of stream" in what:
        return "a quoted value is never closed: end it with the same quote mark it starts with"
    if "unknown escape" in what:
        return "in double quotes a backslash starts an escape: write \\\\ for one, or use single quotes"
    if "',' or ']'" in what:
        return "a [list] is not closed with ']', or two of its items miss the ',' between them"
    if "',' or '}'" in what:
        return "a {mapping} is not closed with '}', or two of its entries miss the ',' between them"
    if "alias" in what or "anchor" in what:
        return "'*' and '&' start an alias or an anchor, then a name: put the value in quotes if it is text"
    if "block scalar" in what:
        return "after '|' or '>' the text starts on the next line, indented"
    return None


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


@cache
def _implicit_tags() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The core schema's implicit tags by a plain scalar's first character, as
    Resolver.resolve looks them up (it has no path resolvers and no wildcard ones, so
    this is all it does)."""
    from yaml.resolver import Resolver

    resolver = Resolver()
    implicit: dict[str, list[tuple[str, re.Pattern[str]]]] = resolver.yaml_implicit_resolvers
    assert not resolver.yaml_path_resolvers and None not in implicit
    return implicit


def _plain_tag(text: str) -> str:
    """The tag of a plain (unquoted, untagged) scalar: ``Resolver.resolve`` without its
    generality, since this runs for most scalars of every file. Most keys and words start
    with a character no implicit tag starts with, and cost one dictionary look-up."""
    resolvers = _implicit_tags().get(text[:1])
    if resolvers:
        for tag, pattern in resolvers:
            if pattern.match(text):
                return tag
    return STR_TAG


def _compose(loader: Any) -> Node | None:
    """The document's node tree from ``loader``'s events (a PyYAML parser), iteratively."""
    import yaml

    get_event = loader.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    seq_start, map_start = yaml.SequenceStartEvent, yaml.MappingStartEvent
    seq_end, map_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
    root: Node | None = None
    # The innermost open collection: its items, whether it is a mapping, and the key node
    # waiting for its value; ``outer`` holds the same for each collection around it.
    items: list[Any] | None = None
    in_map = False
    key: Node | None = None
    outer: list[tuple[list[Any] | None, bool, Node | None]] = []
    anchors: dict[str, Node] = {}
    plain_tags: dict[str, str] = {}
    documents = 0

    # Ordered by how often each event occurs in a routine file; identity checks on the
    # class are markedly cheaper than an isinstance chain in this, the hottest loop.
    while True:
        event = get_event()
        cls = type(event)
        if cls is scalar_event:
            mark = event.start_mark
            plain = event.implicit[0]
            if event.tag is None:
                if plain:
                    # Keys and many values recur within a file: each text resolved once.
                    tag = plain_tags.get(event.value)
                    if tag is None:
                        tag = plain_tags[event.value] = _plain_tag(event.value)
                else:
                    tag = STR_TAG
            else:
                tag = STR_TAG if event.tag == "!" else event.tag
            node = Node("scalar", mark.line + 1, mark.column + 1, tag, event.value, not plain)
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif cls is map_end or cls is seq_end:
            items, in_map, key = outer.pop()
            continue
        elif cls is map_start or cls is seq_start:
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            if len(outer) >= MAX_DEPTH:
                raise YamlProblem(line, column, f"nested more than {MAX_DEPTH} levels deep")
            tag = event.tag
            collection: list[Any] = []
            if cls is seq_start:
                node = Node("seq", line, column, _SEQ_TAG if tag is None or tag == "!" else tag, items=collection)
            else:
                node = Node("map", line, column, _MAP_TAG if tag is None or tag == "!" else tag, items=collection)
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif cls is alias_event:
            target = anchors.get(event.anchor)
            if target is None:
                line, column = _event_position(event)
                raise YamlProblem(line, column, f"alias *{event.anchor} names no anchor defined before it")
            node = target
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                line, column = _event_position(event)
                raise YamlProblem(line, column, "a routine file holds one YAML document; a second one starts here")
            continue
        elif cls is yaml.StreamEndEvent or event is None:
            return root
        else:  # the stream's start, a document's end
            continue
        # The new node goes into the innermost open collection, or is the root.
        if items is None:
            root = node
        elif not in_map:
            items.append(node)
        elif key is None:
            key = node
        else:
            items.append((key, node))
            key = None
        if cls is map_start or cls is seq_start:  # and it is now the innermost one
            outer.append((items, in_map, key))
            items, in_map, key = collection, cls is map_start, None


def _event_position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)
