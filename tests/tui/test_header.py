"""The header's break countdown (issue 25): at every width it says what the break clock
says, to the second, and each second the row as the terminal gets it is brought up to
date where the countdown is; narrow, the words give way, not the digits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget

from mobility_coach.core.clock import FakeClock
from mobility_coach.tui.widgets.title_bar import TitleBar, fitted_title
from tests.tui.conftest import advance, asyncio_test, make_app

COUNTDOWN = re.compile(r"\d+:\d\d(:\d\d)?")


def header_row(screen: Screen[object]) -> str:
    """The header's row as drawn, from each of its parts at its place on the screen."""
    bar = screen.query_one(TitleBar)
    cells = [" "] * bar.region.width
    for part in bar.children:
        text = part.render_lines(Region(0, 0, part.outer_size.width, 1))[0].text
        for offset, character in enumerate(text):
            cells[part.region.x - bar.region.x + offset] = character
    return "".join(cells)


def the_clocks_countdown(described: str) -> str:
    found = COUNTDOWN.search(described)
    assert found is not None, described
    return found.group()


@pytest.mark.parametrize("width", [40, 50, 60, 80, 120])
@asyncio_test
async def test_each_second_the_header_shows_and_repaints_the_clocks_countdown(
    home: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(width, 20)) as pilot:
        await advance(pilot, 1, step=1)
        repainted: list[Region] = []
        original = Widget._set_dirty

        def noted(widget: Widget, *regions: Region) -> None:
            at = widget.region.offset
            if not regions:
                repainted.append(widget.region)
            for region in regions:
                repainted.append(region.translate(widget.content_offset).translate(at))
            original(widget, *regions)

        monkeypatch.setattr(Widget, "_set_dirty", noted)
        row = header_row(app.screen)
        for _ in range(12):  # across a change of the tens of seconds
            repainted.clear()
            await advance(pilot, 1, step=1)
            countdown = the_clocks_countdown(app.clock_link.describe())
            before, row = row, header_row(app.screen)
            column = row.find(countdown)
            assert column >= 0 and not row[column + len(countdown)].isdigit(), (row, countdown)
            # What the terminal is sent: each column that changed was repainted.
            missed = [x for x in range(width) if row[x] != before[x] and not any(r.contains(x, 0) for r in repainted)]
            assert not missed, (row, countdown, repainted)


def test_narrow_headers_shorten_the_words_and_keep_the_countdown() -> None:
    title, sub = "mobility-coach · next break in 59:58 (remind)", "step 3 of 12"
    assert fitted_title(title, sub, 80) == (title, sub)
    assert fitted_title(title, sub, 50) == ("next break in 59:58 (remind)", sub)
    assert fitted_title(title, sub, 42) == ("next break in 59:58 (remind)", "")
    assert fitted_title(title, sub, 20) == ("break in 59:58", "")
    snoozed = "mobility-coach · next break in 4:59 (snoozed)"
    assert fitted_title(snoozed, "routines", 23) == ("break in 4:59 (snoozed)", "")
    assert fitted_title("mobility-coach · break due now", "routines", 12) == ("break due now", "")
