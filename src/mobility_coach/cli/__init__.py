"""The ``mobility-coach`` command line.

``main`` reads the arguments, hands each command to the module of its concern, and is the
one place that turns what the user must fix (a ``UserError`` or an ``OSError``) into a
message and an exit code. The routine commands never import Textual, so they start in a
blink; the app, the reminder and the browser tab's server, faces of their own, are started
only from ``launch``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TextIO

from mobility_coach.cli.parser import WAYBAR_FORMAT, UsageError, parse_arguments
from mobility_coach.cli.terminal_stream import terminal_stream
from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.errors import UserError, os_error_text
from mobility_coach.core.paths import Paths, tighten, tightened_note

__all__ = ["main"]


@dataclass(frozen=True)
class Invocation:
    """What every command may need besides its own arguments."""

    paths: Paths
    environ: Mapping[str, str]
    out: TextIO
    err: TextIO
    clock: Clock
    note: str | None = None
    """Said once, at this start: the app's folders were just made private."""


Command = Callable[[argparse.Namespace, Invocation], int]

# Each command imports the module of its concern when it runs, not before: 'history' and
# '--help' never load the routine format, its schema or YAML.


def _routines() -> ModuleType:
    from mobility_coach.cli import routines

    return routines


def _records() -> ModuleType:
    from mobility_coach.cli import records

    return records


def _settings() -> ModuleType:
    from mobility_coach.cli import settings

    return settings


def _launch() -> ModuleType:
    from mobility_coach.cli import launch

    return launch


def _completion() -> ModuleType:
    from mobility_coach.cli import completion

    return completion


def _status_format(as_json: bool, given: str | None) -> str | None:
    """``remind status``'s output: a template, or one of the whole formats in braces."""
    return "{json}" if as_json else "{waybar}" if given == WAYBAR_FORMAT else given


COMMANDS: dict[str | None, Command] = {
    None: lambda a, i: int(_launch().run_app(i.paths, None, i.environ, i.note)),
    "run": lambda a, i: int(_launch().run_app(i.paths, a.routine, i.environ, i.note)),
    "list": lambda a, i: int(_routines().list_routines(i.paths, a.json, i.out, i.err)),
    "show": lambda a, i: int(_routines().show(i.paths, a.routine, a.json, a.cues, i.out, i.err, a.figures, a.script)),
    "exercises": lambda a, i: int(_routines().exercises(i.paths, a.json, i.out, i.err)),
    "validate": lambda a, i: int(_routines().validate(i.paths, a.paths, i.out, i.err)),
    "schema": lambda a, i: int(_routines().schema(i.out)),
    "new": lambda a, i: int(_routines().new(i.paths, a.name, a.replace, i.out, i.err)),
    "config": lambda a, i: int(_settings().config(i.paths, a.init, i.out, i.err)),
    "history": lambda a, i: int(_records().history(i.paths, "json" if a.json else "csv" if a.csv else "text", i.out)),
    "log": lambda a, i: int(_records().log(i.paths, a.what, a.sound, a.hurt, a.where, i.clock, i.out)),
    "remind": lambda a, i: int(
        _launch().run_reminder(
            i.paths, a.action, a.value, i.environ, i.out, i.err, status_format=_status_format(a.json, a.format)
        )
    ),
    "completion": lambda a, i: int(_completion().completion(a.shell, i.out)),
    "serve": lambda a, i: int(_launch().run_server(i.paths, a.action, a.host, a.port, a.open, i.environ, i.out, i.err)),
}

APP_COMMANDS = (None, "run")  # they show the start's note in the app, not on the terminal


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
    clock: Clock | None = None,
) -> int:
    # Text from files, file names and the environment is printed through these, never raw.
    out = terminal_stream(out, sys.stdout)
    err = terminal_stream(err, sys.stderr)
    try:
        args = parse_arguments(argv)
    except UsageError as error:
        err.write(str(error))
        return 2
    try:
        paths = Paths.from_environment(environ)
        closed = tighten(paths)
        note = tightened_note(closed) if closed else None
        if note is not None and args.command not in APP_COMMANDS:
            err.write(f"mobility-coach: {note}\n")
        invocation = Invocation(paths, environ, out, err, clock or SystemClock(), note)
        return COMMANDS[args.command](args, invocation)
    except BrokenPipeError:  # `mobility-coach list | head` is fine
        return 0
    except UserError as error:
        err.write(f"mobility-coach: {error}\n")
        return error.exit_code
    except OSError as error:
        err.write(f"mobility-coach: {os_error_text(error)}\n")
        return 1
