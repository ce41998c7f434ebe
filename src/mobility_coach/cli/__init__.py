"""The ``mobility-coach`` command line.

``main`` reads the arguments, hands each command to the module of its concern, and is the
one place that turns what the user must fix (a ``UserError`` or an ``OSError``) into a
message and an exit code. The routine commands never import Textual, so they start in a
blink; the app and the reminder, faces of their own, are started only from ``launch``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from mobility_coach.cli import records, routines, settings
from mobility_coach.cli.launch import run_app, run_reminder
from mobility_coach.cli.parser import UsageError, parse_arguments
from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.errors import UserError, os_error_text
from mobility_coach.core.paths import Paths

__all__ = ["main"]


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
    clock: Clock | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = parse_arguments(argv)
    except UsageError as error:
        err.write(str(error))
        return 2
    try:
        paths = Paths.from_environment(environ)
        command = args.command
        if command in (None, "run"):
            return run_app(paths, getattr(args, "routine", None), environ)
        if command == "list":
            return routines.list_routines(paths, args.json, out, err)
        if command == "show":
            return routines.show(paths, args.routine, args.json, args.cues, out, err)
        if command == "exercises":
            return routines.exercises(paths, args.json, out, err)
        if command == "validate":
            return routines.validate(paths, args.paths, out, err)
        if command == "schema":
            return routines.schema(out)
        if command == "new":
            return routines.new(paths, args.name, args.replace, out, err)
        if command == "config":
            return settings.config(paths, args.init, out, err)
        if command == "history":
            return records.history(paths, "json" if args.json else "csv" if args.csv else "text", out)
        if command == "log":
            return records.log(paths, args.what, args.sound, args.hurt, args.where, clock or SystemClock(), out)
        if command == "remind":
            return run_reminder(paths, args.action, args.value, environ, out, err)
    except BrokenPipeError:  # `mobility-coach list | head` is fine
        return 0
    except UserError as error:
        err.write(f"mobility-coach: {error}\n")
        return error.exit_code
    except OSError as error:
        err.write(f"mobility-coach: {os_error_text(error)}\n")
        return 1
    raise AssertionError(command)
