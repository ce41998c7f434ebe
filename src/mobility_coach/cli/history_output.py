"""The history as text, JSON and CSV for the command line."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from mobility_coach.core.history import export

if TYPE_CHECKING:
    from mobility_coach.core.history.store import History

_iso = export.iso
_epoch = export.epoch


def human_duration(seconds: float) -> str:
    """``45 s``, ``10 min``, ``1 h 30 min``: for prose, where ``600s`` reads as a code."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    hours, minutes = divmod(round(total / 60), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def break_detail_text(kind: str, detail: str) -> str:
    """What a break's stored detail says, in words: ``600s`` (a snooze's length) is
    ``for 10 min``, a pause's end in POSIX seconds is ``until Mon 23 Nov 14:00``."""
    if kind == "snoozed" and detail.endswith("s"):
        seconds = _epoch(detail[:-1])
        if seconds is not None:
            return f"for {human_duration(seconds)}"
    if kind == "paused":
        wall = _epoch(detail)
        if wall is not None:
            return f"until {datetime.fromtimestamp(wall):%a %d %b %H:%M}"
    return detail


def journal_entry_text(kind: str, sound: str | None) -> str:
    """What an entry was, always naming its kind: ``crack: single pop``, ``crack``, ``urge to crack``."""
    if kind == "urge":
        return "urge to crack"
    return f"{kind}: {sound.replace('_', ' ')}" if sound else kind


def write_csv(history: History, out: TextIO) -> None:
    """Every record as one CSV, a batch of lines at a time (one write each: a write per
    line cost more than SQLite writing the line)."""
    out.write(",".join(export.CSV_FIELDS) + "\n")
    for lines in history.export():
        out.write("".join(lines))


def write_json(history: History, out: TextIO) -> None:
    """``{"sessions": [...], "breaks": [...], "journal": [...]}`` as ``json.dumps(indent=2)``
    writes it, an object at a time."""
    out.write("{")
    for number, record in enumerate(export.FIELDS):
        out.write(("," if number else "") + f"\n  {json.dumps(export.TABLE_OF[record])}: [")
        empty = True
        for items in history.export(record):
            out.write(("\n    " if empty else ",\n    ") + ",\n    ".join(items))
            empty = False
        out.write("]" if empty else "\n  ]")
    out.write("\n}\n")


def write_text(history: History, out: TextIO, limit: int = 10, now: float | None = None) -> None:
    # Here, not at the top: the exports need neither, and the statistics bring the
    # routine model and timeline with them (~20 ms of every export's start).
    from mobility_coach.core.durations import format_duration
    from mobility_coach.core.history.stats import today_summary

    sessions = history.sessions(limit=limit)
    breaks = history.breaks(limit=limit)
    journal = history.journal(limit=limit)
    if not (sessions or breaks or journal):
        out.write("No history yet: sessions, breaks and journal entries appear here as they happen.\n")
        return
    out.write("Recent sessions (steps done, time moving)\n" + ("" if sessions else "  (none yet)\n"))
    for s in sessions:
        feeling = f"  felt {s.feeling}" if s.feeling else ""
        name = s.routine_name if len(s.routine_name) <= 20 else s.routine_name[:19] + "…"
        out.write(
            f"  {datetime.fromtimestamp(s.started):%a %d %b %H:%M} {name:<20} {s.status:<11} "
            f"{s.steps_done}/{s.steps_total}  {format_duration(s.active_seconds):>6}{feeling}\n"
        )
        skipped = s.steps_total - s.steps_done
        if s.status == "completed" and skipped > 0:
            # Played to its end all the same; under the status, as the line has no room.
            out.write(f"{'':40}({skipped} step{'s' * (skipped != 1)} skipped)\n")
    # The same count as the statistics screen, from the same function.
    today = today_summary(history, time.time() if now is None else now)
    out.write(f"\nBreaks today: {today.breaks_line()}\n")
    if today.mini:
        out.write(f"Mini breaks today: {today.mini} (not counted as breaks)\n")
    out.write("\nRecent breaks\n" + ("" if breaks else "  (none yet)\n"))
    for b in breaks:
        detail = f" ({break_detail_text(b.kind, b.detail)})" if b.detail else ""
        out.write(
            f"  {datetime.fromtimestamp(b.at):%a %d %b %H:%M}  {b.kind.replace('_', ' '):<14} from {b.source}{detail}\n"
        )
    if journal:
        out.write("\nJournal\n")
        for j in journal:
            what = journal_entry_text(j.kind, j.sound)
            where = f", {j.area}" if j.area else ""
            hurt = ", it hurt" if j.hurt else ""
            out.write(f"  {datetime.fromtimestamp(j.at):%a %d %b %H:%M}  {what}{where}{hurt}\n")
    out.write("\nEverything: mobility-coach history --csv (or --json)\n")
