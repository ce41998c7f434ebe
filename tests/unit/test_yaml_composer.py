"""The located composer builds the tree PyYAML's own composer builds, with a node's line
and column where PyYAML marks it; its shortcuts (tags resolved by first character, once per
text) change nothing."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.resolver import Resolver

from mobility_coach.core.yamlnodes import NULL_TAG, STR_TAG, Node, _plain_tag, parse_tree

# Texts that an implicit tag matches, or nearly does: bools, nulls, numbers, timestamps,
# the merge key and the '=' value, and their near misses.
LOOKALIKES = [
    *[
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "y",
        "n",
    ],
    *["~", "null", "Null", "NULL", "nul", "nulls", "yess", "Truee"],
    *[
        "0",
        "-0",
        "+1",
        "12",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "0777",
        "1.5",
        "-1.5e3",
        ".5",
        "1e3",
        ".inf",
        "-.Inf",
        ".NaN",
        "1:30",
        "190:20:30.15",
    ],
    *["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14", "21:59:43.10", "-5", "2002-1-1"],
    "2001-12-14 21:59:43.10",
    "<<",
    "=",
    "",
    "30s",
    "1m30s",
    "cat-cow",
    "!",
    "&a",
    "*a",
]
texts = st.one_of(
    st.sampled_from(LOOKALIKES), st.text(max_size=12), st.from_regex(r"[-+.0-9_:eExXoObB]{1,10}", fullmatch=True)
)


@given(texts)
@settings(max_examples=500, deadline=None)
def test_a_plain_scalars_tag_is_the_one_resolver_gives(text: str) -> None:
    assert _plain_tag(text) == Resolver().resolve(yaml.ScalarNode, text, (True, False))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.sampled_from(LOOKALIKES),
    st.text(max_size=20),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=25,
)


def same_tree(ours: Node | None, theirs: yaml.Node | None, seen: dict[int, int]) -> None:
    """``ours`` is ``theirs``, node for node; an alias is the same node in both trees."""
    assert (ours is None) == (theirs is None)
    if ours is None or theirs is None:
        return
    if id(theirs) in seen:
        assert seen[id(theirs)] == id(ours), "an alias must be the node its anchor names"
        return
    seen[id(theirs)] = id(ours)
    assert (ours.line, ours.column) == (theirs.start_mark.line + 1, theirs.start_mark.column + 1)
    assert ours.tag == theirs.tag
    if isinstance(theirs, yaml.ScalarNode):
        assert ours.kind == "scalar" and ours.text == theirs.value
        assert ours.quoted == (theirs.style is not None)  # PyYAML's own parser marks a plain scalar with None
        assert ours.items == ()
    elif isinstance(theirs, yaml.SequenceNode):
        assert ours.kind == "seq" and len(ours.items) == len(theirs.value)
        for mine, its in zip(ours.items, theirs.value, strict=True):
            same_tree(mine, its, seen)
    else:
        assert ours.kind == "map" and len(ours.items) == len(theirs.value)
        for (my_key, my_value), (its_key, its_value) in zip(ours.items, theirs.value, strict=True):
            same_tree(my_key, its_key, seen)
            same_tree(my_value, its_value, seen)


@given(data, st.sampled_from([None, True, False]), st.booleans())
@settings(max_examples=300, deadline=None)
def test_the_tree_is_pyyamls_with_positions(value: Any, flow: bool | None, shared: bool) -> None:
    # A value written twice is written once with an anchor, then as an alias.
    document = [value, value] if shared else value
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    same_tree(parse_tree(text.encode()), yaml.compose(text, Loader=yaml.SafeLoader), {})


def test_tagged_and_quoted_scalars_keep_what_the_checks_need() -> None:
    tree = parse_tree(b"a: '3'\nb: !!int 3\nc: ! 3\nd: 3\ne: ~\nf: |\n  x\n")
    assert tree is not None
    found = {key.text: (value.tag, value.quoted) for key, value in tree.items}
    assert found == {
        "a": (STR_TAG, True),
        "b": ("tag:yaml.org,2002:int", True),  # tagged: not a plain scalar, whatever it says
        "c": (STR_TAG, False),  # the non-specific tag '!' makes it text
        "d": ("tag:yaml.org,2002:int", False),
        "e": (NULL_TAG, False),
        "f": (STR_TAG, True),
    }
