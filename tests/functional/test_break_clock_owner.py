"""One owner of the break clock (issue 10: two open apps kept two clocks that disagreed;
with the reminder running the app could not answer a due break; after `remind stop` the
app said "break due now" for good). Apps are ClockLinks on this test's event loop, the
reminder runs its real loop on a thread, all on one data folder with real locks and
sockets; the clocks are fake, so "the remaining time is exact" means exactly equal."""

from __future__ import annotations

import asyncio
import io
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mobility_coach.adapters.clock_link import ClockLink
from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.remind_socket import ask
from mobility_coach.core.breaks.host import ClockHost
from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.breaks.phase import Phase
from mobility_coach.core.breaks.protocol import AskStatus, Reply, SessionEnd, SessionStart, Skip, Snooze, Stop
from mobility_coach.core.breaks.schedule import ReminderSettings
from mobility_coach.core.breaks.service import BreakService, Suggestion
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.core.paths import Paths
from mobility_coach.remind import Alerts, Reminder, owning_the_clock, single_instance
from tests.fake_notice import FakeNotice
from tests.tui.conftest import asyncio_test

MIN = 60.0
SETTINGS = ReminderSettings(every=60 * MIN, snooze=10 * MIN, break_length=5 * MIN)
WAIT = 10.0  # seconds a step may take before the test fails (it never waits this long when passing)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")


class App:
    """What an app's ClockLink tells it, kept for the test to wait on."""

    def __init__(self, paths: Paths, clock: FakeClock, name: str) -> None:
        self.name = name
        self.replies: list[Reply] = []
        self.changed = asyncio.Condition()
        self.kept: list[str] = []
        self.link = ClockLink(
            paths=paths,
            environ={},
            make_host=lambda: ClockHost(
                BreakService(SETTINGS, clock, lambda: None, "app", lambda entry: self.kept.append(entry.kind)),
                ClockStore(paths.break_clock_file),
                os.getpid(),
            ),
            clock=clock,
            on_status=self._status,
            retry_seconds=0.01,
        )

    def _status(self, reply: Reply) -> None:
        self.replies.append(reply)

        async def wake() -> None:
            async with self.changed:
                self.changed.notify_all()

        asyncio.get_running_loop().create_task(wake())

    async def until(self, what: str, test: Callable[[], bool]) -> None:
        async def wait() -> None:
            async with self.changed:
                await self.changed.wait_for(test)

        try:
            await asyncio.wait_for(wait(), WAIT)
        except TimeoutError:
            pytest.fail(f"{self.name}: {what} did not happen; it last heard {self.replies[-1:]}")

    async def sees(self, phase: Phase, left: float | None = None) -> None:
        def seen() -> bool:
            reply = self.link.reply()
            return reply is not None and reply.phase is phase and (left is None or reply.seconds_left == left)

        await self.until(f"seeing {phase.value} {left}", seen)


async def both(*apps: App) -> None:
    for app in apps:
        await app.link.start()


@contextmanager
def reminder_running(paths: Paths, clock: FakeClock) -> Iterator[Reminder]:
    """The headless reminder's real loop on a thread, owning the clock as `remind` does."""
    reminder = Reminder(
        Settings(reminders=SETTINGS),
        clock,
        NoIdle(),
        Alerts(FakeNotice(), lambda: None, lambda: None),
        Suggestion("desk-break", "Hourly desk break"),
        io.StringIO(),
        store=ClockStore(paths.break_clock_file),
    )
    started, failed = threading.Event(), []

    def run() -> None:
        try:
            with single_instance(paths), owning_the_clock(reminder, paths, {}) as server:
                started.set()
                reminder.serve(server)
        except BaseException as error:
            failed.append(error)
            started.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield reminder
    finally:
        ask(paths, Stop(), {}, timeout=WAIT)
        thread.join(timeout=WAIT)
        assert not thread.is_alive(), "the reminder did not stop"
        assert not failed, failed


async def in_thread(call: Callable[[], object]) -> object:
    return await asyncio.wait_for(asyncio.to_thread(call), WAIT)


@asyncio_test
async def test_two_apps_share_one_clock_and_an_answer_in_one_closes_the_question_in_the_other(paths: Paths) -> None:
    clock = FakeClock()
    first, second = App(paths, clock, "first app"), App(paths, clock, "second app")
    await both(first, second)
    await second.until("following the first app", lambda: second.link.mode == "client")
    assert first.link.mode == "owner" and second.link.owner == "app"
    await second.sees(Phase.COUNTING, 60 * MIN)
    clock.advance(60 * MIN)
    first.link.tick()
    await second.sees(Phase.DUE)
    assert first.link.reply() == second.link.reply()  # one clock: both say the same, due since the same moment
    second.link.send(Snooze())  # answered in the second window...
    await first.sees(Phase.SNOOZED, 10 * MIN)  # ...the owner moved...
    await second.sees(Phase.SNOOZED, 10 * MIN)  # ...and every window shows it
    assert first.kept == ["due", "snoozed"]  # kept once, by the owner
    await first.link.close()
    await second.link.close()


@asyncio_test
async def test_when_the_owning_app_quits_the_other_takes_over_with_the_time_it_had(paths: Paths) -> None:
    clock = FakeClock()
    first, second = App(paths, clock, "first app"), App(paths, clock, "second app")
    await both(first, second)
    clock.advance(25 * MIN)
    first.link.send(Snooze(5 * MIN))  # postponed: 40 minutes left
    await second.sees(Phase.COUNTING, 40 * MIN)
    clock.advance(7 * MIN)
    await first.link.close()
    await second.until("taking over", lambda: second.link.mode == "owner")
    assert second.link.reply() is not None and second.link.reply().seconds_left == 33 * MIN  # type: ignore[union-attr]
    await second.link.close()


@asyncio_test
async def test_a_due_break_left_unanswered_is_asked_again_by_the_next_owner(paths: Paths) -> None:
    clock = FakeClock()
    first, second = App(paths, clock, "first app"), App(paths, clock, "second app")
    await first.link.start()
    clock.advance(60 * MIN)
    first.link.tick()
    due = first.link.reply()
    assert due is not None and due.phase is Phase.DUE
    await first.link.close()
    await second.link.start()
    again = second.link.reply()
    assert again is not None and again.phase is Phase.DUE and again.due_since == due.due_since
    await second.link.close()


@asyncio_test
async def test_the_reminder_takes_the_clock_from_the_app_and_gives_it_back_when_stopped(paths: Paths) -> None:
    clock = FakeClock()
    app, other = App(paths, clock, "app"), App(paths, clock, "other app")
    await both(app, other)
    clock.advance(20 * MIN)
    with reminder_running(paths, clock) as reminder:
        for each in (app, other):  # neither app snatches the clock back while the reminder takes it
            await each.until("following the reminder", lambda e=each: e.link.owner == "remind")  # type: ignore[misc]
        assert reminder.schedule.seconds_left() == 40 * MIN  # the app's clock, not a fresh hour
        clock.advance(40 * MIN)
        await in_thread(lambda: ask(paths, AskStatus(), {}))  # the reminder's loop wakes and sees the deadline
        await app.sees(Phase.DUE)
        app.link.send(Skip())  # the app answers the reminder's question
        await app.sees(Phase.COUNTING, 60 * MIN)
        assert reminder.schedule.phase is Phase.COUNTING
        clock.advance(60 * MIN)
        await in_thread(lambda: ask(paths, AskStatus(), {}))
        await app.sees(Phase.DUE)
    # `remind stop`: an app owns the clock again, still due: not "break due now (remind)" for good
    await app.until("an app taking the clock back", lambda: "owner" in (app.link.mode, other.link.mode))
    owner, follower = (app, other) if app.link.mode == "owner" else (other, app)
    assert owner.link.phase is Phase.DUE and owner.link.owner == "app"
    await follower.until("following the new owner", lambda: follower.link.owner == "app")
    follower.link.send(Snooze())
    await owner.sees(Phase.SNOOZED, 10 * MIN)
    await follower.sees(Phase.SNOOZED, 10 * MIN)
    await app.link.close()
    await other.link.close()


@asyncio_test
async def test_two_apps_and_a_reminder_answer_the_same_break_once(paths: Paths) -> None:
    clock = FakeClock()
    first, second = App(paths, clock, "first app"), App(paths, clock, "second app")
    with reminder_running(paths, clock) as reminder:
        await both(first, second)
        for app in (first, second):
            await app.until("following the reminder", lambda app=app: app.link.owner == "remind")  # type: ignore[misc]
        clock.advance(60 * MIN)
        await in_thread(lambda: ask(paths, AskStatus(), {}))
        await first.sees(Phase.DUE)
        await second.sees(Phase.DUE)
        first.link.send(SessionStart(os.getpid()))  # Start in one window...
        await second.sees(Phase.IN_SESSION)  # ...closes the question in the other
        skipped = await in_thread(lambda: ask(paths, Skip(), {}))  # a late `remind skip` changes nothing
        assert isinstance(skipped, Reply) and skipped.phase is Phase.IN_SESSION
        clock.advance(3 * MIN)
        first.link.send(SessionEnd(os.getpid(), moved=True))
        await second.sees(Phase.COUNTING, 60 * MIN)
        assert reminder.schedule.phase is Phase.COUNTING
    await first.link.close()
    await second.link.close()


@asyncio_test
async def test_a_killed_app_s_session_ends_as_not_a_break(paths: Paths) -> None:
    clock = FakeClock()
    dead = 999_999_999 % (1 << 22) + 4_000_000  # no such process here
    host = ClockHost(
        BreakService(SETTINGS, clock, lambda: None, "app"), None, os.getpid(), alive=lambda pid: pid != dead
    )
    clock.advance(50 * MIN)
    host.handle(SessionStart(dead))
    assert host.service.phase is Phase.IN_SESSION
    clock.advance(20 * MIN)
    assert [event.kind for event in host.tick()] == ["due"]  # back where it was: the break is due


@asyncio_test
async def test_a_window_closing_as_its_session_ends_still_tells_the_owner(paths: Paths) -> None:
    clock = FakeClock()
    owner, closing = App(paths, clock, "owner"), App(paths, clock, "closing app")
    await both(owner, closing)
    await closing.until("following", lambda: closing.link.mode == "client")
    closing.link.send(SessionStart(os.getpid()))
    await owner.sees(Phase.IN_SESSION)
    clock.advance(5 * MIN)
    closing.link.send(SessionEnd(os.getpid(), moved=True))  # quit after enough movement...
    await closing.link.close()  # ...as the app closes: the answer is not lost on the way out
    assert owner.link.phase is Phase.COUNTING and owner.kept == ["taken"]
    await owner.link.close()


@asyncio_test
async def test_a_session_in_a_window_holds_reminders_off_across_a_hand_over(paths: Paths) -> None:
    """Found trying it: a reminder started while a routine ran in an app rang "break due"."""
    clock = FakeClock()
    keeper, runner = App(paths, clock, "keeping app"), App(paths, clock, "app running a routine")
    await both(keeper, runner)
    await runner.until("following", lambda: runner.link.mode == "client")
    runner.link.send(SessionStart(os.getpid()))
    await keeper.sees(Phase.IN_SESSION)
    clock.advance(70 * MIN)  # past the hour: only the session holds the break off
    with reminder_running(paths, clock) as reminder:
        await runner.until("following the reminder", lambda: runner.link.owner == "remind")
        assert reminder.schedule.phase is Phase.IN_SESSION
        assert "break due" not in reminder.log.getvalue()  # type: ignore[attr-defined]
        runner.link.send(SessionEnd(os.getpid(), moved=True))
        await keeper.sees(Phase.COUNTING, 60 * MIN)
    await keeper.link.close()
    await runner.link.close()
