"""libyaml's event stream composed into the located nodes of core/yamlnodes.py (which
says why), kept apart so that PyYAML is imported only when a file is actually parsed."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.resolver import Resolver

from mobility_coach.core.yamltree import MAX_DEPTH, STR_TAG, Node, YamlProblem

# Prefer libyaml's C parser when PyYAML was built with it; the results are the same.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = Resolver()


def compose_text(text: str) -> Node | None:
    """The single document of ``text`` as a node tree, or None when it holds none;
    ``YamlProblem`` (located) for anything the parser refuses."""
    try:
        return _compose(_Loader(text))
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


# The core schema's implicit tags by a plain scalar's first character, as Resolver.resolve
# looks them up (it has no path resolvers and no wildcard ones, so this is all it does).
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = _resolver.yaml_implicit_resolvers
assert not _resolver.yaml_path_resolvers and None not in _IMPLICIT
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


def _plain_tag(text: str) -> str:
    """The tag of a plain (unquoted, untagged) scalar: ``Resolver.resolve`` without its
    generality, since this runs for most scalars of every file. Most keys and words start
    with a character no implicit tag starts with, and cost one dictionary look-up."""
    resolvers = _IMPLICIT.get(text[:1])
    if resolvers:
        for tag, pattern in resolvers:
            if pattern.match(text):
                return tag
    return STR_TAG


def _compose(loader: Any) -> Node | None:
    """The document's node tree from ``loader``'s events (a PyYAML parser), iteratively."""
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
