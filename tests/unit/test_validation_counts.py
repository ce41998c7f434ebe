"""What 'validate' counts in its closing line: paths with problems, paths looked at."""

from __future__ import annotations

from pathlib import Path

from mobility_coach.core.errors import Problem
from mobility_coach.core.routines.validation import Validation


def test_validation_counts_a_missing_path_as_looked_at_but_not_as_a_file(tmp_path: Path) -> None:
    good, bad, gone = tmp_path / "good.yaml", tmp_path / "bad.yaml", tmp_path / "gone.yaml"
    problems = [Problem(bad, 1, 1, "x"), Problem(bad, 2, 1, "y"), Problem(gone, 1, 1, "no such file")]
    found = Validation([good, bad], problems, [])
    assert (found.paths_with_problems, found.paths_looked_at, found.only_files) == (2, 3, False)
    assert Validation([good, bad], problems[:2], []).only_files
