"""What counts as a break taken, under a fake clock: a routine quit after five seconds is
started and quit, not a break; sixty seconds of work or a finished routine is. The same
rule feeds the schedule, the history rows, the streak and both faces of the numbers."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from mobility_coach.cli.history_output import write_text
from mobility_coach.core.breaks.schedule import Phase, ReminderSettings
from mobility_coach.core.breaks.service import BreakEntry, BreakService
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.history.stats import summarize
from mobility_coach.core.history.store import History, SessionStatus
from mobility_coach.core.session.movement import (
    MIN_MOVING_SECONDS,
    counts_as_break,
    moving_needed,
    recorded_session_counts,
    session_was_break,
)
from tests.unit.builders import routine, step

WALL = 1_800_000_000.0  # a Friday; the tests keep to one UTC day from here
DAY = 86400.0
HOUR = 3600.0


class Day:
    """The app's session path without a screen: the break service, the history, the rule."""

    def __init__(self, tmp_path: Path, wall: float = WALL) -> None:
        self.clock = FakeClock(wall=wall)
        self.history = History(tmp_path / "h.sqlite3")
        self.kept: list[BreakEntry] = []
        self.breaks = BreakService(ReminderSettings(), self.clock, lambda: None, "app", self._keep)

    def _keep(self, entry: BreakEntry) -> None:
        self.kept.append(entry)
        entry.write(self.history)

    def session(self, work: float, status: SessionStatus, steps_done: int = 1, steps_total: int = 4) -> bool:
        """A session of ``work`` seconds moving, ended with ``status``; True if it was a break."""
        self.breaks.session_started()
        session = self.history.session_started("desk-break", "Hourly desk break", steps_total, at=self.clock.wall())
        self.clock.advance(work)
        self.breaks.tick()
        self.history.session_ended(session, status, steps_done, work, at=self.clock.wall())
        moved = counts_as_break(status == "completed", work)
        self.breaks.session_ended(moved)
        return moved


def kinds(history: History) -> list[str]:
    return [b.kind for b in reversed(history.breaks())]


def test_the_rule_sixty_seconds_of_work_or_finishing() -> None:
    assert not counts_as_break(False, 5.0)
    assert not counts_as_break(False, 59.9)
    assert counts_as_break(False, 60.0)
    assert counts_as_break(False, 61.0)
    assert counts_as_break(True, 0.0)


def test_a_routine_shorter_than_the_minimum_counts_when_its_whole_work_is_done() -> None:
    short = routine(step(hold=20.0), step(hold=15.0))
    assert moving_needed(short) == 35.0
    assert not session_was_break(False, 20.0, short)
    assert session_was_break(False, 35.0, short)
    long = routine(step(hold=45.0), step(hold=45.0))
    assert moving_needed(long) == MIN_MOVING_SECONDS
    assert session_was_break(False, 60.0, long) and not session_was_break(False, 45.0, long)
    assert moving_needed(routine(step(reps=10))) == MIN_MOVING_SECONDS  # self-paced: length unknown
    assert not session_was_break(False, 30.0, None)


def test_a_quit_after_five_seconds_is_started_and_quit_and_the_hour_carries_on(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.clock.advance(20 * 60)
    assert day.session(5.0, "quit") is False
    (session,) = day.history.sessions()
    assert session.status == "quit" and not recorded_session_counts(session.status, 1, 4, 5.0)
    assert kinds(day.history) == []
    assert day.breaks.phase is Phase.COUNTING
    left = day.breaks.status().seconds_left
    assert left == pytest.approx(40 * 60 - 5.0), "a quit session restarted the hour"
    day.clock.advance(40 * 60 - 5.0)
    assert [e.kind for e in day.breaks.tick()] == ["due"]  # on the original time
    stats = summarize(day.history, day.clock.wall())
    assert (stats.today.due, stats.today.taken, stats.streak) == (1, 0, 0)


def test_a_finished_routine_is_a_break_and_restarts_the_hour(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.clock.advance(20 * 60)
    assert day.session(90.0, "completed", steps_done=4) is True
    assert kinds(day.history) == ["taken"]
    assert day.breaks.phase is Phase.COUNTING
    assert day.breaks.status().seconds_left == pytest.approx(HOUR)
    stats = summarize(day.history, day.clock.wall())
    assert (stats.today.taken, stats.streak) == (1, 1)


def test_a_break_due_stays_due_after_a_quit_session(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.clock.advance(HOUR)
    assert [e.kind for e in day.breaks.tick()] == ["due"]
    day.session(5.0, "quit")
    assert day.breaks.phase is Phase.DUE
    assert day.breaks.tick() == []  # still the same due break: not asked again, not forgotten
    assert kinds(day.history) == ["due"]


def test_a_session_of_sixty_one_seconds_quit_early_counts(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.clock.advance(HOUR)
    day.breaks.tick()
    assert day.session(61.0, "quit", steps_done=2) is True
    assert day.breaks.phase is Phase.COUNTING
    assert kinds(day.history) == ["due", "taken"]
    (session,) = day.history.sessions()
    assert recorded_session_counts(session.status, session.steps_done, session.steps_total, session.active_seconds)


def test_a_counting_clock_that_ran_out_during_a_quit_session_is_due_at_once(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.clock.advance(HOUR - 10)
    day.session(30.0, "quit")
    assert [e.kind for e in day.breaks.tick()] == ["due"]


def test_streaks_count_only_sessions_that_were_breaks(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    # today: one finished; yesterday: only a five-second try; the day before: 61 s quit.
    for days_ago, status, done, work in ((0, "completed", 4, 90.0), (1, "quit", 0, 5.0), (2, "quit", 2, 61.0)):
        at = WALL - days_ago * DAY
        session = history.session_started("desk-break", "Hourly desk break", 4, at=at)
        history.session_ended(session, status, done, work, at=at + work)  # type: ignore[arg-type]
    assert summarize(history, WALL + 60).streak == 1, "a session quit after 5 s kept the streak alive"
    session = history.session_started("desk-break", "Hourly desk break", 4, at=WALL - DAY + 100)
    history.session_ended(session, "quit", 1, 61.0, at=WALL - DAY + 200)
    assert summarize(history, WALL + 60).streak == 3


def test_stats_and_history_show_the_same_numbers_for_a_generated_day(tmp_path: Path) -> None:
    rng = random.Random(10)
    start = WALL - WALL % DAY + 8 * HOUR  # 08:00 UTC, far from midnight either way
    day = Day(tmp_path, wall=start)
    day.breaks.schedule.settings = ReminderSettings(every=60.0, snooze=30.0)
    day.breaks.schedule.skip()  # a fresh one-minute interval under the new settings
    sessions = breaks_taken = 0
    for _ in range(120):
        day.clock.advance(rng.choice([10.0, 30.0, 60.0]))
        due = any(e.kind == "due" for e in day.breaks.tick())
        if not due and day.breaks.phase is not Phase.DUE:
            continue
        answer = rng.choice(["snooze", "skip", "quit", "finish", "long"])
        if answer == "snooze":
            day.breaks.snooze()
        elif answer == "skip":
            day.breaks.skip()
        else:
            sessions += 1
            work = {"quit": 5.0, "finish": 40.0, "long": 61.0}[answer]
            status: SessionStatus = "completed" if answer == "finish" else "quit"
            breaks_taken += day.session(work, status, steps_done=4 if answer == "finish" else 1)
    rows = kinds(day.history)
    stats = summarize(day.history, day.clock.wall())
    assert sessions > 10 and 0 < breaks_taken < sessions  # the generator exercised both kinds
    assert stats.today.taken == rows.count("taken") == breaks_taken
    assert stats.today.due == rows.count("due")
    out = io.StringIO()
    write_text(day.history, out, now=day.clock.wall())
    assert f"Breaks today: {stats.today.breaks_line()}\n" in out.getvalue()
