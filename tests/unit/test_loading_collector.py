"""Loading routine files pauses Python's cyclic garbage collector (its passes over the
growing pile of nodes were a third of the time of a load) and leaves it as it found it,
whatever happens during the load and however many loads run at once."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mobility_coach.core.routines import loader
from mobility_coach.core.routines.loader import Layer, builtin_layer, load_library
from mobility_coach.core.yamlnodes import Node


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_during_a_load_and_back_on_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    read = loader.read_tree

    def watched(path: Path) -> Node | None:
        seen.append(gc.isenabled())
        return read(path)

    monkeypatch.setattr(loader, "read_tree", watched)
    gc.enable()
    load_library([builtin_layer()])
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    load_library([builtin_layer()])
    assert not gc.isenabled()


def test_a_load_that_fails_still_turns_it_back_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> Node | None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(loader, "read_tree", broken)
    gc.enable()
    with pytest.raises(RuntimeError):
        load_library([builtin_layer()])
    assert gc.isenabled()


def test_loads_in_several_threads_at_once_leave_it_on(tmp_path: Path) -> None:
    files = []
    for number in range(20):
        path = tmp_path / f"r{number}.yaml"
        path.write_text(
            f"routines:\n  r{number}:\n    name: R\n    summary: S.\n    steps:\n      - {{exercise: cat-cow, hold: 1s}}\n"
        )
        files.append(path)
    gc.enable()
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def load() -> None:
        try:
            start.wait()
            for _ in range(5):
                assert not load_library([builtin_layer(), Layer(tuple(files), builtin=False)]).problems
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert gc.isenabled()
