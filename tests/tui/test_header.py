"""The header's break countdown (issues 24 and 25): at every width it says what the break
clock says, in whole minutes while more than one is left and to the second in the last
(core.breaks.choice.at_a_glance), and each change reaches the row as the terminal gets
it; narrow, the words give way, not the digits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget

from mobility_coach.core.breaks.choice import at_a_glance
from mobility_coach.core.clock import FakeClock
from mobility_coach.tui.widgets.title_bar import TitleBar, fitted_title
from tests.tui.conftest import advance, asyncio_test, make_app

COUNTDOWN = re.compile(r"\d+ min|\d+:\d\d(:\d\d)?")


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
    found = COUNTDOWN.search(at_a_glance(described))
    assert found is not None, described
    return found.group()


@pytest.mark.parametrize("width", [40, 50, 60, 80, 120])
@asyncio_test
async def test_each_second_the_header_shows_and_repaints_the_clocks_countdown(
    home: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(home, clock=FakeClock())
    async with app.run_test(size=(width, 20)) as pilot:
        await advance(pilot, 55, step=5)  # 59:05 left: "60 min", then "59 min" at 59:00
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
        shown = set()
        for second in range(12 + 12):  # across a change of minute; then the last minute's seconds
            if second == 12:
                await advance(pilot, 3469, step=60)  # 1:04 left: 1:03 to 0:52 in the seconds to come
                row = header_row(app.screen)
            repainted.clear()
            await advance(pilot, 1, step=1)
            countdown = the_clocks_countdown(app.clock_link.describe())
            before, row = row, header_row(app.screen)
            column = row.find(countdown)
            assert column >= 0 and not row[column + len(countdown)].isdigit(), (row, countdown)
            # What the terminal is sent: each column that changed was repainted.
            missed = [x for x in range(width) if row[x] != before[x] and not any(r.contains(x, 0) for r in repainted)]
            assert not missed, (row, countdown, repainted)
            shown.add(countdown)
        assert {"60 min", "59 min", "2 min", "1:00", "0:59", "0:52"} <= shown, shown


def test_the_countdown_is_in_minutes_but_for_the_last() -> None:
    assert at_a_glance("next break in 41:17") == "next break in 42 min"
    assert at_a_glance("next break in 1:00:00") == "next break in 60 min"
    assert at_a_glance("next break in 1:30:01 (snoozed)") == "next break in 91 min (snoozed)"
    assert at_a_glance("next break in 1:01") == "next break in 2 min"
    assert at_a_glance("next break in 1:00") == "next break in 1:00"
    assert at_a_glance("next break in 0:07") == "next break in 0:07"
    assert at_a_glance("break due now") == "break due now"
    assert at_a_glance("reminders paused until 14:30") == "reminders paused until 14:30"


def test_narrow_headers_shorten_the_words_and_keep_the_countdown() -> None:
    title, sub = "mobility-coach · next break in 59:58 (remind)", "step 3 of 12"
    assert fitted_title(title, sub, 80) == (title, sub)
    assert fitted_title(title, sub, 50) == ("next break in 59:58 (remind)", sub)
    assert fitted_title(title, sub, 42) == ("next break in 59:58 (remind)", "")
    assert fitted_title(title, sub, 20) == ("break in 59:58", "")
    snoozed = "mobility-coach · next break in 4:59 (snoozed)"
    assert fitted_title(snoozed, "routines", 23) == ("break in 4:59 (snoozed)", "")
    assert fitted_title("mobility-coach · break due now", "routines", 12) == ("break due now", "")
