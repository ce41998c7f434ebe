"""Small routines built in code, for the timeline and session tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from mobility_coach.core.routines.model import Defaults, Exercise, Origin, Routine, Step

EX = Exercise("x", "Reach", "standing", ("Reach up.",), ("Stop if it hurts.",), None, None)
EY = replace(EX, id="y", name="Bend")
GAPS = Defaults(get_ready=5, rest=10, set_rest=15, switch=3, round_rest=30)
NO_GAPS = Defaults(get_ready=0, rest=0, set_rest=0, switch=0, round_rest=0)


def step(**kw: Any) -> Step:
    base: dict[str, Any] = dict(
        exercise=EX,
        hold=None,
        reps=None,
        tempo=None,
        sides="one",
        sets=1,
        get_ready=None,
        rest=None,
        set_rest=None,
        switch=None,
        note=None,
    )
    base.update(kw)
    return Step(**base)


def routine(*steps: Step, defaults: Defaults = GAPS, rounds: int = 1) -> Routine:
    return Routine("r", "R", "S", (), defaults, steps, rounds, Origin(Path("r.yaml"), True))
