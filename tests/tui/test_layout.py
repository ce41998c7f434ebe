"""The screens at the sizes people use: 60x20 loses nothing that matters, 120x40 makes
the countdown big enough to read from the floor."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Digits
from textual.widgets._footer import FooterKey

from mobility_coach.core.session.safety import QUESTIONS
from mobility_coach.tui.screens.checkin import CheckInScreen
from mobility_coach.tui.widgets.big_countdown import BigCountdown, block_text, fitting_scale, natural_width
from tests.tui.conftest import NoAudioSpeaker, advance, asyncio_test, make_app, on_screen, player_screen


def visible_keys(screen: Widget) -> set[str]:
    return {key.description for key in screen.query(FooterKey) if key.display and on_screen(key)}


@asyncio_test
async def test_the_check_in_wraps_every_question_at_60x20(home: Path) -> None:
    app = make_app(home, start="floor-mobility")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        questions = app.screen.query_one("#questions", Widget)
        lines: dict[int, str] = {}
        # The list scrolls itself where the room is short: read it a screenful at a time.
        height, last = questions.content_size.height, questions.max_scroll_y
        for top in (*range(0, last, height), last):
            questions.scroll_to(y=top, animate=False, immediate=True)
            await pilot.pause()
            lines |= {top + y: questions.render_line(y).text.replace("▐X▌", "") for y in range(height)}
        shown = " ".join(" ".join(lines[y].split()) for y in sorted(lines))
        for question in QUESTIONS:
            assert question.text in shown, question.text
        assert "…" not in shown
        assert all(on_screen(b) for b in app.screen.query("Button"))


SIZES = pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=["60x20", "80x24", "120x40"])


def whole_on_screen(widget: Widget) -> bool:
    """Every row of the widget is drawn (not scrolled away, clipped or covered)."""
    region = widget.region
    if not region or region.y < 1 or region.bottom > widget.screen.size.height:
        return False
    return all(widget.screen.get_widget_at(region.x + 1, y)[0] is widget for y in range(region.y, region.bottom))


@SIZES
@asyncio_test
async def test_the_check_in_says_what_to_do_at_every_size(home: Path, size: tuple[int, int]) -> None:
    # At 60x20 the instruction scrolled off the top as the questions took the focus.
    app = make_app(home, start="floor-mobility")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        intro = app.screen.query_one("#checkin-intro")
        assert "then press s to start" in str(intro.render()) and whole_on_screen(intro)
        assert all(on_screen(b) for b in app.screen.query("Button"))


@SIZES
@asyncio_test
async def test_the_get_ready_says_to_get_on_the_floor_without_sound_at_every_size(
    home: Path, size: tuple[int, int]
) -> None:
    # At 60x20 the line was a blank row: without sound nothing said to get on the floor.
    app = make_app(home, start="floor-mobility", speaker=NoAudioSpeaker())
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await advance(pilot, 1.0)
        cue = player_screen(app).query_one("#cue")
        assert str(cue.render()).startswith("Get down") and whole_on_screen(cue), str(cue.render())


@asyncio_test
async def test_the_player_keeps_what_matters_at_60x20(home: Path) -> None:
    app = make_app(home, start="core-posture")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s", "n")  # past the dead bug
        await advance(pilot, 19.0)  # bird-dog, at your own pace, after an 18 s get-ready
        screen = player_screen(app)
        for widget_id in ("countdown", "exercise", "next"):
            assert on_screen(screen.query_one(f"#{widget_id}")), widget_id
        assert "Next: Bird-dog, right side" in str(screen.query_one("#next").render())
        assert {"Pause", "Done", "Next", "Cautions", "Quit"} <= visible_keys(screen)
        assert not screen.query_one("#side").display  # the steps and the figure give way
        note = " ".join(str(screen.query_one("#note").render()).split())
        assert note == "Take your time; press Enter when you have done six on this side."
        assert screen.query_one("#note").region.height == 2 and on_screen(screen.query_one("#note"))


@asyncio_test
async def test_at_120x40_the_countdown_is_big_and_the_step_names_fit(home: Path) -> None:
    app = make_app(home, start="floor-mobility")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await advance(pilot, 6.0)
        screen = player_screen(app)
        big = screen.query_one(BigCountdown)
        assert not screen.query_one("#countdown", Digits).display and on_screen(big)
        assert big.region.height >= 10 and big.value == screen.query_one("#countdown", Digits).value
        box = screen.query_one("#steps-box")
        longest = max(len(step.exercise.name) for step in screen.routine.steps)  # "Thoracic rotation on all fours"
        assert box.scrollable_content_region.width >= longest + 2  # with its marker
        assert {"Pause", "Next", "Back", "Restart", "Mute", "Cautions", "Quit"} <= visible_keys(screen)


@asyncio_test
async def test_at_80x24_the_small_countdown_stays(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        screen = player_screen(app)
        assert on_screen(screen.query_one("#countdown", Digits)) and not screen.query_one(BigCountdown).display


def test_the_big_digits_take_the_largest_scale_that_fits() -> None:
    assert natural_width("00:00") == 34
    assert [fitting_scale("0:23", width, 10) for width in (20, 34, 67, 68, 200)] == [1, 1, 1, 2, 2]
    assert fitting_scale("0:23", 200, 40) == 4  # capped
    assert block_text("1:00", 2).plain.count("\n") == 9  # five pixel rows, twice
