from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mobility_coach.core.breaks.workhours import WorkingHours, parse_days, parse_range

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-17:30", (540, 1050)),
        ("9:00 - 17:30", (540, 1050)),
        ("22:00-06:00", (1320, 1800)),
        ("00:00-24:00", (0, 1440)),
        ("17:30-09:00", (1050, 1980)),
    ],
)
def test_ranges(text: str, expected: tuple[int, int]) -> None:
    assert parse_range(text) == expected


@pytest.mark.parametrize(
    "text", ["9-5", "09:00", "25:00-26:00", "09:00-09:00", "09:60-10:00", "nine to five", "24:00-01:00"]
)
def test_bad_ranges(text: str) -> None:
    assert parse_range(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon", ("mon",)),
        ("Mon-Fri", ("mon", "tue", "wed", "thu", "fri")),
        ("fri-mon", ("fri", "sat", "sun", "mon")),
        ("weekend", ("sat", "sun")),
        ("daily", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
        ("monday", None),
        ("mon-xyz", None),
    ],
)
def test_days(text: str, expected: tuple[str, ...] | None) -> None:
    assert parse_days(text) == expected


def test_lunch_gap_and_night_shift() -> None:
    hours = WorkingHours.from_mapping({"mon-fri": [(540, 720), (780, 1050)], "sun": [(1320, 1800)]})

    def at(text: str) -> datetime:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=BERLIN)

    assert hours.is_working(at("2026-11-23 11:59")) and not hours.is_working(at("2026-11-23 12:30"))
    assert hours.next_change(at("2026-11-23 12:30")) == at("2026-11-23 13:00")
    assert hours.is_working(at("2026-11-23 05:59"))  # Sunday's night shift runs into Monday
    assert not hours.is_working(at("2026-11-23 06:00"))
    assert hours.next_start(at("2026-11-27 18:00")) == at("2026-11-29 22:00")
