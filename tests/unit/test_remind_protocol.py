"""The reminder's protocol: every request line is a typed request in range, or refused
with a reason; nothing else (no crash, no silent 'reminders off')."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.breaks.protocol import (
    MAX_PAUSE_SECONDS,
    MAX_REQUEST_BYTES,
    MAX_SNOOZE_SECONDS,
    AskStatus,
    Handover,
    Movement,
    Pause,
    PauseUntilTomorrow,
    ProtocolError,
    Reply,
    Request,
    Resume,
    SessionEnd,
    SessionStart,
    Skip,
    Snooze,
    Stop,
    Watch,
    encode_reply,
    encode_request,
    parse_reply,
    parse_request,
)
from mobility_coach.core.breaks.schedule import Phase

EVERY_REQUEST: list[Request] = [
    AskStatus(),
    Snooze(),
    Snooze(300.0),
    Skip(),
    Pause(),
    Pause(3600.0),
    PauseUntilTomorrow(),
    Resume(),
    Movement(),
    Stop(),
    Watch(),
    Handover(),
    SessionStart(4242),
    SessionEnd(4242, moved=True),
    SessionEnd(4242, moved=False),
]


@pytest.mark.parametrize("request_", EVERY_REQUEST, ids=repr)
def test_every_request_travels_unchanged(request_: Request) -> None:
    assert parse_request(encode_request(request_)) == request_


def test_what_older_clients_send_still_parses() -> None:
    assert parse_request(b'{"cmd": "pause", "seconds": 3600}\n') == Pause(3600.0)
    assert parse_request(b'{"cmd": "pause", "until": "tomorrow"}') == PauseUntilTomorrow()
    assert parse_request(b'{"cmd": "snooze", "seconds": 86400}') == Snooze(86400.0)


HOSTILE = {
    "deep nesting": b'{"cmd": "pause", "seconds": ' + b"[" * 200 + b"]" * 200 + b"}",
    "deeper than the parser": b"[" * (MAX_REQUEST_BYTES - 1),
    "NaN": b'{"cmd": "pause", "seconds": NaN}',
    "Infinity": b'{"cmd": "snooze", "seconds": Infinity}',
    "minus Infinity": b'{"cmd": "snooze", "seconds": -Infinity}',
    "overflowing float": b'{"cmd": "pause", "seconds": 1e999}',
    "huge int": b'{"cmd": "pause", "seconds": ' + b"9" * 400 + b"}",
    "what 'pause 10000000h' would send": b'{"cmd": "pause", "seconds": 36000000000.0}',
    "a pause of a week and a second": f'{{"cmd": "pause", "seconds": {MAX_PAUSE_SECONDS + 1}}}'.encode(),
    "a snooze over a day": f'{{"cmd": "snooze", "seconds": {MAX_SNOOZE_SECONDS + 1}}}'.encode(),
    "negative": b'{"cmd": "snooze", "seconds": -600}',
    "zero": b'{"cmd": "pause", "seconds": 0}',
    "tiny": b'{"cmd": "pause", "seconds": 1e-300}',
    "a string for seconds": b'{"cmd": "snooze", "seconds": "600"}',
    "a boolean for seconds": b'{"cmd": "snooze", "seconds": true}',
    "a list for seconds": b'{"cmd": "snooze", "seconds": [600]}',
    "seconds on skip": b'{"cmd": "skip", "seconds": 600}',
    "an extra key": b'{"cmd": "status", "verbose": true}',
    "until what": b'{"cmd": "pause", "until": "never"}',
    "until and seconds": b'{"cmd": "pause", "until": "tomorrow", "seconds": 60}',
    "a repeated key": b'{"cmd": "status", "cmd": "stop"}',
    "unknown command": b'{"cmd": "format-disk"}',
    "command not a string": b'{"cmd": ["stop"]}',
    "no command": b"{}",
    "not an object": b'["status"]',
    "a bare string": b'"status"',
    "null": b"null",
    "empty": b"",
    "not JSON": b"status please",
    "not UTF-8": b'{"cmd": "st\xffatus"}',
    "an overlong UTF-8 encoding": b'{"cmd": "\xc0\xaf"}',
    "too long": b'{"cmd": "status", "pad": "' + b"x" * MAX_REQUEST_BYTES + b'"}',
    "trailing garbage": b'{"cmd": "status"} {"cmd": "stop"}',
    "a session with no pid": b'{"cmd": "session-start"}',
    "a pid of zero": b'{"cmd": "session-start", "pid": 0}',
    "a negative pid": b'{"cmd": "session-start", "pid": -1}',
    "a huge pid": b'{"cmd": "session-start", "pid": ' + b"9" * 40 + b"}",
    "a pid as a string": b'{"cmd": "session-end", "pid": "42", "moved": true}',
    "a boolean pid": b'{"cmd": "session-end", "pid": true, "moved": true}',
    "moved as a number": b'{"cmd": "session-end", "pid": 42, "moved": 1}',
    "an end without moved": b'{"cmd": "session-end", "pid": 42}',
    "moved on a start": b'{"cmd": "session-start", "pid": 42, "moved": true}',
    "a watch with a value": b'{"cmd": "watch", "seconds": 5}',
}


@pytest.mark.parametrize("line", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_requests_are_refused_with_a_reason(line: bytes) -> None:
    with pytest.raises(ProtocolError) as refused:
        parse_request(line)
    assert str(refused.value)  # a reason, for the client


def test_the_bounds_name_themselves() -> None:
    with pytest.raises(ProtocolError, match=r"from 1s to 168h \(a week\).*'pause' alone"):
        parse_request(b'{"cmd": "pause", "seconds": 1e12}')
    with pytest.raises(ProtocolError, match=r"from 1s to 24h"):
        Snooze(MAX_SNOOZE_SECONDS * 2)
    assert Pause(MAX_PAUSE_SECONDS).seconds == MAX_PAUSE_SECONDS  # the bound itself is allowed


@given(st.binary(max_size=MAX_REQUEST_BYTES + 8))
def test_any_bytes_parse_or_are_refused(line: bytes) -> None:
    try:
        request = parse_request(line)
    except ProtocolError:
        return
    assert request in EVERY_REQUEST or isinstance(request, Snooze | Pause)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@given(
    st.dictionaries(
        st.sampled_from(["cmd", "seconds", "until", "pid", "moved", "x"]),
        JSON | st.sampled_from(["status", "snooze", "pause", "stop", "tomorrow", "session-start", "session-end"]),
        max_size=3,
    )
)
def test_any_object_is_a_sane_request_or_refused(fields: dict[str, object]) -> None:
    try:
        line = json.dumps(fields).encode()
    except ValueError:
        return
    try:
        request = parse_request(line)
    except ProtocolError:
        return
    if isinstance(request, Snooze | Pause) and request.seconds is not None:
        assert math.isfinite(request.seconds) and 1 <= request.seconds <= MAX_PAUSE_SECONDS
    if isinstance(request, SessionStart | SessionEnd):
        assert isinstance(request.pid, int) and 0 < request.pid < 2**31


def test_replies_travel_and_bad_replies_are_refused() -> None:
    reply = Reply(True, "next break in 10:00", Phase.COUNTING, 600.0, 1234)
    assert parse_reply(encode_reply(reply)) == reply
    due = Reply(True, "break due now", Phase.DUE, 0.0, 1234, "app", 1_800_000_000.0)
    assert parse_reply(encode_reply(due)) == due
    assert parse_reply(b'{"ok": true, "message": "m", "new_field": 1}\n') == Reply(True, "m")
    for bad in (
        b'{"ok": "yes", "message": "m"}',
        b'{"ok": true, "message": "m", "phase": "dancing"}',
        b'{"ok": true, "message": "m", "seconds_left": -1}',
        b'{"ok": true, "message": "m", "pid": true}',
        b'{"ok": true, "message": "m", "seconds_left": Infinity}',
        b'{"ok": true, "message": "m", "owner": "someone"}',
        b'{"ok": true, "message": "m", "due_since": -5}',
        b"[" * 5000,
    ):
        with pytest.raises(ProtocolError):
            parse_reply(bad)
