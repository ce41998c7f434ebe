"""Hostile values in duration fields, wherever a duration is read: each command answers
at once with a clear message (the old regex took seconds per few hundred spaces)."""

from pathlib import Path

from tests.bounded import run_cli
from tests.conftest import write

SPACES = " " * 5000


def test_a_routine_duration_of_spaces_is_refused_quickly(home: Path) -> None:
    write(home / "config" / "routines", "mine.yaml", f"""
        routines:
          mine:
            name: Mine
            summary: Test.
            steps:
              - exercise: cat-cow
                hold: "{SPACES}x"
              - exercise: cat-cow
                hold: "{SPACES}1m"
    """)
    result = run_cli(["validate"], home, timeout=20)
    assert result.returncode == 1
    assert "mine.yaml:7:" in result.stdout and "at most 64 characters" in result.stdout
    listing = run_cli(["list"], home, timeout=20)
    assert listing.returncode == 0 and "mine.yaml:7:" in listing.stderr


def test_a_config_duration_of_spaces_is_refused_quickly(home: Path) -> None:
    write(home / "config", "config.yaml", f'reminders:\n  every: "1h{SPACES}x"\n')
    result = run_cli(["config"], home, timeout=20)
    assert result.returncode == 1
    assert "config.yaml:2:10: reminders.every: a duration is at most 64 characters" in result.stderr


def test_a_snooze_argument_of_spaces_is_refused_quickly(home: Path) -> None:
    result = run_cli(["remind", "snooze", f"1{SPACES}x"], home, timeout=20)
    assert result.returncode == 2
    assert "a duration is at most 64 characters long" in result.stderr
    assert len(result.stderr) < 200
