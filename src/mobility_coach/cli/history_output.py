"""The history as text, JSON and CSV for the command line."""

from __future__ import annotations

import csv
import json
import math
import time
from datetime import datetime
from typing import Any, TextIO

from mobility_coach.core.durations import format_duration
from mobility_coach.core.history.stats import summarize
from mobility_coach.core.history.store import History

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


def _iso(wall: float | None) -> str | None:
    return datetime.fromtimestamp(wall).astimezone().isoformat(timespec="seconds") if wall is not None else None


def _epoch(text: str) -> float | None:
    """The wall time a stored detail holds as POSIX seconds (a pause's end), if it does."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 <= value < 1e11 else None


def _export_detail(kind: str, detail: str) -> str:
    """A break's detail for export: a pause's end as a local ISO time like every other time."""
    wall = _epoch(detail) if kind == "paused" else None
    return (_iso(wall) or detail) if wall is not None else detail


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


def rows(history: History) -> list[dict[str, Any]]:
    """Every record, oldest first, with local ISO times, as one flat list."""
    everything = history.export()
    out: list[dict[str, Any]] = []
    for s in everything["sessions"]:
        out.append(
            {
                "record": "session",
                "id": s["id"],
                "at": _iso(s["started"]),
                "ended": _iso(s["ended"]),
                "routine_id": s["routine_id"],
                "routine_name": s["routine_name"],
                "status": s["status"],
                "steps_done": s["steps_done"],
                "steps_total": s["steps_total"],
                "active_seconds": round(s["active_seconds"], 1),
                "feeling": s["feeling"],
            }
        )
    for b in everything["breaks"]:
        out.append(
            {
                "record": "break",
                "id": b["id"],
                "at": _iso(b["at"]),
                "kind": b["kind"],
                "source": b["source"],
                "detail": _export_detail(b["kind"], b["detail"]),
            }
        )
    for j in everything["journal"]:
        out.append(
            {
                "record": "journal",
                "id": j["id"],
                "at": _iso(j["at"]),
                "kind": j["kind"],
                "sound": j["sound"],
                "hurt": j["hurt"],
                "area": j["area"],
                "note": j["note"],
            }
        )
    return sorted(out, key=lambda r: (r["at"] or "", r["record"], r["id"]))


def write_json(history: History, out: TextIO) -> None:
    everything = rows(history)
    grouped = {
        name: [r for r in everything if r["record"] == kind]
        for name, kind in (("sessions", "session"), ("breaks", "break"), ("journal", "journal"))
    }
    out.write(json.dumps(grouped, indent=2) + "\n")


def write_csv(history: History, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows(history):
        writer.writerow(row)


def write_text(history: History, out: TextIO, limit: int = 10, now: float | None = None) -> None:
    sessions = history.sessions(limit=limit)
    breaks = history.breaks(limit=limit)
    journal = history.journal()[:limit]
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
    # The same count as the statistics screen, from the same function.
    today = summarize(history, time.time() if now is None else now).today
    out.write(f"\nBreaks today: {today.breaks_line()}\n")
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
