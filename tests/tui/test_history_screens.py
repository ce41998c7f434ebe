"""The journal flow and the stats screen, and what a session leaves in the history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.history.store import DB_NAME, History
from mobility_coach.tui.screens.checkin import CheckInScreen
from mobility_coach.tui.screens.home import HomeScreen
from mobility_coach.tui.screens.journal import JournalAnswerScreen, JournalScreen
from mobility_coach.tui.screens.stats import StatsScreen
from tests.tui.conftest import advance, asyncio_test, make_app, on_screen

NOW = datetime(2026, 11, 20, 18, 0).timestamp()  # a Friday evening, local time


def history_of(home: Path) -> History:
    return History(home / "data" / DB_NAME)


@asyncio_test
async def test_logging_a_painful_grinding_crack_advises_a_professional_and_offers_no_drill(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("1", "3", "2", "4")  # a crack · grinding · it hurt · lower back
        assert isinstance(app.screen, JournalAnswerScreen)
        text = str(app.screen.query_one(".dialog-text").render())
        assert "Grinding or grating can come with wear of the joint surfaces" in text
        assert "How concerned to be: higher" in text and "Please see a physical therapist or doctor" in text
        assert "Entries today: 1." in text
        # More movement is not the answer straight after a painful crack: no drill, not even on its key.
        assert not app.screen.query("#drill")
        await pilot.press("d")
        assert isinstance(app.screen, JournalAnswerScreen)
    (entry,) = history_of(home).journal()
    assert (entry.kind, entry.sound, entry.hurt, entry.area) == ("crack", "grinding", True, "lower")


@asyncio_test
async def test_after_a_painful_crack_the_default_is_the_advice_not_the_drill(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l", "1", "1", "2", "3")  # a crack · single pop · it hurt · middle back
        assert isinstance(app.screen, JournalAnswerScreen)
        assert "Please see a physical therapist or doctor" in str(app.screen.query_one(".dialog-text").render())
        focused = app.screen.focused
        assert isinstance(focused, Button) and focused.id == "close" and focused.variant == "primary"
        assert not app.screen.query("#drill")
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


@asyncio_test
async def test_an_urge_is_logged_with_arrows_and_enter(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l", "down", "enter", "enter", "enter")  # urge · no pain · neck
        text = str(app.screen.query_one(".dialog-text").render())
        assert "an urge to crack (neck)" in text and "especially gentle with your neck" in text
        assert "Please see" not in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert [(j.kind, j.area) for j in history_of(home).journal()] == [("urge", "neck")]


@asyncio_test
async def test_a_session_is_recorded_step_by_step_with_its_outcome_and_feeling(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await advance(pilot, 50.0)  # the first step's 14 s get-ready and 30 s of work done
        (running,) = history_of(home).sessions()
        assert (running.status, running.steps_done, running.steps_total) == ("running", 1, 4)
        await pilot.press("q", "y", "w")
    (session,) = history_of(home).sessions()
    assert (session.status, session.steps_done, session.feeling) == ("quit", 1, "worse")
    assert session.active_seconds == 30.0  # the first step's work, not its get-ready and rest
    # 30 s of work, quit: started and quit, not a break taken (issue 10).
    assert [b.kind for b in history_of(home).breaks()] == []


def seed(home: Path) -> None:
    history = history_of(home)
    day = 86400.0
    for days_ago, minutes, name in (
        (0, 3, "Hourly desk break"),
        (1, 10, "Floor mobility"),
        (2, 3, "Hourly desk break"),
        (5, 6, "Core and posture"),
    ):
        at = NOW - 8 * 3600 - days_ago * day
        session = history.session_started(name.lower().replace(" ", "-"), name, 4, at=at)
        history.session_ended(session, "completed", 4, minutes * 60, at=at + minutes * 60)
    for kind in ("due", "due", "taken", "snoozed", "skipped"):
        history.record_break(kind, "app", at=NOW - 3600)  # type: ignore[arg-type]
    for days_ago, count in ((3, 1), (9, 3), (12, 4), (30, 6)):
        for _ in range(count):
            history.record_journal("urge", None, False, "mid", at=NOW - 7200 - days_ago * day)


@asyncio_test
async def test_stats_screen_shows_today_streak_and_charts(home: Path) -> None:
    seed(home)
    app = make_app(home, clock=FakeClock(wall=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, StatsScreen)
        today = str(app.screen.query_one("#today").render())
        assert "moved 3 min\nBreaks  2 due · 1 taken · 1 snoozed · 1 skipped · 0 away" in today
        assert "3 days in a row" in today and "Hourly desk break (2)" in today
        assert "the habit is fading" in str(app.screen.query_one("#weekly").render())
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


def test_stats_snapshot(snap_compare: Any, home: Path) -> None:
    seed(home)
    assert snap_compare(make_app(home, clock=FakeClock(wall=NOW)), press=["ctrl+s"])


def test_journal_answer_snapshot(snap_compare: Any, home: Path) -> None:
    async def log_a_pop(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+l", "1", "1", "1", "3")  # crack · single pop · no pain · middle back

    assert snap_compare(make_app(home, clock=FakeClock(wall=NOW)), run_before=log_a_pop)


@asyncio_test
async def test_quitting_the_app_mid_session_records_it_as_quit(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await advance(pilot, 50.0)
        await pilot.press("ctrl+q")
    (session,) = history_of(home).sessions()
    assert (session.status, session.steps_done, session.active_seconds) == ("quit", 1, 30.0)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
@asyncio_test
async def test_the_journal_answer_keeps_its_buttons_on_screen_and_enter_presses_the_focused_one(
    home: Path, size: tuple[int, int]
) -> None:
    app = make_app(home)
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+l", "1", "3", "1", "4")  # the longest answer with a drill: grinding, no pain
        assert isinstance(app.screen, JournalAnswerScreen)
        assert [b.id for b in app.screen.query(Button) if on_screen(b)] == ["drill", "close"]
        await pilot.press("tab", "enter")  # the drill has the focus now (after grinding, Close had it)
        assert isinstance(app.screen, CheckInScreen)


@asyncio_test
async def test_the_arrows_scroll_a_long_answer_while_the_close_button_keeps_the_focus(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("ctrl+l", "1", "3", "2", "4")
        body = app.screen.query_one(".dialog-body")
        assert body.max_scroll_y > 0
        await pilot.press("down", "down", "pagedown")
        assert body.scroll_y == body.max_scroll_y and app.screen.focused is app.screen.query_one("#close")
        await pilot.press("up")
        assert body.scroll_y == body.max_scroll_y - 1
