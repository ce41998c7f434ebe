"""`mobility-coach new NAME`: whatever it writes passes `validate`; what it cannot write
well, it refuses with a user error."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mobility_coach.core.errors import UserError
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.adding import add_routine
from mobility_coach.core.routines.validation import validate_routines

NAMES = st.text(st.characters(codec="utf-8"), max_size=120) | st.text(max_size=120)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
@example("x" * 81)
@example("My break\x00")
@example("A\x85B")
@example("café\udcff")
@example("Null")
@example("2024-01-02")
@example("0x1F")
@example("On")
def test_new_either_refuses_or_writes_a_routine_that_validates(name: str) -> None:
    with tempfile.TemporaryDirectory() as home:
        paths = Paths(Path(home) / "config", Path(home) / "data")
        try:
            added = add_routine(paths, name, replace=False)
        except UserError:
            return
        found = validate_routines(paths, [str(added.path)])
        assert found.problems == [], [str(p) for p in found.problems]
        (routine,) = found.checked
        assert routine.name == (" ".join(name.split()) or routine.id)


def test_a_name_over_80_characters_is_refused_saying_the_limit(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("new", "A very long routine name " * 4)
    assert result.code == 2 and result.out == ""
    assert "80 characters" in result.err


def test_a_name_that_is_not_utf8_is_refused_saying_so(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("new", b"caf\xe9".decode("utf-8", "surrogateescape"))  # as Python reads such an argument
    assert (result.code, result.out) == (2, "") and "not UTF-8 text" in result.err
