"""Durations as people write them (``30s``, ``1m30s``, ``2m``, ``90``) and back again."""

from __future__ import annotations

import math
import re

_NUMBER = r"\d+(?:\.\d+)?"
# One grammar for the parser here and for the JSON Schema that editors check with (so it
# keeps to regex syntax that JSON Schema's ECMA dialect shares: no named groups).
DURATION_PATTERN = (
    rf"^\s*(?:({_NUMBER})\s*h)?\s*(?:({_NUMBER})\s*m(?:in)?)?\s*(?:({_NUMBER})\s*s(?:ec)?)?\s*$"
)
_DURATION = re.compile(DURATION_PATTERN)

DURATION_HINT = "a duration like 30s, 1m30s, 2m or a number of seconds"


def parse_duration(text: str) -> float | None:
    """Seconds for ``text``, or None when it is not a duration we understand."""
    match = _DURATION.match(text)
    if match is None or not any(match.groups()):
        # A bare number is seconds; anything else (including "") is not a duration.
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: float) -> str:
    """The shortest of ``45s``, ``2m``, ``1m30s``, ``1h5m`` that says ``seconds`` exactly
    (to the second)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join(
        f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if value
    )
    return text or "0s"


def format_clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a countdown; partial seconds round up, as a
    countdown that shows 0:00 while time is left would be wrong."""
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
