"""A routine's length, computed from its steps, is exactly what its expanded timeline adds
up to (issue 14: the home screen, ``list`` and ``validate`` no longer expand timelines)."""

from __future__ import annotations

import gc
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility_coach.core.routines import timeline as timeline_module
from mobility_coach.core.routines.loader import builtin_layer, load_library
from mobility_coach.core.routines.model import Defaults, Step
from mobility_coach.core.routines.timeline import _LENGTHS, expand, length_of, measure, routine_length
from tests.unit.builders import routine, step

# Awkward numbers on purpose: sums of 0.1 and 7.3 are where a different order of adding
# (or a product instead of a sum) would show in the last bit.
durations = st.sampled_from([0.0, 0.1, 0.3, 1.0, 2.5, 7.3, 30.0, 1 / 3, 59.95])
steps = st.builds(
    step,
    hold=st.one_of(st.none(), durations.filter(bool)),
    sides=st.sampled_from(["one", "both"]),
    sets=st.integers(1, 5),
    rest=st.one_of(st.none(), durations),
    get_ready=st.one_of(st.none(), durations),
    set_rest=st.one_of(st.none(), durations),
    switch=st.one_of(st.none(), durations),
).map(lambda s: s if s.hold is not None else replace(s, reps=5, tempo=None if s.sets % 2 else 0.7))


def as_expanded(r: object) -> tuple[float, int, str]:
    timeline = expand(r)  # type: ignore[arg-type]
    return timeline.timed_seconds, timeline.self_paced_count, routine_length(timeline)


def as_measured(r: object) -> tuple[float, int, str]:
    length = length_of(r)  # type: ignore[arg-type]
    return length.timed_seconds, length.self_paced_count, length.text()


def test_every_builtin_routine_measures_as_it_expands() -> None:
    routines = load_library([builtin_layer()]).routines
    assert len(routines) >= 5
    for r in routines.values():
        assert as_measured(r) == as_expanded(r), r.id


@settings(max_examples=300, deadline=None)
@given(
    st.lists(steps, min_size=1, max_size=6),
    st.integers(1, 4),
    st.builds(Defaults, durations, durations, durations, durations, durations),
)
def test_generated_routines_measure_as_they_expand(step_list: list[Step], rounds: int, defaults: Defaults) -> None:
    r = routine(*step_list, defaults=defaults, rounds=rounds)
    assert as_measured(r) == as_expanded(r)
    timeline = expand(r)
    assert measure(r) == (len(timeline.segments), timeline.timed_seconds)
    # The other way to the same sum, taken for long routines: exact fractions.
    summed_up_to = timeline_module._SUMMED_UP_TO
    timeline_module._SUMMED_UP_TO = 0
    try:
        assert measure(r)[1] == timeline.timed_seconds
    finally:
        timeline_module._SUMMED_UP_TO = summed_up_to


def test_a_length_is_worked_out_once_per_routine_and_let_go_with_it() -> None:
    r = routine(step(hold=30.0))
    assert length_of(r) is length_of(r)
    twin = routine(step(hold=30.0))  # equal, not the same object: its own entry
    assert length_of(twin) == length_of(r) and id(twin) in _LENGTHS
    key = id(twin)
    del twin
    gc.collect()
    assert key not in _LENGTHS or _LENGTHS[key][0]() is not None


def test_the_length_the_loader_leaves_is_the_one_length_of_works_out() -> None:
    library = load_library([builtin_layer()])
    for r in library.routines.values():
        left = length_of(r)  # measured while loading
        del _LENGTHS[id(r)]
        assert length_of(r) == left
