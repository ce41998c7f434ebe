"""What the voice says while you move, written per exercise under ``spoken:``: checked
like the rest of a routine file (in the schema, each mistake located), and said in time."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

from mobility_coach.core.routines.format import json_schema
from mobility_coach.core.routines.loader import Layer, builtin_layer, load_library
from mobility_coach.core.routines.model import Phase, Routine, Spoken
from mobility_coach.core.routines.timeline import HALFWAY_MIN_SECONDS, expand
from mobility_coach.core.routines.variants import as_played
from mobility_coach.core.session.speech import caption_settings, plan_speech
from tests.unit.builders import EX, routine, step

MINE = """exercises:
  arm-swing:
    name: Arm swing
    position: standing
    cues: [Swing your arms.]
    spoken:
      setup: Stand tall, arms by your sides.
      left: Left side means your left arm leads.
      switch: Now your right arm leads.
      phases:
        - {say: "Swing forward.", short: Up}
        - Let them fall.
      hold: Keep breathing.
    dose: {reps: 4, tempo: 6s}
routines:
  mine:
    name: Mine
    summary: Mine.
    steps:
      - exercise: arm-swing
        reps: 4
        tempo: 6s
"""


def load(tmp_path: Path, text: str) -> tuple[list[str], dict[str, Routine]]:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    library = load_library([builtin_layer(), Layer((path,), builtin=False)])
    return [f"{p.line}:{p.column}: {p.message}" for p in library.problems_in([path])], library.routines


def said(r: Routine) -> list[tuple[float, str]]:
    return plan_speech(expand(r), caption_settings()).timed()


def test_a_users_own_exercise_is_coached_by_ear(tmp_path: Path) -> None:
    problems, routines = load(tmp_path, MINE)
    assert problems == []
    lines = [text for _, text in said(routines["mine"])]
    assert lines[0] == "Stand up from your chair. Arm swing, 4 reps. Stand tall, arms by your sides."
    # The first two reps say each phase in full; later ones its short word (a phase
    # with none is left to the movement).
    assert lines[4:10] == ["Swing forward.", "Let them fall."] * 2 + ["Up.", "Up."]
    # Without a short word for a rep's start, the later reps are counted.
    counted = MINE.replace('{say: "Swing forward.", short: Up}', "Swing forward.")
    assert [text for _, text in said(load(tmp_path, counted)[1]["mine"])][8:10] == ["Three.", "Four."]


def test_mistakes_under_spoken_are_located_with_a_suggestion(tmp_path: Path) -> None:
    text = MINE.replace("      hold: Keep breathing.\n", "      hlod: Keep breathing.\n")
    text = text.replace("- Let them fall.", "- {short: Fall}")
    problems, _ = load(tmp_path, text)
    assert any(p.startswith("12:11: exercises.arm-swing.spoken.phases[1]: phase is missing 'say'") for p in problems)
    assert any(p.startswith("13:7: ") and "did you mean 'hold'?" in p for p in problems), problems


def test_a_dose_is_a_hold_or_paced_reps(tmp_path: Path) -> None:
    problems, _ = load(tmp_path, MINE.replace("dose: {reps: 4, tempo: 6s}", "dose: {reps: 4}"))
    assert problems[0] == "14:12: exercises.arm-swing.dose.reps: reps in a dose need a 'tempo' such as 6s"


def test_the_schema_declares_what_is_spoken() -> None:
    exercise = json_schema()["properties"]["exercises"]["additionalProperties"]
    spoken = exercise["properties"]["spoken"]
    assert set(spoken["properties"]) == {"setup", "left", "switch", "phases", "hold"}
    assert spoken["additionalProperties"] is False
    assert set(exercise["properties"]["dose"]["properties"]) == {"hold", "reps", "tempo", "sides"}


def test_a_hold_of_20_seconds_or_more_gets_its_cue_in_the_middle() -> None:
    coached = replace(EX, position="seated", spoken=Spoken(hold="Keep breathing; shoulders down."))
    r = routine(step(hold=40, exercise=coached))
    assert (expand(r).segments[1].start + 20, "Halfway. Keep breathing; shoulders down.") in said(r)
    assert not any("Keep breathing" in text for _, text in said(routine(step(hold=15, exercise=coached))))


def test_every_builtin_hold_of_20_seconds_or_more_has_a_cue_and_every_tempo_step_its_phases() -> None:
    library = load_library([builtin_layer()])
    for r in library.routines.values():
        for floor, easier in itertools.product((True, False), repeat=2):
            for s in as_played(r, floor, easier).steps:
                if s.hold is not None and s.hold >= HALFWAY_MIN_SECONDS:
                    assert s.exercise.spoken.hold, s.exercise.id
                if s.tempo is not None:
                    assert s.exercise.spoken.phases, s.exercise.id


def test_phases_share_the_rep_and_say_their_short_word_once_known() -> None:
    spoken = Spoken(phases=(Phase("Breathe in, lift.", "Lift"), Phase("Breathe out, round.", "Round")))
    r = routine(step(reps=4, tempo=6.0, exercise=replace(EX, position="seated", spoken=spoken)))
    start = expand(r).segments[1].start
    work = [(at - start, text) for at, text in said(r) if at >= start and not text.startswith("Routine")]
    assert work == [
        (0, "Breathe in, lift."),
        (3, "Breathe out, round."),
        (6, "Breathe in, lift."),
        (9, "Breathe out, round."),
        (12, "Lift."),
        (15, "Round."),
        (18, "Lift."),
        (21, "Round."),
    ]
