"""Mini breaks (issue 27): a few seconds between the hourly breaks for one small movement
or the eye break, as Workrave's micro-breaks and Stretchly's mini breaks give.

They are announced quietly and never asked: a line in the app's header for the mini
break's length, and a notification that closes itself when the headless reminder keeps
the clock. Nothing answers them and nothing is held open for them. When one falls due is
the break schedule's business (``schedule.Schedule``); this module holds what one says.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobility_coach.core.durations import format_clock, format_duration

# Off by default. The hourly break is what this app promises; the people who want short
# breaks most are the ones who run Stretchly, Workrave or Safe Eyes already, and a second
# set of them from us would nag twice. One line in the settings turns them on.
DEFAULT_MINI_EVERY: float | None = None
DEFAULT_MINI_LENGTH = 20.0  # the eye break's 20 seconds (20-20-20), long enough for one movement
# Where the settings turn them on without saying how often: 20 minutes, the eye rule's own
# interval, about twice Stretchly's 10 (two mini breaks an hour fall between hourly ones).
SUGGESTED_MINI_EVERY = 20 * 60.0
# A mini break does not come when the hourly break is this close: that one comes instead.
MINI_CLEARANCE = 5 * 60.0
# Away from the keyboard and mouse at least this long (or the mini break's length, if
# longer): the user looked away or got up already, and the mini break's interval starts
# again when they are back. Not less: a minute without a key is often just reading.
MINI_IDLE = 60.0
MINI_PREFIX = "mini break: "  # how the status line starts while a mini break is on
_LEFT_MARK = " · "  # between what to do and the seconds left
MINI_TITLE = "Mini break"


@dataclass(frozen=True)
class MiniMove:
    """One mini break's movement, in our own words: short enough for the header's line."""

    id: str  # kept in the history's detail column
    line: str  # after "mini break: " in the header (lower case, no full stop): fits at 60 columns


EYES = MiniMove("eyes", "look at something 6 m away")
MOVES = (
    EYES,
    MiniMove("shoulders", "roll your shoulders back"),
    EYES,
    MiniMove("hands", "open and close your hands"),
    EYES,
    MiniMove("stand", "stand up and stretch tall"),
)
"""The turn of mini breaks: the eye break every other time, a small movement between."""


def mini_move(turn: int) -> MiniMove:
    """The mini break of this turn (the count of mini breaks so far, kept by the schedule)."""
    return MOVES[turn % len(MOVES)]


def mini_line(line: str, seconds_left: float) -> str:
    """The status line while a mini break is on: what to do, and how long is left."""
    return f"{MINI_PREFIX}{line}{_LEFT_MARK}{format_clock(seconds_left)}"


def without_seconds(described: str) -> str | None:
    """A mini break's status line as the header shows it: what to do, without the seconds
    (a countdown ticking in the corner of the eye would draw the eyes back to the screen
    they are meant to leave); None for any other status."""
    if not described.startswith(MINI_PREFIX):
        return None
    return described.rpartition(_LEFT_MARK)[0] or described


def mini_notice_body(line: str, length: float) -> str:
    """The self-closing notification's words (the reminder's, when it keeps the clock)."""
    return f"{line[:1].upper()}{line[1:]}, for {format_duration(length)}. This closes by itself."
