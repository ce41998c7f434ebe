"""Finding routines by what a user typed: an id, a file or a folder. One wording for an
id that names nothing, with a did-you-mean, on every face."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from mobility_coach.core.errors import Problem
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import ROUTINE_SUFFIXES, Library, find_routine_files, load_all
from mobility_coach.core.spec import ID_PATTERN, suggest


def no_routine_message(name: str, routines: Iterable[str], exercises: Iterable[str] | None = None) -> str:
    """``no routine with id 'x'; did you mean 'y'?``, else a pointer to where the ids are
    listed. Given ``exercises`` too, the id could have named either, and the text says so."""
    if exercises is None:
        hint = suggest(name, sorted(routines)) or "; see 'mobility-coach list'"
        return f"no routine with id {name!r}{hint}"
    hint = suggest(name, sorted({*routines, *exercises}))
    return (
        f"no routine or exercise with id {name!r}"
        f"{hint or '; see mobility-coach list (routines) and mobility-coach exercises'}"
    )


def failed_routine_file(library: Library, routine_id: str) -> Path | None:
    """The user's file that defines ``routine_id`` but did not load: one named after the id
    (where 'new' writes it) with any problem, or any routine file with a problem in
    ``routines.ID``. None when no file with problems claims the id."""
    inside = (f"routines.{routine_id}.", f"routines.{routine_id}:")
    for problem in library.problems:
        if problem.path.suffix not in ROUTINE_SUFFIXES:
            continue
        if problem.path.stem == routine_id or problem.message.startswith(inside):
            return problem.path
    return None


def missing_routine_message(library: Library, routine_id: str, or_exercise: bool = False) -> str:
    """Why ``routine_id`` cannot be shown or run, on every face: the user's file that holds
    it has problems (and the command that lists them), else no routine has that id."""
    failed = failed_routine_file(library, routine_id)
    if failed is not None:
        return (
            f"your routine {routine_id!r} is in {failed} but has problems, so it did not load; "
            f"see them with: mobility-coach validate {routine_id}"
        )
    return no_routine_message(routine_id, library.routines, library.exercises if or_exercise else None)


def names_a_file(text: str) -> bool:
    """Whether ``text`` is read as a routine file rather than an id: it ends like one, or a
    file is there (so a missing ``mine.yaml`` is "no such file", not an unknown id)."""
    path = Path(text)
    return path.suffix in ROUTINE_SUFFIXES or path.is_file()


def looks_like_id(target: str) -> bool:
    return re.fullmatch(ID_PATTERN, target) is not None and not target.endswith(ROUTINE_SUFFIXES)


def routine_file(paths: Paths, library: Library, routine_id: str) -> Path | None:
    """The file that defines ``routine_id``: the one it loaded from, or else the user's file
    named after it (where 'new' writes it), which may hold the very mistake to find."""
    routine = library.routines.get(routine_id)
    if routine is not None and not routine.origin.builtin:
        return routine.origin.path
    for suffix in ROUTINE_SUFFIXES:
        candidate = paths.routines_dir / f"{routine_id}{suffix}"
        if candidate.is_file():
            return candidate
    return routine.origin.path if routine is not None else failed_routine_file(library, routine_id)


def validation_targets(paths: Paths, names: list[str]) -> tuple[list[Path], list[Problem]]:
    """Routine files named by paths or routine ids, each once, and a problem for every name
    that is neither (or a folder without routine files)."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    library: Library | None = None
    for name in names:
        path = Path(name)
        if not path.exists() and looks_like_id(name):
            library = library or load_all(paths)
            found = routine_file(paths, library, name)
            if found is None:
                hint = suggest(name, sorted(library.routines))
                problems.append(Problem(path, 1, 1, f"no such file, folder or routine id{hint}"))
                continue
            path = found
        found_files, found_problems = find_routine_files([path])
        problems += found_problems
        if path.is_dir() and not found_files and not found_problems:
            problems.append(Problem(path, 1, 1, "no routine files (*.yaml, *.yml) in this folder"))
        for file in found_files:
            files.setdefault(os.path.abspath(file), file)
    return list(files.values()), problems
