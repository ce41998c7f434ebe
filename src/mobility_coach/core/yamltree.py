"""The located nodes a YAML file is read into, and the problem that says where it went
wrong: what core/yamlnodes.py (reading) and core/yamlparse.py (composing, with PyYAML)
share, kept apart so that each imports this and not the other (reading imports the
composer only when a file is parsed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

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
