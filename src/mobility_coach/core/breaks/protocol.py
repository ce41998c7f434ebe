"""What the headless reminder and its clients say to each other: one JSON object on one
line each way, parsed into typed values (never dicts) with sane bounds.

The reminder treats every request as hostile: anything that is not exactly one of the
requests below, with values in range, is refused with a reply that says why, and changes
nothing. Pure: no sockets here (those are in ``remind_socket``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from mobility_coach.core.breaks.phase import Phase
from mobility_coach.core.breaks.schedule import MAX_POSTPONE

# A request is a few dozen bytes; a longer one is not a request. The cap also bounds how
# deep any JSON nesting can go (below the parser's recursion limit).
MAX_REQUEST_BYTES = 512
MAX_REPLY_BYTES = 4096
# Longer than this is not a snooze or a pause but reminders switched off: say so instead
# ('pause' without a value pauses until resumed).
MAX_SNOOZE_SECONDS = MAX_POSTPONE
MAX_PAUSE_SECONDS = 7 * 24 * 3600.0
MIN_SECONDS = 1.0


class ProtocolError(ValueError):
    """A request or reply that is not one: the message says what is wrong, for the user."""


@dataclass(frozen=True)
class AskStatus:
    """Ask where the break clock stands; changes nothing."""

    command: ClassVar[str] = "status"


@dataclass(frozen=True)
class Snooze:
    """Snooze a due break (or postpone the next) by ``seconds``; None: the snooze setting."""

    command: ClassVar[str] = "snooze"
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.seconds is not None:
            check_seconds(self.command, self.seconds)


@dataclass(frozen=True)
class Skip:
    """Skip the break, due or coming: the next interval starts now."""

    command: ClassVar[str] = "skip"


@dataclass(frozen=True)
class StartRoutine:
    """Start the suggested routine where the user can do it (the notification's Start):
    in an open app, else in a new terminal window. Changes nothing in the clock itself;
    the routine's session does."""

    command: ClassVar[str] = "start"


@dataclass(frozen=True)
class Pause:
    """No reminders for ``seconds``; None: until resumed."""

    command: ClassVar[str] = "pause"
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.seconds is not None:
            check_seconds(self.command, self.seconds)


@dataclass(frozen=True)
class PauseUntilTomorrow:
    """No reminders until tomorrow's working hours begin (tomorrow's midnight without working hours)."""

    command: ClassVar[str] = "pause"


@dataclass(frozen=True)
class Resume:
    """End a pause: a fresh interval starts, or off hours until working hours begin."""

    command: ClassVar[str] = "resume"


@dataclass(frozen=True)
class Movement:
    """Movement happened elsewhere (a session in the app): the hour starts again."""

    command: ClassVar[str] = "movement"


@dataclass(frozen=True)
class MovedAlready:
    """The user says they already moved, away from any routine: a break taken on their
    word, kept in the history marked as such. New in the protocol: an older reminder
    refuses it, which changes nothing (the break stays due, to be answered again)."""

    command: ClassVar[str] = "moved"


@dataclass(frozen=True)
class Stop:
    """Stop the headless reminder; an app that keeps the clock refuses (quitting the app stops it)."""

    command: ClassVar[str] = "stop"


@dataclass(frozen=True)
class Watch:
    """Keep the connection open: the owner sends its status now and at every change, and
    closing it tells the watcher that the owner has gone."""

    command: ClassVar[str] = "watch"


@dataclass(frozen=True)
class Handover:
    """A starting reminder asks the app that owns the clock to save it and let go."""

    command: ClassVar[str] = "handover"


@dataclass(frozen=True)
class SessionStart:
    """A routine began in process ``pid``: no reminder interrupts it."""

    command: ClassVar[str] = "session-start"
    pid: int

    def __post_init__(self) -> None:
        check_pid(self.pid)


@dataclass(frozen=True)
class SessionEnd:
    """The routine of process ``pid`` ended; ``moved``: it was a break taken."""

    command: ClassVar[str] = "session-end"
    pid: int
    moved: bool

    def __post_init__(self) -> None:
        check_pid(self.pid)


Request = (
    AskStatus
    | Snooze
    | Skip
    | StartRoutine
    | Pause
    | PauseUntilTomorrow
    | Resume
    | Movement
    | MovedAlready
    | Stop
    | Watch
    | Handover
    | SessionStart
    | SessionEnd
)

_PLAIN: dict[str, Request] = {
    "status": AskStatus(),
    "skip": Skip(),
    "start": StartRoutine(),
    "resume": Resume(),
    "movement": Movement(),
    "moved": MovedAlready(),
    "stop": Stop(),
    "watch": Watch(),
    "handover": Handover(),
}
COMMANDS = (
    "status",
    "snooze",
    "skip",
    "start",
    "pause",
    "resume",
    "movement",
    "moved",
    "stop",
    "watch",
    "handover",
    "session-start",
    "session-end",
)
MAX_PID = 1 << 31
_LIMITS = {"snooze": (MAX_SNOOZE_SECONDS, "24h (a day)"), "pause": (MAX_PAUSE_SECONDS, "168h (a week)")}


def check_seconds(command: str, seconds: float) -> None:
    """Raise ProtocolError unless ``seconds`` is a sane length for ``command``."""
    limit, said = _LIMITS[command]
    if not math.isfinite(seconds) or not MIN_SECONDS <= seconds <= limit:
        raise ProtocolError(
            f"a {command} lasts from 1s to {said}"
            + (" ('pause' alone pauses until you resume)" if command == "pause" else "")
        )


def check_pid(pid: object) -> None:
    if isinstance(pid, bool) or not isinstance(pid, int) or not 0 < pid < MAX_PID:
        raise ProtocolError("'pid' must be a process id")


@dataclass(frozen=True)
class Reply:
    """The reminder's answer. ``ok`` False: the request was refused and ``message`` says why."""

    ok: bool
    message: str
    phase: Phase | None = None
    seconds_left: float | None = None  # until the break is due, when counting or snoozed
    pid: int | None = None
    owner: str | None = None  # who keeps the break clock: "app" or "remind"
    due_since: float | None = None  # wall time the break came due, while it is due
    held: str | None = None  # why a due break waits, while it is held ("microphone in use")
    start: str | None = None  # to a watching app: start this routine now (the notification's Start)
    mini: str | None = None  # the mini break on now ("look at something 6 m away"); new: older owners never say
    mini_left: float | None = None  # seconds until that mini break ends, else until the next (None: none coming)

    @classmethod
    def refused(cls, why: str) -> Reply:
        return cls(ok=False, message=f"the reminder refused the request: {why}")


# --- the wire ---------------------------------------------------------------------------


def encode_request(request: Request) -> bytes:
    fields: dict[str, object] = {"cmd": request.command}
    if isinstance(request, Snooze | Pause) and request.seconds is not None:
        fields["seconds"] = request.seconds
    elif isinstance(request, PauseUntilTomorrow):
        fields["until"] = "tomorrow"
    elif isinstance(request, SessionStart):
        fields["pid"] = request.pid
    elif isinstance(request, SessionEnd):
        fields.update(pid=request.pid, moved=request.moved)
    return json.dumps(fields).encode() + b"\n"


def parse_request(line: bytes) -> Request:
    """One request line (its newline optional) into a Request; ProtocolError if it is not one."""
    fields = _json_object(line, MAX_REQUEST_BYTES, "request")
    command = fields.pop("cmd", None)
    if not isinstance(command, str) or command not in COMMANDS:
        raise ProtocolError(f"'cmd' must be one of {', '.join(COMMANDS)}")
    if command in _PLAIN:
        _no_more(fields, command)
        return _PLAIN[command]
    if command == "pause" and "until" in fields:
        if fields.pop("until") != "tomorrow":
            raise ProtocolError("'until' can only be \"tomorrow\"")
        _no_more(fields, "pause until tomorrow")
        return PauseUntilTomorrow()
    if command in ("session-start", "session-end"):
        pid = fields.pop("pid", None)
        check_pid(pid)
        assert isinstance(pid, int)
        if command == "session-start":
            _no_more(fields, command)
            return SessionStart(pid)
        moved = fields.pop("moved", None)
        if not isinstance(moved, bool):
            raise ProtocolError("'moved' must be true or false")
        _no_more(fields, command)
        return SessionEnd(pid, moved)
    seconds = _seconds(fields.pop("seconds", None), command)
    _no_more(fields, command)
    return Snooze(seconds) if command == "snooze" else Pause(seconds)


def encode_reply(reply: Reply) -> bytes:
    fields = {
        "ok": reply.ok,
        "message": reply.message,
        "phase": reply.phase.value if reply.phase else None,
        "seconds_left": reply.seconds_left,
        "pid": reply.pid,
        "owner": reply.owner,
        "due_since": reply.due_since,
        "held": reply.held,
        "start": reply.start,
        "mini": reply.mini,
        "mini_left": reply.mini_left,
    }
    return json.dumps(fields, allow_nan=False).encode() + b"\n"


def parse_reply(line: bytes) -> Reply:
    """The reminder's answer; ProtocolError if it is not one. Unknown keys are ignored, so
    a newer reminder can say more to an older client."""
    fields = _json_object(line, MAX_REPLY_BYTES, "reply")
    ok, message, phase = fields.get("ok"), fields.get("message"), fields.get("phase")
    left, pid = fields.get("seconds_left"), fields.get("pid")
    owner, due_since = fields.get("owner"), fields.get("due_since")
    held, start = fields.get("held"), fields.get("start")
    mini, mini_left = fields.get("mini"), fields.get("mini_left")
    if not isinstance(ok, bool) or not isinstance(message, str):
        raise ProtocolError("the reply has no 'ok' or 'message'")
    try:
        known_phase = Phase(phase) if phase is not None else None
    except ValueError:
        raise ProtocolError(f"the reply names an unknown phase {phase!r}") from None
    if left is not None and not (_is_number(left) and 0 <= left < math.inf):
        raise ProtocolError("the reply's 'seconds_left' is not a length of time")
    if pid is not None and not (isinstance(pid, int) and not isinstance(pid, bool) and pid > 0):
        raise ProtocolError("the reply's 'pid' is not a process id")
    if owner is not None and owner not in ("app", "remind"):
        raise ProtocolError("the reply's 'owner' is neither the app nor the reminder")
    if due_since is not None and not (_is_number(due_since) and 0 <= due_since < 1e12):
        raise ProtocolError("the reply's 'due_since' is not a time")
    if held is not None and not isinstance(held, str):
        raise ProtocolError("the reply's 'held' is not a reason")
    if start is not None and not (isinstance(start, str) and len(start) <= 200):
        raise ProtocolError("the reply's 'start' is not a routine id")
    if mini is not None and not isinstance(mini, str):
        raise ProtocolError("the reply's 'mini' is not a mini break")
    if mini_left is not None and not (_is_number(mini_left) and 0 <= mini_left < math.inf):
        raise ProtocolError("the reply's 'mini_left' is not a length of time")
    return Reply(
        ok,
        message[:500],
        known_phase,
        float(left) if left is not None else None,
        pid,
        owner,
        float(due_since) if due_since is not None else None,
        held[:200] if held is not None else None,
        start,
        mini[:200] if mini is not None else None,
        float(mini_left) if mini_left is not None else None,
    )


def _json_object(line: bytes, limit: int, what: str) -> dict[str, Any]:
    if len(line) > limit:
        raise ProtocolError(f"the {what} is longer than {limit} bytes")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(f"the {what} is not UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ProtocolError(f"the {what} is nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and the hooks' refusals
        detail = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        raise ProtocolError(f"the {what} is not one JSON object: {detail}") from None
    if not isinstance(value, dict):
        raise ProtocolError(f"the {what} is not a JSON object")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in pairs:
        if key in fields:
            raise ValueError(f"{key!r} is given twice")
        fields[key] = value
    return fields


def _no_more(fields: dict[str, Any], command: str) -> None:
    if fields:
        raise ProtocolError(f"'{command}' takes no {', '.join(repr(k) for k in sorted(fields))}")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _seconds(value: object, command: str) -> float | None:
    if value is None:
        return None
    if not _is_number(value):
        raise ProtocolError(f"'seconds' must be a number of seconds, not {type(value).__name__}")
    assert isinstance(value, int | float)
    seconds = float(value) if abs(value) < 1e300 else math.inf  # a huge int would overflow float()
    check_seconds(command, seconds)
    return seconds
