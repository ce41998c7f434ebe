"""The history store: sessions, breaks and journal entries in SQLite, safe against
crashes and shared by the app and the headless reminder.

- WAL mode: readers never block the writer, and a killed process never leaves a torn
  file; each record is its own short transaction, so a kill loses at most the record
  being written. ``busy_timeout`` lets two writers wait their turn instead of failing.
- The schema is versioned with ``PRAGMA user_version`` and migrated step by step from
  version 1. A database from a newer mobility-coach is refused, never altered.
- A session is written when it starts and updated as each step finishes, with the pid of
  the process playing it. A session left "running" by a process that no longer exists
  (a crash, a kill -9, a closed terminal) is marked "interrupted", keeping its steps.
"""

from __future__ import annotations

import operator
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mobility_coach.core.errors import os_error_reason
from mobility_coach.core.history import export
from mobility_coach.core.userfiles import create_private_file, make_private_folder

SessionStatus = Literal["running", "completed", "quit", "interrupted"]
BreakKind = Literal["due", "taken", "snoozed", "skipped", "natural_sleep", "natural_idle", "paused", "resumed"]
JournalKind = Literal["urge", "crack"]

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and breaks
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        routine_id TEXT NOT NULL,
        routine_name TEXT NOT NULL,
        started REAL NOT NULL,
        ended REAL,
        steps_total INTEGER NOT NULL,
        steps_done INTEGER NOT NULL DEFAULT 0,
        active_seconds REAL NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'completed', 'quit', 'interrupted')),
        feeling TEXT CHECK (feeling IN ('better', 'same', 'worse', 'pain')),
        pid INTEGER
    );
    CREATE INDEX sessions_started ON sessions (started);
    CREATE TABLE breaks (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX breaks_at ON breaks (at);
    """,
    # 2: the cracking journal
    """
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('urge', 'crack')),
        sound TEXT CHECK (sound IN ('single_pop', 'repeated_snapping', 'grinding', 'clicking')),
        hurt INTEGER NOT NULL DEFAULT 0,
        area TEXT CHECK (area IN ('neck', 'upper', 'mid', 'lower')),
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX journal_at ON journal (at);
    """,
    # 3: indexes for a long history. Every query that runs at start or on a screen is
    # bounded; these make the two that are not a range of time cheap: the look for
    # sessions left running (at every open) and the favourite routines (all time); and
    # the *_shown ones give an export its rows in order (by second, then id), so SQLite
    # merges the three tables instead of sorting them.
    # IF NOT EXISTS: a copy of an index made by hand never stops the migration.
    """
    CREATE INDEX IF NOT EXISTS sessions_running ON sessions (pid) WHERE status = 'running';
    CREATE INDEX IF NOT EXISTS sessions_moved ON sessions (routine_name, started) WHERE steps_done > 0;
    CREATE INDEX IF NOT EXISTS sessions_shown ON sessions (CAST(started AS INTEGER), id);
    CREATE INDEX IF NOT EXISTS breaks_shown ON breaks (CAST(at AS INTEGER), id);
    CREATE INDEX IF NOT EXISTS journal_shown ON journal (CAST(at AS INTEGER), id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
# The tables each schema version has; how a history written before APPLICATION_ID is known.
_TABLES_AT = {1: {"sessions", "breaks"}, 2: {"sessions", "breaks", "journal"}, 3: {"sessions", "breaks", "journal"}}
# PRAGMA application_id: marks the file as ours ("MoCo"), for us and for file(1).
APPLICATION_ID = 0x4D6F436F
DB_NAME = "history.sqlite3"
# Rows an export reads from SQLite at a time: its memory stays the same at any size.
EXPORT_BATCH = 500


class HistoryError(Exception):
    """The history cannot be used (a newer schema, an unreadable file); says why."""


def _refuse_special_file(path: Path) -> None:
    """SQLite would open a FIFO or a device at the path and then block or read garbage."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise HistoryError(f"{path} is not a regular file; it is left untouched")


@dataclass(frozen=True)
class SessionRecord:
    """A session as the history keeps it: written when it starts, updated as each step finishes."""

    id: int
    routine_id: str
    routine_name: str
    started: float
    ended: float | None
    steps_total: int
    steps_done: int
    active_seconds: float
    status: SessionStatus
    feeling: str | None


@dataclass(frozen=True)
class BreakRecord:
    """A break event as the history keeps it: its kind, when, and which process kept it (``source``: app or remind)."""

    id: int
    at: float
    kind: str
    source: str
    detail: str


@dataclass(frozen=True)
class JournalRecord:
    """A cracking-journal entry as the history keeps it: a crack or an urge, its sound, pain and area."""

    id: int
    at: float
    kind: JournalKind
    sound: str | None
    hurt: bool
    area: str | None
    note: str


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class History:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            make_private_folder(path.parent)
            _refuse_special_file(path)
            create_private_file(path)  # SQLite gives its -wal, -shm and -journal files the same mode
            self._db = sqlite3.connect(path, timeout=10.0, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._export_ready = False
            self._db.execute("PRAGMA busy_timeout = 10000")
            # Before anything writes (even journal_mode rewrites the file's header).
            self._refuse_foreign()
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never torn
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            self._mark_interrupted()
        except sqlite3.DatabaseError as error:
            raise HistoryError(f"{path}: {error}") from None
        except OSError as error:
            raise HistoryError(f"{error.filename or path}: {os_error_reason(error)}") from None

    def _refuse_foreign(self) -> None:
        """Refuse a database that some other program owns: ours carry our application_id,
        or (written before we set it) exactly the tables of their schema version."""
        db = self._db
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        if application_id == APPLICATION_ID:
            return
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
        }
        if application_id == 0 and not tables and version == 0:
            return  # new and empty: ours from now on
        if application_id == 0 and 0 < version <= SCHEMA_VERSION and tables == _TABLES_AT.get(version):
            return  # ours, from before the application_id was set
        owner = f"application id {application_id:#x}" if application_id else f"tables {', '.join(sorted(tables))}"
        raise HistoryError(
            f"{self.path} is not a mobility-coach history ({owner}); it is left untouched. "
            "Move it elsewhere and mobility-coach starts a new history here"
        )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; IMMEDIATE takes the write lock up front, so two
        writers queue (busy_timeout) instead of deadlocking on an upgrade."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise HistoryError(
                    f"{self.path} was written by a newer mobility-coach (schema {version}, "
                    f"this one knows up to {SCHEMA_VERSION}); it is left untouched"
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
            if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _mark_interrupted(self) -> None:
        running = self._db.execute("SELECT id, pid FROM sessions WHERE status = 'running'").fetchall()
        gone = [row["id"] for row in running if not _alive(row["pid"])]
        if gone:
            with self._write() as db:
                db.executemany(
                    "UPDATE sessions SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                    [(i,) for i in gone],
                )

    def close(self) -> None:
        self._db.close()

    def integrity(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    # --- sessions ----------------------------------------------------------------------

    def session_started(self, routine_id: str, routine_name: str, steps_total: int, *, at: float) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO sessions (routine_id, routine_name, started, steps_total, pid) VALUES (?, ?, ?, ?, ?)",
                (routine_id, routine_name, at, steps_total, os.getpid()),
            )
            return int(cursor.lastrowid or 0)

    def session_progress(self, session_id: int, steps_done: int, active_seconds: float) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE sessions SET steps_done = ?, active_seconds = ? WHERE id = ?",
                (steps_done, active_seconds, session_id),
            )

    def session_ended(
        self, session_id: int, status: SessionStatus, steps_done: int, active_seconds: float, *, at: float
    ) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE sessions SET status = ?, steps_done = ?, active_seconds = ?, ended = ? WHERE id = ?",
                (status, steps_done, active_seconds, at, session_id),
            )

    def session_feeling(self, session_id: int, feeling: str) -> None:
        with self._write() as db:
            db.execute("UPDATE sessions SET feeling = ? WHERE id = ?", (feeling, session_id))

    def sessions(
        self, since: float | None = None, limit: int | None = None, *, before: float | None = None
    ) -> list[SessionRecord]:
        """Sessions started at or after ``since`` (and before ``before``), newest first:
        a range of the ``started`` index, so its cost is the rows it returns."""
        query = "SELECT * FROM sessions WHERE started >= ?" + (" AND started < ?" if before is not None else "")
        query += " ORDER BY started DESC" + (f" LIMIT {int(limit)}" if limit else "")
        params = (since or 0.0,) if before is None else (since or 0.0, before)
        return [_session(r) for r in self._db.execute(query, params)]

    def favourite_routines(self, count: int) -> list[tuple[str, int]]:
        """The routines most often moved with (a session with a step done), most first; a tie
        goes to the one moved with last (then to the later row). Counted in SQLite over the
        ``sessions_moved`` index, never by reading the sessions."""
        moved = "FROM sessions WHERE steps_done > 0"
        groups = self._db.execute(
            f"SELECT routine_name, COUNT(*), MAX(started) {moved} GROUP BY routine_name"
        ).fetchall()
        ranked = []
        for name, times, last in groups:
            (last_id,) = self._db.execute(
                f"SELECT MAX(id) {moved} AND routine_name = ? AND started = ?", (name, last)
            ).fetchone()
            ranked.append((-times, -last, -last_id, str(name)))
        return [(name, -times) for times, _, _, name in sorted(ranked)[:count]]

    def export(self, record: str | None = None) -> Iterator[list[str]]:
        """Every record as CSV lines, or, given ``record``, every record of that kind as
        JSON objects, oldest first, written by SQLite and handed on a batch at a time (see
        core.history.export): an export of any size holds one batch."""
        if not self._export_ready:
            export.register(self._db, _alive)
            self._export_ready = True
        first, last = self._db.execute(export.span_query()).fetchone()
        changes = export.offset_changes(first or 0.0, last or 0.0)
        cursor = self._db.cursor()
        cursor.row_factory = None  # plain tuples: an export reads every row, and a Row costs
        cursor.execute(export.one_kind(record, changes) if record else export.every_kind(changes))
        line = operator.itemgetter(3)  # after the columns the rows are ordered by
        while batch := cursor.fetchmany(EXPORT_BATCH):
            yield list(map(line, batch))

    # --- breaks and journal ------------------------------------------------------------

    def record_break(self, kind: BreakKind, source: str, at: float, detail: str = "") -> None:
        """``at`` is required: a break's time comes from the caller's (injectable) clock."""
        with self._write() as db:
            db.execute(
                "INSERT INTO breaks (at, kind, source, detail) VALUES (?, ?, ?, ?)",
                (at, kind, source, detail),
            )

    def breaks(self, since: float | None = None, limit: int | None = None) -> list[BreakRecord]:
        query = "SELECT * FROM breaks WHERE at >= ? ORDER BY at DESC"
        rows = self._db.execute(query + (f" LIMIT {int(limit)}" if limit else ""), (since or 0.0,)).fetchall()
        return [_break(r) for r in rows]

    def record_journal(
        self,
        kind: JournalKind,
        sound: str | None,
        hurt: bool,
        area: str | None,
        at: float,
        note: str = "",
    ) -> None:
        """``at`` is required: an entry's time comes from the caller's (injectable) clock."""
        with self._write() as db:
            db.execute(
                "INSERT INTO journal (at, kind, sound, hurt, area, note) VALUES (?, ?, ?, ?, ?, ?)",
                (at, kind, sound, int(hurt), area, note),
            )

    def journal(self, since: float | None = None, limit: int | None = None) -> list[JournalRecord]:
        query = "SELECT * FROM journal WHERE at >= ? ORDER BY at DESC"
        rows = self._db.execute(query + (f" LIMIT {int(limit)}" if limit else ""), (since or 0.0,)).fetchall()
        return [_journal_entry(r) for r in rows]


def _session(r: sqlite3.Row) -> SessionRecord:
    return SessionRecord(
        r["id"],
        r["routine_id"],
        r["routine_name"],
        r["started"],
        r["ended"],
        r["steps_total"],
        r["steps_done"],
        r["active_seconds"],
        "interrupted" if r["status"] == "running" and not _alive(r["pid"]) else r["status"],
        r["feeling"],
    )


def _break(r: sqlite3.Row) -> BreakRecord:
    return BreakRecord(r["id"], r["at"], r["kind"], r["source"], r["detail"])


def _journal_entry(r: sqlite3.Row) -> JournalRecord:
    return JournalRecord(r["id"], r["at"], r["kind"], r["sound"], bool(r["hurt"]), r["area"], r["note"])


def break_kind(event_kind: str, detail: str = "") -> BreakKind | None:
    """The history's name for a schedule event, or None for events it does not keep."""
    if event_kind == "natural_break":
        return "natural_idle" if detail == "idle" else "natural_sleep"
    if event_kind in ("due", "taken", "snoozed", "skipped", "paused", "resumed"):
        return event_kind  # type: ignore[return-value]
    return None
