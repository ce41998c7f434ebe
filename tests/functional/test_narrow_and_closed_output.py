"""An output that cannot carry what a command prints, or that is gone, never ends the
command in a traceback: the real command, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mobility_coach.core.history.store import DB_NAME, History
from tests.bounded import run_cli

ASCII = {"PYTHONIOENCODING": "ascii"}


def environment(home: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MOBILITY_COACH", "PYTHONIOENCODING"))}
    return {**environ, "MOBILITY_COACH_HOME": str(home)}


def test_the_history_on_an_ascii_output_writes_what_ascii_cannot_carry_as_escapes(home: Path) -> None:
    history = History(home / "data" / DB_NAME)
    session = history.session_started("desk-break", "Hourly desk break", 4, at=1_800_000_000.0)
    history.session_ended(session, "completed", 4, 169.0, at=1_800_000_169.0)
    history.record_break("due", "remind", at=1_800_000_500.0)
    history.record_journal("crack", "single_pop", False, "neck", at=1_800_000_600.0)
    result = run_cli(["history"], home, env=ASCII, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Hourly desk break" in result.stdout and "Journal" in result.stdout
    assert "\\xb7" in result.stdout  # the '·' of the breaks line


def test_figures_on_an_ascii_output_say_in_one_line_why_they_are_not_shown(home: Path) -> None:
    result = run_cli(["show", "desk-break", "--figures"], home, env=ASCII, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith("mobility-coach: the figures are drawn in braille")
    assert result.stderr.count("\n") == 1 and "ascii" in result.stderr


def test_a_closed_output_ends_the_command_quietly(home: Path) -> None:
    # `mobility-coach list >&-`: Python starts with no sys.stdout at all.
    command = [sys.executable, "-m", "mobility_coach", "list"]
    script = 'exec "$@" >&-'
    result = subprocess.run(
        ["sh", "-c", script, "sh", *command],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_a_reader_gone_before_the_output_ends_the_command_quietly(home: Path) -> None:
    # `mobility-coach list | head -1`, with the reader gone before anything is written.
    process = subprocess.Popen(
        [sys.executable, "-m", "mobility_coach", "list"],
        env=environment(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, errors = process.communicate(timeout=30)
    assert (process.returncode, errors) == (0, b"")


def test_list_piped_into_head_ends_quietly(home: Path) -> None:
    result = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" | head -1', "bash", sys.executable, "-m", "mobility_coach", "list"],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.split() == ["NAME", "ID", "TIME", "POSITION", "TAGS", "FROM"]


def test_the_reminders_bell_rings_through_the_commands_output_filter() -> None:
    """The filter that shows a file's control characters as text lets the bell through
    when it is rung on purpose: before, a due break with no desktop wrote '\\x07'."""
    import io

    from mobility_coach.adapters.notify import ring_bell
    from mobility_coach.cli.terminal_stream import terminal_stream

    raw = io.StringIO()
    out = terminal_stream(raw, None)
    out.write("name \a\n")
    ring_bell(out)
    assert raw.getvalue() == "name \\x07\n\a"
