"""Nothing from a file, a file name or the command line reaches the terminal as control
characters: a routine named ``ESC ] 2 ; PWNED BEL`` must not retitle the terminal."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility_coach.cli import main
from mobility_coach.core.history.store import DB_NAME, History
from tests.conftest import Result, write

# What a terminal acts on (C0 but tab and newline, DEL, C1) or what reorders text (bidi).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RETITLE = "\x1b]2;PWNED\x07"
CLIPBOARD = "\x1b]52;c;SGVsbG8=\x07"


def run(home: Path, *args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), environ={"MOBILITY_COACH_HOME": str(home)}, out=out, err=err)
    return Result(code, out.getvalue(), err.getvalue())


def routine_file(home: Path, routines: dict[str, dict[str, object]], name: str = "mine.yaml") -> Path:
    """The routines as YAML (control characters written as YAML escapes, as a user would)."""
    data = {
        "routines": {
            rid: {"summary": "Test.", "steps": [{"exercise": "cat-cow", "hold": "30s"}], **r}
            for rid, r in routines.items()
        }
    }
    return write(home / "config" / "routines", name, yaml.safe_dump(data, allow_unicode=False))


def assert_plain(result: Result) -> None:
    assert not CONTROL.search(result.out), result.out
    assert not CONTROL.search(result.err), result.err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=40))
def test_no_routine_name_puts_a_control_character_on_the_terminal(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        routine_file(home, {"mine": {"name": name}})
        for args in (("list",), ("show", "mine"), ("show", "mine", "--cues"), ("validate", "mine")):
            assert_plain(run(home, *args))


def test_a_hostile_name_and_summary_are_refused_where_they_are_and_the_rest_loads(home: Path) -> None:
    path = write(
        home / "config" / "routines",
        "mine.yaml",
        """
        routines:
          good:
            name: Good one
            summary: Fine.
            steps: [{exercise: cat-cow, hold: 30s}]
          evil:
            name: "Evil\\e]2;PWNED\\a"
            summary: "clip\\e]52;c;SGVsbG8=\\a"
            steps: [{exercise: cat-cow, hold: 30s}]
        """,
    )
    result = run(home, "validate", str(path))
    assert result.code == 1
    assert f"{path}:7:11: routines.evil.name: holds the control character \\x1b;" in result.out
    assert f"{path}:8:14: routines.evil.summary: holds the control character \\x1b;" in result.out
    assert_plain(result)
    listed = run(home, "list")
    assert "Good one" in listed.out and "Evil" not in listed.out
    assert "routines.evil.name" in listed.err
    assert_plain(listed)


def test_a_bidi_override_in_a_cue_is_refused(home: Path) -> None:
    write(
        home / "config" / "routines",
        "mine.yaml",
        """
        exercises:
          odd:
            name: Odd
            position: seated
            cues: ["Breathe \\u202eout"]
        """,
    )
    result = run(home, "validate")
    assert "exercises.odd.cues[0]: holds the control character \\u202e;" in result.out
    assert_plain(result)


def test_a_file_name_with_escapes_is_refused_and_printed_as_text(home: Path) -> None:
    path = routine_file(home, {"mine": {"name": "Mine"}}, name=f"x{RETITLE}.yaml")
    result = run(home, "validate")
    assert result.code == 1
    assert "x\\x1b]2;PWNED\\x07.yaml:1:1: the file's name holds the control character \\x1b" in result.out
    assert_plain(result)
    listed = run(home, "list")
    assert " mine " not in listed.out  # its origin would show the name on the home screen
    assert_plain(listed)
    assert_plain(run(home, "validate", str(path)))


def test_a_path_given_on_the_command_line_is_echoed_as_text(home: Path) -> None:
    result = run(home, "show", str(home / f"x{RETITLE}.yaml"))
    assert result.code == 2 and "x\\x1b]2;PWNED\\x07.yaml" in result.err
    assert_plain(result)
    missing = run(home, "validate", str(home / f"y{CLIPBOARD}.yaml"))
    assert "y\\x1b]52;c;SGVsbG8=\\x07.yaml:1:1: no such file or folder" in missing.out + missing.err
    assert_plain(missing)


def test_history_shows_a_recorded_hostile_name_as_text_and_exports_it_exactly(home: Path) -> None:
    # The history keeps what a routine was called when it ran: written before the loader
    # refused such names, or by hand, it may hold anything.
    name = f"Evil{RETITLE}{CLIPBOARD}\x9b2J\u202e"
    history = History(home / "data" / DB_NAME)
    session = history.session_started("evil", name, 1, at=1_800_000_000.0)
    history.session_ended(session, "completed", 1, 30.0, at=1_800_000_030.0)
    text = run(home, "history")
    assert "Evil\\x1b]2;PWNED\\x07\\x1b]" in text.out
    assert_plain(text)
    exported = run(home, "history", "--json")
    assert_plain(exported)
    assert "\\u001b]2;PWNED\\u0007" in exported.out
    assert json.loads(exported.out)["sessions"][0]["routine_name"] == name
    assert_plain(run(home, "history", "--csv"))
