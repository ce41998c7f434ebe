"""Pilot tests: every control of the app, with a fake clock and no real waiting."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Digits, OptionList, SelectionList
from textual.widgets._footer import FooterKey

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.routines.search import rank_routines
from mobility_coach.core.session.player import PauseReason, Status
from mobility_coach.tui.screens.checkin import CheckInScreen
from mobility_coach.tui.screens.dialogs import AdviceScreen, CautionsScreen, ConfirmScreen
from mobility_coach.tui.screens.finish import FinishScreen
from mobility_coach.tui.screens.home import HomeScreen
from tests.tui.conftest import (
    TODAY,
    CrashingSpeaker,
    FakeSpeaker,
    NoAudioSpeaker,
    advance,
    asyncio_test,
    make_app,
    player_screen,
)


def option_ids(app) -> list[str]:  # type: ignore[no-untyped-def]
    options = app.screen.query_one("#routines", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


def countdown(app) -> str:  # type: ignore[no-untyped-def]
    return str(player_screen(app).query_one("#countdown", Digits).value)


async def start_desk_break(pilot) -> None:  # type: ignore[no-untyped-def]
    """The app was made with start="desk-break" (as `mobility-coach run` does): check in."""
    assert isinstance(pilot.app.screen, CheckInScreen)
    await pilot.press("s")


@asyncio_test
async def test_home_lists_filters_and_previews(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert option_ids(app) == [
            "core-posture",
            "floor-mobility",
            "sitters-hips",
            "desk-break",
            "crack-swap",
            "neck-swap",
            "standing-reset",
            "stiff-back-start",
            "upper-back-reset",
            "lunch-walk",
            "wrists-and-eyes",
        ]
        # It opens on "now": the routine for this break is the one highlighted, with its reason.
        now = now_shown(app)
        assert "Suggested: Wrists and eyes" in now and "not moved today" in now
        assert app.screen.query_one("#routines", OptionList).highlighted == 10
        await pilot.press(*"floor")
        assert option_ids(app) == ["floor-mobility", "core-posture", "stiff-back-start"]  # the name first
        preview = "".join(str(app.screen.query_one(part).render()) for part in ("#preview", "#preview-rest"))
        assert "Floor mobility" in preview and "Stop if" in preview and "11m1s" in preview
        assert "You need: a mat" in preview
        figures = str(app.screen.query_one("#preview-figures").render())
        assert "1. Knee drops" in figures and any(0x2800 < ord(c) <= 0x28FF for c in figures)
        await pilot.press(*" spine")
        assert option_ids(app) == ["floor-mobility"]
        await pilot.press(*"zq")
        assert option_ids(app) == []
        await pilot.press("escape")
        assert len(option_ids(app)) == 11


@asyncio_test
async def test_enter_starts_the_top_match(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"floor", "enter")
        assert isinstance(app.screen, CheckInScreen) and app.screen.routine.id == "floor-mobility"


@asyncio_test
async def test_enter_after_a_cleared_filter_starts_the_suggestion_the_screen_names(home: Path) -> None:
    # Issue 24: "crack" filtered, Esc cleared it, and Enter started the list's first row
    # while "Suggested: ..., Enter to start" still named the suggestion.
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        named = re.search(r"Suggested: (.+?) \(", now_shown(app))
        assert named is not None and "crack" not in named.group(1).lower()  # the filter will not keep it first
        await pilot.press(*"crack", "escape", "enter")
        assert isinstance(app.screen, CheckInScreen) and app.screen.routine.name == named.group(1)


@asyncio_test
async def test_broken_routine_files_are_shown_once_and_the_rest_works(home: Path) -> None:
    folder = home / "config" / "routines"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text("routines:\n  x:\n    nmae: X\n")
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        toasts = [n for n in app._notifications if n.title == "Some routine files have problems"]
        assert len(toasts) == 1 and "bad.yaml:3:5" in toasts[0].message and "did you mean 'name'" in toasts[0].message
        assert len(option_ids(app)) == 11


@asyncio_test
async def test_checkin_clear_is_remembered_for_the_day_only(home: Path) -> None:
    day = {"today": TODAY}
    app = make_app(home, start="desk-break", today=lambda: day["today"])
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        player_screen(app)
        await pilot.press("q", "y")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        player_screen(app)  # straight in: already checked today
        await pilot.press("q", "y", "escape")
        day["today"] = date(2026, 11, 22)
        await pilot.press("enter")
        assert isinstance(app.screen, CheckInScreen)
    assert json.loads((home / "data" / "state.json").read_text())["checkin_date"] == "2026-11-21"


@asyncio_test
async def test_any_red_flag_explains_and_offers_to_cancel(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"desk", "enter")
        questions = app.screen.query_one("#questions", SelectionList)
        await pilot.press("down", "down", "down", "space")  # numbness, tingling or weakness
        assert questions.selected == ["numbness"]
        await pilot.press("s")
        assert isinstance(app.screen, AdviceScreen)
        text = str(app.screen.query_one(".dialog-text").render())
        assert "physical therapist or doctor" in text and "Numbness, tingling" in text
        assert "not an assessment of you" in text
        await pilot.press("c")  # cancel: the safe default
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not (home / "data" / "state.json").exists()  # a flagged check is never remembered
        await pilot.press("enter")
        await pilot.press("space", "s", "g")  # tick the first, start anyway
        await pilot.pause()
        assert player_screen(app).runner.player is not None


@asyncio_test
async def test_run_routine_opens_straight_into_it(home: Path) -> None:
    app = make_app(home, start="floor-mobility")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, CheckInScreen) and app.screen.routine.id == "floor-mobility"
        await pilot.press("s")
        await pilot.pause()
        assert player_screen(app).routine.id == "floor-mobility"


@asyncio_test
async def test_a_session_runs_start_to_finish_on_its_own(home: Path) -> None:
    clock = FakeClock()
    app = make_app(home, start="desk-break", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        screen = player_screen(app)
        assert countdown(app) == "0:14"  # long enough to say how to sit, then count in
        await advance(pilot, 14.0)
        assert screen.runner.player.segment.kind == "work" and countdown(app) == "0:30"
        assert "rep 1 of 6" in str(screen.query_one("#detail").render())
        await advance(pilot, 10.0)
        assert "rep 3 of 6" in str(screen.query_one("#detail").render())
        await advance(pilot, 228.0 - 24.0)
        assert isinstance(app.screen, FinishScreen)
        outcome = app.outcomes[-1]
        assert outcome.completed and outcome.steps_done == outcome.steps_total == 4
        assert outcome.active_seconds == pytest.approx(137.0)  # the work of 3m48s; gaps are not moving
        await pilot.press("b")
        assert outcome.feeling == "better" and isinstance(app.screen, HomeScreen)


@asyncio_test
async def test_pause_and_resume_keep_the_time_exactly(home: Path) -> None:
    clock = FakeClock()
    app = make_app(home, start="desk-break", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        player = player_screen(app).runner.player
        await advance(pilot, 12.0)
        left = player.total_remaining()
        for _ in range(3):
            await pilot.press("space")
            assert player.status is Status.PAUSED
            assert "PAUSED" in str(player_screen(app).query_one("#phase").render())
            await advance(pilot, 60.0)
            await pilot.press("space")
            await advance(pilot, 1.0)
        assert player.status is Status.RUNNING
        assert player.total_remaining() == pytest.approx(left - 3.0)


@asyncio_test
async def test_skip_back_and_restart(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        player = player_screen(app).runner.player
        await advance(pilot, 8.0)
        await pilot.press("n")
        assert player.unit_index == 1 and player.segment.kind == "get_ready"
        assert "▶ Controlled seated twist" in str(player_screen(app).query_one("#steps").render())
        await advance(pilot, 9.0)
        await pilot.press("r")
        assert player.unit_index == 1 and player.elapsed() == 0
        await pilot.press("p")
        assert player.unit_index == 0
        await pilot.press("n", "n", "n", "n")
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen) and not app.outcomes[-1].completed


@asyncio_test
async def test_a_session_run_to_its_end_with_a_step_skipped_is_finished_not_ended_early(home: Path) -> None:
    app = make_app(home, start="desk-break", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        await pilot.press("n")  # the first step skipped in its get-ready; the rest played out
        await advance(pilot, 200.0, step=1.0)
        assert isinstance(app.screen, FinishScreen)
        summary = str(app.screen.query_one("#summary").render())
        assert summary.startswith("Finished — 1 step skipped\n") and "ended early" not in summary
        assert "Steps done: 3 of 4" in summary


@asyncio_test
async def test_self_paced_reps_wait_for_enter(home: Path) -> None:
    app = make_app(home, start="core-posture")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "n")  # past the dead bug, to the bird-dog's get-ready (18 s)
        player = player_screen(app).runner.player
        await advance(pilot, 78.0)
        assert player.segment.kind == "work" and player.segment.self_paced
        assert "press Enter when done" in str(player_screen(app).query_one("#detail").render())
        assert countdown(app) == "1:00"  # counts up while you work
        await pilot.press("enter")
        assert player.segment.kind == "switch"


@asyncio_test
async def test_quitting_asks_first_and_keeps_the_partial_session(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        player = player_screen(app).runner.player
        await advance(pilot, 50.0)  # the first step done: 14 s to get ready, 30 s of work
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen) and player.status is Status.PAUSED
        await pilot.press("n")
        assert player.status is Status.RUNNING
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        outcome = app.outcomes[-1]
        assert not outcome.completed and outcome.steps_done == 1 and outcome.active_seconds == pytest.approx(30.0)
        assert "Session ended early" in str(app.screen.query_one("#summary").render())


@asyncio_test
async def test_cautions_are_one_key_away_and_pause_meanwhile(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        player = player_screen(app).runner.player
        await pilot.press("c")
        assert isinstance(app.screen, CautionsScreen) and player.status is Status.PAUSED
        shown = str(app.screen.query_one(".dialog-text").render())
        assert "numbness, tingling or weakness" in shown
        assert "stop if\n" not in shown.lower() and shown.startswith("Cautions: Seated cat-cow")
        await pilot.press("c")
        assert player.status is Status.RUNNING


@asyncio_test
async def test_mute_is_remembered(home: Path) -> None:
    clock = FakeClock()
    speaker = FakeSpeaker(clock)
    app = make_app(home, start="desk-break", clock=clock, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        await pilot.press("m")
        heard = len(speaker.played)
        await advance(pilot, 20.0)
        assert len(speaker.played) == heard
    assert json.loads((home / "data" / "state.json").read_text())["muted"] is True
    again = make_app(home, start="desk-break")
    assert again.cues.muted


@asyncio_test
async def test_pain_on_the_finish_screen_gives_the_advice(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        await pilot.press("q", "y")
        await pilot.press("p")
        assert isinstance(app.screen, AdviceScreen)
        assert "physical therapist or doctor" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.outcomes[-1].feeling == "pain"


@asyncio_test
async def test_laptop_sleep_pauses_the_session_and_says_so(home: Path) -> None:
    clock = FakeClock()
    app = make_app(home, start="desk-break", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        player = player_screen(app).runner.player
        await advance(pilot, 20.0)
        left = player.total_remaining()
        clock.suspend(2 * 3600)
        await advance(pilot, 0.25)
        assert player.status is Status.PAUSED and player.pause_reason is PauseReason.SUSPEND
        assert player.total_remaining() == pytest.approx(left)
        assert any("computer was asleep" in n.message for n in app._notifications)


@asyncio_test
async def test_keys_are_in_the_command_palette(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Pause", "Next", "Back", "Restart", "Mute", "Cautions", "Quit", "Sound on/off"} <= set(commands)
        await commands["Pause"].callback()
        assert player_screen(app).runner.player.status is Status.PAUSED


@asyncio_test
async def test_cues_play_the_right_sounds_at_the_right_times(home: Path) -> None:
    clock = FakeClock()
    speaker = FakeSpeaker(clock)
    app = make_app(home, start="desk-break", clock=clock, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_desk_break(pilot)
        start = clock.monotonic()
        await advance(pilot, 75.0)
    heard = [(round(t - start, 2), name) for t, name in speaker.played]
    assert heard[:10] == [
        (0.0, "ready"),
        (11.0, "tick"),
        (12.0, "tick"),
        (13.0, "tick"),  # get ready (as long as its words), 3-2-1
        (14.0, "go"),
        (19.0, "rep"),
        (24.0, "rep"),
        (29.0, "rep"),
        (34.0, "rep"),
        (39.0, "rep"),
    ]
    assert (44.0, "rest") in heard and (56.0, "ready") in heard and (71.0, "go") in heard
    # One count-in: the rest before a get-ready has no ticks of its own.
    assert [t for t, name in heard if name == "tick" and 44 < t < 56] == []


@pytest.mark.parametrize("speaker", [NoAudioSpeaker(), CrashingSpeaker()])
def test_a_failing_sound_backend_never_breaks_a_session(home: Path, speaker: object) -> None:
    @asyncio_test
    async def scenario() -> None:
        app = make_app(home, start="desk-break", speaker=speaker)
        bells = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        app.cues.bell = app.bell
        async with app.run_test(size=(80, 24)) as pilot:
            await start_desk_break(pilot)
            await advance(pilot, 235.0)
            assert isinstance(app.screen, FinishScreen)
            warnings = [n for n in app._notifications if n.message.startswith("No sound:")]
            assert len(warnings) <= 1
            assert bells  # the bell marks go, rest and finish instead
        messages = [n.message for n in app._notifications if n.message.startswith("No sound:")]
        del messages

    scenario()


def now_shown(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(w.render()) for w in app.screen.query("#home-now Static"))


def footer_keys(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [key.description for key in app.screen.query(FooterKey)]


@asyncio_test
async def test_the_footer_says_resume_while_paused_and_done_only_on_self_paced_steps(home: Path) -> None:
    app = make_app(home, start="core-posture")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await advance(pilot, 2.0)  # get ready: timed
        assert "Pause" in footer_keys(app) and "Resume" not in footer_keys(app) and "Done" not in footer_keys(app)
        await pilot.press("space")
        await pilot.pause()
        assert "Resume" in footer_keys(app) and "Pause" not in footer_keys(app)
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert "Resume" in commands and "Pause" not in commands and "Done" not in commands
        await pilot.press("space", "n")
        await advance(pilot, 19.0)  # bird-dog: self-paced, after its 18 s get-ready
        assert player_screen(app).runner.player.segment.self_paced
        assert "Done" in footer_keys(app) and "Pause" in footer_keys(app)
        await pilot.press("enter")  # on to switching sides: timed
        await pilot.pause()
        assert player_screen(app).runner.player.segment.kind == "switch" and "Done" not in footer_keys(app)


@asyncio_test
async def test_an_urgent_sign_asks_for_emergency_care_and_offers_no_start(home: Path) -> None:
    app = make_app(home, start="desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["down"] * 6, "space", "s")  # the emergency signs
        assert isinstance(app.screen, AdviceScreen)
        text = str(app.screen.query_one(".dialog-text").render())
        assert "emergency care" in text and "not an assessment of you" in text
        assert [b.id for b in app.screen.query(Button)] == ["stop"]
        await pilot.press("g")  # no "go on anyway" here
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@asyncio_test
async def test_worse_after_a_session_gets_advice_and_the_floor_key_plays_variants(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t", *"floor m")
        preview = str(app.screen.query_one("#preview").render())
        assert "Played without the floor" in preview and "You need: a mat" not in preview
        await pilot.press("enter", "s")
        await pilot.pause()
        played = player_screen(app).routine
        assert played.id == "floor-mobility" and not played.needs_floor
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("w")
        assert isinstance(app.screen, AdviceScreen)
        assert "the easier versions of the harder exercises" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("c")
        await advance(pilot, 1.0)
        assert isinstance(app.screen, HomeScreen)
        assert "Gentler after 'worse' earlier" in now_shown(app)
        # As the answer said: a session now plays the easier versions.
        await pilot.press("ctrl+t")  # the floor back on
        app.play(app.library.routines["core-posture"])
        await pilot.pause()
        played = [s.exercise.id for s in player_screen(app).routine.steps]
        assert played[:3] == ["dead-bug-heel-taps", "bird-dog-one-limb", "desk-plank"]


@asyncio_test
async def test_a_long_list_is_whole_after_its_first_frame_and_a_new_filter_drops_the_old_rest(home: Path) -> None:
    # 80x24 puts 48 routines in the list at once and the rest after the frame that shows them.
    folder = home / "config" / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(70):
        (folder / f"r{number:02}.yaml").write_text(
            f"routines:\n  r{number:02}:\n    name: Routine {number:02}\n    summary: S.\n"
            "    steps:\n      - {exercise: cat-cow, hold: 30s}\n"
        )
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(option_ids(app)) == 81 and option_ids(app)[0] == "core-posture"
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        screen._fill("")  # its rest waits for the next frame...
        screen._fill("routine 6")  # ...which a filter typed at once replaces
        await pilot.pause()
        wanted = [r.id for r in rank_routines(screen.library.routines.values(), "routine 6")]
        assert option_ids(app) == wanted and "r60" in wanted and len(wanted) < 40


@asyncio_test
async def test_sitting_and_precautions_show_in_the_preview_the_check_in_and_the_session(home: Path) -> None:
    from mobility_coach.core.config import Settings

    settings = Settings(floor=False, standing=False, precautions=("pregnancy",))
    app = make_app(home, settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"standing reset")
        preview = str(app.screen.query_one("#preview").render())
        assert "Played without standing: seated versions." in preview
        assert "Played under your precautions: pregnancy." in preview and "Seated desk push" in preview
        await pilot.press("enter")
        assert isinstance(app.screen, CheckInScreen)
        intro = str(app.screen.query_one("#checkin-intro").render())
        assert "Precautions in force (your settings): pregnancy." in intro and "not advice for you" in intro
        await pilot.press("s")
        played = player_screen(app).routine
        assert played.positions == ("seated",)
        assert any("pressure in your belly or pelvis" in caution for caution in played.cautions)
