"""The history as flat rows for ``history --csv`` and ``--json``, formatted and merged by
SQLite as they are read: an export of any size holds a batch of rows, and costs little
more than the ``sqlite3`` shell writing the same rows.

Times are local ISO 8601 to the second, as ``datetime.fromtimestamp(t).astimezone()
.isoformat(timespec="seconds")`` writes them. SQLite's own ``localtime`` is that same
conversion for 1970-2036 and whole-minute offsets; any other time (and a fraction so
close to the next second that Python rounds it up) goes through Python, row by row.
Rows go oldest first: by the second, then the kind of record, then the id, read in that
order from an index of each table (the second being the time without its fraction: a
time within half a microsecond of the next second is shown as that next second, yet
sorted among the rows of its own).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from typing import Literal

# The span where SQLite's localtime is Python's: from 1973 (after the last offset that was
# not whole minutes, Monrovia's) to 2037 (SQLite converts later years through a stand-in).
_SQL_TIME_START = 94694400
_SQL_TIME_END = 2114380800
# A fraction of a second from which Python's microsecond rounding may show the next second.
_ROUNDS_UP = 0.999999

CSV_FIELDS = [
    "record",
    "id",
    "at",
    "ended",
    "routine_id",
    "routine_name",
    "status",
    "steps_done",
    "steps_total",
    "active_seconds",
    "feeling",
    "kind",
    "source",
    "detail",
    "sound",
    "hurt",
    "area",
    "note",
]
Table = Literal["sessions", "breaks", "journal"]
Form = Literal["csv", "json"]
# How a field is written: a time (local ISO), a plain value, a number rounded to a tenth
# (active_seconds), a truth (hurt), a row's id (INTEGER PRIMARY KEY: always an integer).
FieldKind = Literal["time", "value", "tenth", "truth", "rowid"]
# Each kind of record: its table, its time column, and its fields after "record", "id" and
# "at", in export order: (name, SQL over the table's columns, kind of field).
_RECORDS: dict[str, tuple[Table, str, tuple[tuple[str, str, FieldKind], ...]]] = {
    "session": (
        "sessions",
        "started",
        (
            ("ended", "ended", "time"),
            ("routine_id", "routine_id", "value"),
            ("routine_name", "routine_name", "value"),
            ("status", "(CASE WHEN status = 'running' THEN mc_status(status, pid) ELSE status END)", "value"),
            ("steps_done", "steps_done", "value"),
            ("steps_total", "steps_total", "value"),
            ("active_seconds", "active_seconds", "tenth"),
            ("feeling", "feeling", "value"),
        ),
    ),
    "break": (
        "breaks",
        "at",
        (
            ("kind", "kind", "value"),
            ("source", "source", "value"),
            ("detail", "(CASE WHEN kind = 'paused' THEN mc_detail(kind, detail) ELSE detail END)", "value"),
        ),
    ),
    "journal": (
        "journal",
        "at",
        (
            ("kind", "kind", "value"),
            ("sound", "sound", "value"),
            ("hurt", "hurt", "truth"),
            ("area", "area", "value"),
            ("note", "note", "value"),
        ),
    ),
}
# The values most rows hold, by field: (the column to compare, its values). One of these
# is written as it is (in quotes in JSON) after a comparison or two, without the calls
# that find out whether a text needs quoting. Any other value (a running session's
# status, which depends on its process) takes the general way: a list that misses a
# value costs time, never a wrong byte. From the schema's CHECKs, BreakKind and Source.
_WORDS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("session", "status"): ("status", ("completed", "quit", "interrupted")),
    ("session", "feeling"): ("feeling", ("better", "same", "worse", "pain")),
    ("break", "kind"): (
        "kind",
        ("due", "taken", "snoozed", "skipped", "natural_sleep", "natural_idle", "paused", "resumed", "mini_break"),
    ),
    ("break", "source"): ("source", ("app", "remind")),
    ("break", "detail"): ("detail", ("",)),  # a paused break's detail too: an empty one stays empty
    ("journal", "kind"): ("kind", ("urge", "crack")),
    ("journal", "sound"): ("sound", ("single_pop", "repeated_snapping", "grinding", "clicking")),
    ("journal", "area"): ("area", ("neck", "upper", "mid", "lower")),
    ("journal", "note"): ("note", ("",)),
}
# Rows of the same second go in this order of their kinds (by name, as they always have):
# a small number sorts as its name would, and Python makes no object for it.
_KIND_ORDER = {record: number for number, record in enumerate(sorted(_RECORDS))}
TABLE_OF = {record: table for record, (table, _, _) in _RECORDS.items()}
FIELDS = {
    record: ["record", "id", "at", *(name for name, _, _ in fields)] for record, (_, _, fields) in _RECORDS.items()
}


def _csv_quotes() -> list[str]:
    """The characters that make Python's csv module quote a field, as this Python does it
    (whether a lone carriage return does has changed between versions)."""
    quoted = []
    for character in (",", '"', "\n", "\r"):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([f"a{character}b", ""])
        if buffer.getvalue().startswith('"'):
            quoted.append(character)
    return quoted


# A GLOB class of them: a text is tested for them all in one call. (A constant, which
# SQLite works out once per query.)
_CSV_QUOTE_CLASS = "('*[' || " + " || ".join(f"char({ord(c)})" for c in _csv_quotes()) + " || ']*')"


def _csv(expression: str, kind: FieldKind) -> str:
    """SQL for a field as Python's csv module writes it: text quoted when it must be,
    integers as they are, anything else through Python (text with a NUL too: SQLite's
    printf and GLOB stop at one). Each branch costs as few function calls as it can: the
    export evaluates it for every field of every row."""
    e = expression
    if kind == "rowid":
        return e
    if kind == "time":
        return f"COALESCE({e}, '')"
    if kind == "truth":
        truth = f"(CASE WHEN typeof({e}) = 'integer' THEN {e} ELSE mc_truth({e}) = 'True' END)"
        return f"(CASE WHEN {truth} THEN 'True' ELSE 'False' END)"
    if kind == "tenth":
        return f"(CASE WHEN {_whole(e)} THEN CAST(CAST({e} AS INTEGER) AS TEXT) || '.0' ELSE mc_csv(mc_tenth({e})) END)"
    return (
        f"(CASE typeof({e}) WHEN 'text' THEN (CASE WHEN instr({e}, char(0)) THEN mc_csv({e}) "
        f"WHEN {e} GLOB {_CSV_QUOTE_CLASS} THEN '\"' || replace({e}, '\"', '\"\"') || '\"' ELSE {e} END) "
        f"WHEN 'integer' THEN {e} WHEN 'null' THEN '' ELSE mc_csv({e}) END)"
    )


def _json(expression: str, kind: FieldKind) -> str:
    """SQL for a field as ``json.dumps`` writes it: printable ASCII text escaped here
    (SQLite's json_quote escapes it as Python does: only quotes and backslashes),
    integers as they are, anything else through Python."""
    e = expression
    if kind == "rowid":
        return e
    if kind == "time":
        return f"COALESCE('\"' || {e} || '\"', 'null')"
    if kind == "truth":
        truth = f"(CASE WHEN typeof({e}) = 'integer' THEN {e} ELSE mc_truth({e}) = 'True' END)"
        return f"(CASE WHEN {truth} THEN 'true' ELSE 'false' END)"
    if kind == "tenth":
        return (
            f"(CASE WHEN {_whole(e)} THEN CAST(CAST({e} AS INTEGER) AS TEXT) || '.0' ELSE mc_json(mc_tenth({e})) END)"
        )
    return (
        f"(CASE typeof({e}) WHEN 'text' THEN (CASE WHEN instr({e}, char(0)) OR {e} GLOB '*[^ -~]*' "
        f"THEN mc_json({e}) ELSE json_quote({e}) END) "
        f"WHEN 'integer' THEN {e} WHEN 'null' THEN 'null' ELSE mc_json({e}) END)"
    )


def _whole(e: str) -> str:
    """A float with no fraction, small enough that Python writes it as digits and '.0'
    (and rounding it to a tenth leaves it as it is)."""
    return f"typeof({e}) = 'real' AND {e} = CAST({e} AS INTEGER) AND abs({e}) < 1e15"


def _sql_exact(column: str) -> str:
    return (
        f"{column} >= {_SQL_TIME_START} AND {column} < {_SQL_TIME_END} "
        f"AND {column} - CAST({column} AS INTEGER) < {_ROUNDS_UP}"
    )


def _offset_text(offset: int) -> str:
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"{'-' if offset < 0 else '+'}{hours:02d}:{minutes:02d}"


def _offset(second: int) -> int:
    return time.localtime(second).tm_gmtoff


def offset_changes(start: float, end: float) -> list[tuple[int, int]]:
    """The local UTC offset from ``start`` to ``end`` as [(from second, offset)]: each day
    is looked at, and a change between two is narrowed to its second. (No zone changes
    its offset twice within a day.)"""
    first = max(_SQL_TIME_START, int(start))
    last = min(_SQL_TIME_END, int(end) + 1)
    changes = [(first, _offset(first))]
    day = first
    while day < last:
        following = min(day + 86400, last)
        if _offset(following) != changes[-1][1]:
            low, high = day, following  # the offset at low is the last one, at high the new one
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset(middle) == changes[-1][1] else (low, middle)
            changes.append((high, _offset(high)))
        day = following
    return changes


def _sql_iso(column: str, changes: list[tuple[int, int]]) -> str:
    """A time as local ISO 8601 in SQL: SQLite's localtime for the wall clock, and the
    offset in force from the changes found for the export's span of time."""
    offset = f"'{_offset_text(changes[-1][1])}'"
    if len(changes) > 1:
        steps = " ".join(
            f"WHEN {column} < {until} THEN '{_offset_text(offset)}'"
            for (_, offset), (until, _) in itertools.pairwise(changes)
        )
        offset = f"CASE {steps} ELSE {offset} END"
    # date() and time() rather than one strftime: without a format to read, they cost
    # half as much, and there is one for every time of every row.
    second = f"CAST({column} AS INTEGER), 'unixepoch', 'localtime'"
    return (
        f"(CASE WHEN {_sql_exact(column)} THEN date({second}) || 'T' || time({second}) || ({offset}) "
        f"ELSE mc_iso({column}) END)"
    )


def _select(record: str, changes: list[tuple[int, int]], form: Form) -> str:
    """One kind of record's rows as (second, record, id, its line): a CSV line in the
    CSV's columns (empty where it has none), or its JSON object as ``json.dumps(indent=2)``
    writes it four levels in."""
    table, wall, fields = _RECORDS[record]
    values: dict[str, tuple[str, FieldKind]] = {"id": ("id", "rowid"), "at": (_sql_iso(wall, changes), "time")}
    for name, sql, kind in fields:
        values[name] = (_sql_iso(sql, changes) if kind == "time" else sql, kind)
    pieces: list[str | _Sql] = [record]
    if form == "csv":
        for name in CSV_FIELDS[1:]:
            pieces += [",", _Sql(_known(record, name, _csv(*values[name]), "{}"))] if name in values else [","]
        pieces.append("\n")
    else:
        pieces = [f'{{\n      "record": "{record}"']
        for name in FIELDS[record][1:]:
            pieces += [f',\n      "{name}": ', _Sql(_known(record, name, _json(*values[name]), '"{}"'))]
        pieces.append("\n    }")
    # (Not printf, which would build the line in one go: it stops at a NUL in the text.)
    # The index expression (migration 3): rows come in index order, merged, not sorted.
    return (
        f"SELECT CAST({wall} AS INTEGER) AS shown, {_KIND_ORDER[record]} AS kind_of_record, id AS record_id, "
        f"{_concat(pieces)} AS line FROM {table}"
    )


def _known(record: str, name: str, general: str, form: str) -> str:
    """A field's SQL with its common values (``_WORDS``) first, each written in ``form``."""
    if (record, name) not in _WORDS:
        return general
    column, words = _WORDS[record, name]
    cases = " ".join(f"WHEN '{word}' THEN '{form.format(word)}'" for word in words)
    return f"(CASE {column} {cases} ELSE {general} END)"


class _Sql(str):
    """An SQL expression among the literal text of a line."""


def _concat(pieces: list[str | _Sql]) -> str:
    """SQL joining literal text and expressions, the texts next to each other as one
    literal: each ``||`` copies the line so far, for every row."""
    joined: list[str] = []
    text = ""
    for piece in pieces:
        if isinstance(piece, _Sql):
            if text:
                joined.append("'" + text.replace("'", "''") + "'")
                text = ""
            joined.append(piece)
        else:
            text += piece
    if text:
        joined.append("'" + text.replace("'", "''") + "'")
    return " || ".join(joined)


def iso(wall: float | None) -> str | None:
    return datetime.fromtimestamp(wall).astimezone().isoformat(timespec="seconds") if wall is not None else None


def epoch(text: str) -> float | None:
    """The wall time a stored detail holds as POSIX seconds (a pause's end), if it does."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 <= value < 1e11 else None


def export_detail(kind: str, detail: str) -> str:
    """A break's detail for export: a pause's end as a local ISO time like every other time."""
    wall = epoch(detail) if kind == "paused" else None
    return (iso(wall) or detail) if wall is not None else detail


def _csv_cell(value: object) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([value, None])
    return buffer.getvalue()[:-1]  # without the comma before the empty second field


def register(db: sqlite3.Connection, alive: Callable[[int | None], bool]) -> None:
    """The Python side of the export's SQL: the rare values and times SQL cannot word as
    Python does. (Not marked deterministic: a local time depends on the time zone.)"""
    db.create_function("mc_iso", 1, iso)
    db.create_function("mc_csv", 1, _csv_cell)
    db.create_function("mc_json", 1, json.dumps)
    db.create_function("mc_tenth", 1, lambda value: round(value, 1) if isinstance(value, float) else value)
    db.create_function("mc_truth", 1, lambda value: str(bool(value)))
    db.create_function("mc_status", 2, lambda status, pid: status if alive(pid) else "interrupted")
    db.create_function("mc_detail", 2, export_detail)


def every_kind(changes: list[tuple[int, int]]) -> str:
    """Every record as CSV lines, in export order, as one merged query."""
    parts = " UNION ALL ".join(_select(record, changes, "csv") for record in _RECORDS)
    return parts + " ORDER BY shown, kind_of_record, record_id"


def one_kind(record: str, changes: list[tuple[int, int]]) -> str:
    """One kind of record as JSON objects, in export order."""
    return _select(record, changes, "json") + " ORDER BY shown, record_id"


def span_query() -> str:
    """The first and last time an export may show (``ended`` included)."""
    return (
        "SELECT MIN(a), MAX(b) FROM (SELECT MIN(MIN(started), COALESCE(MIN(ended), MIN(started))) AS a, "
        "MAX(MAX(started), COALESCE(MAX(ended), 0)) AS b "
        "FROM sessions UNION ALL SELECT MIN(at), MAX(at) FROM breaks UNION ALL SELECT MIN(at), MAX(at) FROM journal)"
    )
