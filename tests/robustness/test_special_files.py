"""Special files where a user's file should be (a FIFO, /dev/zero, a symlink to it, a
folder) and data nested to exhaust the parser: each is named as the problem, the rest
works, and nothing blocks (every read is time-bounded)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mobility_coach.core.history.store import History, HistoryError
from mobility_coach.core.state import StateStore
from mobility_coach.core.userfiles import FileTooLarge, NotARegularFile, read_user_file
from tests.bounded import run_cli, within


def special(kind: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


KINDS = ["fifo", "dev-zero", "folder"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_safe_reader_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path = special(kind, tmp_path / "thing")
    with pytest.raises(NotARegularFile, match="not a regular file"):
        within(5, lambda: read_user_file(path, 1000), "reading a special file")


def test_the_safe_reader_reads_no_more_than_its_bound(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 5000)
    assert read_user_file(path, 5000) == b"x" * 5000
    with pytest.raises(FileTooLarge, match="larger than 4,999 bytes"):
        read_user_file(path, 4999)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_special_routine_file_in_the_routines_folder(home: Path, kind: str) -> None:
    special(kind, home / "config" / "routines" / "odd.yaml")
    result = run_cli(["list"], home, timeout=20)
    assert result.returncode == 0 and "desk-break" in result.stdout
    assert "odd.yaml:1:1: cannot read the file: this is" in result.stderr
    assert "not a regular file" in result.stderr
    validated = run_cli(["validate"], home, timeout=20)
    assert validated.returncode == 1 and "not a regular file" in validated.stdout


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_special_routine_file_named_on_the_command_line(tmp_path: Path, home: Path, kind: str) -> None:
    path = special(kind, tmp_path / "odd.yaml")
    result = run_cli(["validate", str(path)], home, timeout=20)
    assert result.returncode == 1 and "odd.yaml:1:1: cannot read the file: this is" in result.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_config_file(home: Path, kind: str) -> None:
    special(kind, home / "config" / "config.yaml")
    result = run_cli(["config"], home, timeout=20)
    assert result.returncode == 1 and "config.yaml:1:1: cannot read the file: this is" in result.stderr
    assert "every: 1h" in result.stdout  # the defaults are in effect


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_state_file_is_set_aside(tmp_path: Path, kind: str) -> None:
    path = special(kind, tmp_path / "state.json")
    store = StateStore(path)
    state = within(5, store.load, "loading the state")
    assert state.muted is False and store.problem is not None and "not a regular file" in store.problem
    assert not os.path.lexists(path) and os.path.lexists(tmp_path / "state.json.broken")  # kept, not lost


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_special_history_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = special(kind, tmp_path / "history.sqlite3")
    with pytest.raises(HistoryError, match="not a regular file"):
        within(5, lambda: History(path), "opening the history")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_the_history_command_with_a_special_file_there(home: Path, kind: str) -> None:
    special(kind, home / "data" / "history.sqlite3")
    result = run_cli(["history"], home, timeout=20)
    assert result.returncode == 1 and "not a regular file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("text", ["[" * 60_000, '{"a":' * 10_000 + "1" + "}" * 10_000], ids=["lists", "objects"])
def test_a_state_file_nested_too_deeply_is_set_aside(tmp_path: Path, text: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text)
    store = StateStore(path)
    state = within(10, store.load, "loading a deeply nested state")
    assert state.muted is False and store.problem is not None and "nested too deeply" in store.problem
    assert (tmp_path / "state.json.broken").read_text() == text  # kept, not lost


def test_a_normal_state_file_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"muted": True}))
    assert StateStore(path).load().muted is True


def test_a_second_broken_state_file_never_replaces_the_first(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    for text in ("[not json", "{also not"):
        path.write_text(text)
        StateStore(path).load()
    assert (tmp_path / "state.json.broken").read_text() == "[not json"
    assert (tmp_path / "state.json.broken2").read_text() == "{also not"
