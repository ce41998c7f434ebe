"""The routine a break offers, on seeded days: areas not moved yet, the floor setting,
gentler after pain, rotation through a day, and the user's own choice winning."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC

from mobility_coach.core.breaks.choice import BREAK_ROUTINE_SECONDS, DoneToday, fits_a_break, pick_routine
from mobility_coach.core.routines.loader import builtin_layer, load_library
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.variants import as_played
from tests.unit.builders import EX, routine, step

ROUTINES = load_library([builtin_layer()]).routines
HOUR = 3600.0


def day_of(*ids: str, feeling: dict[str, str] | None = None) -> list[DoneToday]:
    return [DoneToday(rid, i * HOUR, (feeling or {}).get(rid)) for i, rid in enumerate(ids)]


def test_the_first_break_of_the_day_moves_the_most_areas() -> None:
    pick = pick_routine(ROUTINES, [])
    # The wrists and eyes are areas of their own, which only it moves among the short ones.
    assert pick.routine is not None and pick.routine.id == "wrists-and-eyes"
    assert pick.reason == "neck, upper back and 3 more not moved today"
    assert pick.others and all(fits_a_break(r, True) for r in pick.others)


def test_the_next_break_goes_to_what_has_not_moved() -> None:
    pick = pick_routine(ROUTINES, day_of("desk-break"))
    assert pick.routine is not None and "neck" in pick.routine.areas
    assert pick.reason == "neck, wrists and 1 more not moved today"
    pick = pick_routine(ROUTINES, day_of("wrists-and-eyes"))
    assert pick.routine is not None and {"lower back", "hips"} <= set(pick.routine.areas)
    assert pick.reason == "lower back, hips and 1 more not moved today"


def test_once_everything_has_moved_the_least_done_routine_comes_round() -> None:
    pick = pick_routine(ROUTINES, day_of("desk-break", "wrists-and-eyes", "sitters-hips"))
    assert pick.routine is not None and pick.routine.id not in ("desk-break", "wrists-and-eyes", "sitters-hips")
    assert pick.reason == "every area has moved today; this one you have not done yet"


def test_a_day_of_breaks_every_minute_without_the_floor_varies_and_never_needs_it() -> None:
    done: list[DoneToday] = []
    picked: list[str] = []
    for minute in range(8):
        pick = pick_routine(ROUTINES, done, floor=False)
        assert pick.routine is not None
        assert fits_a_break(pick.routine, floor=False)
        picked.append(pick.routine.id)
        done.append(DoneToday(pick.routine.id, minute * 60.0))
    assert len(set(picked)) >= 4, picked
    assert all(a != b for a, b in itertools.pairwise(picked)), picked
    assert max(picked.count(r) for r in picked) <= 2, picked


def test_the_floor_setting_leaves_out_routines_that_cannot_leave_the_floor() -> None:
    floor_only = replace(EX, id="lie", position="floor", areas=("neck",))  # and no off_floor variant
    own: Routine = replace(routine(step(exercise=floor_only, hold=30.0)), id="lie-down", name="Lie down")
    routines = {"desk-break": ROUTINES["desk-break"], "upper-back-reset": ROUTINES["upper-back-reset"], "lie-down": own}
    day = day_of("desk-break")  # the neck alone is left: "lie-down" moves nothing else
    with_floor = pick_routine(routines, day, floor=True)
    assert with_floor.routine is not None and with_floor.routine.id == "lie-down"
    without = pick_routine(routines, day, floor=False)
    assert without.routine is not None and without.routine.id != "lie-down"
    assert "lie-down" not in {r.id for r in without.others}


def test_after_pain_the_suggestion_is_a_gentle_one() -> None:
    day = day_of("desk-break", "standing-reset", feeling={"standing-reset": "pain"})
    pick = pick_routine(ROUTINES, day)
    assert pick.routine is not None and "gentle" in pick.routine.tags
    assert pick.reason.startswith("gentler after 'pain' earlier; ")
    assert all("gentle" in r.tags for r in pick.others)
    # Whatever routine is started, its easier versions are played (as the answer promised).
    assert pick.easier
    core = as_played(ROUTINES["core-posture"], floor=True, easier=pick.easier)
    assert [s.exercise.id for s in core.steps][:3] == ["dead-bug-heel-taps", "bird-dog-one-limb", "desk-plank"]
    assert as_played(ROUTINES["core-posture"], floor=True) is ROUTINES["core-posture"]
    # A later, better answer lifts it.
    day.append(DoneToday("crack-swap", 5 * HOUR, "better"))
    assert not pick_routine(ROUTINES, day).reason.startswith("gentler")
    assert not pick_routine(ROUTINES, day).easier


def test_worse_counts_too() -> None:
    pick = pick_routine(ROUTINES, day_of("upper-back-reset", feeling={"upper-back-reset": "worse"}))
    assert pick.routine is not None and "gentle" in pick.routine.tags
    assert pick.reason.startswith("gentler after 'worse' earlier")


def test_the_users_own_suggested_routine_wins() -> None:
    pick = pick_routine(ROUTINES, day_of("floor-mobility"), floor=False, chosen="floor-mobility")
    assert pick.routine is not None and pick.routine.id == "floor-mobility"
    assert pick.reason == "your choice in the settings (suggested_routine)"
    assert "floor-mobility" not in {r.id for r in pick.others}


def test_long_routines_and_self_paced_ones_are_not_offered_for_a_break() -> None:
    for routine_id in ("floor-mobility", "core-posture", "stiff-back-start"):
        assert not fits_a_break(ROUTINES[routine_id], True)
    assert pick_routine(ROUTINES, [], longest=10).routine is None
    assert BREAK_ROUTINE_SECONDS == 360


def test_a_session_quit_before_moving_counts_for_its_feeling_not_its_areas() -> None:
    quit_in_pain = DoneToday("desk-break", HOUR, "pain", moved=False)
    pick = pick_routine(ROUTINES, [quit_in_pain])
    assert pick.routine is not None and pick.routine.id == "wrists-and-eyes"  # nothing moved yet
    assert pick.reason == "gentler after 'pain' earlier; neck, upper back and 3 more not moved today"


def test_the_home_line_says_when_the_break_comes_not_how_long_until() -> None:

    from mobility_coach.core.breaks.choice import break_due_at, clock_line

    wall = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC
    assert break_due_at("next break in 42:10", wall) == (wall + 2530, "")
    assert break_due_at("next break in 1:00:00 (snoozed)", wall) == (wall + 3600, " (snoozed)")
    assert break_due_at("break due now", wall) is None
    assert clock_line("next break in 42:10", wall + 2530, "", UTC) == "next break at 08:42"
    assert clock_line("reminders paused", None, "") == "reminders paused"
