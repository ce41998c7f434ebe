"""Sitting-break reminders in the app: the countdown, the modal and its three choices."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Button, Input

from mobility_coach.adapters.remind_socket import ask
from mobility_coach.core.breaks.protocol import AskStatus, Snooze, StartRoutine, Stop
from mobility_coach.core.breaks.schedule import Phase, ReminderSettings
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.timeline import expand
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.screens.break_due import GRACE_SECONDS, QUIET_SECONDS, BreakDueScreen
from mobility_coach.tui.screens.checkin import CheckInScreen
from mobility_coach.tui.screens.home import HomeScreen
from tests.fake_voice import FakeEngine
from tests.functional.test_break_clock_owner import reminder_running
from tests.tui.conftest import FakeSpeaker, advance, asyncio_test, fake_voice, make_app, player_screen


async def run_command(app: MobilityCoachApp, title: str) -> None:
    command = {c.title: c for c in app.get_system_commands(app.screen)}[title]
    result = command.callback()
    if inspect.isawaitable(result):
        await result


def reminding_app(home: Path, **settings) -> tuple[MobilityCoachApp, FakeSpeaker, list[int]]:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    speaker = FakeSpeaker(clock)
    app = make_app(home, clock=clock, speaker=speaker, settings=Settings(ReminderSettings(**settings)))
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    return app, speaker, bells


@asyncio_test
async def test_the_header_counts_down_and_a_due_break_asks_with_three_choices(home: Path) -> None:
    app, speaker, bells = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 15 * 60, step=60)
        assert app.title == "mobility-coach · next break in 45 min"
        await advance(pilot, 45 * 60, step=60)
        assert isinstance(app.screen, BreakDueScreen)
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert labels == ["Wrists and eyes (enter)", "Snooze 10m (s)", "Skip (k)"]  # the first pick of a day
        assert bells == [1] and speaker.played[-1][1] == "break"
        # The question says it; a toast repeating it only covered its title at 60x20.
        assert not any(n.title == "Time to move" for n in app._notifications)
        assert app.title == "mobility-coach · break due now"


@asyncio_test
async def test_snooze_asks_again_after_the_snooze(home: Path) -> None:
    app, _, _ = reminding_app(home, snooze=300.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        await advance(pilot, GRACE_SECONDS)  # the question takes no answer before
        await pilot.press("s")
        assert isinstance(app.screen, HomeScreen) and app.title.endswith("next break in 5 min (snoozed)")
        await advance(pilot, 299)
        assert isinstance(app.screen, HomeScreen)
        await advance(pilot, 1)
        assert isinstance(app.screen, BreakDueScreen)


@asyncio_test
async def test_skip_starts_a_new_interval(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        await advance(pilot, GRACE_SECONDS)  # the question takes no answer before
        await pilot.press("k")
        assert isinstance(app.screen, HomeScreen) and app.title.endswith("next break in 60 min")


@asyncio_test
async def test_start_leads_into_the_routine_and_finishing_it_restarts_the_interval(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        await advance(pilot, GRACE_SECONDS)  # the question takes no answer before
        await pilot.press("enter")
        assert isinstance(app.screen, CheckInScreen) and app.screen.routine.id == "wrists-and-eyes"
        await pilot.press("s")
        assert player_screen(app).routine.id == "wrists-and-eyes" and app.schedule.phase is Phase.IN_SESSION
        whole = expand(app.library.routines["wrists-and-eyes"]).timed_seconds
        await advance(pilot, whole + 1, step=0.25)  # the whole routine
        assert app.outcomes[-1].completed
        assert app.schedule.phase is Phase.COUNTING and app.schedule.seconds_left() == 3600


@asyncio_test
async def test_a_routine_quit_after_five_seconds_leaves_the_hour_running(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 20 * 60, step=60)
        await pilot.press("enter", "s")  # the highlighted routine, through the check-in
        await pilot.pause()
        await advance(pilot, 5, step=0.25)
        await pilot.press("q", "y")
        assert not app.outcomes[-1].completed
        assert app.schedule.phase is Phase.COUNTING and app.schedule.seconds_left() == 40 * 60 - 5
        assert app.title == "mobility-coach · next break in 40 min"


@asyncio_test
async def test_no_reminder_interrupts_a_session(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 59 * 60, step=60)
        await pilot.press("enter", "s")  # the highlighted routine, through the check-in
        await pilot.pause()
        player = player_screen(app)
        await advance(pilot, 90, step=0.5)  # past the hour, the session still going
        assert not any(isinstance(s, BreakDueScreen) for s in app.screen_stack)
        assert app.screen is player and not player.runner.ended


@asyncio_test
async def test_reminders_pause_and_resume_from_the_palette(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)):
        await run_command(app, "Pause break reminders for 1 hour")
        assert app.schedule.phase is Phase.PAUSED and app.title.startswith("mobility-coach · reminders paused until")
        await run_command(app, "Resume break reminders")
        assert app.title == "mobility-coach · next break in 60 min"


async def palette_finds(pilot: Pilot[None], typed: str) -> list[str]:
    """The titles the command palette lists for ``typed``, as a user sees them."""
    await pilot.press("ctrl+p", *typed)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    found = pilot.app.screen.query_one(CommandList)
    titles = [str(found.get_option_at_index(i).prompt).split("\n")[0] for i in range(found.option_count)]
    await pilot.press("escape")
    return titles


@asyncio_test
async def test_the_palette_finds_break_commands_by_the_words_people_use(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = await palette_finds(pilot, "break")
        assert any(t.startswith("Snooze") for t in titles) and any(t.startswith("Skip") for t in titles)
        assert any(t.startswith("Pause") for t in titles)
        for word in ("reminder", "snooze", "skip", "pause"):
            assert any(word in t.lower() for t in await palette_finds(pilot, word)), word
        everything = await palette_finds(pilot, "log")
        assert len([t for t in everything if "crack" in t.lower()]) == 1, everything


async def until(pilot: Pilot[None], what: str, test: Callable[[], bool]) -> None:
    """Let the app run until ``test`` holds (the reminder answers on its own thread)."""
    deadline = time.monotonic() + 10
    while not test():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen")
        await pilot.pause()


@asyncio_test
async def test_a_break_the_reminder_keeps_is_asked_and_answered_in_the_app(home: Path) -> None:
    """Issue 10: with the reminder running the app said "break due now (remind)" and offered
    no way to answer; after `remind stop` it said so for good."""
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    clock = FakeClock()
    with reminder_running(paths, clock) as reminder:
        app = make_app(home, clock=clock, settings=Settings(ReminderSettings()), shared=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, "following the reminder", lambda: app.clock_link.owner == "remind")
            assert app.schedule is None  # no clock of its own
            clock.advance(3600)
            await asyncio.to_thread(ask, paths, AskStatus(), {})  # the reminder's loop wakes
            await until(pilot, "the question", lambda: isinstance(app.screen, BreakDueScreen))
            assert app.title == "mobility-coach · break due now (remind)"
            await advance(pilot, GRACE_SECONDS)
            await pilot.press("k")
            await until(pilot, "the skip reaching the reminder", lambda: reminder.schedule.phase is Phase.COUNTING)
            await until(pilot, "the header", lambda: app.title == "mobility-coach · next break in 60 min (remind)")
            clock.advance(3600)
            await asyncio.to_thread(ask, paths, AskStatus(), {})
            await until(pilot, "the next question", lambda: isinstance(app.screen, BreakDueScreen))
            # `remind snooze` in a shell answers it: the question closes here too
            await asyncio.to_thread(ask, paths, Snooze(), {})
            await until(pilot, "the question closing", lambda: isinstance(app.screen, HomeScreen))
            clock.advance(600)
            await asyncio.to_thread(ask, paths, AskStatus(), {})
            await until(pilot, "the question after the snooze", lambda: isinstance(app.screen, BreakDueScreen))
            await asyncio.to_thread(ask, paths, Stop(), {})  # `remind stop` while it is asked
            await until(pilot, "taking the clock over", lambda: app.clock_link.owner == "app")
            assert app.schedule is not None and app.schedule.phase is Phase.DUE
            await advance(pilot, 1)
            # Nobody answered it during the hand-over: the question stays (it was lost 2 times in 4).
            assert isinstance(app.screen, BreakDueScreen) and app.title == "mobility-coach · break due now"


def test_the_app_offers_the_routine_the_one_rule_gives(home: Path) -> None:
    """A suggested routine that does not exist: the app offers what `remind` offers (the
    routine picked for the break, by the same call), and the rule's fallback is the default."""
    from mobility_coach.core.breaks.offer import break_pick
    from mobility_coach.core.breaks.service import suggest_routine

    app, _, _ = reminding_app(home, suggested_routine="flor-mobility")
    routine = app.suggested_routine()
    picked = break_pick(app.library.routines, None, app.settings, True, app.clock.wall()).routine
    assert routine is not None and picked is not None and routine.id == picked.id
    assert suggest_routine(app.library.routines, "flor-mobility").routine_id == "desk-break"


@asyncio_test
async def test_a_due_break_and_its_answer_are_kept_once_at_the_clock_s_time(home: Path) -> None:
    app, _, _ = reminding_app(home)
    assert app.history is not None and isinstance(app.clock, FakeClock)
    due_at = app.clock.wall() + 3600
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        await advance(pilot, GRACE_SECONDS)  # the question takes no answer before
        await pilot.press("k")
        await advance(pilot, 60, step=60)
    assert [(b.kind, b.source, b.at) for b in app.history.breaks()] == [
        ("skipped", "app", due_at + GRACE_SECONDS),  # answered when the question first takes answers
        ("due", "app", due_at),
    ]


@asyncio_test
async def test_typing_desk_as_the_question_appears_answers_nothing(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600 - 60, step=60)
        await pilot.press("d", "e")
        await advance(pilot, 60)  # the break comes due mid-word
        assert isinstance(app.screen, BreakDueScreen) and app.screen.focused is None
        await pilot.press("s", "k", "enter", "escape")
        await advance(pilot, GRACE_SECONDS - 0.1)
        await pilot.press("s", "k", "enter")
        assert isinstance(app.screen, BreakDueScreen), "a key typed in the grace period answered the question"
        assert all(b.disabled for b in app.screen.query(Button))
        assert app.title == "mobility-coach · break due now" and app.schedule.phase is Phase.DUE
        assert app.history is not None and [b.kind for b in app.history.breaks()] == ["due"]
        # Keys typed while it waits make it wait until the keyboard is still.
        await advance(pilot, QUIET_SECONDS - 0.1)
        assert isinstance(app.screen, BreakDueScreen) and app.screen.focused is None
        await advance(pilot, 0.1)
        assert app.screen.focused is not None and app.screen.focused.id == "start"
        await pilot.press("s")
        # What was typed before the question stays; what was typed into it is dropped.
        assert isinstance(app.screen, HomeScreen) and app.screen.query_one("#filter", Input).value == "de"
        assert app.title.endswith("(snoozed)")


@asyncio_test
async def test_typing_on_past_the_grace_period_still_answers_nothing(home: Path) -> None:
    """Found trying it: "deskwork" typed at four keys a second from the due moment skipped
    the break with its last "k", 1.8 s in."""
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        assert isinstance(app.screen, BreakDueScreen)
        for key in "deskwork":
            await pilot.press(key)
            await advance(pilot, 0.25)
        assert isinstance(app.screen, BreakDueScreen) and app.screen.focused is None
        assert app.schedule is not None and app.schedule.phase is Phase.DUE
        await advance(pilot, QUIET_SECONDS)
        assert app.screen.focused is not None and app.screen.focused.id == "start"


@asyncio_test
async def test_closing_and_reopening_the_app_keeps_the_sitting_time_and_the_pause(home: Path) -> None:
    """Issue 10: reopening the app started the hour again, so closing it postponed every break."""
    clock = FakeClock()
    async with make_app(home, clock=clock).run_test(size=(80, 24)) as pilot:
        await advance(pilot, 20 * 60, step=60)
    clock.advance(5 * 60)  # closed for five minutes: sitting all the same
    reopened = make_app(home, clock=clock)
    async with reopened.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert reopened.title == "mobility-coach · next break in 35 min"
        await run_command(reopened, "Pause break reminders until resumed")
    again = make_app(home, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.title == "mobility-coach · reminders paused"
        assert "Resume break reminders" in {c.title for c in again.get_system_commands(again.screen)}


@asyncio_test
async def test_a_break_still_due_after_a_quick_quit_is_asked_again_back_home(home: Path) -> None:
    """Found trying it: after a routine quit early the header said "break due now" and
    nothing asked it again, nor could the palette answer it."""
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        await advance(pilot, GRACE_SECONDS)
        await pilot.press("enter", "s")  # start the suggested routine, through the check-in
        await pilot.pause()
        await advance(pilot, 5, step=0.25)
        await pilot.press("q", "y")
        assert app.schedule is not None and app.schedule.phase is Phase.DUE
        assert not any(isinstance(s, BreakDueScreen) for s in app.screen_stack)  # not over the finish screen
        assert "Snooze this break reminder (10m)" in {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("escape")
        await advance(pilot, 1)
        assert isinstance(app.screen, BreakDueScreen)


@asyncio_test
async def test_a_paused_clock_offers_resume_and_no_pause(home: Path) -> None:
    """Found trying it: typing "resume" in the palette ran "Pause reminders until resumed"."""
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)):
        await run_command(app, "Pause break reminders for 1 hour")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Resume break reminders" in titles and not any(t.startswith("Pause") for t in titles)


@asyncio_test
async def test_a_question_stays_while_the_clock_changes_hands(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        assert isinstance(app.screen, BreakDueScreen)
        host, app.clock_link.host = app.clock_link.host, None  # as between two owners: no word from any clock
        app.break_tick()
        await pilot.pause()
        assert isinstance(app.screen, BreakDueScreen), "the hand-over closed a question nobody answered"
        app.clock_link.host = host


@asyncio_test
async def test_with_voice_reminder_the_question_is_also_said_after_its_tone(home: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    speaker = FakeSpeaker(clock)
    engine = FakeEngine()
    settings = Settings(voice_reminder=True)
    app = make_app(home, clock=clock, speaker=speaker, settings=settings, voice=fake_voice(tmp_path / "cache", engine))
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        assert isinstance(app.screen, BreakDueScreen)
        assert app.cues.voice is not None
        spoken = app.cues.voice.ready("Time to move: Wrists and eyes")
        assert spoken is not None and [name for _, name in speaker.played[-2:]] == ["break", spoken.stem]


@asyncio_test
async def test_i_already_moved_is_a_break_taken_on_your_word(home: Path) -> None:
    app, _, _ = reminding_app(home)
    assert app.history is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        assert "m: I already moved" in " ".join(str(w.render()) for w in app.screen.query(".dialog-text"))
        await advance(pilot, GRACE_SECONDS)
        await pilot.press("m")
        assert isinstance(app.screen, HomeScreen) and app.title.endswith("next break in 60 min")
    taken = [(b.kind, b.detail) for b in app.history.breaks() if b.kind == "taken"]
    assert taken == [("taken", "your word")]


@asyncio_test
async def test_the_question_offers_other_routines_by_number_with_the_reason(home: Path) -> None:
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3600, step=60)
        text = " ".join(str(w.render()) for w in app.screen.query(".dialog-text"))
        assert "Suggested: neck, upper back and 3 more not moved today." in text
        assert "\n 2  Hips after long sitting\n" in text
        await advance(pilot, GRACE_SECONDS)
        await pilot.press("2")
        assert isinstance(app.screen, CheckInScreen) and app.screen.routine.id == "sitters-hips"


@asyncio_test
async def test_the_notification_s_start_runs_the_routine_in_the_open_app(home: Path) -> None:
    """Issue 13: Start in the reminder's notification, with the app open, starts the routine
    here (the reminder opens no terminal), answering the question on screen."""
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    clock = FakeClock()
    with reminder_running(paths, clock) as reminder:
        opened: list[str] = []
        reminder.start_in_terminal = lambda routine_id: (opened.append(routine_id) is None, "opened")
        app = make_app(home, clock=clock, settings=Settings(ReminderSettings()), shared=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, "following the reminder", lambda: app.clock_link.owner == "remind")
            clock.advance(3600)
            await asyncio.to_thread(ask, paths, AskStatus(), {})
            await until(pilot, "the question", lambda: isinstance(app.screen, BreakDueScreen))
            reply = await asyncio.to_thread(ask, paths, StartRoutine(), {})
            assert reply is not None and reply.ok and "in the open app" in reply.message
            await until(pilot, "the routine's check-in", lambda: isinstance(app.screen, CheckInScreen))
            assert opened == []
            await advance(pilot, 1)  # the check-in settles before the app closes


@asyncio_test
async def test_a_break_due_during_a_routine_s_check_in_is_not_asked_over_it(home: Path) -> None:
    """Issue 13: Start in the notification opens `run ROUTINE` in a terminal while the break
    is due; that app's check-in was covered at once by the same break's question."""
    app, _, _ = reminding_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, 3599, step=60)
        app.begin(app.library.routines["desk-break"])
        await pilot.pause()
        await advance(pilot, 120, step=60)
        assert app.schedule is not None and app.schedule.phase is Phase.DUE
        assert isinstance(app.screen, CheckInScreen)  # on the way into the routine: not asked
        await pilot.press("escape")  # no routine after all: the break is asked
        await advance(pilot, 1)
        assert isinstance(app.screen, BreakDueScreen)
