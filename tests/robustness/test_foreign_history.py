"""Someone else's SQLite file at the history path is refused and left byte for byte as
it was; our own histories, including those written before we marked them, still open."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from mobility_coach.core.history.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, History, HistoryError
from tests.bounded import run_cli, within


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(path: Path, *statements: str) -> Path:
    db = sqlite3.connect(path)
    for statement in statements:
        db.executescript(statement)
    db.commit()
    db.close()
    return path


def open_history(path: Path) -> History:
    return within(10, lambda: History(path), "opening the history")


@pytest.mark.parametrize(
    "statements",
    [
        ("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');",),
        ("CREATE TABLE sessions (x); PRAGMA user_version = 2;",),  # a name we use, not our tables
        (MIGRATIONS[0] + MIGRATIONS[1] + "CREATE TABLE extra (x); PRAGMA user_version = 2;",),
        ("PRAGMA application_id = 1234; PRAGMA user_version = 0;",),
    ],
    ids=["other-tables", "same-name", "extra-table", "other-application"],
)
def test_an_unrelated_database_is_refused_and_left_alone(tmp_path: Path, statements: tuple[str, ...]) -> None:
    path = make_db(tmp_path / "history.sqlite3", *statements)
    before = digest(path)
    with pytest.raises(HistoryError, match=r"is not a mobility-coach history.*left untouched"):
        open_history(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"my notes, not a database\n" * 100)
    with pytest.raises(HistoryError):
        open_history(path)
    assert path.read_bytes() == b"my notes, not a database\n" * 100


def test_the_history_command_says_why(home: Path) -> None:
    (home / "data").mkdir()
    path = make_db(home / "data" / "history.sqlite3", "CREATE TABLE contacts (name TEXT);")
    before = digest(path)
    result = run_cli(["history"], home, timeout=20)
    assert result.returncode == 1
    assert "is not a mobility-coach history (tables contacts); it is left untouched" in result.stderr
    assert digest(path) == before


def test_a_new_history_is_marked_as_ours(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    open_history(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    open_history(path)  # and opens again


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_our_history_from_before_the_mark_still_opens(tmp_path: Path, version: int) -> None:
    path = make_db(
        tmp_path / "history.sqlite3",
        *MIGRATIONS[:version],
        f"PRAGMA user_version = {version};",
        "INSERT INTO breaks (at, kind, source) VALUES (1, 'taken', 'app');",
    )
    history = History(path)
    assert history.schema_version == SCHEMA_VERSION
    assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert sqlite3.connect(path).execute("SELECT count(*) FROM breaks").fetchone()[0] == 1


def test_log_still_answers_but_never_says_noted_when_nothing_was_saved(home: Path) -> None:
    (home / "data").mkdir()
    path = make_db(home / "data" / "history.sqlite3", "CREATE TABLE contacts (name TEXT);")
    before = digest(path)
    result = run_cli(["log", "crack", "--sound", "pop", "--where", "neck"], home, timeout=20)
    assert result.returncode == 1
    assert result.stdout.startswith("Not saved: a single pop (neck)") and "Noted" not in result.stdout
    assert "mobility-coach run neck-swap" in result.stdout  # the advice is still given, the neck drill for the neck
    assert "the entry was not saved: the history cannot be opened:" in result.stderr
    assert "is not a mobility-coach history" in result.stderr
    assert digest(path) == before
