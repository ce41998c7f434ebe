"""Texts that must not repeat themselves: cautions once, a switch gap said once."""

from __future__ import annotations

from dataclasses import replace

from mobility_coach.cli.text_output import timeline_text
from mobility_coach.core.routines.timeline import expand
from tests.unit.builders import EX, EY, routine, step

HURTS = replace(EX, cautions=("Stop if it hurts.", "Keep it small."))
SAME_WORDS = replace(EY, cautions=("stop if  it hurts", "Stop if you feel dizzy."))


def test_a_routine_lists_each_caution_once_in_the_order_first_met() -> None:
    r = routine(step(hold=10, exercise=HURTS), step(hold=10, exercise=SAME_WORDS), step(hold=5, exercise=HURTS))
    assert r.cautions == ("Stop if it hurts.", "Keep it small.", "Stop if you feel dizzy.")


def test_a_switch_gap_says_where_to_once() -> None:
    text = timeline_text(expand(routine(step(hold=10, sides="both"))))
    (row,) = [line for line in text.splitlines() if " switch " in line]
    assert row.split()[-4:] == ["to", "the", "right", "side"], row
    assert "switch sides" not in row.lower()
