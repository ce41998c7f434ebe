"""Every row of buttons fits the screen at 60x20 and 80x24: no answer (least of all
"Pain") is cut off at the right edge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Button

from mobility_coach.core.errors import Problem
from mobility_coach.core.history.journal import answer
from mobility_coach.core.session.safety import ADVICE, PAIN_AFTER_SESSION, QUESTIONS
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.screens.break_due import BreakDueScreen
from mobility_coach.tui.screens.dialogs import AdviceScreen, CautionsScreen, ConfirmScreen
from mobility_coach.tui.screens.finish import FinishScreen
from mobility_coach.tui.screens.journal import JournalAnswerScreen
from mobility_coach.tui.screens.problems import ProblemsScreen
from tests.tui.conftest import advance, asyncio_test, make_app, on_screen

# 64 and 70 columns: wide enough for the labels alone, not for the buttons' least width.
SIZES = [(60, 20), (64, 22), (70, 22), (80, 24)]
IDS = ["60x20", "64x22", "70x22", "80x24"]


def cut_buttons(app: App[None]) -> list[str]:
    """The labels of the buttons that are not wholly on screen, or drawn too narrow for
    their label."""
    screen = app.screen
    return [
        str(button.label)
        for button in screen.query(Button)
        if not screen.region.contains_region(button.region)
        or button.content_region.width < len(str(button.label))
        or not on_screen(button)
    ]


DIALOGS: dict[str, Callable[[], Screen[object]]] = {
    "confirm": lambda: ConfirmScreen("End this session now?", yes="End session", no="Carry on"),
    "check-in advice": lambda: AdviceScreen("Please check first", ADVICE, [q.text for q in QUESTIONS]),
    "pain advice": lambda: AdviceScreen("Take care of that pain", PAIN_AFTER_SESSION, stop="OK", go_on=None),
    "cautions": lambda: CautionsScreen("Plank", ("Stop if your lower back hurts.",), "General."),
    "journal answer": lambda: JournalAnswerScreen(answer("crack", "grinding", True, "neck"), 3),
    "problems": lambda: ProblemsScreen([Problem(Path("/r/a.yaml"), 1, 2, "bad")], []),
    "break due": lambda: BreakDueScreen("Desk break", 3600.0, 600.0),
}


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("dialog", list(DIALOGS))
@asyncio_test
async def test_every_dialogs_buttons_fit(
    home: Path, dialog: str, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The break is not due, so the app's next tick would close the break question pushed
    # here (as answered elsewhere): on a slow machine, before it is looked at.
    monkeypatch.setattr(MobilityCoachApp, "break_tick", lambda app: None)
    app = make_app(home)
    async with app.run_test(size=size) as pilot:
        await app.push_screen(DIALOGS[dialog]())
        await pilot.pause()
        assert app.screen.query(Button)
        assert cut_buttons(app) == []


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@asyncio_test
async def test_the_finish_screens_four_answers_fit_pain_included(home: Path, size: tuple[int, int]) -> None:
    app = make_app(home, start="crack-swap")
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await advance(pilot, 120.0, step=1.0)
        assert isinstance(app.screen, FinishScreen)
        assert {str(b.label) for b in app.screen.query(Button)} >= {"Pain (p)"}
        assert cut_buttons(app) == []
