"""Snapshots of the figures: every built-in exercise at its start and its furthest key
position, and the player's moving figure at 80x24 and 160x48 (mid-movement, and the
left side mirrored). Update after a deliberate change with
pytest tests/tui/test_figure_snapshots.py --snapshot-update (then look at the SVGs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.pilot import Pilot
from textual.widgets import Static

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.figures.figure import Figure
from mobility_coach.core.figures.motion import key_picture, still
from mobility_coach.core.routines.loader import builtin_layer, load_library
from mobility_coach.tui.widgets.figure_view import FigureView
from tests.tui.conftest import advance, make_app

BUILTIN = load_library([builtin_layer()]).exercises


class TwoPositions(App[None]):
    """One exercise's figure at its start and at its furthest key position."""

    CSS = """
    FigureView { width: 1fr; height: 1fr; border: round $primary; }
    #name { height: 1; }
    """

    def __init__(self, name: str, figure: Figure) -> None:
        super().__init__()
        self.exercise_name, self.figure = name, figure

    def compose(self) -> ComposeResult:
        peak = key_picture(self.figure)
        yield Static(f"{self.exercise_name}: {self.figure.labels[0]} | {peak.label}", id="name")
        with Horizontal():
            yield FigureView(still(self.figure))
            yield FigureView(peak)


@pytest.mark.parametrize("exercise_id", sorted(BUILTIN))
def test_each_built_in_exercise_at_two_key_positions(snap_compare: Any, exercise_id: str) -> None:
    exercise = BUILTIN[exercise_id]
    assert exercise.figure is not None
    assert snap_compare(TwoPositions(exercise.name, exercise.figure), terminal_size=(80, 16))


PLAYER_SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])


@PLAYER_SIZES
def test_player_figure_mid_rep(snap_compare: Any, home: Path, size: tuple[int, int]) -> None:
    async def into_a_rep(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 5.0 + 6.0 + 2.0)  # floor mobility: cat-cow, a third into rep 2

    app = make_app(home, start="floor-mobility", clock=FakeClock())
    assert snap_compare(app, run_before=into_a_rep, terminal_size=size)


@PLAYER_SIZES
def test_player_figure_left_side_held(snap_compare: Any, home: Path, size: tuple[int, int]) -> None:
    async def into_the_left_side(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        # Desk break: a 14 s get-ready, 30 s of cat-cow, a 12 s rest, a 15 s get-ready (each as
        # long as its words), then the seated twist's left side, held 6 s.
        await advance(pilot, 14.0 + 30.0 + 12.0 + 15.0 + 6.0)

    app = make_app(home, start="desk-break", clock=FakeClock())
    assert snap_compare(app, run_before=into_the_left_side, terminal_size=size)
