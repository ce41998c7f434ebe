"""How far the real end of a session lands from its planned end, in real time.

    python bench/session_timing.py [--seconds 20]

Plays a routine of about --seconds (one held step, both sides, with get-ready and switch
gaps) in the real app, headless, on the real clock, and records:

- the Player's own end (its last deadline, read through its public readings as
  ``now + total_remaining(now)`` just before it finished) minus the planned end (the same
  reading when the session had just begun);
- when the finish screen appeared minus the planned end (what the user sees);
- the same for a naive countdown in the same process that counts 0.1 s sleeps, the way
  many interval timers do (the baseline: ticks drift, deadlines do not).

All are measured while the event loop is kept moderately busy, as a real terminal is.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.sound import CuePlayer
from mobility_coach.core.clock import SystemClock
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import Library
from mobility_coach.core.routines.model import Defaults, Exercise, Origin, Routine, Step
from mobility_coach.core.session.player import Status
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.factory import make_parts
from mobility_coach.tui.screens.finish import FinishScreen
from mobility_coach.tui.screens.player import PlayerScreen


class Silent:
    def play(self, path: Path) -> None:
        pass


def silent_cues(bell: Callable[[], None], on_problem: Callable[[str], None], *, muted: bool) -> CuePlayer:
    return CuePlayer(Silent(), bell, on_problem, muted=muted)


def routine(seconds: float) -> Routine:
    exercise = Exercise("reach", "Reach", "standing", ("Reach up.",), ("Stop if it hurts.",), None, None)
    hold = (seconds - 3 - 2) / 2
    step = Step(exercise, hold, None, None, "both", 1, None, None, None, None, None)
    defaults = Defaults(get_ready=3, rest=0, set_rest=0, switch=2, round_rest=0)
    return Routine("bench", "Bench", "Timing.", (), defaults, (step,), 1, Origin(Path("bench.yaml"), False))


async def naive_countdown(seconds: float) -> float:
    left = seconds
    while left > 1e-9:
        await asyncio.sleep(0.1)
        left -= 0.1
    return time.monotonic()


async def busy_loop(stop: asyncio.Event) -> None:
    # Some work on the loop now and then, as rendering and input are.
    while not stop.is_set():
        end = time.perf_counter() + 0.004
        while time.perf_counter() < end:
            pass
        await asyncio.sleep(0.02)


async def run(seconds: float) -> None:
    planned_routine = routine(seconds)
    library = Library(routines={"bench": planned_routine})
    with tempfile.TemporaryDirectory() as home:
        paths = Paths.from_environment({"MOBILITY_COACH_HOME": home})
        app = MobilityCoachApp(
            make_parts(
                paths,
                {},
                start_routine="bench",
                library=library,
                clock=SystemClock(),
                make_cues=silent_cues,
                idle=NoIdle(),
                listen_for_reminder=False,
            )
        )
        app.state.checkin_date = app.today().isoformat()
        async with app.run_test(size=(80, 24)) as pilot:
            while not any(isinstance(s, PlayerScreen) for s in app.screen_stack):
                await pilot.pause(0.01)
            player_screen = next(s for s in app.screen_stack if isinstance(s, PlayerScreen))
            player = player_screen.runner.player
            assert player is not None
            clock = player.clock
            while player.status is Status.READY:  # the plan starts when the session does
                await asyncio.sleep(0.001)
            # Deadlines, not ticks: "now + what is left" names the same instant whenever it
            # is read, so reading it once the session runs gives the planned end.
            begun = clock.monotonic()
            planned_end = begun + player.total_remaining(begun)
            player_end = planned_end
            stop = asyncio.Event()
            busy = asyncio.create_task(busy_loop(stop))
            naive = asyncio.create_task(naive_countdown(player.timeline.timed_seconds))
            naive_start = time.monotonic()
            while not isinstance(app.screen, FinishScreen):
                now = clock.monotonic()
                # Read only with time left in the segment: past its deadline, until the
                # next tick moves the Player on, "remaining" stays at 0 and the sum grows.
                if player.status is Status.RUNNING and (player.remaining(now) or 0.0) > 0.0:
                    player_end = now + player.total_remaining(now)
                await asyncio.sleep(0.005)
            seen_end = time.monotonic()
            naive_end = await naive
            stop.set()
            await busy
    naive_planned = naive_start + player.timeline.timed_seconds
    print(f"real-time session of {player.timeline.timed_seconds:.0f} s, event loop kept busy")
    print(f"  Player's end (deadline)            {(player_end - planned_end) * 1000:+8.1f} ms from plan")
    print(
        f"  finish screen shown                {(seen_end - planned_end) * 1000:+8.1f} ms from plan "
        "(one 0.1 s tick at most, plus rendering)"
    )
    print(f"  naive 0.1 s tick counter (baseline) {(naive_end - naive_planned) * 1000:+8.1f} ms from plan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--quick", action="store_true", help="a few seconds: the harness runs, no figure")
    args = parser.parse_args()
    asyncio.run(run(3.0 if args.quick else args.seconds))


if __name__ == "__main__":
    main()
