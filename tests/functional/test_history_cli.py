"""The history and log commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from mobility_coach.core.history import DB_NAME, History


def test_empty_history_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("history").out.startswith("No history yet")


def test_log_records_and_answers(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "crack", "--sound", "grinding", "--hurt", "--where", "lower")
    assert result.code == 0 and result.out.startswith("Noted: grinding or grating (lower back)")
    assert "Please see a physical therapist or doctor" in result.out and "mobility-coach run crack-swap" in result.out
    assert cli("log", "urge", "--sound", "pop").code == 2
    (entry,) = History(home / "data" / DB_NAME).journal()
    assert (entry.kind, entry.sound, entry.hurt, entry.area) == ("crack", "grinding", True, "lower")


def test_history_lists_and_exports_everything(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    history = History(home / "data" / DB_NAME)
    session = history.session_started("desk-break", "Hourly desk break", 4, at=1_800_000_000.0)
    history.session_ended(session, "completed", 4, 169.0, at=1_800_000_169.0)
    history.session_feeling(session, "better")
    history.record_break("due", "remind", at=1_800_000_500.0)
    history.record_journal("urge", None, False, "neck", at=1_800_000_600.0)
    text = cli("history").out
    assert "Hourly desk break    completed   4/4   2m49s  felt better" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    rows = list(csv.DictReader(io.StringIO(cli("history", "--csv").out)))
    assert [(r["record"], r["kind"] or r["status"]) for r in rows] == [
        ("session", "completed"), ("break", "due"), ("journal", "urge")]
    assert rows[0]["feeling"] == "better" and rows[0]["at"].startswith("20")
    data = json.loads(cli("history", "--json").out)
    assert [len(data[k]) for k in ("sessions", "breaks", "journal")] == [1, 1, 1]
    assert data["sessions"][0]["active_seconds"] == 169.0
