"""The one factory: what it loads for the app, and what it leaves to the tests to replace."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from textual.widgets import OptionList

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.core.clock import FakeClock, SystemClock
from mobility_coach.core.errors import UserError
from mobility_coach.core.history.store import DB_NAME
from mobility_coach.core.paths import Paths
from mobility_coach.tui import collector
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.factory import make_parts, real_cues
from mobility_coach.tui.preflight import library_to_run
from tests.tui.conftest import FakeSpeaker, asyncio_test, cues_through


def paths_for(home: Path) -> Paths:
    return Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})


def test_the_parts_are_loaded_from_the_users_files(home: Path) -> None:
    paths = paths_for(home)
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("reminders:\n  every: 45m\n  snoze: 5m\n", encoding="utf-8")
    parts = make_parts(paths, {}, start_routine="desk-break")
    assert "desk-break" in parts.library.routines and parts.start_routine == "desk-break"
    assert parts.settings.reminders.every == 45 * 60
    assert [p.message for p in parts.settings_problems] and "snoze" in str(parts.settings_problems[0])
    assert parts.history is not None and parts.history_problem is None
    assert parts.reminder_paths == paths  # a headless reminder is looked for
    assert isinstance(parts.clock, SystemClock) and isinstance(parts.idle, NoIdle)  # no display here
    assert parts.make_cues is real_cues and parts.state_store.path == paths.state_file


def test_a_history_that_cannot_be_opened_is_a_problem_to_show_not_a_crash(home: Path) -> None:
    paths = paths_for(home)
    (paths.data_dir / DB_NAME).mkdir(parents=True)  # a folder where the database should be
    parts = make_parts(paths, {})
    assert parts.history is None
    assert parts.history_problem is not None and DB_NAME in parts.history_problem


def test_each_keyword_replaces_one_part(home: Path) -> None:
    clock, idle = FakeClock(), NoIdle()
    parts = make_parts(paths_for(home), {}, clock=clock, idle=idle, listen_for_reminder=False)
    assert parts.clock is clock and parts.idle is idle and parts.reminder_paths is None


def test_an_unknown_routine_is_refused_before_the_app_starts(home: Path) -> None:
    with pytest.raises(UserError) as refused:
        library_to_run(paths_for(home), "desk-brake", {})
    assert (str(refused.value), refused.value.exit_code) == (
        "no routine with id 'desk-brake'; did you mean 'desk-break'?",
        2,
    )


def test_refusing_to_start_needs_no_textual() -> None:
    code = "import sys, mobility_coach.tui.preflight; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


@asyncio_test
async def test_collection_held_for_the_launch_resumes_once_the_first_frame_is_drawn(home: Path) -> None:
    drawn: list[bool] = []

    def settle() -> None:
        # Home has been composed and filled by the time the launch is told it is over.
        drawn.append(app.screen.is_mounted and app.screen.query_one(OptionList).option_count > 0)
        collector.settle()

    parts = make_parts(paths_for(home), {}, clock=FakeClock(), idle=NoIdle(), listen_for_reminder=False)
    parts.make_cues = cues_through(FakeSpeaker(FakeClock()))
    parts.after_first_frame = settle
    app = MobilityCoachApp(parts)
    collector.hold()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert drawn == [True]
            assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_start_is_settled_a_moment_after_its_first_frame_with_its_garbage_freed() -> None:
    async def launch() -> tuple[bool, bool, bool]:
        collector.hold()
        garbage = weakref.ref(_Cycle())  # a cycle the start made and let go of
        collector.settle_soon(0)
        held = not gc.isenabled() and garbage() is not None
        for _ in range(3):  # the loop's next turns
            await asyncio.sleep(0)
        return held, gc.isenabled(), garbage() is None

    try:
        assert asyncio.run(launch()) == (True, True, True)  # a bare freeze would have kept it
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
