"""Edits to config.yaml and the routine files reach the running app: no restart, the
user's place on the home screen kept, and a broken edit reported with the last good kept.
The app's 2-second timer calls ``_check_files``; the tests call it themselves."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from mobility_coach.tui.screens.break_due import BreakDueScreen
from mobility_coach.tui.screens.home import HomeScreen
from mobility_coach.tui.screens.player import PlayerScreen
from mobility_coach.tui.screens.problems import ProblemsScreen
from tests.tui.conftest import advance, asyncio_test, make_app
from tests.unit.test_live_files import ROUTINE, edit


def toasts(app: object) -> list[str]:
    """Each toast as its title (if any) and message, on one line each."""
    return [f"{n.title} | {n.message}" if n.title else n.message for n in app._notifications]  # type: ignore[attr-defined]


@asyncio_test
async def test_a_settings_edit_applies_live_and_a_broken_one_keeps_the_last_good(home: Path) -> None:
    app = make_app(home)
    config = home / "config" / "config.yaml"
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 30, step=10)
        assert app.title == "mobility-coach · next break in 60 min"
        edit(config, "reminders:\n  every: 1m\n")
        app._check_files()
        await pilot.pause()
        # The 30 s already sat still count under the new interval.
        assert app.title == "mobility-coach · next break in 0:30"
        assert toasts(app) == ["Settings reloaded"]
        app.clear_notifications()
        edit(config, "reminders:\n  every: 5m\n  snooze: often\n")
        app._check_files()
        await pilot.pause()
        assert (
            app.schedule is not None
            and app.schedule.settings.every == 60
            and app.title == "mobility-coach · next break in 0:30"
        )
        (toast,) = toasts(app)
        good = "config.yaml has a problem; the last good settings stay in force"
        assert toast.startswith(f"{good} | {config}:3:11: reminders.snooze: ")
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("escape")
        await advance(pilot, 30, step=10)
        assert isinstance(app.screen, BreakDueScreen)


@asyncio_test
async def test_a_routine_edit_shows_at_home_without_losing_the_users_place(home: Path) -> None:
    routines = home / "config" / "routines"
    two = ROUTINE.format(id="mine-one", name="Mine one", reps=5) + ROUTINE.format(
        id="mine-two", name="Mine two", reps=3
    ).removeprefix("routines:\n")
    edit(routines / "mine.yaml", two)
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"mine", "down")
        options = app.screen.query_one("#routines", OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == "mine-two"
        edit(routines / "more.yaml", ROUTINE.format(id="mine-a", name="Mine a", reps=5))
        app._check_files()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#filter", Input).value == "mine"
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["mine-a", "mine-one", "mine-two"]
        assert options.get_option_at_index(options.highlighted or 0).id == "mine-two"
        assert toasts(app) == ["Routines reloaded: 1 added"]


@asyncio_test
async def test_a_broken_routine_edit_keeps_the_last_good_routine_and_a_session_its_own(home: Path) -> None:
    routines = home / "config" / "routines"
    edit(routines / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=5))
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        started = app.library.routines["mine"]
        app.state.checkin_date = "2026-11-21"  # no check-in in the way
        app.begin(started)
        await pilot.pause()
        edit(routines / "mine.yaml", "routines:\n  mine: [\n")
        app._check_files()
        await pilot.pause()
        assert app.library.routines["mine"] is started
        (toast,) = toasts(app)
        good = "mine.yaml has a problem; its last good routines stay in force"
        assert toast.startswith(f"{good} | {routines / 'mine.yaml'}:3:1: ")
        edit(routines / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=9))
        app._check_files()
        await pilot.pause()
        assert app.library.routines["mine"].steps[0].reps == 9
        player = next(s for s in app.screen_stack if isinstance(s, PlayerScreen))
        assert player.routine is started
