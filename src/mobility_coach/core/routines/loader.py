"""Load routine files into a library of exercises and routines, with located problems.

Files come in layers: the built-in routines first, then the user's. Within a layer an id
may be defined once; a later layer's id replaces an earlier one's (so a user can replace
a built-in routine or exercise by defining the same id). Problems never stop loading: a
file that cannot be read costs only itself, and a broken exercise or routine costs only
that entry.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mobility_coach.core.durations import format_duration
from mobility_coach.core.errors import Problem, RoutineError, UserError, os_error_reason
from mobility_coach.core.paths import Paths, builtin_routines_dir, usable_folder
from mobility_coach.core.routines.format import (
    EXERCISE,
    FILE,
    MAX_ROUTINE_SECONDS,
    MAX_SEGMENTS,
    ROUTINE,
    VariantRef,
    make_defaults,
    make_exercise,
    make_step,
    variant_refs,
)
from mobility_coach.core.routines.model import Exercise, Origin, Routine
from mobility_coach.core.routines.precautions import PRECAUTIONS
from mobility_coach.core.routines.spoken import with_room_to_speak
from mobility_coach.core.routines.timeline import measure
from mobility_coach.core.spec import CONTROL_HINT, Context, MapOf, guarded, suggest
from mobility_coach.core.terminal_text import first_control
from mobility_coach.core.yamlnodes import Node, YamlProblem, read_tree

ROUTINE_SUFFIXES = (".yaml", ".yml")
# What all of a user's routine files may cost together (see _Budget).
MAX_USER_FILES = 1000
MAX_USER_BYTES = 2 << 20
MAX_FILE_SEGMENTS = 25_000  # five routines at the per-routine cap
MAX_TOTAL_SEGMENTS = 200_000
_EXERCISES = MapOf(EXERCISE)
_ROUTINES = MapOf(ROUTINE)


@dataclass(frozen=True)
class Layer:
    """The routine files of one layer, built-in or the user's; a later layer's ids replace an earlier one's."""

    files: tuple[Path, ...]
    builtin: bool
    problems: tuple[Problem, ...] = ()  # found while looking for the files


@dataclass
class Library:
    """Every exercise and routine that loaded, by id, with where each exercise came from and the files' problems."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    exercise_origins: dict[str, Origin] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problems_in(self, files: Iterable[Path]) -> list[Problem]:
        wanted = {f.resolve() for f in files}
        return [p for p in self.problems if p.path.resolve() in wanted]


@dataclass
class _File:
    """One routine file as read: its layer, its problems so far (``ctx``), and its top-level sections by name."""

    path: Path
    layer: int
    builtin: bool
    ctx: Context
    sections: dict[str, tuple[Node, Node]]


def find_routine_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Routine files named by ``paths``: files as given, folders searched for *.yaml and
    *.yml (hidden ones skipped). A path that does not exist is a problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files += _files_in(path, problems)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem(path, 1, 1, "no such file or folder"))
    return files, problems


def _files_in(folder: Path, problems: list[Problem]) -> list[Path]:
    """The routine files below ``folder``. A folder that cannot be listed is a problem,
    never silently empty (Path.rglob passes over it without a word)."""

    def unreadable(error: OSError) -> None:
        problems.append(Problem(Path(error.filename or folder), 1, 1, f"cannot read: {os_error_reason(error)}"))

    found: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        # Not only regular files: a FIFO or a device named *.yaml is reported when read, not skipped.
        found += [Path(root, name) for name in names if not name.startswith(".") and name.endswith(ROUTINE_SUFFIXES)]
    return sorted(found)


def _read(path: Path, layer: int, builtin: bool) -> _File:
    ctx = Context(path)
    sections: dict[str, tuple[Node, Node]] = {}
    control = first_control(path.name)
    if control is not None:  # its routines would show the name on screen as their origin
        ctx.report(Node("scalar", 1, 1), "", f"the file's name holds the control character {control}; {CONTROL_HINT}")
        return _File(path, layer, builtin, ctx, sections)
    try:
        tree = read_tree(path)
    except YamlProblem as problem:
        ctx.report(Node("scalar", problem.line, problem.column), "", problem.message)
        return _File(path, layer, builtin, ctx, sections)
    if tree is None:
        ctx.report(Node("scalar", 1, 1), "", "the file is empty; a routine file has 'routines:' and/or 'exercises:'")
    else:
        sections = FILE.split(tree, ctx, "") or {}
        if tree.kind == "map" and not sections and not ctx.problems:
            ctx.report(tree, "", "a routine file has 'routines:' and/or 'exercises:'")
    return _File(path, layer, builtin, ctx, sections)


def _entries(file: _File, section: str, kind: MapOf) -> dict[str, tuple[Node, Any]]:
    if section not in file.sections:
        return {}
    _, node = file.sections[section]
    result = guarded(file.ctx, node, section, lambda: kind.check(node, file.ctx, section))
    return result if isinstance(result, dict) else {}


def _with_variants(
    exercise: Exercise,
    refs: Mapping[str, VariantRef],
    exercises: Mapping[str, Exercise],
    ctx: Context,
    where: str,
) -> Exercise:
    """The exercise with its declared variants resolved; a variant that names nothing
    usable is reported where it was written and left out (the exercise still loads)."""
    found: dict[str, Exercise] = {}
    for kind, ref in refs.items():
        at = Node("scalar", ref.line, ref.column)
        here = f"{where}.variants.{kind}"
        target = exercises.get(ref.id)
        if target is None:
            ctx.report(at, here, f"unknown exercise {ref.id!r}{suggest(ref.id, sorted(exercises))}")
        elif ref.id == exercise.id:
            ctx.report(at, here, "an exercise cannot be its own variant")
        elif kind == "off_floor" and exercise.position != "floor":
            ctx.report(at, here, f"only a floor exercise needs an off_floor variant; this one is {exercise.position}")
        elif kind == "off_floor" and target.position == "floor":
            ctx.report(at, here, f"{ref.id!r} is done on the floor too; an off_floor variant is seated or standing")
        elif kind == "seated" and exercise.position != "standing":
            ctx.report(at, here, f"only a standing exercise needs a seated variant; this one is {exercise.position}")
        elif kind == "seated" and target.position != "seated":
            ctx.report(at, here, f"{ref.id!r} is done {target.position}; a seated variant is done seated")
        else:
            found[kind] = target
    ids = tuple((kind, ref.id) for kind, ref in refs.items() if kind in found)
    instead = tuple((kind, found[kind]) for kind in PRECAUTIONS if kind in found)
    return replace(
        exercise,
        variant_ids=ids,
        off_floor=found.get("off_floor"),
        easier=found.get("easier"),
        seated=found.get("seated"),
        instead=instead,
    )


_VARIANT_DEPTH = 3


def _relinked(exercise: Exercise, exercises: Mapping[str, Exercise]) -> Exercise:
    """The exercise with each resolved variant replaced by ``exercises``' version of it."""
    found = {kind: exercises[target] for kind, target in exercise.variant_ids if target in exercises}
    return replace(
        exercise,
        off_floor=found.get("off_floor"),
        easier=found.get("easier"),
        seated=found.get("seated"),
        instead=tuple((kind, found[kind]) for kind in PRECAUTIONS if kind in found),
    )


def _routine(
    routine_id: str,
    values: dict[str, Any],
    origin: Origin,
    exercises: Mapping[str, Exercise],
    ctx: Context,
) -> Routine:
    steps = []
    for index, step_values in enumerate(values["steps"]):
        step = make_step(step_values)
        inline = step_values["exercise"]
        if isinstance(inline, dict) and variant_refs(inline):
            where = f"routines.{routine_id}.steps[{index}].exercise"
            step = replace(step, exercise=_with_variants(step.exercise, variant_refs(inline), exercises, ctx, where))
        steps.append(step)
    # Each gap as long as what is said in it: the routine's own gaps are minimums.
    return with_room_to_speak(
        Routine(
            id=routine_id,
            name=values["name"],
            summary=values["summary"],
            tags=tuple(values["tags"]),
            defaults=make_defaults(values["defaults"]),
            steps=tuple(steps),
            rounds=values["rounds"],
            origin=origin,
        )
    )


def _too_big(routine: Routine) -> tuple[int, str | None]:
    """The routine's segment count, and why it is too big to load (None if it is not)."""
    count, seconds = measure(routine)
    if seconds > MAX_ROUTINE_SECONDS:
        most = format_duration(MAX_ROUTINE_SECONDS)
        return count, f"would last {format_duration(seconds)}; a routine may last at most {most}"
    if count > MAX_SEGMENTS:
        return count, f"would have {count:,} segments; a routine may have at most {MAX_SEGMENTS:,}"
    return count, None


@dataclass
class _Budget:
    """What the user's files may cost together. Each routine is capped on its own, but a
    file of hundreds of capped routines made 'list' run for half a minute in a gigabyte;
    no real collection of routines comes near these."""

    files: int = 0
    bytes: int = 0
    segments: int = 0

    def admit_file(self, path: Path) -> str | None:
        """Count ``path`` in; or say why it is not read."""
        self.files += 1
        if self.files > MAX_USER_FILES:
            return f"not read: more than {MAX_USER_FILES} routine files; a routine file may hold many routines"
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # reading it will say what is wrong
        self.bytes += size
        if self.bytes > MAX_USER_BYTES:
            return f"not read: the routine files together are larger than {MAX_USER_BYTES >> 20} MiB"
        return None

    def admit_routine(self, count: int, in_file: int) -> str | None:
        """Count a routine of ``count`` segments in (``in_file`` already in its file); or
        say why it and the rest of its file are not loaded."""
        if in_file + count > MAX_FILE_SEGMENTS:
            return (
                f"this file's routines would have more than {MAX_FILE_SEGMENTS:,} segments together; "
                "this routine and those after it are not loaded"
            )
        if self.segments + count > MAX_TOTAL_SEGMENTS:
            return (
                f"all routines together would have more than {MAX_TOTAL_SEGMENTS:,} segments; "
                "this routine and those after it are not loaded"
            )
        self.segments += count
        return None


# Where each id was defined: (layer, file, line).
_Seen = dict[str, tuple[int, Path, int]]


def _defined_in_layer(seen: _Seen, entry_id: str, file: _File, key: Node, noun: str) -> bool:
    """Report (and say True) when ``file``'s own layer defined ``entry_id`` already; a
    later layer may define it again, replacing the earlier one."""
    earlier = seen.get(entry_id)
    if earlier is None or earlier[0] != file.layer:
        return False
    file.ctx.report(key, f"{noun}s.{entry_id}", f"{noun} id already defined at {earlier[1]}:{earlier[2]}")
    return True


def _origin(replaced: Origin | None, file: _File) -> Origin:
    """Where an entry of ``file`` comes from, and the built-in file it replaces, if any."""
    replaces = replaced.path if replaced and replaced.builtin and not file.builtin else None
    return Origin(file.path, file.builtin, replaces)


_pause_lock = threading.Lock()
_pauses = 0  # loads running now, in any thread
_resume_collector = False  # whether the first of them found the collector on


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while routine files load, and back as it was.

    A load makes hundreds of thousands of small objects (a node for every key and value
    of every file) that all live until it ends; the collector's full passes walk every one
    of them again and again as they pile up, and were a third of the time of loading 1,000
    files. Nothing a load makes needs the collector to be freed, apart from rare cycles
    (a self-referencing alias) that wait for its next pass; what a load can make is bounded
    by the limits on files, bytes and alias expansion above. Counted across threads, so
    two loads at once leave it as the first found it."""
    global _pauses, _resume_collector
    with _pause_lock:
        if _pauses == 0:
            _resume_collector = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume_collector:
                gc.enable()


def load_library(layers: Sequence[Layer]) -> Library:
    """Every layer's exercises, then every layer's routines (which may name any exercise)."""
    with _collector_paused():
        return _load_library(layers)


def _load_library(layers: Sequence[Layer]) -> Library:
    budget = _Budget()
    library = Library(problems=[p for layer in layers for p in layer.problems])
    files: list[_File] = []
    for i, layer in enumerate(layers):
        for path in layer.files:
            refused = None if layer.builtin else budget.admit_file(path)
            if refused is None:
                files.append(_read(path, i, layer.builtin))
            else:
                library.problems.append(Problem(path, 1, 1, refused))

    exercise_seen: _Seen = {}
    declared: dict[str, tuple[_File, Mapping[str, VariantRef]]] = {}  # the variants of each id's final definition
    for file in files:
        for exercise_id, (key, values) in _entries(file, "exercises", _EXERCISES).items():
            if _defined_in_layer(exercise_seen, exercise_id, file, key, "exercise"):
                continue
            exercise_seen[exercise_id] = (file.layer, file.path, key.line)
            library.exercises[exercise_id] = make_exercise(exercise_id, values)
            library.exercise_origins[exercise_id] = _origin(library.exercise_origins.get(exercise_id), file)
            declared[exercise_id] = (file, variant_refs(values))
    # Variants may name exercises defined later, or in another file: resolved once all
    # are known, against the same (unresolved) library, so the order of files never matters.
    plain = dict(library.exercises)
    for exercise_id, (file, refs) in declared.items():
        if refs:
            where = f"exercises.{exercise_id}"
            library.exercises[exercise_id] = _with_variants(plain[exercise_id], refs, plain, file.ctx, where)
    # A variant found above is the plain exercise, without variants of its own; relinked,
    # a floor exercise's standing version leads on to its seated one, and a precaution's
    # version to its own off-floor and seated ones (chains are at most this deep).
    for _ in range(_VARIANT_DEPTH):
        linked = dict(library.exercises)
        library.exercises.update({i: _relinked(e, linked) for i, e in linked.items() if e.variant_ids})

    routine_seen: _Seen = {}
    for file in files:
        file.ctx.lookups["exercises"] = library.exercises
        in_file = 0
        for routine_id, (key, values) in _entries(file, "routines", _ROUTINES).items():
            if _defined_in_layer(routine_seen, routine_id, file, key, "routine"):
                continue
            replaced = library.routines.get(routine_id)
            origin = _origin(replaced.origin if replaced else None, file)
            routine = _routine(routine_id, values, origin, library.exercises, file.ctx)
            count, trouble = _too_big(routine)
            if trouble:
                file.ctx.report(key, f"routines.{routine_id}", trouble)
                continue
            trouble = budget.admit_routine(count, in_file)
            if trouble:
                file.ctx.report(key, f"routines.{routine_id}", trouble)
                break
            in_file += count
            routine_seen[routine_id] = (file.layer, file.path, key.line)
            library.routines[routine_id] = routine

    for file in files:
        library.problems += file.ctx.finish()
    return library


def builtin_layer() -> Layer:
    files, _ = find_routine_files([builtin_routines_dir()])
    return Layer(tuple(files), builtin=True)


def user_layer(paths: Paths) -> Layer:
    """The user's routine files; a routines folder that cannot be read is a problem of
    its own, and the built-in routines still load."""
    folder = paths.routines_dir
    try:
        files, problems = find_routine_files([folder]) if usable_folder(folder) else ([], [])
    except UserError:
        problem = Problem(folder, 1, 1, "this should be the folder of your routines, but it is not a folder")
        return Layer((), builtin=False, problems=(problem,))
    except OSError as error:
        return Layer((), builtin=False, problems=(Problem(folder, 1, 1, f"cannot read: {os_error_reason(error)}"),))
    return Layer(tuple(files), builtin=False, problems=tuple(problems))


def load_all(paths: Paths) -> Library:
    """The built-in routines and the user's, as the app sees them."""
    return load_library([builtin_layer(), user_layer(paths)])


def load_for_validation(paths: Paths, targets: Sequence[Path]) -> Library:
    """Load ``targets`` on top of everything else the user has, so that their references
    to built-in or other user exercises resolve as they will in the app."""
    wanted = {t.resolve() for t in targets}
    context = [
        Layer(tuple(f for f in layer.files if f.resolve() not in wanted), layer.builtin)
        for layer in (builtin_layer(), user_layer(paths))
    ]
    return load_library([*context, Layer(tuple(targets), builtin=False)])


def load_file(path: Path) -> Library:
    """One file on top of the built-in library; raises ``RoutineError`` with every
    problem if the file has any. No other exception escapes for any file content."""
    library = load_library([builtin_layer(), Layer((path,), builtin=False)])
    problems = library.problems_in([path])
    if problems:
        raise RoutineError(problems)
    return library
