"""Durations as people write them (``30s``, ``1m30s``, ``2m``, ``90``) and back again.

Parsed by a small scanner, not a regular expression: a backtracking regex with several
optional parts separated by optional spaces took time polynomial in a run of spaces
(seconds for a few thousand), and every command that read such a field hung. The scanner
looks at each character once, and a duration longer than ``MAX_DURATION_CHARS`` is refused
before it is looked at.
"""

from __future__ import annotations

import math
import re

MAX_DURATION_CHARS = 64

# The same language as a regular expression, for the JSON Schema that editors check with.
# Kept to syntax that JSON Schema's ECMA dialect shares, with ASCII classes (ECMA's \s and
# Python's \s differ on some Unicode spaces, and Python's \d takes any script's digits).
# Every quantified part is followed by a character it cannot match, so it does not
# backtrack badly either. A test checks that parser and pattern agree.
_W = r"[ \t\n\r\f\v]"
_N = r"[0-9]+(?:\.[0-9]+)?"
_H, _M, _S = rf"{_N}{_W}*h", rf"{_N}{_W}*m(?:in)?", rf"{_N}{_W}*s(?:ec)?"
DURATION_PATTERN = rf"^{_W}*(?:{_N}|{_H}(?:{_W}*{_M})?(?:{_W}*{_S})?|{_M}(?:{_W}*{_S})?|{_S}){_W}*$"

DURATION_HINT = "a duration like 30s, 1m30s, 2m or a number of seconds"

_SPACE = frozenset(" \t\n\r\f\v")
_DIGIT = frozenset("0123456789")
# Unit words, longest first so "min" is not read as "m" followed by "in".
_UNITS = (("h", 0), ("min", 1), ("m", 1), ("sec", 2), ("s", 2))


# "30s" and "2m", the durations most often written, read without the scanner's loop (it
# was a tenth of the time of loading routine files); no backtracking: one digit run, one letter.
_WHOLE_SECONDS_OR_MINUTES = re.compile(r"([0-9]+)([sm])")


def parse_duration(text: str) -> float | None:
    """Seconds for ``text``, or None when it is not a duration we understand (including
    one longer than ``MAX_DURATION_CHARS``)."""
    if len(text) > MAX_DURATION_CHARS:
        return None
    simple = _WHOLE_SECONDS_OR_MINUTES.fullmatch(text)
    if simple is not None:
        number = float(simple[1])
        return number if simple[2] == "s" else number * 60
    return _scan_duration(text)


def _scan_duration(text: str) -> float | None:
    """``parse_duration`` for any text of at most ``MAX_DURATION_CHARS``."""
    start, end = 0, len(text)
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    parts: list[float | None] = [None, None, None]  # hours, minutes, seconds
    position = start
    last_unit = -1
    while position < end:
        number_end = _number_end(text, position, end)
        if number_end == position:
            return None
        number = float(text[position:number_end])
        position = _skip_spaces(text, number_end, end)
        if position == end:
            # A bare number is seconds, but only on its own: "1m 30" is not "1m30s".
            return number if last_unit < 0 else None
        unit = _unit_at(text, position)
        if unit is None or unit[1] <= last_unit:
            return None
        word, last_unit = unit
        parts[last_unit] = number
        position = _skip_spaces(text, position + len(word), end)
    if last_unit < 0:
        return None  # nothing but spaces
    hours, minutes, seconds = (part or 0.0 for part in parts)
    return hours * 3600 + minutes * 60 + seconds


def _number_end(text: str, position: int, end: int) -> int:
    """Where the number ``[0-9]+(.[0-9]+)?`` at ``position`` ends (``position`` if none)."""
    digits = position
    while digits < end and text[digits] in _DIGIT:
        digits += 1
    if digits == position:
        return position
    if digits + 1 < end and text[digits] == "." and text[digits + 1] in _DIGIT:
        digits += 1
        while digits < end and text[digits] in _DIGIT:
            digits += 1
    return digits


def _skip_spaces(text: str, position: int, end: int) -> int:
    while position < end and text[position] in _SPACE:
        position += 1
    return position


def _unit_at(text: str, position: int) -> tuple[str, int] | None:
    for word, index in _UNITS:
        if text.startswith(word, position):
            return word, index
    return None


def duration_problem(text: str) -> str:
    """Why ``text`` is not a duration, in words for an error message."""
    if len(text) > MAX_DURATION_CHARS:
        return f"a duration is at most {MAX_DURATION_CHARS} characters long, not {len(text):,}"
    shown = text if len(text) <= 40 else text[:37] + "..."
    return f"expected {DURATION_HINT}, found {shown!r}"


def format_duration(seconds: float) -> str:
    """The shortest of ``45s``, ``2m``, ``1m30s``, ``1h5m`` that says ``seconds`` exactly
    (to the second)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join(f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if value)
    return text or "0s"


def format_clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a countdown; partial seconds round up, as a
    countdown that shows 0:00 while time is left would be wrong."""
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
