"""One wording of a step's work and of an unknown routine id, whichever face says it."""

from __future__ import annotations

from pathlib import Path

from mobility_coach.cli.text_output import timeline_text
from mobility_coach.core.errors import Problem
from mobility_coach.core.routines import wording
from mobility_coach.core.routines.loader import Library
from mobility_coach.core.routines.lookup import missing_routine_message, no_routine_message
from mobility_coach.core.routines.timeline import expand
from mobility_coach.core.routines.wording import describe_step, step_work
from tests.unit.builders import routine, step


def test_a_steps_work_in_words() -> None:
    assert step_work(step(hold=30)) == "hold 30s"
    assert step_work(step(reps=10, tempo=6)) == "10 reps x 6s"
    assert step_work(step(reps=8)) == "8 reps, self-paced"
    assert describe_step(step(hold=20, sides="both", sets=2)) == "hold 20s, each side, 2 sets"


def test_the_announcement_and_the_cli_timeline_word_the_work_alike() -> None:
    tempo = routine(step(reps=10, tempo=6))
    announce = expand(tempo).segments[0].cues[0].text
    assert announce == "Get ready: Reach (10 reps x 6s)"
    assert "Reach: 10 reps x 6s" in timeline_text(expand(tempo))
    own_pace = routine(step(reps=8))
    assert expand(own_pace).segments[0].cues[0].text == "Get ready: Reach (8 reps, self-paced)"


def test_an_unknown_routine_id_gets_a_did_you_mean_or_a_pointer() -> None:
    known = ["desk-break", "neck-reset"]
    assert no_routine_message("desk-brake", known) == "no routine with id 'desk-brake'; did you mean 'desk-break'?"
    assert no_routine_message("zzz", known) == "no routine with id 'zzz'; see 'mobility-coach list'"
    either = no_routine_message("cat-cwo", known, ["cat-cow"])
    assert either == "no routine or exercise with id 'cat-cwo'; did you mean 'cat-cow'?"
    assert no_routine_message("zzz", known, []).endswith(
        "; see mobility-coach list (routines) and mobility-coach exercises"
    )


def test_a_user_file_with_problems_that_claims_the_id_is_named_instead_of_no_routine() -> None:
    """The one wording for show, run and the app's toast."""
    broken = Path("/r/mine.yaml")
    library = Library(problems=[Problem(broken, 3, 5, "routines.pause-cafe.steps[0].reps: expected a whole number")])
    assert missing_routine_message(library, "pause-cafe") == (
        "your routine 'pause-cafe' is in /r/mine.yaml but has problems, so it did not load; "
        "see them with: mobility-coach validate pause-cafe"
    )
    unreadable = Library(problems=[Problem(Path("/r/stretch.yml"), 1, 1, "not valid YAML")])
    assert "is in /r/stretch.yml but has problems" in missing_routine_message(unreadable, "stretch")
    assert missing_routine_message(library, "pause") == "no routine with id 'pause'; see 'mobility-coach list'"
    assert missing_routine_message(library, "pause-caf", or_exercise=True).startswith("no routine or exercise")


def test_no_face_or_view_words_a_hold_or_reps_of_its_own() -> None:
    """The session's rep line once built its own "hold 30s": the wording lives in one module."""
    source = Path(wording.__file__).parents[2]
    own = ('f"hold {', "reps at your own pace", 'reps, self-paced"')
    builders = [
        f"{path.relative_to(source)}: {phrase}"
        for path in sorted(source.rglob("*.py"))
        if path.name != "wording.py"
        for phrase in own
        if phrase in path.read_text(encoding="utf-8")
    ]
    assert builders == []
