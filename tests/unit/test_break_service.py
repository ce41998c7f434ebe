"""The break service under a fake clock: what reaches the history, once each and stamped
with the injected clock, and the one rule for which routine a due break offers."""

from __future__ import annotations

import io
from pathlib import Path

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.core.breaks.protocol import AskStatus, Pause, Reply, Skip, Snooze
from mobility_coach.core.breaks.schedule import Phase, ReminderSettings
from mobility_coach.core.breaks.service import (
    BreakEntry,
    BreakService,
    Source,
    Suggestion,
    remote_describe,
    suggest_routine,
)
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.core.history.store import History
from mobility_coach.core.routines.loader import builtin_layer, load_library
from mobility_coach.remind import Alerts, Reminder
from tests.fake_notice import FakeNotice

# Far from today's real time, so a write stamped by time.time() could not pass for it.
WALL = 1_000_000_000.0
HOUR = 3600.0


def service(
    source: Source = "app", idle: list[float | None] | None = None
) -> tuple[BreakService, FakeClock, list[BreakEntry]]:
    clock = FakeClock(wall=WALL)
    kept: list[BreakEntry] = []
    reading = idle if idle is not None else [None]
    return BreakService(ReminderSettings(), clock, lambda: reading[0], source, kept.append), clock, kept


def test_a_due_break_is_kept_once_with_the_clock_s_wall_time() -> None:
    breaks, clock, kept = service()
    clock.advance(HOUR - 1)
    assert breaks.tick() == [] and kept == []
    clock.advance(1)
    assert [e.kind for e in breaks.tick()] == ["due"]
    assert kept == [BreakEntry("due", "app", WALL + HOUR)]
    clock.advance(600)
    breaks.tick()
    assert len(kept) == 1, "a due break waiting for an answer was kept again"


def test_snooze_and_skip_are_each_kept_once() -> None:
    breaks, clock, kept = service(source="remind")
    clock.advance(HOUR)
    breaks.tick()
    breaks.snooze()
    breaks.tick()
    assert kept[1:] == [BreakEntry("snoozed", "remind", WALL + HOUR, "600s")]
    assert breaks.phase is Phase.SNOOZED
    clock.advance(600)
    breaks.tick()
    breaks.skip()
    breaks.tick()
    assert [e.kind for e in kept] == ["due", "snoozed", "due", "skipped"]
    assert kept[-1].at == WALL + HOUR + 600 and breaks.phase is Phase.COUNTING


def test_a_natural_break_is_kept_under_the_history_s_name() -> None:
    reading: list[float | None] = [None]
    breaks, clock, kept = service(idle=reading)
    clock.advance(600)
    reading[0] = 300.0
    breaks.tick()
    assert kept == [BreakEntry("natural_idle", "app", WALL + 600, "idle")]


def test_a_face_deferring_to_another_reminder_keeps_nothing() -> None:
    breaks, clock, kept = service()
    clock.advance(HOUR)
    assert [e.kind for e in breaks.tick(keep=False)] == ["due"] and kept == []


def test_requests_are_answered_and_kept_once_each() -> None:
    breaks, _, kept = service(source="remind")
    assert breaks.answer(AskStatus()) is None and kept == []
    breaks.answer(Snooze(300))
    breaks.answer(Pause(HOUR))
    breaks.answer(Skip())
    assert [(e.kind, e.detail) for e in kept] == [
        ("snoozed", "300s"),
        ("paused", f"{WALL + HOUR:.0f}"),
        ("skipped", ""),
    ]


def test_entries_reach_the_history_at_the_injected_time(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    breaks, clock, _ = service()
    breaks.record = lambda entry: entry.write(history)
    clock.advance(HOUR)
    breaks.tick()
    breaks.skip()
    assert [(b.kind, b.source, b.at) for b in history.breaks()] == [
        ("skipped", "app", WALL + HOUR),
        ("due", "app", WALL + HOUR),
    ]


ROUTINES = load_library([builtin_layer()]).routines


def test_the_configured_routine_is_offered_when_it_exists() -> None:
    assert suggest_routine(ROUTINES, "floor-mobility") == Suggestion("floor-mobility", ROUTINES["floor-mobility"].name)


def test_a_missing_routine_falls_back_to_the_default_and_says_why() -> None:
    suggestion = suggest_routine(ROUTINES, "flor-mobility")
    assert (suggestion.routine_id, suggestion.name) == ("desk-break", "Hourly desk break")
    assert suggestion.problem == (
        "the suggested routine 'flor-mobility' does not exist; did you mean 'floor-mobility'?;"
        " reminders offer 'desk-break', the default"
    )


def test_without_the_default_either_nothing_is_offered() -> None:
    suggestion = suggest_routine({}, "mine")
    assert (suggestion.routine_id, suggestion.name) == (None, None)
    assert suggestion.problem == "the suggested routine 'mine' does not exist, nor does the default 'desk-break'"


def test_the_headless_reminder_offers_what_the_rule_says() -> None:
    """`remind` names the fallback in its notification, never the missing routine."""
    clock = FakeClock(wall=WALL)
    bodies: list[str] = []
    settings = Settings(ReminderSettings(suggested_routine="flor-mobility"))
    suggestion = suggest_routine(ROUTINES, settings.reminders.suggested_routine)
    alerts = Alerts(FakeNotice(lambda title, body: bodies.append(body)), lambda: None, lambda: None)
    reminder = Reminder(settings, clock, NoIdle(), alerts, suggestion, io.StringIO())
    clock.advance(HOUR)
    reminder.tick()
    assert len(bodies) == 1 and "Try Hourly desk break: mobility-coach run desk-break " in bodies[0]


def test_a_remote_countdown_runs_on_between_polls() -> None:
    counting = Reply(True, "next break in 1:00:00", Phase.COUNTING, HOUR)
    assert remote_describe(counting, 61.0) == "next break in 58:59"
    assert remote_describe(counting, 2 * HOUR) == "next break in 0:00"
    snoozed = Reply(True, "next break in 5:00 (snoozed)", Phase.SNOOZED, 300.0)
    assert remote_describe(snoozed, 60.0) == "next break in 4:00 (snoozed)"
    paused = Reply(True, "reminders paused", Phase.PAUSED, None)
    assert remote_describe(paused, 60.0) == "reminders paused"


def test_i_already_moved_is_a_request_of_its_own_kept_as_taken_on_your_word() -> None:
    from mobility_coach.core.breaks.protocol import MovedAlready, parse_request

    assert parse_request(b'{"cmd": "moved"}\n') == MovedAlready()
    breaks, clock, kept = service()
    clock.advance(HOUR)
    breaks.tick()
    assert breaks.phase is Phase.DUE
    breaks.answer(MovedAlready())
    assert breaks.phase is Phase.COUNTING
    assert kept[-1] == BreakEntry("taken", "app", WALL + HOUR, "your word")
