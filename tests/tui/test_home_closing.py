"""An app told to quit while its home screen is still being set up (a browser tab closed
at once, a terminal hung up) ends without a traceback: the home's widgets may be gone
before its preview is filled."""

from __future__ import annotations

from pathlib import Path

from mobility_coach.tui.screens.home import HomeScreen
from tests.tui.conftest import asyncio_test, make_app


@asyncio_test
async def test_a_preview_asked_for_once_the_widgets_are_gone_does_nothing(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        await screen.query_one("#preview").remove()  # as the app's closing removes them
        screen._show_preview()
        await pilot.pause()
