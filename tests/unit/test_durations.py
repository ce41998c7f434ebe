import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.durations import format_clock, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("1m30s", 90), ("2m", 120), ("90", 90), ("1.5", 1.5), ("1h", 3600),
     ("1h 2m 3s", 3723), (" 45 s ", 45), ("2min", 120), ("10sec", 10), ("0s", 0), ("0.5m", 30)],
)
def test_parses_durations_as_people_write_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "s", "abc", "1x", "m30", "30s1m", "nan", "inf", "1m-5s", "--1"])
def test_rejects_what_is_not_a_duration(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(("seconds", "text"), [(0, "0s"), (45, "45s"), (120, "2m"), (90, "1m30s"), (3900, "1h5m")])
def test_formats_durations_briefly(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_countdown_clock_rounds_up_so_it_never_shows_zero_early() -> None:
    assert format_clock(59.2) == "1:00"
    assert format_clock(0.01) == "0:01"
    assert format_clock(0) == "0:00"
    assert format_clock(3725) == "1:02:05"


@given(st.integers(min_value=0, max_value=10 * 3600))
def test_format_then_parse_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
