"""The routine file format, described once; the loader and ``mobility-coach schema`` use it.

A routine file is a mapping with up to two keys:

- ``exercises``: exercise definitions by id, added to the shared library;
- ``routines``: routines by id, whose steps name library exercises (or define one inline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobility_coach.core.figures.format import FIGURE, make_figure
from mobility_coach.core.routines.model import (
    AREAS,
    POSITIONS,
    VARIANT_KINDS,
    Defaults,
    Dose,
    Exercise,
    Phase,
    Spoken,
    Step,
)
from mobility_coach.core.routines.precautions import PRECAUTIONS
from mobility_coach.core.spec import (
    ID_HINT,
    ID_PATTERN,
    INVALID,
    Boolean,
    Choice,
    Context,
    Duration,
    Either,
    Field,
    Integer,
    Kind,
    ListOf,
    Lookup,
    MapOf,
    Record,
    Salvaged,
    Text,
    join,
)
from mobility_coach.core.yamlnodes import Node

SCHEMA_FILENAME = "mobility-coach.schema.json"

# Bounds that keep any routine a sane size: a longer one is a mistake, not a workout.
MAX_WORK = 3600.0
MAX_GAP = 1800.0
MAX_ROUTINE_SECONDS = 4 * 3600
MAX_SEGMENTS = 5000


@dataclass(frozen=True)
class VariantRef:
    """An exercise id named as a variant, with where it was written: the library is
    complete only after every file is read, so the loader resolves it later and points
    at this place if it names nothing usable."""

    id: str
    line: int
    column: int


@dataclass
class ExerciseRef(Kind):
    """An exercise id, kept with its position for the loader to resolve."""

    description: str = ""

    def check(self, node: Node, ctx: Context, where: str) -> Any:
        text = Text(pattern=ID_PATTERN, pattern_hint=ID_HINT).check(node, ctx, where)
        return INVALID if text is INVALID else VariantRef(text, node.line, node.column)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{ID_PATTERN}$"}


VARIANTS = Record(
    "variants",
    description="Other versions of this exercise, by library id.",
    fields=[
        Field(
            VARIANT_KINDS[0],
            ExerciseRef(),
            "A seated or standing version, used instead of this floor exercise when the floor setting is off.",
        ),
        Field(VARIANT_KINDS[1], ExerciseRef(), "An easier version, for a gentler day."),
        Field(
            VARIANT_KINDS[2],
            ExerciseRef(),
            "A seated version, used instead of this standing exercise when the standing setting is off.",
        ),
        *(
            Field(
                precaution,
                ExerciseRef(),
                f"The version played instead of this one when the settings name {precaution} among the precautions.",
            )
            for precaution in PRECAUTIONS
        ),
    ],
)

# A spoken line must fit the few seconds it is said in: short, one instruction.
MAX_SPOKEN = 160
MAX_PHASES = 4

PHASE = Record(
    "phase",
    description="One part of a tempo rep: the words for the first reps, and a word or two after.",
    fields=[
        Field("say", Text(max_length=MAX_SPOKEN), "Said in the first reps: 'Breathe in, arch.'.", required=True),
        Field("short", Text(max_length=40), "Said in the later reps: 'Arch.' (without it, the count)."),
    ],
)

SPOKEN = Record(
    "spoken",
    description="What the voice says for this exercise besides its name and work; each line is optional.",
    fields=[
        Field(
            "setup",
            Text(max_length=MAX_SPOKEN),
            "How to get into the starting position, said before it starts: 'Lie on your back, knees bent.'.",
        ),
        Field(
            "left",
            Text(max_length=MAX_SPOKEN),
            "What 'left side' means, said once as a two-sided step gets ready: 'Left side: turn to your left.'.",
        ),
        Field(
            "switch",
            Text(max_length=MAX_SPOKEN),
            "How to change to the right side, said at the switch: 'Roll over onto your right side.'.",
        ),
        Field(
            "phases",
            ListOf(
                Either(
                    {"scalar": Text(max_length=MAX_SPOKEN), "map": PHASE},
                    expected="the words of a phase, or a mapping with say and short",
                ),
                min_items=1,
                max_items=MAX_PHASES,
            ),
            "The parts of one tempo rep, in order, each given an equal share of the rep; "
            "said in full for the first reps, then as their short words.",
            default=(),
        ),
        Field(
            "hold",
            Text(max_length=MAX_SPOKEN),
            "Said in the middle of a hold of 20 s or more: 'Keep breathing; shoulders away from your ears.'.",
        ),
    ],
)


def _dose_rules(values: dict[str, Any], keys: dict[str, Node], ctx: Context, where: str) -> bool:
    if (values["hold"] is None) == (values["reps"] is None):
        at = keys.get("reps") or keys.get("hold") or next(iter(keys.values()), None)
        if at is not None:
            ctx.report(at, where, "a dose is either a timed 'hold' or 'reps' with a 'tempo'")
        return False
    if values["reps"] is not None and values["tempo"] is None:
        ctx.report(keys["reps"], join(where, "reps"), "reps in a dose need a 'tempo' such as 6s")
        return False
    if values["hold"] is not None and values["tempo"] is not None:
        ctx.report(keys["tempo"], join(where, "tempo"), "'tempo' paces reps; a hold takes no tempo")
        return False
    return True


DOSE = Record(
    "dose",
    description="How this exercise is played when it stands in for another (as its off_floor or easier version).",
    fields=[
        Field("hold", Duration(minimum=1, maximum=MAX_WORK), "Hold for this long, e.g. 40s."),
        Field("reps", Integer(1, 500), "Number of repetitions."),
        Field("tempo", Duration(minimum=1, maximum=120), "Seconds per rep."),
        Field("sides", Choice(("one", "both")), "'both': left side, switch, then right side.", default="one"),
    ],
    rules=[_dose_rules],
)

EXERCISE = Record(
    "exercise",
    description="An exercise: how to do it, and when to stop.",
    fields=[
        Field("name", Text(max_length=80), "Name shown on screen, e.g. 'Cat-cow'.", required=True),
        Field("position", Choice(POSITIONS), "Where it is done: seated, standing or floor.", required=True),
        Field(
            "figure",
            Salvaged(FIGURE),
            "The moving figure shown for it; a mistake here is reported and the exercise still loads.",
        ),
        Field(
            "cues",
            ListOf(Text(max_length=300), min_items=1, max_items=20),
            "Numbered cues, in order, in plain words.",
            required=True,
        ),
        Field(
            "cautions",
            ListOf(Text(max_length=300), max_items=20),
            "When to stop: signs that mean this exercise is not right for you now.",
            default=(),
        ),
        Field("about", Text(max_length=500), "One or two sentences on why the exercise helps."),
        Field("source", Text(max_length=300), "The article or reference the advice comes from."),
        Field(
            "areas",
            ListOf(Choice(AREAS), max_items=len(AREAS)),
            "The body areas it moves: " + ", ".join(AREAS) + ".",
            default=(),
        ),
        Field(
            "needs",
            ListOf(Text(max_length=60), max_items=10),
            "What to have at hand, e.g. 'a mat', 'a wall'.",
            default=(),
        ),
        Field("start", Text(max_length=40), "The starting posture, said before it: 'all fours', 'on your back'."),
        Field("variants", VARIANTS, "Other versions of this exercise: off_floor, easier, seated, and by precaution."),
        Field(
            "avoid_with",
            ListOf(Choice(PRECAUTIONS), max_items=len(PRECAUTIONS)),
            "Precautions under which it is left out of a routine, unless its variants name a version for that one.",
            default=(),
        ),
        Field("spoken", SPOKEN, "What the voice says for it: setup, left, switch, phases, hold."),
        Field(
            "dose",
            DOSE,
            "Its own hold or reps and tempo, and sides, for when it is played instead of another exercise.",
        ),
    ],
)

DEFAULTS = Record(
    "defaults",
    description="Gaps used by every step unless the step sets its own.",
    fields=[
        Field("get_ready", Duration(minimum=0, maximum=MAX_GAP), "Get-ready countdown before each step.", default=5.0),
        Field("rest", Duration(minimum=0, maximum=MAX_GAP), "Rest after each step (0 for none).", default=10.0),
        Field("set_rest", Duration(minimum=0, maximum=MAX_GAP), "Rest between sets of a step.", default=15.0),
        Field("switch", Duration(minimum=0, maximum=MAX_GAP), "Gap to switch sides.", default=5.0),
        Field("round_rest", Duration(minimum=0, maximum=MAX_GAP), "Rest between rounds.", default=30.0),
    ],
)


def _step_rules(values: dict[str, Any], keys: dict[str, Node], ctx: Context, where: str) -> bool:
    ok = True
    if values["hold"] is None and values["reps"] is None:
        ctx.report(
            keys.get("exercise") or next(iter(keys.values())),
            where,
            "a step needs 'hold' (a timed hold such as 30s) or 'reps' (a number of repetitions)",
        )
        return False
    if values["hold"] is not None and values["reps"] is not None:
        ctx.report(keys["reps"], join(where, "reps"), "a step is either a timed 'hold' or 'reps', not both")
        ok = False
    if values["tempo"] is not None and values["reps"] is None:
        ctx.report(keys["tempo"], join(where, "tempo"), "'tempo' paces reps; a hold takes no tempo")
        ok = False
    if values["self_paced"] is not None:
        if values["reps"] is None:
            ctx.report(keys["self_paced"], join(where, "self_paced"), "only reps can be self-paced")
            ok = False
        elif values["self_paced"] and values["tempo"] is not None:
            ctx.report(
                keys["tempo"],
                join(where, "tempo"),
                "self-paced reps take no tempo; remove 'tempo' or 'self_paced: true'",
            )
            ok = False
        elif not values["self_paced"] and values["tempo"] is None:
            ctx.report(
                keys["self_paced"], join(where, "self_paced"), "reps that are not self-paced need a 'tempo' such as 4s"
            )
            ok = False
    if values["sets"] == 1 and values["set_rest"] is not None:
        ctx.report(keys["set_rest"], join(where, "set_rest"), "'set_rest' needs 'sets' of 2 or more")
        ok = False
    if values["sides"] == "one" and values["switch"] is not None:
        ctx.report(keys["switch"], join(where, "switch"), "'switch' needs 'sides: both'")
        ok = False
    return ok


STEP = Record(
    "step",
    description="One exercise in a routine: a timed hold, timed reps (with tempo) or self-paced reps.",
    fields=[
        Field(
            "exercise",
            Either(
                {
                    "scalar": Lookup("exercises", "exercise", description="The id of a library exercise."),
                    "map": EXERCISE,
                },
                expected="an exercise id or an inline exercise (a mapping with name, position, cues)",
            ),
            "A library exercise by id, or an exercise defined right here.",
            required=True,
        ),
        Field("hold", Duration(minimum=1, maximum=MAX_WORK), "Hold for this long, e.g. 30s."),
        Field("reps", Integer(1, 500), "Number of repetitions."),
        Field("tempo", Duration(minimum=1, maximum=120), "Seconds per rep; the app counts reps on time."),
        Field("self_paced", Boolean(), "Reps at your own pace: the session waits until you say done."),
        Field("sides", Choice(("one", "both")), "'both': left side, switch, then right side.", default="one"),
        Field("sets", Integer(1, 20), "Number of sets.", default=1),
        Field("get_ready", Duration(minimum=0, maximum=MAX_GAP), "Get-ready time before this step."),
        Field("rest", Duration(minimum=0, maximum=MAX_GAP), "Rest after this step."),
        Field("set_rest", Duration(minimum=0, maximum=MAX_GAP), "Rest between this step's sets."),
        Field("switch", Duration(minimum=0, maximum=MAX_GAP), "Gap to switch sides."),
        Field("note", Text(max_length=300), "An extra cue for this step in this routine."),
    ],
    rules=[_step_rules],
    extra_schema={
        "oneOf": [{"required": ["hold"]}, {"required": ["reps"]}],
        "dependentRequired": {"tempo": ["reps"], "self_paced": ["reps"]},
        "not": {"properties": {"self_paced": {"const": True}}, "required": ["self_paced", "tempo"]},
    },
)

ROUTINE_NAME_MAX_LENGTH = 80  # a routine's name shares a line of a list with its length and tags

ROUTINE = Record(
    "routine",
    description="A routine: ordered steps, with defaults for the gaps between them.",
    fields=[
        Field(
            "name",
            Text(max_length=ROUTINE_NAME_MAX_LENGTH),
            "Name shown in lists, e.g. 'Hourly desk break'.",
            required=True,
        ),
        Field("summary", Text(max_length=300), "One line on what it is for.", required=True),
        Field(
            "tags",
            ListOf(Text(pattern=r"[a-z0-9][a-z0-9 _-]*", pattern_hint="a lower-case tag", max_length=30), max_items=20),
            "Words to find it by.",
            default=(),
        ),
        Field("defaults", DEFAULTS, "Gaps between steps, sets and rounds."),
        Field("rounds", Integer(1, 20), "How many times to go through the steps.", default=1),
        Field("steps", ListOf(STEP, min_items=1, max_items=100), "The steps, in order.", required=True),
    ],
)

FILE = Record(
    "routine file",
    description="A mobility-coach routine file: exercises for the library and/or routines.",
    fields=[
        Field("exercises", MapOf(EXERCISE), "Exercises by id, added to the shared library."),
        Field("routines", MapOf(ROUTINE), "Routines by id."),
    ],
    extra_schema={"anyOf": [{"required": ["exercises"]}, {"required": ["routines"]}]},
)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a routine file, for editors (yaml-language-server)."""
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(FILE.json_schema())
    return schema


def make_exercise(exercise_id: str, values: dict[str, Any]) -> Exercise:
    return Exercise(
        id=exercise_id,
        name=values["name"],
        position=values["position"],
        cues=tuple(values["cues"]),
        cautions=tuple(values["cautions"]),
        source=values["source"],
        about=values["about"],
        areas=tuple(dict.fromkeys(values["areas"])),
        needs=tuple(values["needs"]),
        start=values["start"],
        variant_ids=tuple((kind, ref.id) for kind, ref in variant_refs(values).items()),
        figure=make_figure(values["figure"]),
        spoken=make_spoken(values["spoken"]),
        dose=Dose(**values["dose"]) if values["dose"] else None,
        avoid_with=tuple(dict.fromkeys(values["avoid_with"])),
    )


def make_spoken(values: dict[str, Any] | None) -> Spoken:
    if values is None:
        return Spoken()
    phases = tuple(
        Phase(item) if isinstance(item, str) else Phase(item["say"], item["short"]) for item in values["phases"]
    )
    return Spoken(values["setup"], values["left"], values["switch"], phases, values["hold"])


def variant_refs(values: dict[str, Any]) -> dict[str, VariantRef]:
    """A checked exercise's declared variants, by kind."""
    variants = values.get("variants") or {}
    return {kind: ref for kind, ref in variants.items() if isinstance(ref, VariantRef)}


def make_defaults(values: dict[str, Any] | None) -> Defaults:
    if values is None:
        values = {f.name: f.default for f in DEFAULTS.fields}
    return Defaults(**values)


def make_step(values: dict[str, Any]) -> Step:
    exercise = values["exercise"]
    if not isinstance(exercise, Exercise):
        exercise = make_exercise("", exercise)
    return Step(
        exercise=exercise,
        hold=values["hold"],
        reps=values["reps"],
        tempo=values["tempo"],
        sides=values["sides"],
        sets=values["sets"],
        get_ready=values["get_ready"],
        rest=values["rest"],
        set_rest=values["set_rest"],
        switch=values["switch"],
        note=values["note"],
    )
