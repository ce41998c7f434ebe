"""A mini break in the app (issue 27): a line in the header for its length, nothing more:
no question over the screen, no toast, no bell, no seconds ticking (the eyes are meant to
leave the screen); home keeps saying when the hour's break comes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobility_coach.core.breaks.choice import at_a_glance
from mobility_coach.core.breaks.mini import MOVES, MiniMove, mini_line
from mobility_coach.core.breaks.schedule import ReminderSettings
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.core.history.store import DB_NAME, History
from mobility_coach.tui.screens.home import HomeScreen
from mobility_coach.tui.widgets.title_bar import fitted_title
from tests.tui.conftest import advance, asyncio_test, make_app
from tests.tui.test_header import header_row


@asyncio_test
async def test_a_mini_break_is_a_header_line_for_its_length_and_never_a_question(home: Path) -> None:
    settings = Settings(ReminderSettings(mini_every=20 * 60.0, mini_length=20.0))
    app = make_app(home, clock=FakeClock(), settings=settings)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 20 * 60, step=60)
        assert "mini break: look at something 6 m away —" in header_row(app.screen)
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert app._now is not None and app._now.clock.startswith("next break at ")
        home_line = app._now.clock
        await advance(pilot, 19, step=1)
        assert app.title == "mobility-coach · mini break: look at something 6 m away"  # as it was
        assert app._now.clock == home_line  # not the mini line: the header has it
        await advance(pilot, 1, step=1)
        assert app.title == "mobility-coach · next break in 40 min"
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert list(app._notifications) == [] and bells == []
    kinds = [b.kind for b in History(Path(home) / "data" / DB_NAME).breaks()]
    assert kinds == ["mini_break"]


@pytest.mark.parametrize("move", MOVES, ids=lambda move: move.id)
def test_every_mini_break_fits_the_header_down_to_50_columns(move: MiniMove) -> None:
    status = f"mobility-coach · {at_a_glance(mini_line(move.line, 20))} (remind)"
    words, _ = fitted_title(status, "routines", 50 - 18)  # less the icon and the right-hand space
    assert len(words) <= 32 and words.endswith(f": {move.line}"), words
