"""The figure in the player: it moves with the session, freezes when paused, draws
nothing while its screen is hidden, and is left out where there is no room."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from mobility_coach.core.figures.figure import Figure, KeyPosition
from mobility_coach.core.figures.motion import FigureMoment, still
from mobility_coach.tui.widgets.figure_view import FigureView
from tests.tui.conftest import advance, asyncio_test, make_app, on_screen, player_screen

REACH = Figure("standing-front", keys=(KeyPosition("up", (("arm", 90.0), ("forearm", 90.0))),))


def picture(view: FigureView) -> str:
    return "\n".join(str(view.render_line(y).text) for y in range(view.size.height))


def has_dots(text: str) -> bool:
    return any(0x2800 < ord(char) <= 0x28FF for char in text)


@asyncio_test
async def test_the_figure_moves_with_the_reps_and_freezes_in_a_pause(home: Path) -> None:
    app = make_app(home, start="floor-mobility")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await advance(pilot, 20.0)  # knee drops, rep 1 (after 19 s to hear how to get down, and do it)
        figure = player_screen(app).query_one(FigureView)
        assert on_screen(figure) and has_dots(picture(figure))
        seen = {picture(figure)}
        for _ in range(6):
            await advance(pilot, 0.5)
            seen.add(picture(figure))
        assert len(seen) >= 4  # it moved
        await pilot.press("space")
        frames, paused = figure.frames, picture(figure)
        await advance(pilot, 3.0)
        assert (figure.frames, picture(figure)) == (frames, paused)
        await pilot.press("space")
        await advance(pilot, 1.0)
        assert figure.frames > frames


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield FigureView(still(REACH), id="figure")


@asyncio_test
async def test_nothing_is_drawn_while_the_screen_is_hidden() -> None:
    app = Holder()
    async with app.run_test(size=(40, 20)) as pilot:
        figure = app.query_one(FigureView)
        await pilot.pause()
        frames = figure.frames
        await app.push_screen(Screen())
        await pilot.pause()
        figure.show(FigureMoment(REACH, 0, 1, 0.5, False))
        await pilot.pause()
        assert figure.frames == frames
        app.pop_screen()
        await pilot.pause()
        figure.show(FigureMoment(REACH, 0, 1, 0.5, False))  # the next tick draws it
        assert figure.frames == frames + 1


class Cramped(App[None]):
    CSS = "FigureView { width: 6; height: 3; }"

    def compose(self) -> ComposeResult:
        yield FigureView(still(REACH), id="figure")
        yield Static("beside")


@asyncio_test
async def test_with_no_room_the_figure_is_left_out_not_drawn_broken() -> None:
    app = Cramped()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        text = picture(app.query_one(FigureView))
        assert not has_dots(text) and not text.strip()


@asyncio_test
async def test_at_60x20_the_player_leaves_the_figure_out(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await advance(pilot, 7.0)
        assert not player_screen(app).query_one("#side").display
