"""Every input of the YAML project's own test suite gives a routine or a located error."""

import re
from pathlib import Path

import pytest

from mobility_coach.core.errors import RoutineError
from mobility_coach.core.routines.loader import load_file
from tests.conftest import SHARED

SUITE = SHARED / "yaml-test-suite"
FILES = sorted(SUITE.glob("*/*.yaml")) if SUITE.is_dir() else []
LOCATED = re.compile(r"^(?P<path>.+):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): \S")

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/yaml-test-suite is not here (it ships only to developers)")


def test_the_suite_is_there_in_full() -> None:
    assert len(FILES) > 300
    assert {p.parent.name for p in FILES} == {"valid", "error"}


def test_each_input_loads_or_raises_the_loaders_error() -> None:
    outcomes = {"loaded": 0, "refused": 0}
    for path in FILES:
        try:
            load_file(path)
            outcomes["loaded"] += 1
        except RoutineError as error:
            assert error.problems, path
            for problem in error.problems:
                assert problem.path == path and problem.line >= 1 and problem.column >= 1 and problem.message
            outcomes["refused"] += 1
    # None of them is a routine file, so all are refused, each with a reason.
    assert outcomes == {"loaded": 0, "refused": len(FILES)}


def test_validate_over_the_suite_prints_only_located_lines(cli) -> None:
    result = cli("validate", str(SUITE))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), [x for x in lines if not LOCATED.match(x)][:5]
    assert "Traceback" not in result.out + result.err
    assert {Path(LOCATED.match(line)["path"]) for line in lines} == set(FILES)
