"""The history and log commands."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

from mobility_coach.cli import main
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.history.store import DB_NAME, History


def test_empty_history_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("history").out.startswith("No history yet")


def test_log_records_and_answers(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "crack", "--sound", "grinding", "--hurt", "--where", "lower")
    assert result.code == 0 and result.out.startswith("Noted: grinding or grating (lower back)")
    # A painful crack is a reason to have it examined: no drill is offered straight after it.
    assert "Please see a physical therapist or doctor" in result.out and "mobility-coach run" not in result.out
    painless = cli("log", "crack", "--sound", "grinding", "--where", "lower").out
    assert "mobility-coach run crack-swap" in painless
    assert cli("log", "urge", "--sound", "pop").code == 2
    entries = History(home / "data" / DB_NAME).journal()
    assert sorted((e.kind, e.sound, e.hurt, e.area) for e in entries) == [
        ("crack", "grinding", False, "lower"),
        ("crack", "grinding", True, "lower"),
    ]


def test_history_lists_and_exports_everything(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    history = History(home / "data" / DB_NAME)
    session = history.session_started("desk-break", "Hourly desk break", 4, at=1_800_000_000.0)
    history.session_ended(session, "completed", 4, 169.0, at=1_800_000_169.0)
    history.session_feeling(session, "better")
    history.record_break("due", "remind", at=1_800_000_500.0)
    history.record_journal("urge", None, False, "neck", at=1_800_000_600.0)
    text = cli("history").out
    assert "Hourly desk break    completed   4/4   2m49s  felt better" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    rows = list(csv.DictReader(io.StringIO(cli("history", "--csv").out)))
    assert [(r["record"], r["kind"] or r["status"]) for r in rows] == [
        ("session", "completed"),
        ("break", "due"),
        ("journal", "urge"),
    ]
    assert rows[0]["feeling"] == "better" and rows[0]["at"].startswith("20")
    data = json.loads(cli("history", "--json").out)
    assert [len(data[k]) for k in ("sessions", "breaks", "journal")] == [1, 1, 1]
    assert data["sessions"][0]["active_seconds"] == 169.0


def test_history_says_how_many_steps_a_finished_session_skipped(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    history = History(home / "data" / DB_NAME)
    session = history.session_started("desk-break", "Hourly desk break", 4, at=1_800_000_000.0)
    history.session_ended(session, "completed", 3, 137.0, at=1_800_000_169.0)
    quit = history.session_started("desk-break", "Hourly desk break", 4, at=1_800_001_000.0)
    history.session_ended(quit, "quit", 1, 30.0, at=1_800_001_040.0)
    text = cli("history").out
    assert "Hourly desk break    completed   3/4   2m17s\n" + " " * 40 + "(1 step skipped)\n" in text
    assert "Hourly desk break    quit        1/4     30s\n  " in text  # ended early: nothing was skipped
    assert all(len(line) <= 80 for line in text.splitlines())


def test_history_text_says_times_and_durations_in_words(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    from mobility_coach.core.breaks.schedule import ReminderSettings, Schedule
    from mobility_coach.core.clock import FakeClock
    from mobility_coach.core.history.store import break_kind

    history = History(home / "data" / DB_NAME)
    schedule = Schedule(ReminderSettings(), FakeClock(wall=1_800_000_000.0))
    # The details exactly as the app and the reminder store them.
    for event in (schedule.snooze(), schedule.pause(seconds=3600), schedule.pause()):
        kind = break_kind(event.kind, event.detail)
        assert kind is not None
        history.record_break(kind, "app", at=event.wall, detail=event.detail)
    text = cli("history").out
    assert re.search(r"\d{9,}", text) is None, text  # no POSIX seconds
    assert re.search(r"(?<![\dhm])\d+s\b", text) is None, text  # no bare "600s"
    assert "snoozed        from app (for 10 min)" in text
    until = datetime.fromtimestamp(1_800_003_600.0)
    assert f"paused         from app (until {until:%a %d %b %H:%M})" in text
    assert "(until resumed)" in text
    rows = list(csv.DictReader(io.StringIO(cli("history", "--csv").out)))
    assert next(r for r in rows if r["kind"] == "paused")["detail"].startswith(f"{until:%Y-%m-%dT%H:%M}")


def test_every_journal_entry_names_its_kind(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "crack", "--hurt").code == 0
    assert cli("log", "crack", "--sound", "pop", "--where", "mid").code == 0
    assert cli("log", "urge").code == 0
    journal = cli("history").out.split("\nJournal\n")[1].splitlines()[:3]
    whats = sorted(line.split("  ", 2)[-1] for line in journal)
    assert whats == ["crack, it hurt", "crack: single pop, mid", "urge to crack"]


def test_a_crack_that_hurt_is_not_called_low_concern(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "crack", "--hurt")
    assert "low if painless" not in result.out and "How concerned to be: high" in result.out


def test_log_takes_its_time_from_the_injected_clock(home: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    environ = {"MOBILITY_COACH_HOME": str(home)}
    code = main(["log", "urge"], environ=environ, out=out, err=err, clock=FakeClock(wall=1_234_567_890.0))
    assert code == 0 and out.getvalue().startswith("Noted: an urge to crack"), err.getvalue()
    (entry,) = History(home / "data" / DB_NAME).journal()
    assert entry.at == 1_234_567_890.0
