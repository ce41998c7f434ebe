"""The spoken plan: what the voice says at which second, and that nothing it says runs
into the next event, for routines with sides, sets, rounds, tempo and self-paced reps."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobility_coach.core.routines.loader import builtin_layer, load_library
from mobility_coach.core.routines.model import Defaults, Routine
from mobility_coach.core.routines.spoken import move_words, with_room_to_speak
from mobility_coach.core.routines.timeline import FULL_PHASE_REPS, Cue, expand
from mobility_coach.core.routines.variants import as_played
from mobility_coach.core.session.speech import (
    SILENT,
    SpeechPlan,
    SpeechSettings,
    caption_settings,
    finish_line,
    first_cue_words,
    plan_speech,
    speaking_time,
    spoken_words_per_minute,
)
from tests.unit.builders import EX, EY, GAPS, routine, step


def by_words(seconds_per_word: float = 0.4):  # type: ignore[no-untyped-def]
    """A fake estimate: a fixed time per word, nothing else."""
    return lambda text: seconds_per_word * len(text.split())


def plan(r: Routine, per_word: float = 0.4, rep_counts: bool = False) -> SpeechPlan:
    """The plan of ``r`` made ready to play, as the loader makes it: with room to speak."""
    return plan_speech(expand(with_room_to_speak(r)), SpeechSettings(by_words(per_word), rep_counts=rep_counts))


def count_in(at: float) -> list[tuple[float, str]]:
    return [(at, "Three."), (at + 1, "Two."), (at + 2, "One.")]


ROOMY = replace(GAPS, get_ready=10, switch=6, set_rest=15, rest=10, round_rest=20)


def test_a_hold_with_sides_and_sets_is_coached_through_by_ear() -> None:
    r = routine(step(hold=30, sides="both", sets=2), step(hold=10, exercise=EY), defaults=ROOMY)
    assert plan(r).timed() == [
        # The get-ready says how to get into position, the work and what "left" means:
        # it lasts as long as that takes, then counts in.
        (0, "Stand up from your chair. Reach, hold 30 seconds, 2 sets. Reach up. Left side first."),
        *count_in(10),
        (28, "Halfway."),
        *count_in(40),  # counted out of a hold too
        (43, "Switch sides. Right side."),
        *count_in(47),
        (65, "Halfway."),
        *count_in(77),
        (80, "Rest. Next: Reach, set 2 of 2."),
        *count_in(92),  # a rest straight into work counts in
        (110, "Halfway."),
        *count_in(122),
        (125, "Switch sides. Right side."),
        *count_in(129),
        (147, "Halfway."),
        *count_in(159),
        # The rest says what comes next and how to get into position, with no count of its
        # own: the get-ready after it counts in, so one moment is never counted twice.
        (162, "Rest. Next: Bend, hold 10 seconds. Reach up."),
        (172, "Bend, hold 10 seconds."),
        *count_in(179),
        *count_in(189),
        (192, "Routine done: 2 minutes of movement."),
    ]


def test_rounds_tempo_and_self_paced_reps() -> None:
    r = routine(
        step(reps=4, tempo=3.0),
        step(reps=6, exercise=EY, sides="both"),
        defaults=ROOMY,
        rounds=2,
    )
    said = plan(r).timed()
    assert said[:5] == [
        (0, "Stand up from your chair. Reach, 4 reps. Reach up."),
        (7, "Three."),
        (8, "Two."),
        (9, "One."),
        # Tempo reps with no phases written keep their tones (counting aloud is a setting).
        (22, "Rest. Next: Bend, 6 reps at your own pace each side. Reach up."),
    ]
    assert (32, "Bend, 6 reps at your own pace, press Enter when done. Left side first.") in said
    # Nothing is said as self-paced work starts: Enter may end it at once.
    segments = expand(r).segments
    assert all(segments[line.segment].duration is not None for line in plan(r).lines if line.kind != "done")
    assert (51, "Rest. Next: round 2 of 2, Reach, 4 reps. Reach up.") in said
    assert said[-1][1] == finish_line(2 * 12)


def test_rep_counts_are_said_on_the_beat_when_asked_for() -> None:
    r = routine(step(reps=4, tempo=3.0), defaults=ROOMY)
    counted = [(t, text) for t, text in plan(r, rep_counts=True).timed() if 10 <= t < 22]
    assert counted == [(13, "Two."), (16, "Three."), (19, "Four.")]
    assert [t for t, _ in plan(r).timed() if 10 <= t < 22] == []


def test_rep_counts_that_would_run_into_the_next_beat_keep_their_tones() -> None:
    r = routine(step(reps=4, tempo=0.5), defaults=ROOMY)
    assert [line for line in plan(r, per_word=0.6, rep_counts=True).lines if line.kind == "rep"] == []
    assert len([line for line in plan(r, per_word=0.4, rep_counts=True).lines if line.kind == "rep"]) == 3


def test_a_slower_voice_takes_shorter_forms_and_a_much_slower_one_keeps_the_tone() -> None:
    r = routine(step(hold=10, sides="both"), defaults=replace(GAPS, get_ready=5))
    first = plan(r).lines[0]
    # The get-ready was made long enough for its words: 9 s before "three".
    assert (first.room, first.shortened) == (9.0, False)
    assert first.text == "Stand up from your chair. Reach, hold 10 seconds. Reach up. Left side first."
    # At 1.5 s a word the full words run over: a shorter form, still saying the side.
    assert plan(r, per_word=1.5).lines[0].text == "Reach. Left side first."
    # At 10 s a word nothing fits: the get-ready keeps its tone.
    cue = expand(r).segments[0].cues[0]
    assert cue.kind == "announce" and plan(r, per_word=10).line_for(cue) is None


def test_the_same_cue_in_two_rounds_has_a_line_each() -> None:
    r = routine(step(hold=10), defaults=ROOMY, rounds=2)
    timeline = expand(r)
    announces = [c for s in timeline.segments for c in s.cues if c.kind == "announce"]
    assert announces[0] == announces[1]  # equal as cues: they say the same
    p = plan(r)
    lines = [p.line_for(c) for c in announces]
    assert lines[0] is not None and lines[1] is not None
    assert (lines[0].segment, lines[1].segment) == (0, 3)


def test_cues_still_compare_by_what_they_say() -> None:
    assert Cue(0, "go", "Go: Reach") == replace(Cue(0, "go", "Go: Reach"), segment=4)


def test_first_cue_in_a_few_words() -> None:
    assert first_cue_words(("Start on hands and knees, hands under shoulders.",)) == "Start on hands and knees"
    assert first_cue_words(("Kneel on all fours and place one hand lightly behind your head.",)) == "Kneel on all fours"
    assert (
        first_cue_words(("Lie on your side with knees bent in front of you and arms straight out, palms together.",))
        == "Lie on your side"
    )
    assert first_cue_words(("One two three four five six seven eight nine ten eleven.",)) is None
    assert first_cue_words(()) is None


def test_finish_line() -> None:
    assert finish_line(420) == "Routine done: 7 minutes of movement."
    assert finish_line(70) == "Routine done: 1 minute of movement."
    assert finish_line(45) == "Routine done: 45 seconds of movement."


def test_the_estimate_counts_words_numbers_and_pauses() -> None:
    estimate = speaking_time(2.0, margin=0.25)
    assert estimate("Halfway.") == 0.5 + 0.15 + 0.25
    assert estimate("Bird-dog, 45 seconds.") == 5 / 2.0 + 2 * 0.15 + 0.25  # bird dog forty-five seconds


# --- whatever the routine, nothing said runs into the next event ---------------------------

gaps = st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 10.0])
steps = st.one_of(
    st.builds(lambda h: step(hold=h), st.sampled_from([1.0, 4.0, 10.0, 20.0, 45.0])),
    st.builds(lambda n, t: step(reps=n, tempo=t), st.integers(1, 6), st.sampled_from([0.5, 1.0, 2.5, 6.0])),
    st.builds(lambda n: step(reps=n), st.integers(1, 8)),
).flatmap(
    lambda s: st.builds(
        lambda sides, sets, ex: replace(s, sides=sides, sets=sets, exercise=ex),
        st.sampled_from(["one", "both"]),
        st.integers(1, 3),
        st.sampled_from([EX, EY]),
    )
)
routines = st.builds(
    lambda ss, d, rounds: routine(*ss, defaults=d, rounds=rounds),
    st.lists(steps, min_size=1, max_size=4),
    st.builds(Defaults, get_ready=gaps, rest=gaps, set_rest=gaps, switch=gaps, round_rest=gaps),
    st.integers(1, 3),
)


@settings(max_examples=150, deadline=None)
@given(routines, st.floats(1.0, 4.0), st.booleans())
def test_no_line_overlaps_the_next_event(r: Routine, words_per_second: float, rep_counts: bool) -> None:
    timeline = expand(r)
    estimate = speaking_time(words_per_second)
    p = plan_speech(timeline, SpeechSettings(estimate, rep_counts=rep_counts))
    sounding = sorted((s.start + c.at, c.segment) for s in timeline.segments for c in s.cues if c.kind not in SILENT)
    last = timeline.segments[-1]
    for line in p.lines:
        segment = timeline.segments[line.segment]
        assert line.kind in {c.kind for c in segment.cues if c.at == line.at}
        start = segment.start + line.at
        ends = start + estimate(line.text)
        later = [t for t, _ in sounding if t > start]
        if segment.self_paced:
            # Only the closing line, after the user's last "done", is said in self-paced work.
            assert line.kind == "done" and segment is last
        if later:
            assert ends <= later[0] + 1e-9, f"{line.text!r} at {start}s runs past the event at {later[0]}s"
        else:
            assert line.room is None


# --- the built-in routines, followed by ear ----------------------------------------------

BUILTINS = load_library([builtin_layer()])
PLAYED = [
    pytest.param(as_played(r, floor, easier), id=f"{r.id}{'' if floor else '-no-floor'}{'-easier' if easier else ''}")
    for r in BUILTINS.routines.values()
    for floor in (True, False)
    for easier in (False, True)
    if not easier or as_played(r, floor, easier) is not as_played(r, floor)
]


@pytest.mark.parametrize("r", PLAYED)
def test_every_gap_has_time_for_its_full_words(r: Routine) -> None:
    """A get-ready, a rest between steps and a switch say their fullest form at the
    default voice's pace: the timeline made room for them."""
    p = plan_speech(expand(r), caption_settings())
    for line in p.lines:
        if line.kind in ("announce", "switch") or (line.kind == "rest" and line.text.startswith("Rest. Next:")):
            assert not line.shortened, line.text


@pytest.mark.parametrize("r", PLAYED)
def test_one_count_in_for_each_moment(r: Routine) -> None:
    """A rest that leads into a get-ready has no count of its own: the get-ready counts in."""
    segments = expand(r).segments
    for segment, following in itertools.pairwise(segments):
        if segment.kind == "rest" and following.kind == "get_ready":
            assert not [c for c in segment.cues if c.kind == "countdown"]


@pytest.mark.parametrize("r", PLAYED)
def test_sides_are_defined_once_as_a_sided_step_gets_ready(r: Routine) -> None:
    timeline = expand(r)
    p = plan_speech(timeline, caption_settings())
    for index, each in enumerate(r.steps):
        if each.sides != "both":
            continue
        left = each.exercise.spoken.left
        assert left, f"{each.exercise.id} says nothing of what 'left side' means"
        said = [line.text for line in p.lines if timeline.segments[line.segment].step == index]
        assert sum(left in text for text in said) == 1, said


@pytest.mark.parametrize("r", PLAYED)
def test_every_change_of_position_is_said_with_how_to_make_it(r: Routine) -> None:
    timeline = expand(r)
    p = plan_speech(timeline, caption_settings())
    before = None
    for index, each in enumerate(r.steps):
        move = move_words(before, each.exercise)
        setup = each.exercise.spoken.setup
        assert setup, f"{each.exercise.id} does not say how to get into position"
        said = " ".join(
            line.text
            for line in p.lines
            if line.kind in ("rest", "announce") and timeline.segments[line.segment].step in (index - 1, index)
        )
        assert setup in said and move in said
        before = each.exercise


def test_the_needless_position_words_are_gone() -> None:
    p = plan_speech(expand(BUILTINS.routines["desk-break"]), caption_settings())
    said = " ".join(text for _, text in p.timed())
    for needless in ("Stand up: standing", "Sit down: sitting", "Change position"):
        assert needless not in said


@pytest.mark.parametrize("r", [pytest.param(r, id=r.id) for r in BUILTINS.routines.values()])
def test_every_builtin_routine_coaches_at_35_words_a_minute_or_more(r: Routine) -> None:
    assert spoken_words_per_minute(plan_speech(expand(r), caption_settings())) >= 35


@pytest.mark.parametrize("r", PLAYED)
def test_tempos_leave_time_to_say_every_phase_in_full(r: Routine) -> None:
    """The first reps say each phase in full at the default voice's pace: a tempo too
    fast for its cues would cut them short, or leave them out."""
    timeline = expand(r)
    p = plan_speech(timeline, caption_settings())
    for segment in timeline.segments:
        if segment.kind != "work" or segment.tempo is None or segment.exercise is None:
            continue
        for cue in segment.cues:
            if cue.kind in ("go", "rep", "phase") and cue.at < FULL_PHASE_REPS * segment.tempo:
                line = p.line_for(cue)
                assert line is not None and not line.shortened, (segment.exercise.id, cue)
