"""What the history adds up to: today, the last two weeks, the streak, favourites, and
how often the urge to crack comes, week by week."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from mobility_coach.core.history.store import BreakRecord, History, SessionRecord
from mobility_coach.core.session.movement import recorded_session_counts


@dataclass(frozen=True)
class Today:
    """Today's breaks by what became of them, and the minutes moved in sessions."""

    due: int
    taken: int
    snoozed: int
    skipped: int
    natural: int
    minutes_moved: float
    mini: int = 0  # mini breaks shown: kept apart, as none of them is a break taken

    def breaks_line(self) -> str:
        """Today's breaks in one line: the statistics screen and ``history`` both print
        this, so they can never show two different counts for the same data."""
        return (
            f"{self.due} due · {self.taken} taken · {self.snoozed} snoozed · {self.skipped} skipped · "
            f"{self.natural} away (asleep or idle)"
        )


@dataclass(frozen=True)
class Stats:
    """Every figure of the statistics screen (see ``summarize``)."""

    today: Today
    days: tuple[date, ...]  # the last 14 days, oldest first
    minutes_per_day: tuple[float, ...]
    journal_per_day: tuple[int, ...]
    streak: int  # days in a row, up to today, with at least one session that was a break
    top_routines: tuple[tuple[str, int], ...]
    weekly_journal: tuple[tuple[date, float], ...]  # (week start, entries per day), oldest first


# Days of sessions read at a time when the streak goes back past the days shown.
STREAK_SPAN = 120


def _day(wall: float, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(wall, tz).date()


def was_break(session: SessionRecord) -> bool:
    """A recorded session that was a break taken (the rule of core.session.movement)."""
    return recorded_session_counts(session.status, session.steps_done, session.steps_total, session.active_seconds)


def _midnight(day: date, tz: tzinfo | None) -> float:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz).timestamp()


def today_summary(history: History, now: float, tz: tzinfo | None = None) -> Today:
    """Today's breaks and minutes moved, from today's rows only: what ``history`` prints
    costs the same at any size of history."""
    today = _day(now, tz)
    since = _midnight(today, tz)
    return _today(history.sessions(since=since), history.breaks(since=since), today, tz)


def _today(sessions: list[SessionRecord], breaks: list[BreakRecord], today: date, tz: tzinfo | None) -> Today:
    # "taken" is the history's break rows of kind taken: a session writes one only when
    # it was a break, so a routine quit after five seconds counts nowhere.
    todays = Counter(b.kind for b in breaks if _day(b.at, tz) == today)
    moved = sum(s.active_seconds for s in sessions if _day(s.started, tz) == today)
    return Today(
        due=todays["due"],
        taken=todays["taken"],
        snoozed=todays["snoozed"],
        skipped=todays["skipped"],
        natural=todays["natural_sleep"] + todays["natural_idle"],
        minutes_moved=moved / 60,
        mini=todays["mini_break"],
    )


def _streak(history: History, sessions: list[SessionRecord], since: float, today: date, tz: tzinfo | None) -> int:
    """Days in a row with a break, up to today (or yesterday, today being not over yet).
    Read from the days already at hand, and further back a span at a time only while the
    streak is still going, so a long history costs no more than the streak is long."""
    break_days = {_day(s.started, tz) for s in sessions if was_break(s)}
    first = _day(since, tz)
    streak = 0
    day = today if today in break_days else today - timedelta(days=1)
    while True:
        while day in break_days:
            streak += 1
            day -= timedelta(days=1)
        if day >= first:
            return streak
        # The streak reaches back past the days read: read the span before them.
        earlier = first - timedelta(days=STREAK_SPAN)
        older = history.sessions(since=_midnight(earlier, tz), before=since)
        if not older:
            return streak
        break_days |= {_day(s.started, tz) for s in older if was_break(s)}
        first, since = earlier, _midnight(earlier, tz)


def summarize(history: History, now: float, tz: tzinfo | None = None, days: int = 14, weeks: int = 6) -> Stats:
    """Every figure of the statistics screen, from the rows of the days it shows (and of
    the streak, while it lasts) and one indexed count of the favourites: it opens as fast
    with years of history as with none."""
    today = _day(now, tz)
    first = today - timedelta(days=max(days, weeks * 7) - 1)
    since = _midnight(first, tz)
    sessions = history.sessions(since=since)
    breaks = history.breaks(since=since)
    journal = history.journal(since=since)

    moved: dict[date, float] = defaultdict(float)
    for s in sessions:
        moved[_day(s.started, tz)] += s.active_seconds
    span = tuple(today - timedelta(days=days - 1 - i) for i in range(days))
    entries = Counter(_day(j.at, tz) for j in journal)

    week_starts = [today - timedelta(days=today.weekday() + 7 * (weeks - 1 - i)) for i in range(weeks)]
    weekly = []
    for start in week_starts:
        span_days = min(7, (today - start).days + 1)
        count = sum(entries[start + timedelta(days=d)] for d in range(span_days))
        weekly.append((start, count / span_days))
    return Stats(
        today=_today(sessions, breaks, today, tz),
        days=span,
        minutes_per_day=tuple(moved[d] / 60 for d in span),
        journal_per_day=tuple(entries[d] for d in span),
        streak=_streak(history, sessions, since, today, tz),
        top_routines=tuple(history.favourite_routines(3)),
        weekly_journal=tuple(weekly),
    )
