"""The command line's grammar: every command, option and help text, and the one exception
for a command line that cannot be read."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from mobility_coach import __version__

WAYBAR_FORMAT = "waybar"
"""``remind status --format waybar``: waybar's own JSON, not a template."""


class UsageError(Exception):
    """A command line argparse cannot make sense of; the text ends with the usage of the
    (sub)command that was being read."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}\n")


def build_parser(
    files: object | None = None,
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser, and each subcommand's own (to report a wrong option with the
    usage of the command it was given to, not the top-level one). ``files``: what shell
    completion offers for the arguments that name files (``shtab.FILE``)."""
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
    show_what = show.add_argument(
        "routine",
        metavar="ID_OR_FILE",
        help="a routine id (see 'list'), an exercise id (see 'exercises'), or a routine file",
    )
    output = show.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the timeline (or the exercise) as JSON")
    output.add_argument(
        "--figures",
        action="store_true",
        help="print each exercise's figure as plain text instead: its starting position and each key "
        "position a rep passes through",
    )
    output.add_argument(
        "--script",
        action="store_true",
        help="print what the voice will say instead, one line each with its time (M:SS  text), "
        "under your settings (floor, voice rate, counting reps)",
    )
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
    validated = validate.add_argument(
        "paths", nargs="*", metavar="PATH_OR_ID", help="files or folders to check, or routine ids"
    )
    if files is not None:
        show_what.complete = validated.complete = files  # type: ignore[attr-defined]

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
        "running reminder (or the app that keeps the break clock). 'mobility-coach remind ACTION --help' "
        "says more about each.",
    )
    remind.set_defaults(action=None, value=None, json=False, format=None)
    actions = remind.add_subparsers(dest="action", metavar="ACTION")
    status = actions.add_parser(
        "status",
        help="what the break clock is doing: the time to the next break, or why it is held",
        description="Say what the running reminder (or the app) is doing: the time to the next break, "
        "a break due or held, a snooze or a pause. Exits 1 when no reminder runs.",
    )
    shown = status.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="as one JSON object (for scripts)")
    shown.add_argument(
        "--format",
        metavar="TEXT",
        help="as TEXT with {message}, {phase}, {left}, {minutes}, {held}, {owner} filled in (for a status "
        f"bar: tmux, polybar); '{WAYBAR_FORMAT}' prints waybar's JSON (text, tooltip, class)",
    )
    snooze = actions.add_parser(
        "snooze",
        help="put the break off for a while",
        description="Put the due (or next) break off for a while.",
    )
    snooze.add_argument(
        "value", nargs="?", metavar="DURATION", help="how long: 10m, 1h... (default: the snooze setting)"
    )
    actions.add_parser("skip", help="skip this break", description="Skip this break; the clock starts again.")
    pause = actions.add_parser(
        "pause",
        help="no breaks for a while, or until tomorrow",
        description="Stop offering breaks for a while, or until tomorrow, or until 'resume'.",
    )
    pause.add_argument(
        "value", nargs="?", metavar="DURATION", help="30m, 1h, 2h, or 'tomorrow' (default: until 'resume')"
    )
    actions.add_parser("resume", help="end a pause", description="End a pause: the clock counts again.")
    actions.add_parser("stop", help="stop the running reminder", description="Stop the running reminder.")
    actions.add_parser(
        "unit",
        help="print a systemd user unit that starts the reminder at login (Linux)",
        description="Print a systemd user unit that starts the reminder with the graphical session. Save it "
        "as ~/.config/systemd/user/mobility-coach-remind.service and run "
        "'systemctl --user enable --now mobility-coach-remind'.",
    )

    serve = commands.add_parser(
        "serve",
        help="the app in a browser tab, on this computer",
        description="Serve the app to a browser tab: every tab gets the whole app (sessions, "
        "reminders, history), with sound and voice on this computer. It listens on this computer's "
        "own address (loopback) only, unless --host says otherwise. 'unit' prints a systemd user "
        "unit that starts it at login.",
    )
    serve.add_argument("action", nargs="?", choices=["unit"])
    serve.add_argument("--port", type=_port, default=8716, metavar="N", help="the port to listen on (default 8716)")
    serve.add_argument("--open", action="store_true", help="open the app in your default browser")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="H",
        help="the address to listen on (default 127.0.0.1, this computer only); another one lets "
        "anyone who can reach it use the app as you",
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
        choices=["pop", "snapping", "grinding", "clicking", "rumbling"],
        help="what it sounded like: a single pop, repeated snapping, grinding, clicking or rumbling",
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
    completion = commands.add_parser(
        "completion",
        help="print the shell completion script for bash, zsh or fish",
        description="Print the completion script for your shell, made from this command line's own "
        "grammar. bash: add 'source <(mobility-coach completion bash)' to ~/.bashrc; zsh: save it as "
        "_mobility-coach in a folder on your $fpath; fish: save it as "
        "~/.config/fish/completions/mobility-coach.fish.",
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"])
    found: dict[str, argparse.ArgumentParser] = dict(commands.choices)
    found |= {f"remind {name}": action for name, action in actions.choices.items()}
    return parser, found


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535; 0 picks a free one)")
    return port


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser, commands = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # Named with the usage of the (sub)command it was given to: `remind status --now`.
        given_to = commands.get(f"{args.command} {getattr(args, 'action', None)}") or commands.get(args.command)
        (given_to or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    return args
