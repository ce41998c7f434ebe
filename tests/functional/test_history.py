"""The history store: migrations, concurrent writers, and a kill -9 mid-session."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mobility_coach.core.history.store import MIGRATIONS, SCHEMA_VERSION, History, HistoryError

HERE = Path(__file__).resolve().parents[2]


def test_a_new_store_is_created_at_the_latest_schema(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    assert history.schema_version == SCHEMA_VERSION == 3 and history.integrity() == "ok"
    mode = sqlite3.connect(tmp_path / "h.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_an_older_schema_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0])
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO sessions (routine_id, routine_name, started, steps_total, steps_done, status) "
        "VALUES ('desk-break', 'Hourly desk break', 1000.0, 4, 4, 'completed')"
    )
    old.execute("INSERT INTO breaks (at, kind, source) VALUES (1000.0, 'due', 'app')")
    old.commit()
    old.close()
    history = History(path)
    assert history.schema_version == SCHEMA_VERSION
    assert [(s.routine_id, s.status) for s in history.sessions()] == [("desk-break", "completed")]
    assert [b.kind for b in history.breaks()] == ["due"]
    history.record_journal("crack", "single_pop", False, "mid", at=1_800_000_000.0)
    assert len(history.journal()) == 1


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer mobility-coach"):
        History(path)
    assert path.read_bytes() == before


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(HistoryError, match=r"h\.sqlite3"):
        History(path)


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from mobility_coach.core.history.store import History
    history = History(Path(sys.argv[1]))
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(200):
        history.record_break("due", sys.argv[2], at=float(i))
        if i % 10 == 0:
            session = history.session_started("desk-break", "Hourly desk break", 4, at=float(i))
            history.session_progress(session, 2, 30.0)
            history.session_ended(session, "completed", 4, 60.0, at=float(i) + 60)
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).close()
    env = {**os.environ, "PYTHONPATH": str(HERE / "src")}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("app", "remind")
    ]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n"  # type: ignore[union-attr]
    for writer in writers:
        writer.stdin.write("go\n")  # type: ignore[union-attr]
        writer.stdin.flush()  # type: ignore[union-attr]
    for writer in writers:
        writer.stdin.close()  # type: ignore[union-attr]
        assert writer.wait(timeout=120) == 0
    history = History(path)
    breaks = history.breaks()
    assert len(breaks) == 400 and {b.source for b in breaks} == {"app", "remind"}
    assert len(history.sessions()) == 40 and all(s.status == "completed" for s in history.sessions())
    assert history.integrity() == "ok"


PLAYER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from mobility_coach.core.clock import FakeClock
    from mobility_coach.core.history.store import History
    from mobility_coach.core.session.recorder import SessionRecorder
    from mobility_coach.core.routines.loader import builtin_layer, load_library
    from mobility_coach.core.session.player import Player
    from mobility_coach.core.routines.timeline import expand
    routine = load_library([builtin_layer()]).routines["desk-break"]
    clock = FakeClock()
    player = Player(expand(routine), clock)
    recorder = SessionRecorder(History(Path(sys.argv[1])), routine, player, clock.wall)
    player.start()
    recorder.started()
    while recorder.steps_done() < 2:
        clock.advance(0.5)
        player.update()
        recorder.observe()
    print("two steps done", flush=True)
    sys.stdin.readline()  # and wait here to be killed mid-session
""")


def test_a_session_killed_mid_way_is_interrupted_with_its_steps(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(HERE / "src")}
    session = subprocess.Popen(
        [sys.executable, "-c", PLAYER, str(path)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert session.stdout.readline() == "two steps done\n"  # type: ignore[union-attr]
        os.kill(session.pid, signal.SIGKILL)
        assert session.wait(timeout=30) == -signal.SIGKILL
    finally:
        if session.poll() is None:
            session.kill()
    history = History(path)
    (record,) = history.sessions()
    assert (record.routine_id, record.status, record.steps_done, record.steps_total) == (
        "desk-break",
        "interrupted",
        2,
        4,
    )
    assert record.ended is None and record.active_seconds == pytest.approx(60.0, abs=1)  # 2 steps' work: 30s + 2 x 15s
    assert history.integrity() == "ok"
    stored = sqlite3.connect(path).execute("SELECT status FROM sessions").fetchone()[0]
    assert stored == "interrupted"  # marked in the file itself, not only when read
