"""Generated input: only the loader's own error ever escapes, and what loads is sound."""

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility_coach.core.errors import RoutineError
from mobility_coach.core.paths import builtin_routines_dir
from mobility_coach.core.routines.loader import load_file
from mobility_coach.core.routines.timeline import expand, measure

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

STEP_KEYS = [
    "exercise",
    "hold",
    "reps",
    "tempo",
    "self_paced",
    "sides",
    "sets",
    "get_ready",
    "rest",
    "set_rest",
    "switch",
    "note",
    "hodl",
]
ROUTINE_KEYS = ["name", "summary", "tags", "defaults", "rounds", "steps", "colour"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 50),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "30s",
            "1m30s",
            "2m",
            "0s",
            "-1",
            "abc",
            "",
            "both",
            "one",
            "cat-cow",
            "bird-dog",
            "floor",
            "1e9",
            "1h",
            "99999m",
            "nan",
        ]
    ),
    st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
steps = st.dictionaries(st.sampled_from(STEP_KEYS), values, max_size=6)
routines = st.fixed_dictionaries(
    {"name": scalars, "summary": scalars, "steps": st.lists(steps | values, max_size=4)},
    optional={k: values for k in ("tags", "defaults", "rounds", "colour")},
)
files = st.fixed_dictionaries(
    {},
    optional={
        "routines": st.dictionaries(st.sampled_from(["a", "b", "Bad Id", "desk-break"]), routines | values, max_size=3),
        "exercises": st.dictionaries(st.sampled_from(["x", "cat-cow"]), values, max_size=2),
        "other": values,
    },
)


def check(path: Path) -> None:
    try:
        library = load_file(path)
    except RoutineError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message
        return
    for routine in library.routines.values():
        timeline = expand(routine)
        assert measure(routine) == (len(timeline.segments), timeline.timed_seconds)


@FAST
@given(files)
def test_routine_shaped_data(tmp_path: Path, data: dict) -> None:
    path = tmp_path / "gen.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    check(path)


@FAST
@given(st.text(max_size=300))
def test_any_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "text.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    check(path)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data)
    check(path)


BUILTIN_TEXT = (builtin_routines_dir() / "core-posture.yaml").read_text(encoding="utf-8")


@FAST
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(BUILTIN_TEXT)),
            st.integers(0, 5),
            st.sampled_from(["", ":", "-", " ", "\n", "[", "&a ", "*a", "'", "0", "x"]),
        ),
        max_size=4,
    )
)
def test_edited_builtin_files(tmp_path: Path, edits: list[tuple[int, int, str]]) -> None:
    text = BUILTIN_TEXT
    for at, length, insert in edits:
        text = text[:at] + insert + text[at + length :]
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    check(path)
