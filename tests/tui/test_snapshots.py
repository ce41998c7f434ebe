"""Snapshots of the key screens at 80x24, and of the check-in, the player and the
journal's answer at 60x20 and 120x40 too. Update after a deliberate change with:
pytest tests/tui/test_snapshots.py --snapshot-update (then look at the SVGs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from mobility_coach.core.clock import FakeClock
from mobility_coach.tui.screens.break_due import GRACE_SECONDS
from tests.tui.conftest import NoAudioSpeaker, advance, fake_voice, make_app


def test_home(snap_compare: Any, home: Path) -> None:
    assert snap_compare(make_app(home), press=["down", "down"])


def test_safety_check(snap_compare: Any, home: Path) -> None:
    assert snap_compare(make_app(home, start="floor-mobility"), press=["down", "space"])


def test_work_segment(snap_compare: Any, home: Path) -> None:
    async def into_work(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 20.0)  # seated cat-cow, rep 2 of 6 (after a 14 s get-ready)

    assert snap_compare(make_app(home, start="desk-break", clock=FakeClock()), run_before=into_work)


def test_work_segment_spoken(snap_compare: Any, home: Path, tmp_path: Path) -> None:
    """With a voice, the footer says whether it speaks ("v Voice on"), beside "Done" on a
    self-paced step, the fullest footer at 80 columns."""

    async def into_work(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 6.0)  # core and posture: bird-dog, at your own pace
        await pilot.press("v")  # "No voice", as long as "Voice on"

    app = make_app(home, start="core-posture", clock=FakeClock(), voice=fake_voice(tmp_path / "speech"))
    assert snap_compare(app, run_before=into_work)


def test_rest_segment(snap_compare: Any, home: Path) -> None:
    async def into_rest(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 300.0)  # floor mobility: resting after cat-cow

    assert snap_compare(make_app(home, start="floor-mobility", clock=FakeClock()), run_before=into_rest)


def test_finish(snap_compare: Any, home: Path) -> None:
    async def finish_early(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 60.0)
        await pilot.press("q", "y")

    assert snap_compare(make_app(home, start="desk-break", clock=FakeClock()), run_before=finish_early)


def test_break_due(snap_compare: Any, home: Path) -> None:
    async def sit_for_an_hour(pilot: Pilot[Any]) -> None:
        await advance(pilot, 3600, step=60)
        await advance(pilot, GRACE_SECONDS)  # the question as it is once it takes answers

    assert snap_compare(make_app(home, clock=FakeClock()), run_before=sit_for_an_hour)


def test_break_due_without_sound_at_60x20(snap_compare: Any, home: Path) -> None:
    """Without sound, the question shows whole: no toast over its text."""

    async def sit_for_an_hour(pilot: Pilot[Any]) -> None:
        await advance(pilot, 3600, step=60)
        await advance(pilot, GRACE_SECONDS)

    app = make_app(home, clock=FakeClock(), speaker=NoAudioSpeaker())
    assert snap_compare(app, run_before=sit_for_an_hour, terminal_size=(60, 20))


def test_break_due_while_keys_wait(snap_compare: Any, home: Path) -> None:
    async def sit_for_an_hour(pilot: Pilot[Any]) -> None:
        await advance(pilot, 3600, step=60)

    assert snap_compare(make_app(home, clock=FakeClock()), run_before=sit_for_an_hour, terminal_size=(80, 24))


SIZES = pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=["60x20", "120x40"])


@SIZES
def test_safety_check_at(snap_compare: Any, home: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(home, start="floor-mobility"), press=["down", "space"], terminal_size=size)


@SIZES
def test_work_segment_at(snap_compare: Any, home: Path, size: tuple[int, int]) -> None:
    async def into_work(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 335.0)  # floor mobility: thoracic rotation, left side

    assert snap_compare(
        make_app(home, start="floor-mobility", clock=FakeClock()), run_before=into_work, terminal_size=size
    )


@SIZES
def test_journal_answer_at(snap_compare: Any, home: Path, size: tuple[int, int]) -> None:
    async def log_a_painful_grinding(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+l", "1", "3", "2", "4")  # the longest answer

    assert snap_compare(make_app(home, clock=FakeClock()), run_before=log_a_painful_grinding, terminal_size=size)


def test_safety_check_as_opened_at_60x20(snap_compare: Any, home: Path) -> None:
    """What to do (tick, then s) shows above the questions, the answers below them."""
    assert snap_compare(make_app(home, start="floor-mobility"), terminal_size=(60, 20))


def test_get_ready_at_60x20(snap_compare: Any, home: Path) -> None:
    """The get-ready says to get down on the floor, in words, without sound too."""

    async def get_ready(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 1.0)

    app = make_app(home, start="floor-mobility", clock=FakeClock())
    assert snap_compare(app, run_before=get_ready, terminal_size=(60, 20))


def test_finish_at_60x20(snap_compare: Any, home: Path) -> None:
    async def finish(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await advance(pilot, 120.0, step=1.0)  # the whole of crack-swap

    assert snap_compare(
        make_app(home, start="crack-swap", clock=FakeClock()), run_before=finish, terminal_size=(60, 20)
    )
