"""A YAML syntax error says, besides the parser's own words and where, what to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mobility_coach.core.yamlnodes import YamlProblem, parse_tree
from tests.conftest import write

LIST_INDENT = "items of a list start with '- ' at the same column"
MAP_INDENT = "the keys of one mapping start at the same column"
QUOTE_IT = "quote the whole value if it is text"

CASES = [
    ("a list item out of line", "a:\n  - b: 1\n   c: 2\n", (3, 4), LIST_INDENT),
    ("a list item less indented", "steps:\n  - a\n - b\n", (3, 2), LIST_INDENT),
    ("a key out of line", "a:\n  b: 1\n c: 2\n", (3, 2), MAP_INDENT),
    ("a colon inside a value", "name: Stretch: the long one\n", (1, 14), QUOTE_IT),
    ("a key under a plain value", "a: 1\n  b: 2\n", (2, 4), "check the indentation of this line and the one above"),
    ("a key without its colon", "a: 1\nb\n", (3, 1), "a key above has no ':' after it"),
    ("a tab for indentation", "a:\n\tb: 1\n", (2, 1), "replace the tabs on this line with spaces"),
    ("a value starting with @", "a: @home\n", (1, 4), "a value cannot start with '@' unquoted"),
    ("a quote never closed", 'a: "x\nb: 1\n', (3, 1), "a quoted value is never closed"),
    ("a flow list never closed", "a: [1, 2\nb: 3\n", (2, 2), "a [list] is not closed with ']'"),
    ("a flow mapping never closed", "a: {x: 1\nb: 3\n", (2, 2), "a {mapping} is not closed with '}'"),
    ("a Windows path in double quotes", 'a: "C:\\dir"\n', (1, 7), "a backslash starts an escape"),
    ("a word after a quoted value", 'a: "x" y\n', (1, 8), "put it all in quotes"),
]


@pytest.fixture(params=["libyaml", "pure"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """libyaml's parser and PyYAML's own word their complaints differently: both get a hint."""
    if request.param == "pure":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # PyYAML without libyaml
    return str(request.param)


@pytest.mark.parametrize(("text", "at", "hint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_common_syntax_error_gets_a_hint_of_what_to_look_at(
    loader: str, text: str, at: tuple[int, int], hint: str
) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_tree(text.encode())
    problem = caught.value
    assert problem.message.startswith("not valid YAML: ") and "; " in problem.message
    assert hint in problem.message.split("; ", 1)[1], problem.message
    if loader == "libyaml" or at != (1, 7):  # the two parsers stop a character apart in an escape
        assert (problem.line, problem.column) == at


def test_validate_says_where_and_what_to_look_at(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path,
        "mine.yaml",
        "routines:\n  mine:\n    name: Mine\n    summary: S.\n    steps:\n"
        "      - exercise: cat-cow\n     - exercise: plank\n",
    )
    result = cli("validate", str(path))
    assert result.code == 1
    assert result.out.startswith(f"{path}:7:6: not valid YAML: ")
    assert result.out.rstrip().endswith(LIST_INDENT + ", indented under their key")
