"""The app's once-a-second tick: a Textual timer, stopped with the app, reading nothing
private of Textual's."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App

from mobility_coach.core.clock import FakeClock
from mobility_coach.tui import app as app_module
from tests.tui.conftest import asyncio_test, make_app


@asyncio_test
async def test_a_tick_as_the_app_closes_touches_no_screen(home: Path) -> None:
    """The flaky `test_muting_leaves_the_voice_key...`: the tick, on the event loop's own
    timer, ran while Textual closed the app's screens (a test's end does not go through
    `App.exit`, which the tick looked at) and raised ScreenStackError from an empty stack."""
    app = make_app(home, start="desk-break", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # the check-in: clear, into the session
        await pilot.pause()
    assert app.screen_stack == []  # the screens are gone, as when a late tick came
    app.break_tick()  # no ScreenStackError


def test_the_app_reads_no_private_name_of_textual() -> None:
    """Textual's private names (`_driver`, `_exit`...) change without notice between its
    releases; the app says what it needs through Textual's public API."""
    textual_names = set(dir(App)) | set(vars(App()))
    tree = ast.parse(Path(app_module.__file__).read_text(encoding="utf-8"))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    }
    assert sorted(used & textual_names) == []
