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

from pathlib import Path

from mobility_coach.core.userfiles import FileTooLarge, read_user_file
from mobility_coach.core.yamltree import MAX_DEPTH, NULL_TAG, SHOWN_CHARS, STR_TAG, Node, YamlProblem, shortened

MAX_FILE_BYTES = 1 << 20
_TOO_LARGE = "the file is larger than 1 MiB; a routine file never needs to be"

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "NULL_TAG",
    "SHOWN_CHARS",
    "STR_TAG",
    "Node",
    "YamlProblem",
    "parse_tree",
    "read_bytes",
    "read_tree",
    "shortened",
]


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
    text = _decode(data)
    # PyYAML (some 7 ms to import) only once a file is parsed: the commands that read no
    # routine file and no config.yaml ('history', 'log') never pay for it.
    from mobility_coach.core import yamlparse

    return yamlparse.compose_text(text)


def _decode(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(line, column, "the file is not UTF-8 text") from None
