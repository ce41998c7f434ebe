"""Idle costs (issue 14): the countdown in the header, changing every second, redraws its
own line and nothing else, on every screen; a header hidden under another screen catches
up when it is shown again."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cached_cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.drivers._writer_thread import WriterThread
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from mobility_coach.core.clock import FakeClock
from mobility_coach.tui.screens.stats import StatsScreen
from mobility_coach.tui.widgets.big_countdown import BigCountdown
from mobility_coach.tui.widgets.title_bar import Row, TitleBar, changed_columns, write_quietly
from tests.tui.conftest import advance, asyncio_test, make_app


def shown_title(screen: Screen[object]) -> str:
    title = screen.query_one(TitleBar).children[1]
    return str(title.render())


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
            await advance(pilot, 5, step=1)
            monkeypatch.setattr(Screen, "_refresh_layout", original)
            assert layouts == [], f"the countdown laid out {layouts}"
        assert isinstance(app.screen, StatsScreen) and "59:50" in shown_title(app.screen)


@asyncio_test
async def test_the_home_header_catches_up_after_the_statistics(home: Path) -> None:
    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await advance(pilot, 30, step=1)
        await pilot.press("escape")
        await pilot.pause()
        assert "59:30" in shown_title(app.screen)


def test_only_the_changed_columns_of_a_centred_title_are_repainted() -> None:
    # "next break in 59:58" → "59:57" in a 62-cell title: the one digit, a column either side.
    old, new = "mobility-coach · next break in 59:58", "mobility-coach · next break in 59:57"
    left = (62 - len(new)) // 2 + len(new) - 1
    assert changed_columns(old, new, 62) == Region(left - 1, 0, 3, 1)
    assert changed_columns(old, old, 62) == Region(0, 0, 0, 0)  # nothing to draw
    assert changed_columns(old, new + "!", 62) is None  # another length: all of it
    assert changed_columns("", new, 62) is None
    assert changed_columns("休憩まで 59:58", "休憩まで 59:57", 62) is None  # wide characters: all of it


@asyncio_test
async def test_a_second_of_countdown_repaints_a_few_columns_of_the_header(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 2, step=1)
        dirty: list[tuple[Region, ...]] = []
        title = app.screen.query_one(TitleBar).children[1]
        original = type(title)._set_dirty

        def noted(widget: Widget, *regions: Region) -> None:
            dirty.append(regions)
            original(widget, *regions)

        monkeypatch.setattr(type(title), "_set_dirty", noted)
        await advance(pilot, 3, step=1)
        assert dirty and all(len(r) == 1 and r[0].width <= 4 for r in dirty), dirty


@asyncio_test
async def test_a_second_of_session_lays_out_nothing_and_repaints_one_digit(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts, counted = layout_counter()
    original = Screen._refresh_layout

    app = make_app(home, start="floor-mobility", clock=FakeClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("s")  # the check-in: clear
        await advance(pilot, 7.3, step=0.1)  # into the work: "0:59" and on
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


def test_a_title_line_takes_new_digits_in_the_old_styles() -> None:
    bold, dim = Style(bold=True), Style(dim=True)
    line = Strip([Segment("  next break in 59:", bold), Segment("58 — routines  ", dim)])
    row = Row.of(line, 34)
    assert row is not None
    new = row.substituted("in 59:58 — rou", "in 59:57 — rou")
    assert new is not None
    assert new.text == "  next break in 59:57 — routines  "
    assert new.spans == ((0, 19, bold), (19, 34, dim))
    assert row.substituted("in 48:00", "in 47:59") is None  # not shown: drawn by Textual instead
    assert row.substituted("59:58", "1:00:00") is None  # another length
    assert Row.of(line, 40) is None  # not the whole row
    assert Row.of(Strip([Segment("休憩 59:58")]), 11) is None  # wide characters: columns are not characters


@pytest.mark.parametrize(("left", "right"), [(17, 20), (18, 21), (0, 34), (19, 20), (30, 34)])
def test_columns_of_a_row_are_written_as_textual_writes_them(left: int, right: int) -> None:
    console = Console(force_terminal=True)
    for system in (ColorSystem.TRUECOLOR, ColorSystem.STANDARD):
        # Styles afresh for each: a style keeps its codes for the first colour system it meets.
        link = Style(color="#ff8800", bgcolor="#102030", bold=True, link="https://example.org")
        line = Strip(
            [Segment("  next break in 59:", Style(color="red")), Segment("57 ", link), Segment("— routines  ")]
        )
        row = Row.of(line, 34)
        assert row is not None
        console._color_system = system
        textual_writes = LayoutUpdate([[line.crop(left, right)]], Region(left, 3, right - left, 1))
        assert f"\x1b[4;{left + 1}H" + row.render(left, right, system) == textual_writes.render_segments(console)


class _Driver:
    def __init__(self, writer: WriterThread) -> None:
        self._writer_thread = writer
        self.queued: list[str] = []

    def write(self, text: str) -> None:
        self.queued.append(text)


def test_a_countdown_write_skips_the_output_thread_only_while_it_sleeps_on_nothing() -> None:
    out = io.StringIO()
    writer = WriterThread(out)
    driver = _Driver(writer)
    write_quietly(driver, "a")  # type: ignore[arg-type]
    assert driver.queued == ["a"] and out.getvalue() == ""  # not waiting for work: queued behind
    writer.start()
    try:
        for _ in range(2000):  # until the thread waits on its empty queue (a few ms)
            if writer._queue.not_empty._waiters:  # type: ignore[attr-defined]
                break
            threading.Event().wait(0.001)
        write_quietly(driver, "b")  # type: ignore[arg-type]
        assert driver.queued == ["a"] and out.getvalue() == "b"
    finally:
        writer.stop()


def test_comparing_titles_keeps_no_text_in_riches_cache_of_widths() -> None:
    # Each second's title is new: kept, 4,096 of them would be a megabyte that grows for an hour.
    before = cached_cell_len.cache_info().currsize
    for second in range(100):
        changed_columns(
            f"mobility-coach · next break in 58:{second:02}", f"mobility-coach · next break in 58:{second + 1:02}", 80
        )
    assert cached_cell_len.cache_info().currsize == before


@asyncio_test
async def test_a_countdown_painted_straight_to_the_terminal_is_what_textual_draws_later(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Headless, Textual draws every change; in a terminal the title paints its changed
    # characters itself. Made to here: Textual's own drawing of the row must agree after.
    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 1, step=1)
        bar = app.screen.query_one(TitleBar)
        title = bar.children[1]
        painted: list[Region] = []
        original = type(title)._paint  # type: ignore[attr-defined]

        def paint(widget: Widget, columns: Region, row: Row) -> None:
            painted.append(columns)
            original(widget, columns, row)

        monkeypatch.setattr(type(title), "_can_paint", lambda widget, columns: True)
        monkeypatch.setattr(type(title), "_paint", paint)
        for shown in ("59:58", "59:57", "59:56"):
            await advance(pilot, 1, step=1)
            row = title.render_lines(Region(0, 0, title.outer_size.width, 1))[0].text
            assert shown in row, row
        assert len(painted) == 3
