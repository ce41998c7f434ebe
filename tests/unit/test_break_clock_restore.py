"""The break clock carried from one process to the next (issue 10: closing and reopening
the app forgot the sitting time and any snooze). Each case saves a schedule's snapshot,
lets time pass with nothing running, and restores it into a fresh schedule, as a newly
started app or reminder does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.breaks.host import ClockHost
from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.breaks.schedule import Phase, ReminderSettings, Schedule
from mobility_coach.core.breaks.service import BreakService
from mobility_coach.core.breaks.snapshot import ClockSnapshot, SnapshotError
from mobility_coach.core.clock import FakeClock

MIN = 60.0
SETTINGS = ReminderSettings(every=60 * MIN, snooze=10 * MIN, break_length=5 * MIN)


def reopen(saved: ClockSnapshot, clock: FakeClock) -> tuple[Schedule, list[str]]:
    schedule = Schedule(SETTINGS, clock)
    events = schedule.restore(saved)
    return schedule, [event.kind for event in events]


def test_restart_mid_hour_keeps_the_sitting_time_counting_while_nothing_ran() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(20 * MIN)
    saved = first.snapshot()
    clock.advance(15 * MIN)  # the app is closed for a quarter of an hour
    second, events = reopen(saved, clock)
    assert events == [] and second.phase is Phase.COUNTING
    assert second.seconds_left() == pytest.approx(25 * MIN)
    clock.advance(25 * MIN)
    assert [e.kind for e in second.update()] == ["due"]


def test_restart_mid_snooze_keeps_the_snooze() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(60 * MIN)
    first.update()
    first.snooze()
    clock.advance(3 * MIN)
    saved = first.snapshot()
    clock.advance(2 * MIN)
    second, _ = reopen(saved, clock)
    assert second.phase is Phase.SNOOZED and second.seconds_left() == pytest.approx(5 * MIN)


def test_restart_mid_pause_stays_paused_until_the_same_time() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    first.pause(30 * MIN)
    until = first.status().paused_until
    clock.advance(10 * MIN)
    second, _ = reopen(first.snapshot(), clock)
    assert second.phase is Phase.PAUSED and second.status().paused_until == until
    clock.advance(20 * MIN)
    assert [e.kind for e in second.update()] == ["resumed"]
    assert second.phase is Phase.COUNTING


def test_a_pause_until_resumed_survives_a_reboot() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    first.pause()
    clock.reboot(off_seconds=12 * 3600)
    second, _ = reopen(first.snapshot(), clock)
    assert second.phase is Phase.PAUSED and second.status().paused_until is None


def test_a_break_due_when_the_app_closed_is_still_due_and_not_announced_twice() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(60 * MIN)
    assert [e.kind for e in first.update()] == ["due"]
    clock.advance(MIN)
    second, events = reopen(first.snapshot(), clock)
    assert second.phase is Phase.DUE and events == []
    assert second.update() == []  # the history already has this "due"


def test_a_break_that_fell_due_while_nothing_ran_is_due_at_once() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(50 * MIN)
    saved = first.snapshot()
    clock.advance(30 * MIN)
    second, _ = reopen(saved, clock)
    assert [e.kind for e in second.update()] == ["due"]


def test_sleeping_a_break_long_while_nothing_ran_was_a_break() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(50 * MIN)
    saved = first.snapshot()
    clock.suspend(6 * MIN)
    second, events = reopen(saved, clock)
    assert events == ["natural_break"]
    assert second.phase is Phase.COUNTING and second.seconds_left() == pytest.approx(60 * MIN)


def test_a_short_sleep_while_nothing_ran_does_not_count_as_sitting() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(50 * MIN)
    saved = first.snapshot()
    clock.suspend(2 * MIN)
    second, events = reopen(saved, clock)
    assert events == [] and second.seconds_left() == pytest.approx(10 * MIN)


def test_a_machine_switched_off_for_the_night_starts_a_fresh_hour() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(50 * MIN)
    saved = first.snapshot()
    clock.reboot(off_seconds=10 * 3600)
    second, events = reopen(saved, clock)
    assert events == ["natural_break"] and second.seconds_left() == pytest.approx(60 * MIN)


def test_a_quick_reboot_counts_as_sitting_time() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(50 * MIN)
    saved = first.snapshot()
    clock.reboot(off_seconds=30, uptime=60)
    second, events = reopen(saved, clock)
    assert events == [] and second.seconds_left() == pytest.approx(10 * MIN - 90)


def test_a_session_cut_off_with_its_process_was_not_a_break() -> None:
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(40 * MIN)
    first.session_started()
    clock.advance(MIN)
    second, _ = reopen(first.snapshot(), clock)
    assert second.phase is Phase.COUNTING and second.seconds_left() == pytest.approx(19 * MIN)


def test_a_shorter_every_keeps_the_sitting_already_counted() -> None:
    clock = FakeClock()
    schedule = Schedule(SETTINGS, clock)
    clock.advance(10 * MIN)
    schedule.reconfigure(ReminderSettings(every=15 * MIN))
    assert schedule.seconds_left() == pytest.approx(5 * MIN)
    schedule.reconfigure(ReminderSettings(every=5 * MIN))
    assert [e.kind for e in schedule.update()] == ["due"]


def test_the_store_round_trips_and_sets_a_broken_file_aside(tmp_path: Path) -> None:
    clock = FakeClock()
    store = ClockStore(tmp_path / "break-clock.json")
    assert store.load() is None and store.problem is None
    snapshot = Schedule(SETTINGS, clock).snapshot()
    store.save(snapshot)
    assert store.load() == snapshot
    store.path.write_text('{"version": 1, "phase": "dancing"}')
    assert store.load() is None
    assert store.problem is not None and "kept as break-clock.json.broken" in store.problem
    assert (tmp_path / "break-clock.json.broken").read_text() == '{"version": 1, "phase": "dancing"}'


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(max_size=12), inner),
        max_leaves=20,
    )
)
def test_any_json_is_a_snapshot_or_a_clear_refusal(value: object) -> None:
    try:
        ClockSnapshot.from_json(value)
    except SnapshotError as error:
        assert str(error)


def test_a_hostile_snapshot_is_refused_field_by_field() -> None:
    good = Schedule(SETTINGS, FakeClock()).snapshot().to_json()
    for key, bad in (
        ("left", float("nan")),
        ("left", True),
        ("since", 1e300),
        ("phase", "x"),
        ("boot_id", "b" * 65),
        ("sessions", [0]),
        ("sessions", ["42"]),
        ("sessions", [True]),
        ("sessions", list(range(1, 100))),
        ("sessions", 42),
    ):
        changed = json.loads(json.dumps(good))
        changed[key] = bad
        with pytest.raises(SnapshotError):
            ClockSnapshot.from_json(changed)


def test_an_every_changed_while_nothing_ran_applies_on_restart() -> None:
    """Found trying it: `config --init`, `every: 1m`, open the app: "next break in 59:08"."""
    clock = FakeClock()
    first = Schedule(SETTINGS, clock)
    clock.advance(30)
    saved = first.snapshot()
    clock.advance(10)
    second = Schedule(ReminderSettings(every=MIN, snooze=10 * MIN, break_length=5 * MIN), clock)
    second.restore(saved)
    assert second.seconds_left() == pytest.approx(20)  # the 40 s sat so far count against the new minute


def test_a_postponed_break_keeps_its_postponement_through_edits_and_restarts() -> None:
    clock = FakeClock()
    schedule = Schedule(SETTINGS, clock)
    clock.advance(10 * MIN)
    schedule.snooze(15 * MIN)  # before it was due: the break moves from 60 to 75 minutes
    schedule.reconfigure(ReminderSettings(every=30 * MIN))
    assert schedule.seconds_left() == pytest.approx(35 * MIN)  # 30 + 15 - 10
    second = Schedule(ReminderSettings(every=30 * MIN), clock)
    second.restore(schedule.snapshot())
    assert second.seconds_left() == pytest.approx(35 * MIN)


def test_the_host_writes_the_clock_when_it_changes_not_as_time_passes(tmp_path: Path) -> None:
    clock = FakeClock()
    store = ClockStore(tmp_path / "break-clock.json")
    host = ClockHost(BreakService(SETTINGS, clock, lambda: 0.0, "app"), store, 1)
    host.open()
    written = store.path.stat().st_mtime_ns, store.path.read_bytes()
    for _ in range(30):  # the idle app's seconds: counting down is no change of the clock
        clock.advance(1.0)
        host.tick()
    assert (store.path.stat().st_mtime_ns, store.path.read_bytes()) == written
    host.service.pause(30 * MIN)
    host.save()
    assert json.loads(store.path.read_bytes())["phase"] == "paused"
