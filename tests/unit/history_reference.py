"""The history's figures and exports as they were computed before issue 14 made them
bounded and streamed, kept verbatim so tests can compare old and new on the same data."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, TextIO

from mobility_coach.core.history.export import CSV_FIELDS
from mobility_coach.core.history.export import export_detail as _export_detail
from mobility_coach.core.history.export import iso as _iso
from mobility_coach.core.history.stats import Stats, Today, _day, was_break
from mobility_coach.core.history.store import History


def _old_export(history: History) -> dict[str, list[dict[str, Any]]]:
    return {
        "sessions": [dict(vars(s)) for s in reversed(history.sessions())],
        "breaks": [dict(vars(b)) for b in reversed(history.breaks())],
        "journal": [dict(vars(j)) for j in reversed(history.journal())],
    }


def old_summarize(history: History, now: float, tz: tzinfo | None = None, days: int = 14, weeks: int = 6) -> Stats:
    today = _day(now, tz)
    first = today - timedelta(days=max(days, weeks * 7) - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=tz).timestamp()
    sessions = history.sessions()
    breaks = history.breaks(since=since)
    journal = history.journal(since=since)

    moved: dict[date, float] = defaultdict(float)
    for s in sessions:
        moved[_day(s.started, tz)] += s.active_seconds
    # "taken" is the history's break rows of kind taken: a session writes one only when
    # it was a break, so a routine quit after five seconds counts nowhere.
    break_days = {_day(s.started, tz) for s in sessions if was_break(s)}
    todays = Counter(b.kind for b in breaks if _day(b.at, tz) == today)
    today_stats = Today(
        due=todays["due"],
        taken=todays["taken"],
        snoozed=todays["snoozed"],
        skipped=todays["skipped"],
        natural=todays["natural_sleep"] + todays["natural_idle"],
        minutes_moved=moved[today] / 60,
    )
    span = tuple(today - timedelta(days=days - 1 - i) for i in range(days))
    entries = Counter(_day(j.at, tz) for j in journal)

    streak = 0
    day = today if today in break_days else today - timedelta(days=1)
    while day in break_days:
        streak += 1
        day -= timedelta(days=1)

    favourites = Counter(s.routine_name for s in sessions if s.steps_done > 0)
    week_starts = [today - timedelta(days=today.weekday() + 7 * (weeks - 1 - i)) for i in range(weeks)]
    weekly = []
    for start in week_starts:
        span_days = min(7, (today - start).days + 1)
        count = sum(entries[start + timedelta(days=d)] for d in range(span_days))
        weekly.append((start, count / span_days))
    return Stats(
        today=today_stats,
        days=span,
        minutes_per_day=tuple(moved[d] / 60 for d in span),
        journal_per_day=tuple(entries[d] for d in span),
        streak=streak,
        top_routines=tuple(favourites.most_common(3)),
        weekly_journal=tuple(weekly),
    )


def old_rows(history: History) -> list[dict[str, Any]]:
    """Every record, oldest first, with local ISO times, as one flat list."""
    everything = _old_export(history)
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


def old_write_json(history: History, out: TextIO) -> None:
    everything = old_rows(history)
    grouped = {
        name: [r for r in everything if r["record"] == kind]
        for name, kind in (("sessions", "session"), ("breaks", "break"), ("journal", "journal"))
    }
    out.write(json.dumps(grouped, indent=2) + "\n")


def old_write_csv(history: History, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in old_rows(history):
        writer.writerow(row)
