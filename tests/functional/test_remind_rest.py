"""The headless reminder's resting state (issue 14): while nothing but time can need it, the
reminder turns itself (exec, same pid) into a stdlib-only waiter, which turns back into the
full reminder when something may need it. The waiter's decisions are tested with readings
given by hand; its turning back, its signals and the real reminder's round trip with real
processes (no test waits longer than a process takes to start)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mobility_coach.adapters import rest_waiter
from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.owner_lock import CLOCK_LOCK_NAME, REMIND_LOCK_NAME, OwnerLock
from mobility_coach.adapters.remind_socket import SOCKET_NAME
from mobility_coach.core.breaks.schedule import Phase
from mobility_coach.core.config import Settings
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import load_all
from mobility_coach.remind import REST_MIN, REST_QUIET
from tests.functional.test_remind import Harness

# What the waiter turns back into in these tests: a program that says why, and whether a
# stop signal was waiting for it (blocked across the exec, as the real reminder finds it).
BACK = (
    "import os, signal, socket, sys\n"
    "got = []\n"
    "signal.signal(signal.SIGTERM, lambda n, f: got.append(n))\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})\n"
    "numbers, _, why = os.environ['MOBILITY_COACH_RESTED'].partition(':')\n"
    "handed = b''\n"
    "if len(numbers.split()) > 2:  # state, listener, and a client handed over: read its request\n"
    "    client = socket.socket(fileno=int(numbers.split()[-1]))\n"
    "    client.settimeout(5)\n"
    "    handed = client.recv(512)\n"
    "print('back', os.getpid(), why, got, handed, flush=True)\n"
)
# ("back PID WHY [SIGNALS] b'REQUEST'")


STARTED: list[subprocess.Popen[str]] = []  # ended after each test, whatever it asserted


@pytest.fixture(autouse=True)
def _no_process_left() -> Iterator[None]:
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
        process.wait()


def waiter(tmp_path: Path, *plan: str, files: tuple[Path, ...] = ()) -> tuple[subprocess.Popen[str], socket.socket]:
    """The waiter, listening on a socket of its own, with ``plan``; it turns back into BACK."""
    path = tmp_path / "rest.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)
    signed = [arg for file in files for arg in ("--file", rest_waiter.file_signature(str(file)), str(file))]
    argv = [sys.executable, "-I", "-S", rest_waiter.__file__, "--listen", str(listener.fileno()), *plan, *signed]
    argv += ["--return", sys.executable, "-c", BACK]
    # Started with the stop signals blocked, as the full reminder hands itself over: one
    # sent before the waiter has its handlers waits for them, so no test waits for its start.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        process = subprocess.Popen(argv, pass_fds=[listener.fileno()], stdout=subprocess.PIPE, text=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    STARTED.append(process)
    return process, listener


def came_back(process: subprocess.Popen[str]) -> str:
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("the waiter did not turn back within 30 s", pytrace=False)
    assert out.startswith(f"back {process.pid} "), out  # the same process: exec, not a child
    return out


def resting(pid: int) -> bool:
    return "rest_waiter" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")


def until(done: Callable[[], bool], failure: str) -> None:
    """Polls a real process's state until ``done`` (the reminder turning into its waiter,
    some milliseconds: an exec gives no other sign), failing after 30 s. It waits for
    another process, not for time to pass."""
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, failure
        time.sleep(0.01)


# --- the waiter's decisions, with readings given by hand -----------------------------------


def test_the_waiter_turns_back_at_either_deadline_and_not_before(tmp_path: Path) -> None:
    plan = rest_waiter.parse_plan(["--listen", "3", "--wake-mono", "100", "--wake-wall", "5000", "--return", "x"])
    assert rest_waiter.why_back(plan, (10, 10, 1000), (99, 99, 1089), check=True) is None
    assert rest_waiter.why_back(plan, (10, 10, 1000), (100, 100, 1090), check=False) == "the break clock's deadline"
    assert rest_waiter.why_back(plan, (10, 10, 4990), (20, 20, 5000), check=False) == (
        "the time of day the break clock waits for"
    )


def test_a_sleep_or_a_set_wall_clock_turns_it_back_and_drift_does_not() -> None:
    plan = rest_waiter.parse_plan(["--listen", "3", "--return", "x"])
    before = (10.0, 10.0, 1000.0)
    assert rest_waiter.why_back(plan, before, (70.0, 70.0, 1060.0), check=True) is None
    assert rest_waiter.why_back(plan, before, (70.0, 70.3, 1060.3), check=True) is None  # noise
    assert rest_waiter.why_back(plan, before, (70.0, 370.0, 1360.0), check=False) == "the machine slept"
    assert rest_waiter.why_back(plan, before, (70.0, 70.0, 4660.0), check=False) == "the wall clock was set"
    assert rest_waiter.why_back(plan, before, (70.0, 70.0, 60.0), check=False) == "the wall clock was set"


def test_an_edited_or_removed_file_turns_it_back_at_the_minutes_look(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("reminders:\n  every: 1h\n")
    missing = tmp_path / "routines" / "mine.yaml"
    args = ["--listen", "3", "--file", rest_waiter.file_signature(str(config)), str(config)]
    plan = rest_waiter.parse_plan([*args, "--file", "-", str(missing), "--return", "x"])
    readings = (10.0, 10.0, 1000.0)
    assert rest_waiter.why_back(plan, readings, readings, check=True) is None
    config.write_text("reminders:\n  every: 30m\n")
    assert rest_waiter.why_back(plan, readings, readings, check=False) is None  # only at the minute's look
    assert rest_waiter.why_back(plan, readings, readings, check=True) == f"{config} changed"
    config.write_text("reminders:\n  every: 1h\n")
    plan.files[0] = (rest_waiter.file_signature(str(config)), str(config))
    missing.parent.mkdir()
    missing.write_text("")
    assert rest_waiter.why_back(plan, readings, readings, check=True) == f"{missing} changed"


def test_the_file_signature_is_the_file_watchs(tmp_path: Path) -> None:
    from mobility_coach.core.filewatch import signature

    file = tmp_path / "a.yaml"
    file.write_text("x")
    mtime, size, inode, _ = signature(file, os.stat)  # type: ignore[misc]
    assert rest_waiter.file_signature(str(file)) == f"{mtime}:{size}:{inode}"
    assert rest_waiter.file_signature(str(tmp_path / "gone")) == "-"


@pytest.mark.parametrize(
    ("kind", "said", "seconds"),
    [("ms", "1234\n", 1.234), ("ms", "   uint64 90000\n", 90.0), ("s", "   uint32 42\n", 42.0), ("ms", "junk", None)],
)
def test_idle_readers_outputs_are_read_as_the_idle_sources_read_them(kind: str, said: str, seconds: float) -> None:
    assert rest_waiter.idle_seconds(kind, said, 0.0) == seconds


def test_logind_idle_since_is_read_against_the_monotonic_clock() -> None:
    said = "IdleHint=yes\nIdleSinceHintMonotonic=100000000\n"
    assert rest_waiter.idle_seconds("logind", said, 400.0) == 300.0
    assert rest_waiter.idle_seconds("logind", "IdleHint=no\n", 400.0) == 0.0


def test_the_user_leaving_or_coming_back_turns_it_back() -> None:
    def plan(seconds: str, threshold: str) -> rest_waiter.Plan:
        reader = ["--idle", "s", sys.executable, "-c", f"print({seconds})", "--idle-end"]
        return rest_waiter.parse_plan(["--listen", "3", *reader, *threshold.split(), "--return", "x"])

    readings = (10.0, 10.0, 1000.0)
    assert rest_waiter.why_back(plan("299", "--idle-from 300"), readings, readings, check=True) is None
    assert rest_waiter.why_back(plan("300", "--idle-from 300"), readings, readings, check=True) == "the user left"
    assert rest_waiter.why_back(plan("300", "--idle-below 300"), readings, readings, check=True) is None
    assert rest_waiter.why_back(plan("2", "--idle-below 300"), readings, readings, check=True) == ("the user came back")


# --- the waiter as a process ---------------------------------------------------------------


def test_a_connection_turns_it_back_and_is_handed_over_with_its_request_unread(tmp_path: Path) -> None:
    process, listener = waiter(tmp_path)  # (no status reply in this plan: every request goes back)
    with listener, socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(tmp_path / "rest.sock"))
        client.sendall(b'{"cmd": "status"}\n')
        said = came_back(process)
    assert said.split()[2:4] == ["a", "command"] and said.rstrip().endswith("""b'{"cmd": "status"}\\n'"""), said


def test_the_deadline_turns_it_back(tmp_path: Path) -> None:
    # Already past: when it comes is why_back's test above; here, that the real waiter acts on it.
    process, listener = waiter(tmp_path, "--wake-mono", repr(time.monotonic() - 1))
    with listener:
        assert "the break clock's deadline" in came_back(process)


def test_a_changed_file_turns_it_back(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("a")
    process, listener = waiter(tmp_path, "--check-seconds", "0.05", files=(config,))
    with listener:
        config.write_text("bb")
        assert f"{config} changed" in came_back(process)


def test_sigterm_turns_it_back_with_the_signal_waiting_for_the_full_reminder(tmp_path: Path) -> None:
    process, listener = waiter(tmp_path)
    with listener:
        process.send_signal(signal.SIGTERM)
        said = came_back(process)
    assert "a signal" in said and said.rstrip().endswith(f"[{int(signal.SIGTERM)}] b''")


# --- the full reminder: when it may rest ----------------------------------------------------


def test_the_reminder_rests_only_when_nothing_but_time_needs_it(home: Path, tmp_path: Path) -> None:
    h = Harness(home, tmp_path)
    h.reminder.tick()
    rest = h.reminder.may_rest()
    assert rest is not None and rest.wake_mono == pytest.approx(h.clock.monotonic() + 3600)
    assert rest.idle_from == 300 and rest.idle_below is None
    h.reminder.asked_at = h.clock.monotonic()  # a client asked something just now
    assert h.reminder.may_rest() is None
    h.clock.advance(REST_QUIET)
    assert h.reminder.may_rest() is not None
    h.clock.advance(3600 - REST_QUIET - REST_MIN + 1)  # the break is due sooner than a rest is worth
    assert h.reminder.may_rest() is None
    h.run_for(REST_MIN)
    assert h.reminder.breaks.phase is Phase.DUE and h.reminder.may_rest() is None
    h.reminder.host.sessions.add(os.getpid())
    h.reminder.breaks.skip()
    h.reminder.tick()  # the answered notification closes
    assert h.reminder.may_rest() is None  # a routine runs somewhere
    h.reminder.host.sessions.clear()
    assert h.reminder.may_rest() is not None


def test_settings_and_routines_in_force_and_the_file_watch_are_carried_over(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("reminders:\n  every: 45m\n")
    library = load_all(paths)
    from mobility_coach.core.config import load_settings

    settings, problems = load_settings(paths.config_file, library.routines)
    before = LiveFiles(paths, settings, problems, library)
    kept = before.kept()
    paths.config_file.write_text("reminders:\n  every: [broken\n")  # edited while resting
    after = LiveFiles.carried_on(paths, kept)
    assert after.settings == settings
    reload = after.check()
    assert reload is not None and not reload.settings_changed  # the last good settings stay
    assert after.settings.reminders.every == 45 * 60
    assert "config.yaml has a problem" in reload.notices[0].text
    assert isinstance(after.settings, Settings)


# --- the real reminder ----------------------------------------------------------------------


def start_reminder(home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "mobility_coach", "remind"], env=env, stdout=subprocess.PIPE, text=True
    )
    STARTED.append(process)
    first = process.stdout.readline()  # type: ignore[union-attr]
    assert first.startswith(f"Reminder running (pid {process.pid})"), first
    until(lambda: resting(process.pid) or process.poll() is not None, "the reminder did not rest")
    assert process.poll() is None, "the reminder ended instead of resting"
    return process


def remind(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "mobility_coach", "remind", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_resting_reminder_answers_as_itself_and_stops(home: Path) -> None:
    reminder = start_reminder(home)
    try:
        status = remind(home, "status", "--json")
        assert status.returncode == 0 and f'"pid": {reminder.pid}' in status.stdout
        assert '"phase": "counting"' in status.stdout
        assert re.search(r'"message": "next break in (1:00:00|59:5\d)"', status.stdout), status.stdout
        assert resting(reminder.pid)  # the waiter answered the status itself
        snooze = remind(home, "snooze")
        assert not resting(reminder.pid)  # back in full, and stays so a while after a request
        assert snooze.stdout.startswith("next break in 1:09:5") or snooze.stdout.startswith("next break in 1:10:00")
        assert remind(home, "stop").stdout == "Reminder stopped.\n"
        assert reminder.wait(timeout=30) == 0
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait()
    assert not (home / "data" / SOCKET_NAME).exists()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_resting_reminder_stops_cleanly_on_a_signal(home: Path, number: signal.Signals) -> None:
    reminder = start_reminder(home)
    try:
        reminder.send_signal(number)
        assert reminder.wait(timeout=30) == 0
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait()
    data = home / "data"
    assert not (data / SOCKET_NAME).exists()
    for name in (REMIND_LOCK_NAME, CLOCK_LOCK_NAME):  # both let go
        lock = OwnerLock(data / name)
        assert lock.try_acquire(write_pid=False)
        lock.release()
    assert remind(home, "status").stderr.startswith("No reminder is running")


def state_file(tmp_path: Path, header: bytes, body: bytes) -> int:
    path = tmp_path / "state"
    path.write_bytes(header + body)
    return os.open(path, os.O_RDONLY)


def test_what_was_carried_is_used_only_by_the_same_code(home: Path, tmp_path: Path) -> None:
    import pickle

    from mobility_coach.remind import Carried, carried_over, state_header

    h = Harness(home, tmp_path)
    files = LiveFiles(h.paths, Settings(), [], load_all(h.paths))
    carried = pickle.dumps(Carried(h.reminder.schedule, files.kept(), NoIdle()))
    identity, same = carried_over(state_file(tmp_path, state_header((1, 2)), carried))
    assert identity == (1, 2) and same is not None
    assert same.schedule.phase is h.reminder.schedule.phase
    # mobility-coach was updated while resting: the clock comes from its store instead.
    (file, mtime, size), *_ = json.loads(state_header((1, 2)))["code"]
    changed = json.dumps({"socket_identity": [1, 2], "code": [[file, mtime + 1, size]]}).encode() + b"\n"
    assert carried_over(state_file(tmp_path, changed, carried)) == ((1, 2), None)
    assert carried_over(state_file(tmp_path, b"junk\n", carried)) == (None, None)


def test_a_rest_while_away_goes_on_away_where_a_restore_would_start_an_hour(tmp_path: Path) -> None:
    import pickle

    from mobility_coach.core.breaks.host import ClockHost
    from mobility_coach.core.breaks.keeping import ClockStore
    from mobility_coach.core.breaks.schedule import ReminderSettings
    from mobility_coach.core.breaks.service import BreakService
    from mobility_coach.core.clock import FakeClock

    clock = FakeClock()
    idle = [0.0]
    store = ClockStore(tmp_path / "break-clock.json")

    def host() -> ClockHost:
        return ClockHost(BreakService(ReminderSettings(), clock, lambda: idle[0], "remind"), store, 1)

    resting = host()
    resting.open()
    clock.advance(600)
    idle[0] = 400.0  # away from the desk for longer than a break
    assert [event.kind for event in resting.tick()] == ["natural_break"]
    resting.save(fresh=True)
    carried = pickle.loads(pickle.dumps(resting.service.schedule))
    carried.clock = clock  # (a SystemClock has no state of its own; this fake has)
    clock.advance(60)
    idle[0] = 460.0  # still away when a command turns the reminder back
    back = host()
    assert back.open(carried).events == [] and back.service.phase is Phase.AWAY
    # A restore from the store (a restart) cannot know the user stayed away: it starts a
    # new hour, and the idle time then counts the same absence as a second break.
    restored = host()
    assert [event.kind for event in restored.open().events] == ["natural_break"]


def test_the_plan_the_reminder_writes_is_the_plan_the_waiter_reads(home: Path, tmp_path: Path) -> None:
    from mobility_coach.adapters.idle import Throttled, XprintidleIdle
    from mobility_coach.remind import Held, Rest, rest_plan

    h = Harness(home, tmp_path)
    files = LiveFiles(h.paths, Settings(), [], load_all(h.paths))
    args = rest_plan(Rest(1234.5, 99999.0, 300.0, None), 9, Held(6, 7, 8), Throttled(XprintidleIdle()), files)
    plan = rest_waiter.parse_plan([*args, "--return", "x"])
    assert (plan.listen, plan.state, plan.keep, plan.wake_mono, plan.wake_wall) == (8, 9, [6, 7], 1234.5, 99999.0)
    assert (plan.idle_kind, plan.idle_argv, plan.idle_from, plan.idle_below) == ("ms", ["xprintidle"], 300.0, None)
    assert [path for _, path in plan.files] == [str(h.paths.config_file), str(h.paths.routines_dir)]
    assert all(rest_waiter.file_signature(path) == signature for signature, path in plan.files)


# --- the status, answered at rest -------------------------------------------------------------


@pytest.mark.parametrize("snoozed", [False, True])
def test_the_waiters_status_is_the_reminders_to_the_byte(home: Path, tmp_path: Path, snoozed: bool) -> None:
    from mobility_coach.core.breaks.protocol import encode_reply

    h = Harness(home, tmp_path)
    h.reminder.tick()
    if snoozed:
        h.reminder.breaks.snooze(600)
    rest = h.reminder.may_rest()
    assert rest is not None and rest.status_reply is not None and rest.wake_mono is not None
    plan = rest_waiter.parse_plan(["--listen", "3", "--wake-mono", repr(rest.wake_mono), "--return", "x"])
    plan.status_reply = rest.status_reply
    for elapsed in (0.0, 0.4, 1.0, 59.99, 3599.5, 3600.0, 4200.0, 9000.0):
        h.clock.advance(elapsed - (h.clock.monotonic() - 1000.0))
        assert rest_waiter.status_reply(plan, h.clock.monotonic()) == encode_reply(h.reminder.host.reply())


def test_the_waiters_countdown_reads_as_the_apps() -> None:
    from mobility_coach.core.durations import format_clock

    for seconds in (0.0, 1e-10, 0.2, 59.0, 59.000001, 600.5, 3599.9, 3600.0, 36000.0, 86399.2):
        assert rest_waiter.format_clock(seconds) == format_clock(seconds)


def test_the_waiter_answers_the_status_and_hands_anything_else_over_unread(tmp_path: Path) -> None:
    from mobility_coach.adapters.remind_socket import _read_line
    from mobility_coach.core.breaks.protocol import AskStatus, Snooze, encode_request, parse_reply

    template = '{"ok": true, "message": "next break in @@CLOCK@@", "seconds_left": @@LEFT@@}'
    wake = time.monotonic() + 3000
    request = encode_request(AskStatus()).decode().rstrip("\n")
    process, listener = waiter(
        tmp_path, "--wake-mono", repr(wake), "--status-request", request, "--status-reply", template
    )
    # What it turns back into reads the connection it was handed, to show nothing was taken from it.
    with listener:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(tmp_path / "rest.sock"))
            client.sendall(encode_request(AskStatus()))
            reply = parse_reply(_read_line(client, 30))
        assert reply.ok and re.fullmatch(r"next break in (49:\d\d|50:00)", reply.message) and resting(process.pid)
        assert reply.seconds_left is not None and 2990 < reply.seconds_left <= 3000
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(tmp_path / "rest.sock"))
            client.sendall(encode_request(Snooze(60)))
            said = came_back(process)
    assert "a command" in said and said.rstrip().endswith(repr(encode_request(Snooze(60)))), said


def test_a_handed_over_request_reaches_the_full_reminder(home: Path) -> None:
    reminder = start_reminder(home)
    try:
        skip = remind(home, "skip")
        assert skip.returncode == 0 and skip.stdout.startswith("next break in 1:00:00"), skip
        assert not resting(reminder.pid)
    finally:
        reminder.kill()
        reminder.wait()
