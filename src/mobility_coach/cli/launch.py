"""Starting the other faces from the command line: the app and the headless reminder. The
one CLI module that imports another face, each lazily (Textual only when the app is asked
for, so the other commands start in a blink)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import load_all
from mobility_coach.core.routines.lookup import no_routine_message

if TYPE_CHECKING:
    from mobility_coach.core.history.store import History


def _not_a_terminal(streams: Mapping[str, TextIO | None]) -> str | None:
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


def run_app(paths: Paths, routine_id: str | None, err: TextIO) -> int:
    library = load_all(paths)
    if routine_id is not None and routine_id not in library.routines:
        err.write(f"mobility-coach: {no_routine_message(routine_id, library.routines)}\n")
        return 2
    missing = _not_a_terminal({"stdin": sys.stdin, "stdout": sys.stdout, "stderr": sys.stderr})
    if missing is not None:
        err.write(
            f"mobility-coach: the app needs a terminal, but {missing} is not one. In a pipe or script, "
            "use a command instead (see 'mobility-coach --help', e.g. 'mobility-coach list').\n"
        )
        return 2
    from mobility_coach.adapters import idle
    from mobility_coach.core.config import load_settings
    from mobility_coach.core.history.store import DB_NAME, History, HistoryError
    from mobility_coach.core.state import StateStore
    from mobility_coach.tui.app import MobilityCoachApp  # only the TUI pays for Textual

    settings, problems = load_settings(paths.config_file, library.routines)
    history: History | None = None
    history_problem = None
    try:
        history = History(paths.data_dir / DB_NAME)
    except HistoryError as error:
        history_problem = str(error)
    app = MobilityCoachApp(
        library,
        StateStore(paths.state_file),
        start_routine=routine_id,
        settings=settings,
        idle=idle.detect(),
        reminder_paths=paths,
        settings_problems=problems,
        history=history,
        history_problem=history_problem,
    )
    app.run()
    return app.return_code or 0  # 128 + the signal, after a SIGTERM or SIGHUP


def run_reminder(
    paths: Paths, action: str | None, value: str | None, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    from mobility_coach import remind

    return remind.command(paths, action, value, environ, out, err)
