"""Idle costs (issues 14 and 25): the countdown in the header changes once a minute (to
the second only in the last), and then redraws its own line and nothing else, on every
screen; the seconds in between repaint nothing; a header hidden under another screen
catches up when it is shown again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget

from mobility_coach.core.clock import FakeClock
from mobility_coach.tui.screens.stats import StatsScreen
from mobility_coach.tui.widgets.big_countdown import BigCountdown
from mobility_coach.tui.widgets.title_bar import TitleLine
from tests.tui.conftest import advance, asyncio_test, make_app


def shown_title(screen: Screen[object]) -> str:
    return str(screen.query_one(TitleLine).render())


def layout_counter() -> tuple[list[str], Callable[..., None]]:
    """A stand-in for Screen._refresh_layout that notes which screen laid out."""
    layouts: list[str] = []
    original = Screen._refresh_layout

    def counted(screen: Screen[object], *args: object, **kwargs: object) -> None:
        layouts.append(type(screen).__name__)
        original(screen, *args, **kwargs)  # type: ignore[arg-type]

    return layouts, counted


@asyncio_test
async def test_a_second_of_countdown_lays_out_nothing_on_home_or_statistics(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts, counted = layout_counter()
    original = Screen._refresh_layout

    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("", "ctrl+s"):
            if key:
                await pilot.press(key)
            await pilot.pause()
            monkeypatch.setattr(Screen, "_refresh_layout", counted)
            await advance(pilot, 60, step=1)  # a change of minute on each
            monkeypatch.setattr(Screen, "_refresh_layout", original)
            assert layouts == [], f"the countdown laid out {layouts}"
        assert isinstance(app.screen, StatsScreen) and "58 min" in shown_title(app.screen)


@asyncio_test
async def test_the_home_header_catches_up_after_the_statistics(home: Path) -> None:
    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await advance(pilot, 90, step=1)
        await pilot.press("escape")
        await pilot.pause()
        assert "59 min" in shown_title(app.screen)


@asyncio_test
async def test_the_seconds_repaint_nothing_and_a_minute_the_title_line_alone(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 2, step=1)
        dirty: list[Widget] = []
        original = Widget._set_dirty

        def noted(widget: Widget, *regions: Region) -> None:
            dirty.append(widget)
            original(widget, *regions)

        monkeypatch.setattr(Widget, "_set_dirty", noted)
        await advance(pilot, 50, step=1)  # 59:58 to 59:08 left: "60 min" all along
        assert dirty == [], dirty
        await advance(pilot, 10, step=1)  # and "59 min"
        assert dirty and all(isinstance(widget, TitleLine) for widget in dirty), dirty


@asyncio_test
async def test_a_second_of_session_lays_out_nothing_and_repaints_one_digit(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts, counted = layout_counter()
    original = Screen._refresh_layout

    app = make_app(home, start="desk-break", clock=FakeClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("s")  # the check-in: clear
        # Into the seated twist's 15 s hold (from 1:11), where nothing is said until its
        # count-out: "0:14" and on. (A rep's spoken cue, shown as the caption, may lay out.)
        await advance(pilot, 72.3, step=0.1)
        countdown = app.screen.query_one(BigCountdown)
        dirty: list[tuple[Region, ...]] = []
        noted_original = type(countdown)._set_dirty

        def noted(widget: Widget, *regions: Region) -> None:
            dirty.append(regions)
            noted_original(widget, *regions)

        monkeypatch.setattr(type(countdown), "_set_dirty", noted)
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await advance(pilot, 3, step=0.1)
        monkeypatch.setattr(Screen, "_refresh_layout", original)
        assert layouts == [], f"a second of the session laid out {layouts}"
        whole = countdown.content_region.width
        assert len(dirty) == 3 and all(len(r) == 1 and 0 < r[0].width <= whole // 3 for r in dirty), (dirty, whole)
