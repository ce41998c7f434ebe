"""Nothing from a file, a file name or the environment reaches the app's screen as control
characters. Textual and rich pass ESC, DEL, C1 and bidi overrides through as they are
(rich strips only BEL, BS, VT, FF and CR): what the app shows must be safe already."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from textual.app import App
from textual.geometry import Region
from textual.widgets import Static

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.history.store import DB_NAME, History
from mobility_coach.core.routines.model import Origin
from mobility_coach.tui.screens.home import preview
from mobility_coach.tui.screens.stats import StatsScreen
from tests.conftest import write
from tests.tui.conftest import asyncio_test, make_app
from tests.unit.builders import routine, step

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RETITLE = "\x1b]2;PWNED\x07"
NOW = datetime(2026, 11, 20, 18, 0).timestamp()


def on_screen(app: App[object]) -> str:
    """Every character the widgets of the current screen (toasts too) would draw."""
    drawn = []
    for widget in app.screen.walk_children(with_self=True):
        width, height = widget.size
        if width and height:
            drawn += [segment.text for strip in widget.render_lines(Region(0, 0, width, height)) for segment in strip]
    return "".join(drawn)


@asyncio_test
async def test_textual_itself_draws_an_escape_sequence_as_it_is() -> None:
    # Why the app cannot leave it to Textual (if this starts failing, Textual has begun
    # to clean text itself, and the app's own cleaning may be simpler).
    class Plain(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static(f"A{RETITLE}\u202eB")

    app = Plain()
    async with app.run_test(size=(40, 5)):
        drawn = on_screen(app)
        assert "A\x1b]2;PWNED" in drawn and "\u202eB" in drawn  # rich took out only the BEL


def test_the_preview_names_a_routine_file_whose_folder_holds_escapes() -> None:
    # The folder comes from the environment (MOBILITY_COACH_HOME, XDG_CONFIG_HOME).
    path = Path(f"/home/{RETITLE}/routines/mine.yaml")
    shown = preview(replace(routine(step(hold=30.0)), origin=Origin(path, builtin=False)))
    text = "".join(part.plain for part in shown)
    assert "/home/\\x1b]2;PWNED\\x07/routines/mine.yaml" in text and not CONTROL.search(text)


@asyncio_test
async def test_no_control_character_from_the_files_reaches_the_screen(tmp_path: Path) -> None:
    home = tmp_path / f"home{RETITLE}"
    home.mkdir()
    write(
        home / "config" / "routines",
        "mine.yaml",
        """
        routines:
          evil:
            name: "Evil\\e]2;PWNED\\a"
            summary: "clip\\e]52;c;SGVsbG8=\\a\\u202e"
            steps: [{exercise: cat-cow, hold: 30s}]
        """,
    )
    write(home / "data", "state.json", "{")  # its problem names the file: a path with escapes
    history = History(home / "data" / DB_NAME)
    session = history.session_started("evil", f"Evil{RETITLE}\u202e", 1, at=NOW - 3600)
    history.session_ended(session, "completed", 1, 60.0, at=NOW - 3540)
    app = make_app(home, clock=FakeClock(wall=NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert not CONTROL.search(on_screen(app))
        # What the toasts say (as the other app tests read them: drawn, they come and go).
        toasts = "".join(f"{n.title}{n.message}" for n in app._notifications)
        assert "routines.evil.name" in toasts and "home\\x1b]2;PWNED\\x07" in toasts
        assert not CONTROL.search(toasts), repr(toasts)
        await pilot.press("ctrl+r")
        problems = on_screen(app)
        assert "routines.evil.name" in problems and not CONTROL.search(problems)
        await pilot.press("escape", "ctrl+s")
        assert isinstance(app.screen, StatsScreen)
        stats = on_screen(app)
        assert "Evil\\x1b]2;PWNED" in stats and not CONTROL.search(stats)
