"""The ``mobility-coach`` command line.

The routine commands here never import Textual, so they start in a blink; the TUI is
imported only when it is asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from mobility_coach import __version__
from mobility_coach.core.errors import Problem, UserError, os_error_text
from mobility_coach.core.paths import Paths, usable_folder
from mobility_coach.core.routines.catalog import catalog, exercise_entry
from mobility_coach.core.routines.format import SCHEMA_FILENAME, json_schema
from mobility_coach.core.routines.loader import (
    ROUTINE_SUFFIXES,
    Library,
    builtin_layer,
    find_routine_files,
    load_all,
    load_for_validation,
    load_library,
)
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.starter import slug, starter_text
from mobility_coach.core.routines.timeline import expand
from mobility_coach.core.spec import ID_PATTERN, suggest
from mobility_coach.text_output import (
    exercise_json,
    exercise_table,
    exercise_text,
    routine_length,
    routine_table,
    timeline_text,
)

if TYPE_CHECKING:
    from mobility_coach.core.history.store import History


class UsageError(Exception):
    """A command line argparse cannot make sense of; the text ends with the usage of the
    (sub)command that was being read."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}\n")


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser, and each subcommand's own (to report a wrong option with the
    usage of the command it was given to, not the top-level one)."""
    parser = _Parser(
        prog="mobility-coach",
        description="Guided mobility routines and movement breaks for desk workers. "
        "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="open the app straight into a routine",
        description="Open the app and start a routine (after the daily safety check-in).",
    )
    run.add_argument("routine", help="a routine id (see 'list')")

    listing = commands.add_parser(
        "list",
        help="list the built-in and your own routines",
        description="List every routine: name, id, length, position, tags and "
        "where it comes from (built-in, yours, or yours replacing a built-in).",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = commands.add_parser(
        "show",
        help="show a routine's steps and full timeline, or an exercise",
        description="Show a routine's steps and its timeline: every get-ready, work, "
        "switch-sides and rest segment with its start time and length. Given an "
        "exercise id, show that exercise: cues, cautions, source and the routines "
        "that use it.",
    )
    show.add_argument(
        "routine",
        metavar="ID_OR_FILE",
        help="a routine id (see 'list'), an exercise id (see 'exercises'), or a routine file",
    )
    show.add_argument("--json", action="store_true", help="print the timeline (or the exercise) as JSON")
    show.add_argument("--cues", action="store_true", help="also list each segment's cues")

    exercises = commands.add_parser(
        "exercises",
        help="list the exercise library, for writing routines",
        description="List every exercise a routine can name by id: its name, "
        "position and where it comes from (built-in, yours, or yours replacing a "
        "built-in). 'mobility-coach show ID' shows one in full.",
    )
    exercises.add_argument(
        "--json", action="store_true", help="print every exercise in full (cues, cautions, routines using it) as JSON"
    )

    validate = commands.add_parser(
        "validate",
        help="check routine files and report problems",
        description="Check routine files and folders. Prints one line per problem "
        "as path:line:col: message and exits 1 if there are any; exits 0 otherwise. "
        "With no PATH, checks your routines folder. A routine id stands for the "
        "file that defines it.",
    )
    validate.add_argument("paths", nargs="*", metavar="PATH_OR_ID", help="files or folders to check, or routine ids")

    commands.add_parser(
        "schema",
        help="print the JSON Schema of routine files",
        description="Print the JSON Schema that routine files follow, for editors "
        "(it is the same model the loader enforces).",
    )

    remind = commands.add_parser(
        "remind",
        help="sitting-break reminders without the app (and commands to a running one)",
        description="Without an action: run the break reminder in this terminal (a desktop notification, "
        "else the terminal bell, plus the break sound, when a break is due). With an action: talk to the "
        "running reminder. 'unit' prints a systemd user unit that starts it at login.",
    )
    remind.add_argument("action", nargs="?", choices=["status", "snooze", "skip", "pause", "resume", "stop", "unit"])
    remind.add_argument(
        "value",
        nargs="?",
        help="snooze: for how long (default: the snooze setting); "
        "pause: how long (30m, 1h, 2h), or 'tomorrow' (default: until 'resume')",
    )

    history = commands.add_parser(
        "history",
        help="recent sessions, breaks and journal entries; export all",
        description="List recent sessions, breaks and journal entries. --json and --csv "
        "export everything (for a spreadsheet).",
    )
    export = history.add_mutually_exclusive_group()
    export.add_argument("--json", action="store_true", help="everything, as JSON")
    export.add_argument("--csv", action="store_true", help="everything, as CSV (one row per record)")

    log = commands.add_parser(
        "log",
        help="note an urge to crack your back, or a crack",
        description="Record an urge to crack, or a crack, in the journal, and read what that "
        "kind of sound usually means and what to do instead.",
    )
    log.add_argument("what", choices=["crack", "urge"])
    log.add_argument(
        "--sound",
        choices=["pop", "snapping", "grinding", "clicking"],
        help="what it sounded like: a single pop, repeated snapping, grinding, clicking",
    )
    log.add_argument("--hurt", action="store_true", help="it hurt")
    log.add_argument("--where", choices=["neck", "upper", "mid", "lower"], help="neck, upper, mid or lower back")

    config = commands.add_parser(
        "config",
        help="show the settings file's path and the settings in effect",
        description="Print where the settings file is, any problems in it, and the "
        "settings in effect (defaults where the file is silent or wrong).",
    )
    config.add_argument("--init", action="store_true", help="write a commented settings file, if there is none yet")

    new = commands.add_parser(
        "new",
        help="write a commented starter routine",
        description="Write a commented starter routine into your routines folder "
        "and print its path. The routine's id is made from its name. It never "
        "overwrites a file or replaces a built-in routine unless you say --replace.",
    )
    new.add_argument("name", help="the routine's name, e.g. 'Afternoon reset'")
    new.add_argument(
        "--replace",
        action="store_true",
        help="start the routine's file again (the old one is kept as a .bak file), or "
        "replace the built-in routine with the same id",
    )
    return parser, dict(commands.choices)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser, commands = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        (commands.get(args.command) or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parse(argv)
    except UsageError as error:
        err.write(str(error))
        return 2
    try:
        paths = Paths.from_environment(environ)
        if args.command is None:
            return _tui(paths, None, environ)
        if args.command == "run":
            return _tui(paths, args.routine, environ)
        if args.command == "list":
            return _list(paths, args.json, out, err)
        if args.command == "show":
            return _show(paths, args.routine, args.json, args.cues, out, err)
        if args.command == "exercises":
            return _exercises(paths, args.json, out, err)
        if args.command == "validate":
            return _validate(paths, args.paths, out, err)
        if args.command == "schema":
            out.write(json.dumps(json_schema(), indent=2) + "\n")
            return 0
        if args.command == "new":
            return _new(paths, args.name, args.replace, out, err)
        if args.command == "config":
            return _config(paths, args.init, out, err)
        if args.command == "history":
            return _history(paths, "json" if args.json else "csv" if args.csv else "text", out, err)
        if args.command == "log":
            return _log(paths, args.what, args.sound, args.hurt, args.where, out, err)
        if args.command == "remind":
            from mobility_coach import remind

            return remind.command(paths, args.action, args.value, environ, out, err)
    except BrokenPipeError:  # `mobility-coach list | head` is fine
        return 0
    # The one place that turns what the user must fix into a message and an exit code.
    except UserError as error:
        err.write(f"mobility-coach: {error}\n")
        return error.exit_code
    except OSError as error:
        err.write(f"mobility-coach: {os_error_text(error)}\n")
        return 1
    raise AssertionError(args.command)


def _tui(paths: Paths, routine_id: str | None, environ: Mapping[str, str]) -> int:
    from mobility_coach.tui.preflight import library_to_run  # no Textual: a typo or a pipe is refused at once

    library = library_to_run(paths, routine_id)
    from mobility_coach.tui.factory import run_app  # only the TUI pays for Textual

    return run_app(paths, library, routine_id, environ)


def _report_load_problems(library: Library, err: TextIO) -> None:
    if library.problems:
        err.write(
            f"mobility-coach: {len(library.problems)} problem(s) in routine files; the routines that loaded are shown\n"
        )
        for problem in library.problems:
            err.write(f"  {problem}\n")


def _list(paths: Paths, as_json: bool, out: TextIO, err: TextIO) -> int:
    library = load_all(paths)
    timelines = [expand(r) for r in sorted(library.routines.values(), key=lambda r: r.name.lower())]
    if as_json:
        data = {
            "routines": [
                {
                    "id": t.routine.id,
                    "name": t.routine.name,
                    "summary": t.routine.summary,
                    "tags": list(t.routine.tags),
                    "positions": list(t.routine.positions),
                    "timed_seconds": t.timed_seconds,
                    "self_paced_segments": t.self_paced_count,
                    "origin": t.routine.origin.label(),
                    "path": str(t.routine.origin.path),
                    "replaces": str(t.routine.origin.replaces) if t.routine.origin.replaces else None,
                }
                for t in timelines
            ],
            "problems": [str(p) for p in library.problems],
        }
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    out.write(routine_table(timelines) + "\n")
    for t in timelines:
        if t.routine.origin.replaces:
            out.write(f"\n'{t.routine.id}' from {t.routine.origin.path} replaces the built-in one.")
    if any(t.routine.origin.replaces for t in timelines):
        out.write("\n")
    _report_load_problems(library, err)
    return 0


def _show(paths: Paths, name: str, as_json: bool, with_cues: bool, out: TextIO, err: TextIO) -> int:
    as_file = Path(name)
    if as_file.suffix in (".yaml", ".yml") or as_file.is_file():
        if not as_file.is_file():
            err.write(f"mobility-coach: no such file: {as_file}\n")
            return 2
        library = load_for_validation(paths, [as_file])
        problems = library.problems_in([as_file])
        for problem in problems:
            err.write(f"{problem}\n")
        routines = [r for r in library.routines.values() if r.origin.path == as_file]
        if not routines:
            err.write(f"mobility-coach: {as_file} holds no routine that loaded\n")
            return 1
    else:
        library = load_all(paths)
        routine = library.routines.get(name)
        if routine is None:
            return _show_exercise(library, name, as_json, out, err)
        routines = [routine]
    timelines = [expand(r) for r in routines]
    if as_json:
        data = timelines[0].to_json() if len(timelines) == 1 else [t.to_json() for t in timelines]
        out.write(json.dumps(data, indent=2) + "\n")
    else:
        out.write("\n\n".join(timeline_text(t, with_cues) for t in timelines) + "\n")
    return 0


def _show_exercise(library: Library, name: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    entry = exercise_entry(library, name)
    if entry is None:
        hint = suggest(name, sorted({*library.routines, *library.exercises}))
        err.write(
            f"mobility-coach: no routine or exercise with id {name!r}"
            f"{hint or '; see mobility-coach list (routines) and mobility-coach exercises'}\n"
        )
        return 2
    if as_json:
        out.write(json.dumps(exercise_json(entry), indent=2) + "\n")
    else:
        out.write(exercise_text(entry) + "\n")
    return 0


def _exercises(paths: Paths, as_json: bool, out: TextIO, err: TextIO) -> int:
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
    _report_load_problems(library, err)
    return 0


def _looks_like_id(target: str) -> bool:
    return re.fullmatch(ID_PATTERN, target) is not None and not target.endswith(ROUTINE_SUFFIXES)


def _routine_file(paths: Paths, library: Library, routine_id: str) -> Path | None:
    """The file that defines ``routine_id``: the one it loaded from, or else the user's file
    named after it (where 'new' writes it), which may hold the very mistake to find."""
    routine = library.routines.get(routine_id)
    if routine is not None and not routine.origin.builtin:
        return routine.origin.path
    for suffix in ROUTINE_SUFFIXES:
        candidate = paths.routines_dir / f"{routine_id}{suffix}"
        if candidate.is_file():
            return candidate
    return routine.origin.path if routine is not None else None


def _validation_targets(paths: Paths, names: list[str]) -> tuple[list[Path], list[Problem]]:
    """Routine files named by paths or routine ids, each once, and a problem for every name
    that is neither (or a folder without routine files)."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    library: Library | None = None
    for name in names:
        path = Path(name)
        if not path.exists() and _looks_like_id(name):
            library = library or load_all(paths)
            found = _routine_file(paths, library, name)
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


def _validate(paths: Paths, names: list[str], out: TextIO, err: TextIO) -> int:
    if not names:
        if not usable_folder(paths.routines_dir):
            out.write(f"No routines folder yet at {paths.routines_dir}; 'mobility-coach new NAME' starts one.\n")
            return 0
        if not find_routine_files([paths.routines_dir])[0]:
            out.write(f"No routine files in {paths.routines_dir} yet; 'mobility-coach new NAME' starts one.\n")
            return 0
        names = [str(paths.routines_dir)]
    files, problems = _validation_targets(paths, names)
    library = load_for_validation(paths, files)
    problems = sorted(problems + library.problems_in(files), key=lambda p: (str(p.path), p.line, p.column))
    for problem in problems:
        out.write(f"{problem}\n")
    if problems:
        # Count every path that was looked at, not only the files that were read: a
        # problem may sit on a missing path or an empty folder, which is no file.
        looked_at = {os.path.abspath(f) for f in files} | {os.path.abspath(p.path) for p in problems}
        bad = len({os.path.abspath(p.path) for p in problems})
        err.write(f"{len(problems)} problem(s) in {bad} of {len(looked_at)} {_paths_noun(files, problems)}\n")
        return 1
    wanted = {os.path.abspath(f) for f in files}
    checked = [r for r in library.routines.values() if os.path.abspath(r.origin.path) in wanted]
    summary = ", ".join(f"{r.id} ({routine_length(expand(r))})" for r in checked)
    out.write(
        f"ok: {len(files)} file(s), {len(checked)} routine(s) checked" + (f": {summary}" if summary else "") + "\n"
    )
    return 0


def _paths_noun(files: list[Path], problems: list[Problem]) -> str:
    files_only = {os.path.abspath(p.path) for p in problems} <= {os.path.abspath(f) for f in files}
    return "file(s)" if files_only else "path(s)"


def _open_history(paths: Paths, err: TextIO) -> History | None:
    from mobility_coach.core.history.store import DB_NAME, History, HistoryError

    try:
        return History(paths.data_dir / DB_NAME)
    except HistoryError as error:
        err.write(f"mobility-coach: the history cannot be opened: {error}\n")
        return None


def _history(paths: Paths, form: str, out: TextIO, err: TextIO) -> int:
    from mobility_coach import history_output

    history = _open_history(paths, err)
    if history is None:
        return 1
    {"json": history_output.write_json, "csv": history_output.write_csv, "text": history_output.write_text}[form](
        history, out
    )
    return 0


SOUND_IDS = {"pop": "single_pop", "snapping": "repeated_snapping", "grinding": "grinding", "clicking": "clicking"}


def _log(paths: Paths, what: str, sound: str | None, hurt: bool, where: str | None, out: TextIO, err: TextIO) -> int:
    from mobility_coach.core.history.journal import answer

    if what == "urge" and sound:
        err.write("mobility-coach: an urge has no sound; use 'log crack --sound ...'\n")
        return 2
    history = _open_history(paths, err)
    sound_id = SOUND_IDS[sound] if sound else None
    if history is not None:
        history.record_journal("crack" if what == "crack" else "urge", sound_id, hurt, where)
    reply = answer(what, sound_id, hurt, where)
    out.write(reply.text() + "\n\nA one-minute drill: mobility-coach run crack-swap\n")
    return 0 if history is not None else 1


def _config(paths: Paths, init: bool, out: TextIO, err: TextIO) -> int:
    from mobility_coach.core.config import STARTER, describe, load_settings

    path = paths.config_file
    if init:
        if path.exists():
            err.write(f"mobility-coach: {path} exists already; it is left as it is\n")
            return 1
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(STARTER)
        out.write(f"Wrote {path}\n")
    library = load_all(paths)
    settings, problems = load_settings(path, library.routines)
    state = "" if path.exists() else "  (not created yet: 'mobility-coach config --init' writes a commented one)"
    out.write(f"Settings file: {path}{state}\n")
    for problem in problems:
        err.write(f"{problem}\n")
    if problems:
        err.write(
            f"{len(problems)} problem(s): those settings use their defaults (a wrong working_hours entry "
            "is only left out); the file is left as it is\n"
        )
    out.write("\nIn effect:\n" + describe(settings) + "\n")
    return 1 if problems else 0


def _new(paths: Paths, name: str, replace: bool, out: TextIO, err: TextIO) -> int:
    routine_id = slug(name)
    if not routine_id:
        err.write(
            "mobility-coach: the name needs at least one letter or digit (a to z, 0 to 9) to make "
            "the routine's id from\n"
        )
        return 2
    folder = paths.routines_dir
    target = folder / f"{routine_id}.yaml"
    library = load_all(paths)
    refusal = _new_refusal(name, routine_id, target, library, replace)
    if refusal:
        err.write(refusal)
        return 1
    builtin = _builtin_with_id(library, routine_id)
    folder.mkdir(parents=True, exist_ok=True)
    # Editors find the schema next to the file, so completion works offline.
    (folder / SCHEMA_FILENAME).write_text(json.dumps(json_schema(), indent=2) + "\n", encoding="utf-8")
    backup = _keep_aside(target) if target.exists() else None
    with target.open("x", encoding="utf-8") as handle:
        handle.write(starter_text(routine_id, name, target.name))
    out.write(f"{target}\n")
    if backup is not None:
        err.write(f"The old {target.name} is kept as {backup}.\n")
    if builtin is not None:
        err.write(
            f"This replaces the built-in routine '{routine_id}' ({builtin.name}) everywhere; "
            f"delete {target} to have the built-in one back.\n"
        )
    return 0


def _builtin_with_id(library: Library, routine_id: str) -> Routine | None:
    """The built-in routine with this id, whether or not a routine of the user's replaces it."""
    routine = library.routines.get(routine_id)
    if routine is None:
        return None
    if routine.origin.builtin:
        return routine
    if routine.origin.replaces is None:
        return None
    return load_library([builtin_layer()]).routines.get(routine_id)


def _new_refusal(name: str, routine_id: str, target: Path, library: Library, replace: bool) -> str | None:
    """Why ``new`` must not write ``target`` (without --replace, or at all), or None."""
    again = f"mobility-coach new {shlex.quote(name)} --replace"
    other = f"mobility-coach new {shlex.quote('My ' + name.strip())}"
    existing = library.routines.get(routine_id)
    if (
        existing is not None
        and not existing.origin.builtin
        and os.path.abspath(existing.origin.path) != os.path.abspath(target)
    ):
        return (
            f"mobility-coach: your routine '{routine_id}' is already defined in {existing.origin.path}; "
            f"edit it there, or pick another name (e.g. {other})\n"
        )
    if replace:
        return None
    if target.exists():
        return (
            f"mobility-coach: {target} already exists; edit it, or pick another name (e.g. {other}).\n"
            f"To start it again from the starter on purpose (the old file is kept as a .bak): {again}\n"
        )
    if existing is not None and existing.origin.builtin:
        return (
            f"mobility-coach: the name {name.strip()!r} makes the id '{routine_id}', the id of the built-in "
            f"routine '{existing.name}'; yours would replace it in the app, in 'list' and in break "
            f"reminders.\nPick another name (e.g. {other}), or replace the built-in one on purpose: "
            f"{again}\n"
        )
    return None


def _keep_aside(target: Path) -> Path:
    """Rename ``target`` to a free ``NAME.bak`` (``NAME.bak2``, ...) and return that path."""
    number = 1
    while True:
        backup = target.with_name(f"{target.name}.bak{number if number > 1 else ''}")
        if not backup.exists():
            target.rename(backup)
            return backup
        number += 1
