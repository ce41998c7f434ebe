"""The routine commands: list, show, exercises, validate, schema and new. Each turns its
arguments into calls on the core and prints; a user error is raised as ``UserError``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mobility_coach.cli.terminal_stream import can_carry
from mobility_coach.cli.text_output import (
    exercise_figure_text,
    exercise_json,
    exercise_table,
    exercise_text,
    routine_figures_text,
    routine_table,
    timeline_text,
)
from mobility_coach.core.errors import UserError
from mobility_coach.core.paths import Paths, usable_folder
from mobility_coach.core.routines.adding import add_routine, schema_text
from mobility_coach.core.routines.catalog import catalog, exercise_entry
from mobility_coach.core.routines.loader import Library, find_routine_files, load_all, load_for_validation
from mobility_coach.core.routines.lookup import missing_routine_message, names_a_file
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.timeline import Timeline, expand, length_of
from mobility_coach.core.routines.validation import validate_routines
from mobility_coach.core.routines.variants import Body, as_played, fits

if TYPE_CHECKING:
    from mobility_coach.core.config import Settings


def report_load_problems(library: Library, err: TextIO) -> None:
    if library.problems:
        err.write(
            f"mobility-coach: {len(library.problems)} problem(s) in routine files; the routines that loaded are shown\n"
        )
        for problem in library.problems:
            err.write(f"  {problem}\n")


def list_routines(paths: Paths, as_json: bool, out: TextIO, err: TextIO) -> int:
    library = load_all(paths)
    routines = sorted(library.routines.values(), key=lambda r: r.name.lower())
    if as_json:
        data = {
            "routines": [
                {
                    "id": r.id,
                    "name": r.name,
                    "summary": r.summary,
                    "tags": list(r.tags),
                    "positions": list(r.positions),
                    "timed_seconds": length.timed_seconds,
                    "self_paced_segments": length.self_paced_count,
                    "origin": r.origin.label(),
                    "path": str(r.origin.path),
                    "replaces": str(r.origin.replaces) if r.origin.replaces else None,
                }
                for r in routines
                for length in (length_of(r),)
            ],
            "problems": [str(p) for p in library.problems],
        }
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    out.write(routine_table(routines) + "\n")
    for r in routines:
        if r.origin.replaces:
            out.write(f"\n'{r.id}' from {r.origin.path} replaces the built-in one.")
    if any(r.origin.replaces for r in routines):
        out.write("\n")
    report_load_problems(library, err)
    return 0


def show(
    paths: Paths,
    name: str,
    as_json: bool,
    with_cues: bool,
    out: TextIO,
    err: TextIO,
    figures: bool = False,
    script: bool = False,
) -> int:
    if names_a_file(name):
        as_file = Path(name)
        if not as_file.is_file():
            raise UserError(f"no such file: {as_file}", exit_code=2)
        library = load_for_validation(paths, [as_file])
        problems = library.problems_in([as_file])
        for problem in problems:
            err.write(f"{problem}\n")
        routines = [r for r in library.routines.values() if r.origin.path == as_file]
        if not routines:
            raise UserError(f"{as_file} holds no routine that loaded")
    else:
        library = load_all(paths)
        routine = library.routines.get(name)
        if routine is None:
            return _show_exercise(library, name, as_json, out, figures)
        routines = [routine]
    # As the player gets them: floor: false swaps each floor exercise for its variant,
    # standing: false each standing one, and a precaution what it advises against.
    settings = _settings(paths, library)
    floor, body = settings.floor, settings.body
    played = [as_played(r, floor, body=body) for r in routines]
    if figures:
        _check_braille(out)
        out.write("\n\n".join(routine_figures_text(r) for r in played) + "\n")
        return 0
    timelines = [expand(r) for r in played]
    if script:
        out.write("\n\n".join("\n".join(_script(paths, library, t)) for t in timelines) + "\n")
        return 0
    if as_json:
        shown = [
            {**t.to_json(), "floor": floor, "standing": body.standing, "precautions": list(body.precautions)}
            for t in timelines
        ]
        data = shown[0] if len(shown) == 1 else shown
        out.write(json.dumps(data, indent=2) + "\n")
    else:
        notes = [_played_note(r, p, floor, body) for r, p in zip(routines, played, strict=True)]
        texts = [timeline_text(t, with_cues, n) for t, n in zip(timelines, notes, strict=True)]
        out.write("\n\n".join(texts) + "\n")
    return 0


def _script(paths: Paths, library: Library, timeline: Timeline) -> list[str]:
    """What the voice says, as ``M:SS  text`` lines: the session's own plan, under the
    settings' voice rate and rep counting (each phrase's length estimated, as a session
    plans before its phrases are rendered)."""
    from mobility_coach.core.config import load_settings
    from mobility_coach.core.session.speech import caption_settings, plan_speech, script_lines

    settings = load_settings(paths.config_file, library.routines)[0]
    return script_lines(plan_speech(timeline, caption_settings(settings.voice_rate, settings.voice_counts_reps)))


def _settings(paths: Paths, library: Library) -> Settings:
    """The settings (their defaults where the file has problems: 'config' tells them)."""
    from mobility_coach.core.config import load_settings

    return load_settings(paths.config_file, library.routines)[0]


def _played_note(routine: Routine, played: Routine, floor: bool, body: Body) -> str | None:
    """What the settings (floor, standing, precautions) changed in the routine shown, if anything."""
    if played is routine and not body.precautions:
        return None
    notes: list[str] = []
    if not floor and routine.needs_floor:
        note = "With floor: false (your settings), floor exercises are shown as their seated or standing variants"
        still = [s.exercise.name for s in played.steps if s.exercise.needs_floor]
        notes.append(
            note + (f"; {', '.join(dict.fromkeys(still))} still needs the floor (no variant)" if still else "")
        )
    if not body.standing and "standing" in as_played(routine, floor).positions:
        note = "With standing: false, standing exercises are shown as their seated variants"
        still = [s.exercise.name for s in played.steps if s.exercise.position == "standing"]
        notes.append(
            note + (f"; {', '.join(dict.fromkeys(still))} still asks you to stand (no variant)" if still else "")
        )
    if body.precautions:
        named = ", ".join(body.precautions)
        if not fits(routine, floor, body):
            notes.append(f"Every step is one your precautions ({named}) leave out: shown as written; do not play it")
        else:
            left = len(routine.steps) - len(played.steps)
            dropped = f"; {left} step(s) left out" if left else ""
            notes.append(
                f"With precautions: {named}, exercises advised against are swapped{dropped}, and cautions added"
            )
    return ".\n".join(notes) if notes else None


def _show_exercise(library: Library, name: str, as_json: bool, out: TextIO, figures: bool = False) -> int:
    entry = exercise_entry(library, name)
    if entry is None:
        raise UserError(missing_routine_message(library, name, or_exercise=True), exit_code=2)
    if figures:
        _check_braille(out)
        out.write(exercise_figure_text(entry.exercise) + "\n")
    elif as_json:
        out.write(json.dumps(exercise_json(entry), indent=2) + "\n")
    else:
        out.write(exercise_text(entry) + "\n")
    return 0


BRAILLE_DOTS = "\u28ff"  # the figures' cells are U+2800 to U+28FF (core/figures/raster.py)


def _check_braille(out: TextIO) -> None:
    """The figures are drawn in braille: an output that cannot carry it gets one line
    saying so, not a page of escapes."""
    if not can_carry(out, BRAILLE_DOTS):
        raise UserError(
            f"the figures are drawn in braille, which this output's encoding ({out.encoding}) cannot carry; "
            "show them where the encoding is UTF-8 (e.g. PYTHONIOENCODING=utf-8)"
        )


def exercises(paths: Paths, as_json: bool, out: TextIO, err: TextIO) -> int:
    library = load_all(paths)
    entries = catalog(library)
    if as_json:
        data = {"exercises": [exercise_json(e) for e in entries], "problems": [str(p) for p in library.problems]}
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    out.write(
        exercise_table(entries) + "\n\nIn a routine, name one by its id:  - exercise: cat-cow\n"
        "One in full (cues, cautions, routines using it): mobility-coach show ID\n"
    )
    report_load_problems(library, err)
    return 0


def schema(out: TextIO) -> int:
    out.write(schema_text())
    return 0


def validate(paths: Paths, names: list[str], out: TextIO, err: TextIO) -> int:
    if not names:
        if not usable_folder(paths.routines_dir):
            out.write(f"No routines folder yet at {paths.routines_dir}; 'mobility-coach new NAME' starts one.\n")
            return 0
        if find_routine_files([paths.routines_dir]) == ([], []):
            out.write(f"No routine files in {paths.routines_dir} yet; 'mobility-coach new NAME' starts one.\n")
            return 0
        names = [str(paths.routines_dir)]
    found = validate_routines(paths, names)
    for problem in found.problems:
        out.write(f"{problem}\n")
    if found.problems:
        noun = "file(s)" if found.only_files else "path(s)"
        err.write(
            f"{len(found.problems)} problem(s) in {found.paths_with_problems} of {found.paths_looked_at} {noun}\n"
        )
        return 1
    summary = ", ".join(f"{r.id} ({length_of(r).text()})" for r in found.checked)
    out.write(
        f"ok: {len(found.files)} file(s), {len(found.checked)} routine(s) checked"
        + (f": {summary}" if summary else "")
        + "\n"
    )
    return 0


def new(paths: Paths, name: str, replace: bool, out: TextIO, err: TextIO) -> int:
    added = add_routine(paths, name, replace)
    out.write(f"{added.path}\n")
    if added.backup is not None:
        err.write(f"The old {added.path.name} is kept as {added.backup}.\n")
    if added.replaced_builtin is not None:
        err.write(
            f"This replaces the built-in routine '{added.replaced_builtin.id}' ({added.replaced_builtin.name}) "
            f"everywhere; delete {added.path} to have the built-in one back.\n"
        )
    return 0
