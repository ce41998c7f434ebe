"""The home screen's preview of a routine."""

from __future__ import annotations

from mobility_coach.tui.screens.home import preview
from tests.unit.builders import routine, step
from tests.unit.test_small_truths import HURTS, SAME_WORDS


def test_the_home_preview_lists_each_caution_once() -> None:
    r = routine(step(hold=10, exercise=HURTS), step(hold=10, exercise=SAME_WORDS), step(hold=5, exercise=HURTS))
    text = preview(r).plain
    assert text.lower().count("it hurts") == 1 and "Stop if you feel dizzy." in text
