"""Working hours: per-weekday time ranges, in local time.

Written as people write them: ``mon-fri: 09:00-17:30``, ``sat: [10:00-12:00]``, or a
night shift ``fri: 22:00-06:00`` that ends the next morning. Times are local, so a
reminder keeps to 09:00 across DST changes; ``tz=None`` means the system's local time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_GROUPS = {"weekdays": DAYS[:5], "weekend": DAYS[5:], "daily": DAYS}
_RANGE = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)\s*$")
RANGE_HINT = "a time range like 09:00-17:30 (24-hour clock; 22:00-06:00 ends the next day)"
DAYS_HINT = "a day (mon … sun), a span like mon-fri, or weekdays, weekend, daily"


def parse_range(text: str) -> tuple[int, int] | None:
    """(start, end) in minutes after midnight of the start day; end may pass 24:00."""
    match = _RANGE.match(text)
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end > 24 * 60 or start == end:
        return None
    return (start, end if end > start else end + 24 * 60)


def parse_days(text: str) -> tuple[str, ...] | None:
    key = text.strip().lower()
    if key in DAY_GROUPS:
        return DAY_GROUPS[key]
    if key in DAYS:
        return (key,)
    first, dash, last = key.partition("-")
    if dash and first in DAYS and last in DAYS:
        i, j = DAYS.index(first), DAYS.index(last)
        return tuple(DAYS[(i + k) % 7] for k in range((j - i) % 7 + 1))
    return None


@dataclass(frozen=True)
class WorkingHours:
    """Periods by weekday (0 = Monday), each (start, end) in minutes from that day's midnight."""

    periods: tuple[tuple[tuple[int, int], ...], ...]

    @classmethod
    def from_mapping(cls, spans: dict[str, list[tuple[int, int]]]) -> WorkingHours:
        days: list[list[tuple[int, int]]] = [[] for _ in DAYS]
        for key, ranges in spans.items():
            for day in parse_days(key) or ():
                days[DAYS.index(day)].extend(ranges)
        return cls(tuple(tuple(sorted(d)) for d in days))

    def _intervals(self, around: date, tz: tzinfo | None) -> Iterator[tuple[datetime, datetime]]:
        """Working periods that start on the days from ``around`` - 1 to ``around`` + 7."""
        for offset in range(-1, 8):
            day = around + timedelta(days=offset)
            for start, end in self.periods[day.weekday()]:
                yield _local(day, start, tz), _local(day, end, tz)

    def is_working(self, moment: datetime) -> bool:
        return any(start <= moment < end for start, end in self._intervals(moment.date(), moment.tzinfo))

    def next_change(self, moment: datetime) -> datetime | None:
        """The next start or end of working time after ``moment`` (within a week)."""
        edges = [
            edge for interval in self._intervals(moment.date(), moment.tzinfo) for edge in interval if edge > moment
        ]
        return min(edges) if edges else None

    def next_start(self, moment: datetime) -> datetime | None:
        starts = [start for start, _ in self._intervals(moment.date(), moment.tzinfo) if start > moment]
        return min(starts) if starts else None


def _local(day: date, minutes: int, tz: tzinfo | None) -> datetime:
    """Local wall time ``minutes`` after the midnight of ``day`` (minutes may pass 24:00)."""
    extra, minutes = divmod(minutes, 24 * 60)
    return datetime.combine(day + timedelta(days=extra), time(minutes // 60, minutes % 60), tzinfo=tz)
