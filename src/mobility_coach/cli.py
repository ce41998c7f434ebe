"""The ``mobility-coach`` command line.

The routine commands here never import Textual, so they start in a blink; the TUI is
imported only when it is asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mobility_coach import __version__
from mobility_coach.core.errors import UserError, os_error_text
from mobility_coach.core.paths import Paths, usable_folder
from mobility_coach.core.routine_format import SCHEMA_FILENAME, json_schema
from mobility_coach.core.routines import Library, find_routine_files, load_all, load_for_validation
from mobility_coach.core.spec import suggest
from mobility_coach.core.starter import slug, starter_text
from mobility_coach.core.timeline import expand
from mobility_coach.text_output import routine_length, routine_table, timeline_text

if TYPE_CHECKING:
    from mobility_coach.core.history import History


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mobility-coach",
        description="Guided mobility routines and movement breaks for desk workers. "
        "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="open the app straight into a routine",
                              description="Open the app and start a routine (after the daily safety check-in).")
    run.add_argument("routine", help="a routine id (see 'list')")

    listing = commands.add_parser("list", help="list the built-in and your own routines",
                                  description="List every routine: name, id, length, position, tags and "
                                  "where it comes from (built-in, yours, or yours replacing a built-in).")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = commands.add_parser("show", help="show a routine's steps and full timeline",
                               description="Show a routine's steps and its timeline: every get-ready, work, "
                               "switch-sides and rest segment with its start time and length.")
    show.add_argument("routine", help="a routine id (see 'list'), or a routine file")
    show.add_argument("--json", action="store_true", help="print the timeline as JSON")
    show.add_argument("--cues", action="store_true", help="also list each segment's cues")

    validate = commands.add_parser("validate", help="check routine files and report problems",
                                   description="Check routine files and folders. Prints one line per problem "
                                   "as path:line:col: message and exits 1 if there are any; exits 0 otherwise. "
                                   "With no PATH, checks your routines folder.")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders to check")

    commands.add_parser("schema", help="print the JSON Schema of routine files",
                        description="Print the JSON Schema that routine files follow, for editors "
                        "(it is the same model the loader enforces).")

    remind = commands.add_parser(
        "remind", help="sitting-break reminders without the app (and commands to a running one)",
        description="Without an action: run the break reminder in this terminal (a desktop notification, "
        "else the terminal bell, plus the break sound, when a break is due). With an action: talk to the "
        "running reminder. 'unit' prints a systemd user unit that starts it at login.")
    remind.add_argument("action", nargs="?", choices=["status", "snooze", "skip", "pause", "resume", "stop", "unit"])
    remind.add_argument("value", nargs="?", help="snooze: for how long (default: the snooze setting); "
                        "pause: how long (30m, 1h, 2h), or 'tomorrow' (default: until 'resume')")

    history = commands.add_parser("history", help="recent sessions, breaks and journal entries; export all",
                                  description="List recent sessions, breaks and journal entries. --json and --csv "
                                  "export everything (for a spreadsheet).")
    export = history.add_mutually_exclusive_group()
    export.add_argument("--json", action="store_true", help="everything, as JSON")
    export.add_argument("--csv", action="store_true", help="everything, as CSV (one row per record)")

    log = commands.add_parser("log", help="note an urge to crack your back, or a crack",
                              description="Record an urge to crack, or a crack, in the journal, and read what that "
                              "kind of sound usually means and what to do instead.")
    log.add_argument("what", choices=["crack", "urge"])
    log.add_argument("--sound", choices=["pop", "snapping", "grinding", "clicking"],
                     help="what it sounded like: a single pop, repeated snapping, grinding, clicking")
    log.add_argument("--hurt", action="store_true", help="it hurt")
    log.add_argument("--where", choices=["neck", "upper", "mid", "lower"], help="neck, upper, mid or lower back")

    config = commands.add_parser("config", help="show the settings file's path and the settings in effect",
                                 description="Print where the settings file is, any problems in it, and the "
                                 "settings in effect (defaults where the file is silent or wrong).")
    config.add_argument("--init", action="store_true",
                        help="write a commented settings file, if there is none yet")

    new = commands.add_parser("new", help="write a commented starter routine",
                              description="Write a commented starter routine into your routines folder "
                              "and print its path.")
    new.add_argument("name", help="the routine's name, e.g. 'Afternoon reset'")
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] = os.environ,
         out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        paths = Paths.from_environment(environ)
        if args.command is None:
            return _tui(paths, None, err)
        if args.command == "run":
            return _tui(paths, args.routine, err)
        if args.command == "list":
            return _list(paths, args.json, out, err)
        if args.command == "show":
            return _show(paths, args.routine, args.json, args.cues, out, err)
        if args.command == "validate":
            return _validate(paths, args.paths, out, err)
        if args.command == "schema":
            out.write(json.dumps(json_schema(), indent=2) + "\n")
            return 0
        if args.command == "new":
            return _new(paths, args.name, out, err)
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


def _tui(paths: Paths, routine_id: str | None, err: TextIO) -> int:
    library = load_all(paths)
    if routine_id is not None and routine_id not in library.routines:
        hint = suggest(routine_id, sorted(library.routines)) or "; see 'mobility-coach list'"
        err.write(f"mobility-coach: no routine with id {routine_id!r}{hint}\n")
        return 2
    from mobility_coach import idle
    from mobility_coach.core.config import load_settings
    from mobility_coach.core.history import DB_NAME, History, HistoryError
    from mobility_coach.core.state import StateStore
    from mobility_coach.tui.app import MobilityCoachApp  # only the TUI pays for Textual

    settings, problems = load_settings(paths.config_file)
    history: History | None = None
    history_problem = None
    try:
        history = History(paths.data_dir / DB_NAME)
    except HistoryError as error:
        history_problem = str(error)
    app = MobilityCoachApp(library, StateStore(paths.state_file), start_routine=routine_id, settings=settings,
                           idle=idle.detect(), reminder_paths=paths, settings_problems=problems,
                           history=history, history_problem=history_problem)
    app.run()
    return app.return_code or 0  # 128 + the signal, after a SIGTERM or SIGHUP


def _report_load_problems(library: Library, err: TextIO) -> None:
    if library.problems:
        err.write(f"mobility-coach: {len(library.problems)} problem(s) in routine files; "
                  "the routines that loaded are shown\n")
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
            hint = suggest(name, sorted(library.routines)) or "; see 'mobility-coach list'"
            err.write(f"mobility-coach: no routine with id {name!r}{hint}\n")
            return 2
        routines = [routine]
    timelines = [expand(r) for r in routines]
    if as_json:
        data = timelines[0].to_json() if len(timelines) == 1 else [t.to_json() for t in timelines]
        out.write(json.dumps(data, indent=2) + "\n")
    else:
        out.write("\n\n".join(timeline_text(t, with_cues) for t in timelines) + "\n")
    return 0


def _validate(paths: Paths, targets: list[Path], out: TextIO, err: TextIO) -> int:
    if not targets:
        if not usable_folder(paths.routines_dir):
            out.write(f"No routines folder yet at {paths.routines_dir}; 'mobility-coach new NAME' starts one.\n")
            return 0
        targets = [paths.routines_dir]
    files, problems = find_routine_files(targets)
    library = load_for_validation(paths, files)
    problems = sorted(problems + library.problems_in(files), key=lambda p: (str(p.path), p.line, p.column))
    for problem in problems:
        out.write(f"{problem}\n")
    if problems:
        bad_files = len({p.path for p in problems})
        err.write(f"{len(problems)} problem(s) in {bad_files} of {len(files)} file(s)\n")
        return 1
    checked = [r for r in library.routines.values() if r.origin.path in set(files)]
    out.write(f"ok: {len(files)} file(s), {len(checked)} routine(s) checked: "
              + ", ".join(f"{r.id} ({routine_length(expand(r))})" for r in checked) + "\n")
    return 0


def _open_history(paths: Paths, err: TextIO) -> History | None:
    from mobility_coach.core.history import DB_NAME, History, HistoryError

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
    {"json": history_output.write_json, "csv": history_output.write_csv,
     "text": history_output.write_text}[form](history, out)
    return 0


SOUND_IDS = {"pop": "single_pop", "snapping": "repeated_snapping", "grinding": "grinding", "clicking": "clicking"}


def _log(paths: Paths, what: str, sound: str | None, hurt: bool, where: str | None, out: TextIO, err: TextIO) -> int:
    from mobility_coach.core.journal import answer

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
    settings, problems = load_settings(path)
    state = "" if path.exists() else "  (not created yet: 'mobility-coach config --init' writes a commented one)"
    out.write(f"Settings file: {path}{state}\n")
    for problem in problems:
        err.write(f"{problem}\n")
    if problems:
        err.write(f"{len(problems)} problem(s): the defaults are used for those settings; the file is left as it is\n")
    out.write("\nIn effect:\n" + describe(settings) + "\n")
    return 1 if problems else 0


def _new(paths: Paths, name: str, out: TextIO, err: TextIO) -> int:
    routine_id = slug(name)
    if not routine_id:
        err.write("mobility-coach: the name needs at least one letter or digit\n")
        return 2
    folder = paths.routines_dir
    target = folder / f"{routine_id}.yaml"
    if target.exists():
        err.write(f"mobility-coach: {target} already exists; edit it, or pick another name\n")
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    # Editors find the schema next to the file, so completion works offline.
    (folder / SCHEMA_FILENAME).write_text(json.dumps(json_schema(), indent=2) + "\n", encoding="utf-8")
    with target.open("x", encoding="utf-8") as handle:
        handle.write(starter_text(routine_id, name, target.name))
    out.write(f"{target}\n")
    existing = load_all(paths).routines.get(routine_id)
    if existing is not None and existing.origin.replaces is not None:
        err.write(f"Note: this replaces the built-in routine '{routine_id}' while it exists.\n")
    return 0


