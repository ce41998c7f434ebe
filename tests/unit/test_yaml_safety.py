"""The YAML layer: safe, bounded, and every failure a located problem."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from mobility_coach.core.yamlnodes import MAX_DEPTH, YamlProblem, parse_tree
from tests.conftest import load_text, where


def problem_of(data: bytes) -> tuple[int, int, str]:
    with pytest.raises(YamlProblem) as caught:
        parse_tree(data)
    return caught.value.line, caught.value.column, caught.value.message


_PARSE_DEEP_FLOW = """
from mobility_coach.core.yamlnodes import YamlProblem, parse_tree
try:
    parse_tree(b"[" * 100_000 + b"]" * 100_000)
except YamlProblem as problem:
    print(problem.line, problem.column, problem.message, sep="\\n")
"""


def test_deep_nesting_is_refused_instead_of_crashing_the_interpreter() -> None:
    # libyaml's own composer recurses in C and segfaults on this; ours must not. Which of
    # the two refuses it first (our depth bound, or the depth limit libyaml 0.2.6 has of
    # its own) is the library's business: what counts is a located refusal, in a
    # process that survives, in bounded time.
    done = subprocess.run([sys.executable, "-c", _PARSE_DEEP_FLOW], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    line, column, message = done.stdout.splitlines()
    assert int(line) == 1 and 1 < int(column) <= 100_000
    assert "nested" in message or "nesting" in message


def test_deep_block_nesting_is_refused() -> None:
    assert problem_of(b"- " * 50_000 + b"x")[2] == f"nested more than {MAX_DEPTH} levels deep"


def test_files_over_one_mebibyte_are_refused_before_parsing() -> None:
    assert problem_of(b"# " + b"x" * (1 << 20)) == (
        1,
        1,
        "the file is larger than 1 MiB; a routine file never needs to be",
    )


def test_small_aliases_are_fine(tmp_path: Path) -> None:
    text = "routines:\n  r:\n    name: R\n    summary: S.\n    steps:\n"
    text += "      - &s {exercise: cat-cow, hold: 1s}\n" + "      - *s\n" * 3
    library, problems = load_text(tmp_path, text)
    assert problems == [] and len(library.routines["r"].steps) == 4


def test_alias_amplification_is_stopped_once_and_quickly(tmp_path: Path) -> None:
    cues = ", ".join(f"cue {i}" for i in range(20))
    lines = [
        "routines:",
        "  r0: &r",
        "    name: R",
        "    summary: S.",
        "    steps:",
        f"      - &s {{exercise: {{name: X, position: floor, cues: [{cues}]}}, hold: 1s}}",
        *["      - *s"] * 99,
        *[f"  r{i}: *r" for i in range(1, 200)],
    ]
    started = time.perf_counter()
    library, problems = load_text(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    bombs = [p for p in problems if "aliases expand to more than 200,000 nodes" in p.message]
    assert len(bombs) == 1 and len(problems) == 1
    assert 0 < len(library.routines) < 200


def test_self_referencing_alias_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, "routines: &r\n  x: *r\n")
    assert problems and all(p.line >= 1 for p in problems)


def test_undefined_alias_is_located() -> None:
    assert problem_of(b"a: 1\nb: *nope\n") == (2, 4, "alias *nope names no anchor defined before it")


def test_second_document_is_located() -> None:
    assert problem_of(b"a: 1\n---\nb: 2\n") == (
        2,
        1,
        "a routine file holds one YAML document; a second one starts here",
    )


def test_invalid_utf8_is_located() -> None:
    assert problem_of(b"a: 1\nb: caf\xe9\n") == (2, 7, "the file is not UTF-8 text")


def test_syntax_errors_are_located() -> None:
    assert problem_of(b"a: [1, 2\nb: 3\n") == (
        2,
        2,
        "not valid YAML: while parsing a flow sequence did not find expected ',' or ']'; "
        "a [list] is not closed with ']', or two of its items miss the ',' between them",
    )


def test_utf16_with_bom_is_read() -> None:
    tree = parse_tree("a: 1\n".encode("utf-16"))
    assert tree is not None and tree.kind == "map"


def test_empty_file_is_a_clear_problem(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, "")
    assert where(problems) == [(1, 1, "the file is empty; a routine file has 'routines:' and/or 'exercises:'")]


def test_unsupported_tags_are_refused_without_construction(tmp_path: Path) -> None:
    text = "routines:\n  r:\n    name: !!python/object:os.system echo\n    summary: S.\n    steps: [{exercise: cat-cow, hold: 1s}]\n"
    _, problems = load_text(tmp_path, text)
    assert where(problems) == [
        (
            3,
            11,
            "routines.r.name: the tag tag:yaml.org,2002:python/object:os.system is not supported here; expected text",
        ),
    ]
