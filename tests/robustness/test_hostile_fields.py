"""Hostile values in duration fields, wherever a duration is read: each command answers
at once with a clear message (the old regex took seconds per few hundred spaces)."""

from pathlib import Path

from tests.bounded import run_cli
from tests.conftest import write

SPACES = " " * 5000


def test_a_routine_duration_of_spaces_is_refused_quickly(home: Path) -> None:
    write(
        home / "config" / "routines",
        "mine.yaml",
        f"""
        routines:
          mine:
            name: Mine
            summary: Test.
            steps:
              - exercise: cat-cow
                hold: "{SPACES}x"
              - exercise: cat-cow
                hold: "{SPACES}1m"
    """,
    )
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


def test_the_other_patterns_run_on_user_data_stay_linear() -> None:
    # Every regular expression in src/ that sees user data: working hours, day names, ids.
    import re

    from mobility_coach.core.breaks.workhours import parse_days, parse_range
    from mobility_coach.core.routines.starter import slug
    from mobility_coach.core.spec import ID_PATTERN
    from tests.bounded import within

    hostile = [
        " " * 100_000 + "x",
        "09:00" + " " * 100_000 + "x",
        "09:00 -" + " " * 100_000 + "x",
        "1" * 100_000,
        "a-" * 50_000 + "!",
        "é " * 50_000,
    ]

    def run_all() -> None:
        for text in hostile:
            parse_range(text)
            parse_days(text)
            re.fullmatch(ID_PATTERN, text)
            slug(text)

    within(5, run_all, "the patterns on hostile text")
