"""What the history adds up to: today, the last two weeks, the streak, favourites, and
how often the urge to crack comes, week by week."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from mobility_coach.core.history.store import History, SessionRecord
from mobility_coach.core.session.movement import recorded_session_counts


@dataclass(frozen=True)
class Today:
    due: int
    taken: int
    snoozed: int
    skipped: int
    natural: int
    minutes_moved: float

    def breaks_line(self) -> str:
        """Today's breaks in one line: the statistics screen and ``history`` both print
        this, so they can never show two different counts for the same data."""
        return (
            f"{self.due} due · {self.taken} taken · {self.snoozed} snoozed · {self.skipped} skipped · "
            f"{self.natural} away (asleep or idle)"
        )


@dataclass(frozen=True)
class Stats:
    today: Today
    days: tuple[date, ...]  # the last 14 days, oldest first
    minutes_per_day: tuple[float, ...]
    journal_per_day: tuple[int, ...]
    streak: int  # days in a row, up to today, with at least one session that was a break
    top_routines: tuple[tuple[str, int], ...]
    weekly_journal: tuple[tuple[date, float], ...]  # (week start, entries per day), oldest first


def _day(wall: float, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(wall, tz).date()


def was_break(session: SessionRecord) -> bool:
    """A recorded session that was a break taken (the rule of core.session.movement)."""
    return recorded_session_counts(session.status, session.steps_done, session.steps_total, session.active_seconds)


def summarize(history: History, now: float, tz: tzinfo | None = None, days: int = 14, weeks: int = 6) -> Stats:
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
