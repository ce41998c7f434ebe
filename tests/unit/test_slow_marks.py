"""The slow tests' list names modules that are there: one renamed or removed would quietly
drop out of it (and a renamed one into the README's fast run)."""

from tests.conftest import REPO, SLOW_MODULES


def test_every_module_marked_slow_is_there() -> None:
    assert sorted(name for name in SLOW_MODULES if not (REPO / name).is_file()) == []
