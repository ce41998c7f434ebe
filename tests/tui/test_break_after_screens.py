"""Issue 24: whatever screen the user leaves while a break is due, they land at home and
the break is asked there. A break falling due as a session ended was asked over the
player, the finish screen then took the question's place, and leaving it showed the
ended session, frozen, with no break ever asked again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from mobility_coach.core.breaks.phase import Phase
from mobility_coach.core.breaks.schedule import ReminderSettings
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.screens.break_due import GRACE_SECONDS, BreakDueScreen
from mobility_coach.tui.screens.checkin import CheckInScreen
from mobility_coach.tui.screens.finish import FinishScreen
from mobility_coach.tui.screens.home import HomeScreen
from mobility_coach.tui.screens.journal import JournalAnswerScreen, JournalScreen
from mobility_coach.tui.screens.player import PlayerScreen
from mobility_coach.tui.screens.stats import StatsScreen
from tests.tui.conftest import advance, asyncio_test, make_app

EVERY = 60.0  # the tester's `reminders: {every: 1m}`


def one_minute_app(home: Path) -> MobilityCoachApp:
    app = make_app(home, clock=FakeClock(), settings=Settings(ReminderSettings(every=EVERY)))
    app.bell = lambda: None  # type: ignore[method-assign]
    return app


async def asked_at_home(pilot: Pilot[None]) -> None:
    """The user is at home and the break question is up over it, nothing else."""
    app = pilot.app
    await advance(pilot, 0)  # what the app does at once, not at its next tick
    stack = [type(s).__name__ for s in app.screen_stack]
    assert stack == ["HomeScreen", "BreakDueScreen"], stack
    assert isinstance(app, MobilityCoachApp) and app.schedule is not None and app.schedule.phase is Phase.DUE


async def quit_session_as_it_falls_due(pilot: Pilot[None]) -> None:
    """The tester's steps: Enter, `s`, the break falls due in the session, `q`, `y`."""
    await pilot.press("enter", "s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PlayerScreen)
    await advance(pilot, 65, step=0.25)
    await pilot.press("q", "y")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FinishScreen)


async def quit_session_already_due(pilot: Pilot[None]) -> None:
    """The break is asked, started (Enter), and the session quit early."""
    await advance(pilot, EVERY, step=1)
    await advance(pilot, GRACE_SECONDS)
    assert isinstance(pilot.app.screen, BreakDueScreen)
    await pilot.press("enter", "s")
    await pilot.pause()
    await advance(pilot, 5, step=0.25)
    await pilot.press("q", "y")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FinishScreen)


async def escape(pilot: Pilot[None]) -> None:
    await pilot.press("escape")


async def worse_then_ok(pilot: Pilot[None]) -> None:
    await pilot.press("w")
    await pilot.pause()
    await pilot.press("c")  # the advice's OK


async def pain_then_ok(pilot: Pilot[None]) -> None:
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("escape")


async def same(pilot: Pilot[None]) -> None:
    await pilot.press("s")


SessionEnd = Callable[[Pilot[None]], Awaitable[None]]


@pytest.mark.parametrize("end", [quit_session_as_it_falls_due, quit_session_already_due])
@pytest.mark.parametrize("leave", [escape, worse_then_ok, pain_then_ok, same])
@asyncio_test
async def test_leaving_the_finish_screen_goes_home_and_asks_the_break(
    home: Path, end: SessionEnd, leave: SessionEnd
) -> None:
    app = one_minute_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await end(pilot)
        assert not any(isinstance(s, BreakDueScreen) for s in app.screen_stack), "asked over the session's end"
        await leave(pilot)
        await asked_at_home(pilot)


@asyncio_test
async def test_a_session_ending_under_the_palette_leaves_no_player_behind(home: Path) -> None:
    """The finish screen takes the player's place, not that of whatever covers it."""
    app = one_minute_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "s")
        await pilot.pause()
        await pilot.press("ctrl+p")  # the command palette, over the session...
        await pilot.pause()
        assert not isinstance(app.screen, PlayerScreen)
        await advance(pilot, 400, step=0.5)  # ...left open to the session's end (the suggested routine, some 5 minutes)
        assert [type(s) for s in app.screen_stack] == [HomeScreen, FinishScreen]
        await pilot.press("escape")
        await advance(pilot, 0)
        assert [type(s) for s in app.screen_stack] == [HomeScreen]  # a whole session: a break taken


@asyncio_test
async def test_backing_out_of_the_check_in_asks_the_break_at_home(home: Path) -> None:
    app = one_minute_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, CheckInScreen)
        await advance(pilot, EVERY + 5, step=1)
        assert isinstance(app.screen, CheckInScreen)  # on the way into a routine: not asked over it
        await pilot.press("escape")
        await asked_at_home(pilot)


@asyncio_test
async def test_leaving_the_statistics_asks_the_break_at_home(home: Path) -> None:
    """Asked over the statistics, the question took the Esc meant for them: snoozed unseen."""
    app = one_minute_app(home)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, StatsScreen)
        await advance(pilot, EVERY + 5, step=1)
        assert bells == [1], "the break falling due is heard at once, wherever the user is"
        await pilot.press("escape")
        await asked_at_home(pilot)
        assert bells == [1]  # and not twice


@asyncio_test
async def test_cancelling_the_journal_asks_the_break_at_home(home: Path) -> None:
    app = one_minute_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, JournalScreen)
        await advance(pilot, EVERY + 5, step=1)
        await pilot.press("escape")
        await asked_at_home(pilot)


@asyncio_test
async def test_a_journal_entry_kept_as_the_break_falls_due_ends_at_home_with_the_question(home: Path) -> None:
    app = one_minute_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, EVERY - 5, step=1)
        await pilot.press("ctrl+l", "1", "1", "2")  # a crack, its sound, no pain...
        await advance(pilot, 10, step=1)  # ...and the break falls due before the last answer
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, JournalAnswerScreen)
        await pilot.press("escape")
        await asked_at_home(pilot)
