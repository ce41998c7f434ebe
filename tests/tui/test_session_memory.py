"""Memory over a long session (issue 14): what the player screen draws each second must
not be kept for each second. Textual measures every text it draws in Rich's cache of
cell widths (up to 4,096 strings, about 1 MiB); a line that said "31:52 left" there gave
it three new strings a second, so the app grew for the first twenty minutes of a session.

Nor may a session make much garbage in reference cycles: only the collector's full pass
frees it, every three minutes or so, and what piles up until then is memory the process
keeps (bench/session_memory.py)."""

from __future__ import annotations

import gc
from pathlib import Path

from rich.cells import cached_cell_len
from textual.dom import DOMNode

from mobility_coach.core.clock import FakeClock
from mobility_coach.tui.screens.player import PlayerScreen
from mobility_coach.tui.widgets.countdown_line import CountdownLine
from tests.tui.conftest import ObservedApp, advance, asyncio_test, make_app

# Rounds of the same two steps, as bench/session_memory.py plays (shorter: a round is 2 min).
ROUTINE = """routines:
  long-hold:
    name: Long hold
    summary: Holds and rests, round after round.
    tags: [test]
    rounds: 15
    defaults: {get_ready: 5s, rest: 10s, switch: 5s, round_rest: 10s}
    steps:
      - exercise: seated-twist
        hold: 40s
        sides: both
      - exercise: seated-cat-cow
        reps: 6
        tempo: 5s
"""


def long_hold_app(home: Path) -> ObservedApp:
    """The app opening straight into the long routine (its check-in first)."""
    folder = home / "config" / "routines"
    folder.mkdir(parents=True)
    (folder / "long-hold.yaml").write_text(ROUTINE)
    return make_app(home, start="long-hold", clock=FakeClock())


@asyncio_test
async def test_a_round_of_session_gives_the_text_caches_no_string_a_second(home: Path) -> None:
    app = long_hold_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # the check-in: clear
        assert isinstance(app.screen, PlayerScreen)
        for _ in range(150):  # a first round: each step's texts measured once
            await advance(pilot, 1.0, step=0.1)
        left = app.screen.query_one("#left", CountdownLine)
        before, shown = cached_cell_len.cache_info().misses, left.text
        for _ in range(120):  # most of a second round, a frame each second as a terminal gets them
            await advance(pilot, 1.0, step=0.1)
        new = cached_cell_len.cache_info().misses - before
        assert left.text != shown and left.text.endswith(" left")
    # What is left (about 45) is the progress bar's states and the round's numbers, each
    # once a session; a Static for the time left made it about 400.
    assert new < 60, f"two minutes of session measured {new} new strings"


@asyncio_test
async def test_a_round_of_session_restyles_no_screen_full_of_widgets(home: Path) -> None:
    # A class set on the screen at each change of phase restyled every widget on it, and
    # each restyle made a virtual node per component class in cycles of its own: some
    # 350 a round, three quarters of a session's garbage (traced, about 1 MiB a minute).
    app = long_hold_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # the check-in: clear
        assert isinstance(app.screen, PlayerScreen)
        await advance(pilot, 20.0, step=0.1)
        gc.collect()
        gc.disable()  # what the round leaves for the collector stays where it can be counted
        try:
            for _ in range(150):  # a round: get ready, work, switch sides, rest, work, rest
                await advance(pilot, 1.0, step=0.1)
            gc.set_debug(gc.DEBUG_SAVEALL)
            gc.collect()
            virtual_nodes = sum(type(found) is DOMNode for found in gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
        coloured_by = app.screen.query_one("#phase").classes
    assert virtual_nodes < 20, f"a round of session left {virtual_nodes} restyled nodes for the collector"
    assert coloured_by & {"phase-get_ready", "phase-work", "phase-switch", "phase-rest"}  # as the stylesheet has it
