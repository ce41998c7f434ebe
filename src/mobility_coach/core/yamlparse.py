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
        raise YamlProblem(line, column, f"not valid YAML: {what}") from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise YamlProblem(line, column, f"not valid YAML: {error.reason}") from None
    except yaml.YAMLError as error:  # any other complaint of the parser
        raise YamlProblem(1, 1, f"not valid YAML: {error}") from None


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
