"""What 'validate' found: the files it read, every problem in the order a user reads
them, the routines that loaded, and how many paths the problems touch."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mobility_coach.core.errors import Problem
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import load_for_validation
from mobility_coach.core.routines.lookup import validation_targets
from mobility_coach.core.routines.model import Routine


@dataclass(frozen=True)
class Validation:
    """What one run of ``validate`` found: the files read, their problems, and the routines that loaded."""

    files: list[Path]
    problems: list[Problem]  # by path, line and column
    checked: list[Routine]  # the routines defined in ``files`` that loaded

    @property
    def paths_with_problems(self) -> int:
        return len({os.path.abspath(p.path) for p in self.problems})

    @property
    def paths_looked_at(self) -> int:
        # Every path that was looked at, not only the files that were read: a problem may
        # sit on a missing path or an empty folder, which is no file.
        return len({os.path.abspath(f) for f in self.files} | {os.path.abspath(p.path) for p in self.problems})

    @property
    def only_files(self) -> bool:
        """Whether every problem is in a file that was read (else some path was no file)."""
        return {os.path.abspath(p.path) for p in self.problems} <= {os.path.abspath(f) for f in self.files}


def validate_routines(paths: Paths, names: list[str]) -> Validation:
    """Check the routine files named by paths or routine ids (see ``validation_targets``)."""
    files, problems = validation_targets(paths, names)
    library = load_for_validation(paths, files)
    problems = sorted(problems + library.problems_in(files), key=lambda p: (str(p.path), p.line, p.column))
    wanted = {os.path.abspath(f) for f in files}
    checked = [r for r in library.routines.values() if os.path.abspath(r.origin.path) in wanted]
    return Validation(files, problems, checked)
