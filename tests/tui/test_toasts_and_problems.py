"""Toasts stay clear of a question's buttons and of the countdown, and the problems in
routine files stay reachable after their toast has gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widgets import Button
from textual.widgets._toast import Toast

from mobility_coach.tui.screens.break_due import BreakDueScreen
from mobility_coach.tui.screens.home import HomeScreen
from mobility_coach.tui.screens.problems import ProblemsScreen
from tests.tui.conftest import NoAudioSpeaker, advance, asyncio_test, make_app, on_screen, player_screen

SIZES = [(60, 20), (80, 24), (120, 40)]


def toasts(app: App[None]) -> list[Region]:
    found = [toast.region for toast in app.screen.query(Toast)]
    assert found, "no toast on screen: the test would prove nothing"
    return found


def covered(app: App[None], widgets: list[Region]) -> list[tuple[Region, Region]]:
    return [(t, w) for t in toasts(app) for w in widgets if t.overlaps(w)]


@pytest.mark.parametrize("size", SIZES)
@asyncio_test
async def test_the_break_toast_leaves_the_questions_buttons_free(home: Path, size: tuple[int, int]) -> None:
    app = make_app(home)
    async with app.run_test(size=size, notifications=True) as pilot:
        await advance(pilot, 3600, step=60)
        assert isinstance(app.screen, BreakDueScreen)
        assert list(app.screen.query(Toast)) == [], "a toast repeated what the question says"
        app.notify("Sent to the running reminder: pause.", timeout=3)  # any toast meanwhile
        await pilot.pause()
        assert covered(app, [b.region for b in app.screen.query(Button)]) == []
        assert [b.id for b in app.screen.query(Button) if on_screen(b)] == ["start", "snooze", "skip"]


@pytest.mark.parametrize("size", SIZES)
@asyncio_test
async def test_no_toast_covers_the_break_questions_text_and_no_sound_is_said_after(
    home: Path, size: tuple[int, int]
) -> None:
    # The break's alert was the first sound, and "No sound: ..." covered the question.
    app = make_app(home, speaker=NoAudioSpeaker())
    async with app.run_test(size=size, notifications=True) as pilot:
        await advance(pilot, 3600, step=60)
        assert isinstance(app.screen, BreakDueScreen)
        app.notify("Sent to the running reminder: pause.", timeout=3)  # any toast meanwhile
        await pilot.pause()
        texts = [w.region for w in app.screen.query(".dialog-text")]
        shown = [t.region for t in app.screen.query(Toast) if t.region]
        assert texts and [(t, w) for t in shown for w in texts if t.overlaps(w)] == []
        await advance(pilot, 2.0)
        await pilot.press("s")  # snoozed: the question closes
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("No sound" in str(toast.render()) for toast in app.screen.query(Toast))


@pytest.mark.parametrize("size", SIZES)
@asyncio_test
async def test_a_toast_in_a_session_leaves_the_countdown_free(home: Path, size: tuple[int, int]) -> None:
    bad = home / "config" / "routines" / "bad.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("routines:\n  x:\n    nmae: X\n")  # its toast is a tall one
    app = make_app(home, start="desk-break")
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("s")
        await advance(pilot, 12.0)
        await pilot.press("m")  # "Sound off."
        await pilot.pause()
        countdowns = [w.region for w in player_screen(app).query("#countdown, #countdown-big") if w.display]
        assert countdowns and covered(app, countdowns) == []


@pytest.mark.parametrize("size", SIZES)
@asyncio_test
async def test_the_no_sound_toast_leaves_the_players_top_lines_free(home: Path, size: tuple[int, int]) -> None:
    app = make_app(home, start="core-posture", speaker=NoAudioSpeaker())
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("s")
        await advance(pilot, 6.0)  # bird-dog, at your own pace, with its note
        screen = player_screen(app)
        assert any("No sound" in str(toast.render()) for toast in screen.query(Toast))
        ids = ("phase", "countdown", "exercise", "detail", "note", "next")
        assert covered(app, [screen.query_one(f"#{i}").region for i in ids]) == []


@asyncio_test
async def test_opening_the_problems_list_dismisses_the_toast_that_points_at_it(home: Path) -> None:
    bad = home / "config" / "routines" / "bad.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("routines:\n  x:\n    nmae: X\n")
    app = make_app(home)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert toasts(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert list(app.screen.query(Toast)) == [] and not app._notifications


@asyncio_test
async def test_problems_in_routine_files_are_listed_again_by_key_and_command(home: Path) -> None:
    folder = home / "config" / "routines"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text("routines:\n  x:\n    nmae: X\n")
    (folder / "worse.yaml").write_text("routines: [\n")
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        app.clear_notifications()  # the toast has gone
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ProblemsScreen)
        text = str(app.screen.query_one(".dialog-text").render())
        assert f"{folder / 'bad.yaml'}:3:5: " in text and "did you mean 'name'" in text
        for problem in app.library.problems:
            assert f"{problem.path}:{problem.line}:{problem.column}: {problem.message}" in text
        assert {p.path.name for p in app.library.problems} == {"bad.yaml", "worse.yaml"}
        assert f"Routine files: {len(app.library.problems)} problems" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press(*"desk", "enter")  # the check-in: the palette offers the list there too
        (command,) = [c for c in app.get_system_commands(app.screen) if c.title == "Problems in your files"]
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)


@asyncio_test
async def test_without_problems_there_is_no_problems_key(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, HomeScreen)
        assert "ctrl+r" not in app.screen.active_bindings
        assert "Problems in your files" not in {c.title for c in app.get_system_commands(app.screen)}
