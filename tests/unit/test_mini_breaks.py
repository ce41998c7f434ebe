"""Mini breaks (issue 27): short, quiet breaks between the hourly ones. Under a fake clock,
each case says exactly when one comes, and when it does not (a session, a meeting, off
hours, idle, the hourly break near, a suspend). 2026-11-23 is a Monday, in Berlin."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mobility_coach.core.breaks.host import ClockHost
from mobility_coach.core.breaks.mini import MINI_PREFIX, MOVES
from mobility_coach.core.breaks.protocol import ProtocolError, Reply, encode_reply, parse_reply
from mobility_coach.core.breaks.schedule import DEFAULT_REMINDERS, Phase, ReminderSettings, Schedule
from mobility_coach.core.breaks.service import BreakEntry, BreakService, remote_describe
from mobility_coach.core.breaks.snapshot import ClockSnapshot, SnapshotError
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import describe, load_settings
from mobility_coach.core.history.stats import summarize, today_summary
from mobility_coach.core.history.store import History
from tests.conftest import where, write
from tests.unit.test_schedule import BERLIN, MIN, OFFICE, at, local

MINI = {"mini_every": 20 * MIN, "mini_length": 20.0}


def make(start: str = "2026-11-23 09:00", **settings: object) -> tuple[Schedule, FakeClock]:
    clock = FakeClock(wall=at(start))
    return Schedule(ReminderSettings(**(MINI | settings)), clock, BERLIN), clock  # type: ignore[arg-type]


def run(
    schedule: Schedule, clock: FakeClock, seconds: float, idle: float | None = None, held: str | None = None
) -> list[tuple[str, str]]:
    """Time passes as the reminder's loop lets it: sleep next_wake(), then update."""
    fired: list[tuple[str, str]] = []
    end = clock.monotonic() + seconds
    while clock.monotonic() < end - 1e-9:
        clock.advance(min(max(schedule.next_wake(), 0.001), end - clock.monotonic()))
        fired += [(e.kind, local(e.wall)) for e in schedule.update(idle, lambda: held)]
    return fired


def minis(fired: list[tuple[str, str]]) -> list[str]:
    return [when for kind, when in fired if kind == "mini"]


def test_mini_breaks_are_off_unless_set() -> None:
    assert DEFAULT_REMINDERS.mini_every is None
    schedule, clock = make(mini_every=None)
    assert minis(run(schedule, clock, 59 * MIN)) == []
    assert schedule.status().mini_left is None


def test_one_falls_due_every_20_minutes_of_sitting_shows_for_its_length_then_goes() -> None:
    schedule, clock = make()
    assert minis(run(schedule, clock, 20 * MIN - 1)) == []
    assert schedule.status().describe() == "next break in 40:01"
    assert run(schedule, clock, 1) == [("mini", "Mon 09:20")]
    assert schedule.status().describe() == f"{MINI_PREFIX}look at something 6 m away · 0:20"
    assert schedule.next_wake() == 20  # the reminder wakes to take it down
    run(schedule, clock, 20)
    assert schedule.status().describe() == "next break in 39:40"
    assert schedule.status().mini_left == 20 * MIN  # the next counts from this one's end
    # 09:40:20 comes next; 09:60:40 would be within 5 minutes of the hourly break: none.
    assert minis(run(schedule, clock, 39 * MIN)) == ["Mon 09:40"]
    assert schedule.phase is Phase.COUNTING and schedule.status().mini is None


def test_they_take_turns_the_eye_break_every_other_time() -> None:
    schedule, clock = make(every=8 * 3600.0, mini_every=60.0)
    said = []
    for _ in range(len(MOVES) + 1):
        run(schedule, clock, 60)
        said.append(schedule.status().mini)
        run(schedule, clock, 20)
    assert said[0] == said[2] == said[4] == said[6] == "look at something 6 m away"
    assert len({said[1], said[3], said[5]}) == 3


def test_none_comes_within_five_minutes_of_the_hourly_break() -> None:
    schedule, clock = make(mini_every=56 * MIN)
    assert minis(run(schedule, clock, 60 * MIN)) == []
    assert schedule.phase is Phase.DUE
    assert minis(run(schedule, clock, 30 * MIN)) == []  # nor while it is due
    schedule, clock = make(mini_every=54 * MIN)
    assert minis(run(schedule, clock, 60 * MIN)) == ["Mon 09:54"]


def test_none_during_a_session_and_the_interval_starts_over_after_it() -> None:
    schedule, clock = make()
    run(schedule, clock, 15 * MIN)
    schedule.session_started()
    assert minis(run(schedule, clock, 10 * MIN)) == []
    assert schedule.status().mini_left is None
    schedule.session_ended(moved=False)  # quit early: not a break, still some movement
    assert minis(run(schedule, clock, 20 * MIN)) == ["Mon 09:45"]


def test_a_session_under_way_ends_the_mini_break_on_screen() -> None:
    schedule, clock = make()
    run(schedule, clock, 20 * MIN)
    schedule.session_started()
    assert schedule.status().mini is None and schedule.status().describe() == "in a session"
    run(schedule, clock, 1)
    assert schedule.status().mini is None


def test_a_meeting_lets_it_pass_unannounced() -> None:
    schedule, clock = make()
    assert minis(run(schedule, clock, 20 * MIN, held="microphone in use")) == []
    assert schedule.phase is Phase.COUNTING
    assert minis(run(schedule, clock, 20 * MIN)) == ["Mon 09:40"]  # the next one comes


def test_none_outside_working_hours() -> None:
    schedule, clock = make("2026-11-23 17:15", working_hours=OFFICE)
    assert minis(run(schedule, clock, 29 * MIN)) == []  # 17:35 is after hours
    assert schedule.phase is Phase.OFF_HOURS and schedule.status().mini_left is None
    assert minis(run(schedule, clock, 15 * 3600.0)) == []  # the night
    assert minis(run(schedule, clock, 1 * 3600.0)) == ["Tue 09:20", "Tue 09:40"]


def test_none_while_paused() -> None:
    schedule, clock = make()
    schedule.pause(3600.0)
    assert minis(run(schedule, clock, 59 * MIN)) == []


def test_idle_a_minute_counts_as_one_and_the_interval_starts_on_return() -> None:
    schedule, clock = make()
    run(schedule, clock, 15 * MIN)
    assert minis(run(schedule, clock, 2 * MIN, idle=90.0)) == []  # away from the keys
    run(schedule, clock, 1, idle=0.0)  # back at 09:17
    assert minis(run(schedule, clock, 20 * MIN - 2, idle=0.0)) == []
    assert minis(run(schedule, clock, 2, idle=0.0)) == ["Mon 09:37"]


def test_a_short_idle_pause_does_not_count() -> None:
    schedule, clock = make()
    assert minis(run(schedule, clock, 20 * MIN, idle=30.0)) == ["Mon 09:20"]


def test_suspend_safe_a_short_sleep_stands_still_a_longer_one_counts() -> None:
    schedule, clock = make()
    run(schedule, clock, 10 * MIN)
    clock.suspend(30)  # shorter than a minute: the interval stood still with the clock
    assert minis(run(schedule, clock, 10 * MIN)) == ["Mon 09:20"]  # 09:20:30 on the wall
    run(schedule, clock, 5 * MIN)
    clock.suspend(3 * MIN)  # away longer than a mini break: that was one
    run(schedule, clock, 1)  # awake again at 09:28:31
    assert minis(run(schedule, clock, 20 * MIN - 2)) == []
    assert minis(run(schedule, clock, 2)) == ["Mon 09:48"]


def test_a_long_sleep_never_fires_a_burst() -> None:
    schedule, clock = make(every=8 * 3600.0, mini_every=60.0)
    clock.suspend(6 * 3600.0)
    assert run(schedule, clock, 60) == [("natural_break", "Mon 15:01")]  # the hour and minis start over
    assert minis(run(schedule, clock, 100)) == ["Mon 15:02"]  # one, not one per minute asleep


def test_kept_across_owners_and_a_shorter_setting_applies_to_the_sitting_counted() -> None:
    schedule, clock = make()
    run(schedule, clock, 20 * MIN)  # the first, on screen
    saved = ClockSnapshot.from_json(schedule.snapshot().to_json())
    clock.advance(5 * MIN)
    later = Schedule(schedule.settings, clock, BERLIN)
    later.restore(saved)
    assert later.status().mini is None  # its 20 s are not shown again
    # Nor does a new one fall due at once: the 5 minutes between owners were sitting.
    assert later.status().mini_left == 20 * MIN + 20 - 5 * MIN
    clock.advance(15 * MIN + 20)
    assert [(e.kind, e.detail) for e in later.update(0.0)] == [("mini", MOVES[1].id)]  # the turn went on
    assert later.status().mini == MOVES[1].line and local(clock.wall()) == "Mon 09:40"
    later.reconfigure(replace(later.settings, mini_every=None))
    run(later, clock, 1)
    assert later.status().mini is None


def test_an_older_snapshot_without_mini_breaks_restores() -> None:
    schedule, clock = make()
    data = schedule.snapshot().to_json()
    del data["mini_since"], data["mini_turn"]
    saved = ClockSnapshot.from_json(data)
    assert saved.mini_since is None and saved.mini_turn == 0
    Schedule(schedule.settings, clock, BERLIN).restore(saved)


def test_the_reply_carries_it_and_a_watching_app_counts_it_down() -> None:
    schedule, clock = make()
    host = ClockHost(BreakService(schedule.settings, clock, lambda: 0.0, "remind", tz=BERLIN), None, 42)
    host.open()
    reply = host.reply()
    assert reply.mini is None and reply.mini_left == 20 * MIN
    clock.advance(20 * MIN)
    host.tick()
    reply = parse_reply(encode_reply(host.reply()))
    assert reply.mini == "look at something 6 m away" and reply.mini_left == 20
    assert remote_describe(reply, 5) == f"{MINI_PREFIX}look at something 6 m away · 0:15"
    assert remote_describe(reply, 21) == "next break in 39:39"
    assert parse_reply(encode_reply(Reply(True, "x"))).mini is None


def test_kept_in_the_history_as_its_own_kind_never_as_a_break(tmp_path: Path) -> None:
    kept: list[BreakEntry] = []
    clock = FakeClock(wall=at("2026-11-23 09:00"))
    service = BreakService(ReminderSettings(**MINI), clock, lambda: 0.0, "app", kept.append, tz=BERLIN)  # type: ignore[arg-type]
    clock.advance(20 * MIN)
    service.tick()
    assert [(e.kind, e.detail) for e in kept] == [("mini_break", "eyes")]
    history = History(tmp_path / "h.db")
    for entry in kept:
        entry.write(history)
    history.record_break("taken", "app", at=clock.wall())
    today = today_summary(history, clock.wall(), BERLIN)
    assert (today.taken, today.due, today.natural, today.mini) == (1, 0, 0, 1)
    assert "mini" not in today.breaks_line()
    assert summarize(history, clock.wall(), BERLIN).today.taken == 1
    assert any('"mini_break"' in ",".join(row) for row in history.export("break"))


def test_settings_turn_them_on_and_wrong_ones_are_located(tmp_path: Path) -> None:
    settings, problems = load_settings(write(tmp_path, "c.yaml", "reminders:\n  mini_every: 20m\n  mini_length: 30s\n"))
    assert problems == []
    assert (settings.reminders.mini_every, settings.reminders.mini_length) == (1200, 30)
    assert "  mini_every: 20m\n  mini_length: 30s" in describe(settings)
    settings, problems = load_settings(write(tmp_path, "c.yaml", "reminders:\n  mini_every: off\n"))
    assert problems == [] and settings.reminders.mini_every is None
    assert "  mini_every: off" in describe(settings)
    path = write(tmp_path, "c.yaml", "reminders:\n  mini_every: 10s\n  mini_length: often\n  every: 30m\n")
    settings, problems = load_settings(path)
    assert where(problems) == [
        (2, 15, "reminders.mini_every: must be at least 1m, not 10s"),
        (3, 16, "reminders.mini_length: expected a duration like 30s, 1m30s, 2m or a number of seconds, found 'often'"),
    ]
    assert settings.reminders.mini_every is None and settings.reminders.every == 1800


def test_a_mini_break_passed_while_away_does_not_make_the_reminder_spin() -> None:
    schedule, clock = make()
    run(schedule, clock, 19 * MIN)
    run(schedule, clock, 2 * MIN, idle=120.0)  # away when it would fall due
    assert schedule.status().mini is None
    assert schedule.next_wake() == 60  # not 0: it looks again in a minute, as for idle time


def test_hostile_mini_fields_are_refused_on_the_wire() -> None:
    for line in (b'{"ok": true, "message": "", "mini": 5}', b'{"ok": true, "message": "", "mini_left": -1}'):
        with pytest.raises(ProtocolError):
            parse_reply(line)
    data = make()[0].snapshot().to_json() | {"mini_turn": "three"}
    with pytest.raises(SnapshotError):
        ClockSnapshot.from_json(data)
