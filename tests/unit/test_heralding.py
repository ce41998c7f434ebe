"""Cues handed to the audio path before they are due: each cue exactly once, heralded or
fired, with the instant it is due; a pause or a jump withdraws the heralds not yet due."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.routines.model import Step
from mobility_coach.core.routines.timeline import Cue, expand
from mobility_coach.core.session.player import Player, Status
from tests.unit.builders import EY, routine, step

LEAD = 0.2


def player(*steps: Step) -> tuple[Player, FakeClock]:
    clock = FakeClock()
    return Player(expand(routine(*steps)), clock), clock


def advance(p: Player, clock: FakeClock, seconds: float) -> None:
    """Move time on in UI-sized steps (one long gap would read as the machine sleeping)."""
    while seconds > 1e-9:
        clock.advance(min(0.5, seconds))
        seconds -= min(0.5, seconds)
        p.update()


def test_a_herald_gives_the_cues_just_ahead_with_their_due_instants() -> None:
    p, clock = player(step(hold=20, sides="both"))
    began = clock.monotonic()
    assert [c.kind for c in p.start()] == ["announce"]
    clock.advance(1.85)  # the first countdown is due at 2.0
    heralded = p.herald(LEAD)
    assert [(h.due - began, h.cue.kind, h.cue.text) for h in heralded] == [(pytest.approx(2.0), "countdown", "3")]
    assert p.herald(LEAD) == []  # once only
    clock.advance(0.15)
    assert p.update() == []  # due now, but already handed out


def test_a_herald_crosses_into_the_next_segment() -> None:
    p, clock = player(step(hold=20))
    began = clock.monotonic()
    p.start()
    clock.advance(4.9)  # "1" came at 4.0; "go" opens the work segment at 5.0
    p.update()
    heralded = p.herald(LEAD)
    assert [(round(h.due - began, 6), h.cue.kind) for h in heralded] == [(5.0, "go")]
    assert p.segment.kind == "get_ready"  # heralding moves nothing
    clock.advance(0.1)
    assert p.update() == [] and p.segment.kind == "work"


def test_a_pause_withdraws_what_was_heralded_and_resuming_heralds_it_again() -> None:
    p, clock = player(step(hold=20))
    began = clock.monotonic()
    p.start()
    clock.advance(1.9)
    assert [h.cue.text for h in p.herald(LEAD)] == ["3"]
    p.pause()
    assert p.withdrawals == 1
    clock.advance(60)
    p.resume()
    heralded = p.herald(LEAD)
    assert [(h.cue.text, round(h.due - began, 6)) for h in heralded] == [("3", 62.0)]


def test_a_pause_as_a_cue_starts_to_sound_keeps_it_heard_once() -> None:
    p, clock = player(step(hold=20))
    p.sound_lead = 0.035
    began = clock.monotonic()
    p.start()
    clock.advance(1.9)
    assert [h.cue.text for h in p.herald(LEAD)] == ["3"]  # due at 2.0
    clock.advance(0.08)  # 20 ms before it is due: its sound started 15 ms ago
    p.pause()
    assert p.withdrawals == 0  # nothing to cancel: it is playing
    clock.advance(30)
    p.resume()
    heralded = p.herald(1.5)
    assert [(h.cue.text, round(h.due - began, 6)) for h in heralded] == [("2", 33.0)]  # not "3" again
    clock.advance(1.5)
    assert p.update() == []


def test_nothing_withdrawn_when_nothing_was_heralded() -> None:
    p, clock = player(step(hold=20), step(hold=10, exercise=EY))
    p.start()
    clock.advance(1.0)
    p.update()
    p.pause()
    p.resume()
    p.next_step()
    assert p.withdrawals == 0


def test_a_jump_back_withdraws_and_its_cues_come_again() -> None:
    p, clock = player(step(hold=20), step(hold=10, exercise=EY))
    p.start()
    advance(p, clock, 34.9)  # the second step's get-ready: its announce is due at 35.0
    assert [h.cue.kind for h in p.herald(LEAD)] == ["announce"]
    p.previous_step()
    assert p.withdrawals == 1
    assert [h.cue.kind for h in p.herald(LEAD)] == ["announce"]  # the first step's, from the top


def test_a_self_paced_segments_done_is_never_heralded() -> None:
    p, clock = player(step(reps=6))
    p.start()
    clock.advance(5.0)
    p.update()
    assert p.herald(3600) == []
    assert [c.kind for c in p.done()] == ["done"]


def test_nothing_is_heralded_unless_running() -> None:
    p, clock = player(step(hold=20))
    assert p.herald(LEAD) == []
    p.start()
    p.pause()
    clock.advance(1.9)
    assert p.herald(LEAD) == []
    p.stop()
    assert p.herald(LEAD) == [] and p.status is Status.FINISHED


ACTIONS = st.sampled_from(["tick", "tick", "tick", "herald", "herald", "pause", "resume"])


@given(st.lists(st.tuples(ACTIONS, st.floats(0.0, 3.0)), max_size=80))
@settings(max_examples=300, deadline=None)
def test_every_cue_is_handed_once_in_order_heralded_or_fired(actions: list[tuple[str, float]]) -> None:
    """Whatever the ticks, heralds and pauses, the cues handed out (returned by update, or
    heralded and then due, less the heralds withdrawn before their time) are exactly the
    cues the session has reached, in order, each once."""
    p, clock = player(step(hold=6, sides="both"), step(reps=3, tempo=2.0, exercise=EY))
    p.sound_lead = 0.035
    segments = p.timeline.segments

    def key(cue: Cue) -> tuple[int, int]:
        return cue.segment, next(i for i, c in enumerate(segments[cue.segment].cues) if c is cue)

    handed = [key(c) for c in p.start()]
    pending: list[tuple[float, tuple[int, int]]] = []  # heralded, not yet due
    withdrawals = 0

    def hear_what_is_due() -> None:
        nonlocal pending
        now = clock.monotonic()
        handed.extend(k for due, k in pending if due <= now)
        pending = [(due, k) for due, k in pending if due > now]

    for action, seconds in actions:
        if action == "tick":
            clock.advance(seconds)
            hear_what_is_due()
            handed.extend(key(c) for c in p.update())
        elif action == "herald":
            pending += [(h.due, key(h.cue)) for h in p.herald(seconds)]
        elif action == "pause":
            p.pause()
        else:
            p.resume()
        if p.withdrawals != withdrawals:
            withdrawals = p.withdrawals
            # Cancelled before their time, unless their sound had already started.
            started = clock.monotonic() + p.sound_lead
            pending = [(due, k) for due, k in pending if due <= started]
    p.update()
    hear_what_is_due()
    # Reached: the cues the session has passed, and those whose sound had started when a
    # pause came (heard, and not to be heard again), less those heralded and still ahead.
    passed = max((p.index, p._next_cue), p._herald_from)
    ahead = {k for _, k in pending}
    reached = [
        (i, position)
        for i, segment in enumerate(segments)
        for position in range(len(segment.cues))
        if ((i, position) < passed or p.status is Status.FINISHED) and (i, position) not in ahead
    ]
    assert handed == sorted(set(handed))
    assert handed == reached
