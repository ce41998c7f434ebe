"""`show --figures`: every exercise's figure as plain text, for any terminal or a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Result, write


def braille_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if any(0x2800 < ord(c) <= 0x28FF for c in line)]


def test_show_figures_draws_each_exercise_of_a_routine_once(cli) -> None:  # type: ignore[no-untyped-def]
    result: Result = cli("show", "core-posture", "--figures")
    assert result.code == 0 and result.err == ""
    for name in ("Bird-dog", "Forearm plank", "Dead bug", "Shoulder-blade squeeze"):
        assert result.out.count(f"\n{name} (") == 1, name
    assert "start" in result.out and "reach" in result.out
    assert len(braille_lines(result.out)) >= 4 * 5
    assert "\x1b" not in result.out  # plain text: no colour codes, nothing for NO_COLOR to strip


def test_show_figures_of_one_exercise_and_of_a_user_exercise_without_one(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    one = cli("show", "open-book", "--figures")
    assert one.code == 0 and one.out.startswith("Open book\n") and braille_lines(one.out)
    write(
        home / "config" / "routines",
        "mine.yaml",
        """
        exercises:
          mine:
            name: Mine
            position: seated
            cues: [Sit.]
        """,
    )
    plain = cli("show", "mine", "--figures")
    assert plain.code == 0 and "plain figure of its position" in plain.out and braille_lines(plain.out)


def test_show_figures_draws_every_key_position_within_80_columns(cli) -> None:  # type: ignore[no-untyped-def]
    """A rep passes through each key position: the cat-cows' arch and round are both drawn."""
    for exercise, keys in (("cat-cow", ("start", "cow", "cat")), ("seated-cat-cow", ("start", "arch", "round"))):
        shown = cli("show", exercise, "--figures").out
        captions = [line.split() for line in shown.splitlines() if line.strip() and not braille_lines(line)]
        assert [word for line in captions[1:] for word in line] == list(keys), shown
        assert all(len(line) <= 80 for line in shown.splitlines())


def test_figures_and_json_are_one_or_the_other(cli) -> None:  # type: ignore[no-untyped-def]
    result: Result = cli("show", "plank", "--figures", "--json")
    assert result.code == 2 and "not allowed with" in result.err


def test_show_figures_works_in_a_pipe(home: Path) -> None:
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home), "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-m", "mobility_coach", "show", "desk-break", "--figures"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert "Walk about (hold 45s)" in done.stdout and braille_lines(done.stdout)
