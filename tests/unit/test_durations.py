import re
import time

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.durations import (
    DURATION_PATTERN,
    MAX_DURATION_CHARS,
    duration_problem,
    format_clock,
    format_duration,
    parse_duration,
)
from tests.bounded import within


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30),
        ("1m30s", 90),
        ("2m", 120),
        ("90", 90),
        ("1.5", 1.5),
        ("1h", 3600),
        ("1h 2m 3s", 3723),
        (" 45 s ", 45),
        ("2min", 120),
        ("10sec", 10),
        ("0s", 0),
        ("0.5m", 30),
    ],
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


# The language of durations: parser and the JSON Schema's pattern must agree on it.
_PIECES = st.sampled_from(
    [
        "1",
        "30",
        "0",
        "1.5",
        ".",
        "2.",
        "h",
        "m",
        "min",
        "s",
        "sec",
        "mi",
        "se",
        " ",
        "  ",
        "\t",
        "\n",
        "\u00a0",
        "x",
        "-",
        "+",
        "e",
        "٣",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=20))
def test_the_schema_pattern_accepts_exactly_what_the_parser_does(text: str) -> None:
    by_pattern = re.fullmatch(DURATION_PATTERN, text) is not None and len(text) <= MAX_DURATION_CHARS
    assert (parse_duration(text) is not None) == by_pattern, repr(text)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_pattern_is_also_what_an_editor_sees_in_the_schema(text: str) -> None:
    schema = {"type": "string", "pattern": DURATION_PATTERN, "maxLength": MAX_DURATION_CHARS}
    valid = jsonschema.Draft202012Validator(schema).is_valid(text)
    assert valid == (parse_duration(text) is not None), repr(text)


@pytest.mark.parametrize(
    "text",
    [
        " " * 100_000,
        " " * 100_000 + "x",
        "1" + " " * 100_000 + "x",
        "1h" + " " * 100_000 + "1",
        "1" * 100_000 + "x",
        "1 " * 50_000 + "x",
        "1h1m" * 25_000,
    ],
)
def test_a_long_hostile_field_is_refused_at_once(text: str) -> None:
    def parse_many() -> float | None:
        return [parse_duration(text) for _ in range(10)][-1]

    started = time.perf_counter()
    assert within(5, parse_many, "parsing a long duration") is None
    assert (time.perf_counter() - started) / 10 < 0.1


@pytest.mark.parametrize("text", [" " * 60 + "1m", " " * 30 + "1h" + " " * 25 + "5s", "1" + " " * 62 + "s"])
def test_spaces_within_the_length_bound_still_parse(text: str) -> None:
    assert within(5, lambda: parse_duration(text), "parsing a duration") is not None


def test_the_pattern_itself_does_not_backtrack_badly() -> None:
    # Editors run it on what is being typed, over any length.
    hostile = [" " * 20_000 + "x", "1" + " " * 20_000 + "x", "1h" + " " * 20_000 + "x", "1" * 20_000 + "x"]
    within(5, lambda: [re.fullmatch(DURATION_PATTERN, text) for text in hostile], "the schema pattern")


def test_too_long_is_said_as_such() -> None:
    assert "at most 64 characters" in duration_problem(" " * 100 + "1m")
    assert "expected a duration" in duration_problem("1x")


@given(
    st.one_of(
        st.from_regex(r"[0-9]{1,25}[smh]?", fullmatch=True),
        st.text(alphabet="0123456789smhinec. \t", max_size=12),
        st.text(max_size=6),
    )
)
def test_the_shortcut_for_whole_seconds_and_minutes_gives_what_the_scanner_gives(text: str) -> None:
    from mobility_coach.core.durations import _scan_duration

    expected = _scan_duration(text)
    found = parse_duration(text)
    assert found == expected and type(found) is type(expected), text
