"""Whether the app can start at all, decided before Textual is imported (this module
does not import it), so that a mistyped routine or a pipe is refused at once."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TextIO

from mobility_coach.core.errors import UserError
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import Library, load_all
from mobility_coach.core.routines.lookup import missing_routine_message


def not_a_terminal(streams: Mapping[str, TextIO | None]) -> str | None:
    """Which of the app's streams is not a terminal, if any. Textual reads keys from stdin
    and draws on stderr; with a pipe in their place (`mobility-coach | head`) it would draw
    into the pipe, or spin once the pipe closes, so the app refuses to start instead."""
    for name, stream in streams.items():
        try:
            if stream is None or not stream.isatty():
                return name
        except (OSError, ValueError):  # a closed stream is no terminal either
            return name
    return None


WEB_DRIVERS = ("textual.drivers.web_driver:WebDriver", "mobility_coach.tui.served_driver:ServedDriver")
"""What textual-serve sets TEXTUAL_DRIVER to for the app it runs for a browser tab, and
what ``mobility-coach serve`` sets it to instead."""


def library_to_run(paths: Paths, routine_id: str | None, environ: Mapping[str, str]) -> Library:
    """The routines for the app; a UserError (exit status 2) when ``routine_id`` is not
    one of them, or when the app has no terminal to run in."""
    library = load_all(paths)
    if routine_id is not None and routine_id not in library.routines:
        raise UserError(missing_routine_message(library, routine_id), exit_code=2)
    if environ.get("TEXTUAL_DRIVER") in WEB_DRIVERS:
        return library  # served to a browser tab: its streams are pipes to the server, by design
    missing = not_a_terminal({"stdin": sys.stdin, "stdout": sys.stdout, "stderr": sys.stderr})
    if missing is not None:
        raise UserError(
            f"the app needs a terminal, but {missing} is not one. In a pipe or script, "
            "use a command instead (see 'mobility-coach --help', e.g. 'mobility-coach list').",
            exit_code=2,
        )
    return library
