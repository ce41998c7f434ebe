"""The headless reminder against hostile clients and a hostile filesystem: malformed and
extreme requests, clients that dawdle or crowd the socket, paths too long for a socket,
and symbolic links or strangers where its files go. Every wait here is time-bounded, so
a hang fails fast with a message instead of stalling the suite."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.remind_socket import (
    MAX_SOCKET_PATH_BYTES,
    POINTER_NAME,
    SOCKET_NAME,
    CommandServer,
    UnsafePath,
    ask,
    pointed_socket,
    socket_candidates,
)
from mobility_coach.core.breaks.protocol import AskStatus, Reply, Stop, parse_reply
from mobility_coach.core.breaks.schedule import Phase
from mobility_coach.core.breaks.service import Suggestion
from mobility_coach.core.clock import FakeClock, SystemClock
from mobility_coach.core.config import Settings
from mobility_coach.core.paths import Paths
from mobility_coach.remind import Alerts, Reminder, single_instance
from tests.fake_notice import FakeNotice
from tests.unit.test_remind_protocol import HOSTILE

T = TypeVar("T")
START = datetime(2026, 11, 23, 9, 0).timestamp()


def within(seconds: float, what: str, work: Callable[[], T]) -> T:
    """Run ``work`` on a thread; fail with ``what`` if it takes longer than ``seconds``."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=run, daemon=True)
    started = SystemClock().monotonic()
    worker.start()
    worker.join(timeout=seconds)
    if worker.is_alive():
        pytest.fail(f"{what}: still going after {seconds}s")
    if errors:
        raise errors[0]
    assert SystemClock().monotonic() - started <= seconds
    return results[0]


def exchange(path: Path, data: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes, read until the reminder hangs up."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(str(path))
        client.sendall(data)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
        return received


class Running:
    """A reminder on a fake clock, serving a real socket on a thread."""

    def __init__(self, home: Path, server: CommandServer | None = None) -> None:
        self.environ = {"MOBILITY_COACH_HOME": str(home)}
        self.paths = Paths.from_environment(self.environ)
        self.paths.data_dir.mkdir(parents=True, exist_ok=True)
        self.alerts: list[str] = []
        self.clock = FakeClock(wall=START)
        self.reminder = Reminder(
            Settings(),
            self.clock,
            NoIdle(),
            Alerts(FakeNotice(lambda title, body: self.alerts.append(title)), lambda: None, lambda: None),
            Suggestion("desk-break", "Hourly desk break"),
            io.StringIO(),
        )
        self.server = server or CommandServer.at_home(self.paths, self.environ)
        self.thread = threading.Thread(target=self.reminder.serve, args=(self.server,), daemon=True)
        self.thread.start()

    def ask(self, timeout: float = 5.0) -> Reply | None:
        return ask(self.paths, AskStatus(), self.environ, timeout=timeout)

    def stop(self) -> None:
        ask(self.paths, Stop(), self.environ)
        self.thread.join(timeout=10)
        self.server.close()
        assert not self.thread.is_alive(), "the reminder did not stop"


@pytest.fixture
def running(home: Path) -> Iterator[Running]:
    serving = Running(home)
    yield serving
    serving.stop()


def test_hostile_requests_are_refused_and_change_nothing(running: Running) -> None:
    before = running.ask()
    assert before is not None and before.ok and before.phase is Phase.COUNTING
    for name, line in HOSTILE.items():
        answer = within(5, f"the reply to {name}", lambda line=line: exchange(running.server.path, line + b"\n"))
        reply = parse_reply(answer)
        assert not reply.ok and reply.message.startswith("the reminder refused the request: "), name
    after = within(5, "status after the attack", running.ask)
    assert after == before  # still counting, the same hour: nothing switched off
    assert running.server.refused == len(HOSTILE)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=700))
def test_any_bytes_on_the_socket_get_an_answer_and_change_nothing(running: Running, garbage: bytes) -> None:
    answer = within(5, f"the reply to {garbage!r}", lambda: exchange(running.server.path, garbage + b"\n"))
    reply = parse_reply(answer)
    assert reply.ok or reply.message.startswith("the reminder refused the request: ")
    status = within(5, "status after garbage", running.ask)
    assert status is not None and status.ok


def test_dawdling_clients_do_not_delay_status(running: Running) -> None:
    tricklers = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(5)]
    try:
        for trickler in tricklers:
            trickler.settimeout(2)
            trickler.connect(str(running.server.path))
            trickler.sendall(b'{"cmd": "st')  # ...and the rest never comes
        # Each held the old loop for its 2 s read timeout, one after the other.
        reply = within(1.5, "status while five clients dawdle", running.ask)
        assert reply is not None and reply.ok
        tricklers[0].sendall(b"at")
        reply = within(1.5, "status while a client trickles", running.ask)
        assert reply is not None and reply.ok
    finally:
        for trickler in tricklers:
            trickler.close()


def test_a_client_gets_a_deadline_for_its_whole_request(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    serving = Running(home, CommandServer(paths.data_dir / SOCKET_NAME, request_seconds=0.3))
    try:
        answer = within(3, "cutting off a silent client", lambda: exchange(serving.server.path, b'{"cmd"'))
        assert parse_reply(answer) == Reply.refused("the request did not arrive within 0.3s")
        answer = within(3, "cutting off a client without a newline", lambda: exchange(serving.server.path, b"x" * 600))
        assert "longer than 512 bytes" in parse_reply(answer).message
    finally:
        serving.stop()


def test_a_hundred_idle_connections_do_not_lock_out_status(running: Running) -> None:
    idle = []
    try:
        for _ in range(100):
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            idle.append(client)
            client.settimeout(2)  # past a full listen queue, connect waits (or fails)
            within(3, "connecting idly", lambda client=client: client.connect(str(running.server.path)))
        reply = within(3, "status beside 100 idle connections", running.ask)
        assert reply is not None and reply.ok
        assert len(running.server.clients) <= 32
    finally:
        for client in idle:
            client.close()


def test_a_break_falls_due_on_time_while_a_client_dawdles(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    alerts: list[str] = []
    clock = FakeClock(wall=START)
    reminder = Reminder(
        Settings(),
        clock,
        NoIdle(),
        Alerts(FakeNotice(lambda title, body: alerts.append(title)), lambda: None, lambda: None),
        Suggestion("desk-break", "Hourly desk break"),
        io.StringIO(),
    )
    server = CommandServer(paths.data_dir / SOCKET_NAME)
    slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        clock.advance(3600 - 0.2)
        slow.connect(str(server.path))
        slow.sendall(b'{"cmd": "sta')
        # The loop waits 0.2 s for the break, however slow the client (the old one read
        # it for up to 2 s first).
        assert within(1.5, "the loop waiting for the break", lambda: reminder.serve_once(server))
        assert alerts == []
        clock.advance(0.2)
        reminder.tick()
        assert alerts == ["Time to move"]
    finally:
        slow.close()
        server.close()


def test_the_socket_moves_to_a_short_path_when_the_data_folder_is_deep(tmp_path: Path) -> None:
    deep = tmp_path / ("folder-with-a-long-name-" * 5)
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(deep)})
    assert len(os.fsencode(paths.data_dir / SOCKET_NAME)) > MAX_SOCKET_PATH_BYTES
    runtime = tmp_path / "run"
    runtime.mkdir()
    candidates = socket_candidates(paths, {"XDG_RUNTIME_DIR": str(runtime)})
    assert candidates[0].parent == runtime / "mobility-coach" and candidates[1].parent.name.startswith("mobility")
    assert socket_candidates(paths, {"XDG_RUNTIME_DIR": "relative"})[0].parent.parent == Path("/tmp")
    short = Paths.from_environment({"MOBILITY_COACH_HOME": str(tmp_path / "h")})
    assert socket_candidates(short, {})[0] == short.data_dir / SOCKET_NAME


def test_a_runtime_folder_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    deep = tmp_path / ("folder-with-a-long-name-" * 5)
    runtime, elsewhere = tmp_path / "run", tmp_path / "elsewhere"
    runtime.mkdir()
    elsewhere.mkdir()
    (runtime / "mobility-coach").symlink_to(elsewhere)
    environ = {"MOBILITY_COACH_HOME": str(deep), "XDG_RUNTIME_DIR": str(runtime)}
    paths = Paths.from_environment(environ)
    paths.data_dir.mkdir(parents=True)
    server = CommandServer.at_home(paths, environ)
    try:
        assert server.path.parent == Path("/tmp") / f"mobility-coach-{os.geteuid()}"
        assert list(elsewhere.iterdir()) == []
        assert (os.stat(server.path.parent).st_mode & 0o777) == 0o700
        assert (os.stat(server.path).st_mode & 0o777) == 0o600
    finally:
        server.close()
    assert not server.path.exists()


def test_what_is_in_the_way_of_the_socket_is_left_alone(home: Path, tmp_path: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    in_the_way = paths.data_dir / SOCKET_NAME
    in_the_way.write_text("my notes\n")
    with pytest.raises(UnsafePath, match="not a socket the reminder left"):
        CommandServer(in_the_way)
    target = tmp_path / "target.txt"
    target.write_text("precious\n")
    link = paths.data_dir / "link.sock"
    link.symlink_to(target)
    with pytest.raises(UnsafePath):
        CommandServer(link)
    assert in_the_way.read_text() == "my notes\n" and target.read_text() == "precious\n" and link.is_symlink()

    serving = Running(home)  # goes elsewhere, and clients find it there
    try:
        assert serving.server.path != in_the_way
        reply = within(5, "status from the moved socket", serving.ask)
        assert reply is not None and reply.ok
    finally:
        serving.stop()
    assert in_the_way.read_text() == "my notes\n"


def test_closing_removes_only_our_own_socket(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    server = CommandServer(paths.data_dir / SOCKET_NAME)
    server.path.unlink()
    server.path.write_text("someone else's\n")
    server.close()
    assert server.path.read_text() == "someone else's\n"


def test_a_stale_socket_of_ours_is_replaced(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(paths.data_dir / SOCKET_NAME))
    stale.close()  # a reminder killed with -9 leaves this behind
    CommandServer(paths.data_dir / SOCKET_NAME).close()


@pytest.mark.parametrize("kind", ["symlink", "fifo", "hard link", "folder"])
def test_the_pid_is_never_written_through_a_strange_lock_file(home: Path, tmp_path: Path, kind: str) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    lock = paths.data_dir / "remind.lock"
    target = tmp_path / "target.txt"
    target.write_text("precious\n")
    if kind == "symlink":
        lock.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(lock)
    elif kind == "hard link":
        os.link(target, lock)
    else:
        lock.mkdir()

    def take() -> None:
        with single_instance(paths):
            pass

    with pytest.raises(UnsafePath, match=r"remind\.lock"):
        within(5, "taking a strange lock", take)
    assert target.read_text() == "precious\n"


def read_first_line(process: subprocess.Popen[str], seconds: float = 30) -> str:
    assert process.stdout is not None
    stdout = process.stdout
    return within(seconds, "the reminder's first line", stdout.readline)


def remind_command(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``mobility-coach remind ARGS`` as a client, killed after a minute."""
    return subprocess.run(
        [sys.executable, "-m", "mobility_coach", "remind", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def start_reminder(env: Mapping[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mobility_coach", "remind"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_real_reminder_survives_hostile_clients_in_a_deep_folder(tmp_path: Path) -> None:
    """End to end, as a user would meet it: a data folder too deep for a socket, a huge
    pause from the command line, and raw garbage on the socket."""
    deep = tmp_path / ("a-rather-long-folder-name-" * 4)
    env = {**os.environ, "MOBILITY_COACH_HOME": str(deep), "PATH": str(tmp_path / "no-bin") + ":/usr/bin:/bin"}
    env.pop("XDG_RUNTIME_DIR", None)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return remind_command(env, *args)

    reminder = start_reminder(env)
    try:
        assert read_first_line(reminder).startswith(f"Reminder running (pid {reminder.pid}): next break in 1:00:00")
        huge = cli("pause", "10000000h")
        assert huge.returncode == 2 and "168h" in huge.stderr
        paths = Paths.from_environment(env)
        where = next(path for path in socket_candidates(paths, env) if path.exists())
        assert where.parent.name == f"mobility-coach-{os.geteuid()}"
        for name in ("deep nesting", "NaN", "what 'pause 10000000h' would send", "not UTF-8", "too long"):
            reply = parse_reply(within(10, name, lambda name=name: exchange(where, HOSTILE[name] + b"\n")))
            assert not reply.ok, name
        status = cli("status")
        assert status.returncode == 0 and status.stdout.startswith("next break in "), status
        assert cli("stop").stdout == "Reminder stopped.\n"
        assert reminder.wait(timeout=30) == 0
        assert not where.exists()
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait()


def test_the_real_reminder_refuses_a_linked_lock_and_says_why(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("precious\n")
    (home / "data").mkdir()
    (home / "data" / "remind.lock").symlink_to(target)
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "mobility_coach", "remind"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1 and "is a symbolic link" in result.stderr
    assert target.read_text() == "precious\n"


def test_a_client_dropped_for_a_newcomer_in_the_same_moment_is_not_read(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    server = CommandServer(paths.data_dir / SOCKET_NAME, max_clients=1)
    clients = []
    try:
        for _ in range(5):
            old = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old.connect(str(server.path))
            within(3, "accepting", lambda: server.wait(0))
            old.sendall(b'{"cmd":')  # it speaks just as a newcomer crowds it out
            new = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            new.connect(str(server.path))
            clients += [old, new]
            within(3, "a crowded moment", lambda: server.wait(0))
            assert len(server.clients) == 1
            old.settimeout(3)
            assert "too many connections" in parse_reply(old.recv(4096)).message
    finally:
        for client in clients:
            client.close()
        server.close()


def test_a_client_in_another_environment_finds_the_real_reminder(tmp_path: Path) -> None:
    """The reminder under systemd has XDG_RUNTIME_DIR, a client over ssh or in cron has
    none: the data folder's pointer file leads it to the socket all the same."""
    deep = tmp_path / ("a-rather-long-folder-name-" * 4)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    served = {**os.environ, "MOBILITY_COACH_HOME": str(deep), "XDG_RUNTIME_DIR": str(runtime)}
    client_env = {k: v for k, v in served.items() if k != "XDG_RUNTIME_DIR"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return remind_command(client_env, *args)

    reminder = start_reminder(served)
    try:
        assert read_first_line(reminder).startswith(f"Reminder running (pid {reminder.pid})")
        paths = Paths.from_environment(served)
        pointer = paths.data_dir / POINTER_NAME
        where = pointed_socket(paths)
        assert where is not None and where.parent == runtime / "mobility-coach", pointer.read_bytes()
        status = cli("status")
        assert status.returncode == 0 and status.stdout.startswith("next break in "), status
        assert cli("stop").stdout == "Reminder stopped.\n"
        assert reminder.wait(timeout=30) == 0
        assert not where.exists() and not pointer.exists()
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait()


def test_a_pointer_is_trusted_only_to_a_socket_of_ours_in_a_private_folder(tmp_path: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(tmp_path / "h")})
    paths.data_dir.mkdir(parents=True)
    pointer = paths.data_dir / POINTER_NAME
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    target = folder / socket_candidates(paths, {})[-1].name
    server = CommandServer(target)
    try:
        pointer.write_bytes(os.fsencode(target) + b"\n")
        assert pointed_socket(paths) == target
        folder.chmod(0o755)  # others could enter: not ours alone
        assert pointed_socket(paths) is None
        folder.chmod(0o700)
        pointer.write_bytes(os.fsencode(folder / "other.sock") + b"\n")  # not this data folder's name
        assert pointed_socket(paths) is None
        pointer.write_bytes(b"relative/" + target.name.encode() + b"\n")
        assert pointed_socket(paths) is None
        pointer.unlink()
        os.mkfifo(pointer)  # never blocks the client
        assert within(10, "reading a FIFO pointer", lambda: pointed_socket(paths)) is None
        assert within(10, "asking past a FIFO pointer", lambda: ask(paths, AskStatus(), {}, timeout=2)) is None
    finally:
        server.close()


def test_a_watcher_that_never_reads_is_dropped_and_never_holds_up_the_owner(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    paths.data_dir.mkdir(parents=True)
    server = CommandServer(paths.data_dir / SOCKET_NAME)
    stuck, reading = (socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(2))
    try:
        for client in (stuck, reading):
            client.connect(str(server.path))
            client.sendall(b'{"cmd": "watch"}\n')
            (incoming,) = within(5, "the watch request", lambda: server.wait(5))
            server.watch(incoming, Reply(True, "next break in 1:00:00", Phase.COUNTING, 3600.0))
        assert len(server.watchers) == 2
        reading.settimeout(5)
        assert reading.recv(4096).startswith(b'{"ok": true, "message": "next break in 1:00:00"')
        status = Reply(True, "break due now", Phase.DUE, 0.0)
        reading.setblocking(False)

        def flood() -> None:
            for _ in range(20_000):  # far more than a socket buffer holds
                server.broadcast(status)
                with contextlib.suppress(BlockingIOError):
                    while reading.recv(65536):
                        pass
                if len(server.watchers) < 2:
                    return

        within(10, "broadcasting to a watcher that never reads", flood)
        assert len(server.watchers) == 1  # the stuck one is gone, the reading one stays
        server.close()
        reading.settimeout(5)
        while reading.recv(65536):  # what was sent, then the end (else a timeout): the owner has gone
            pass
    finally:
        stuck.close()
        reading.close()


def test_a_hangup_stops_the_real_reminder_as_sigterm_does(home: Path) -> None:
    """A closed terminal (SIGHUP) ends the reminder cleanly: the socket and the lock go,
    so the next start and every client see no reminder, not a stale one."""
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home)}
    reminder = start_reminder(env)
    try:
        assert read_first_line(reminder).startswith(f"Reminder running (pid {reminder.pid})")
        where = Paths.from_environment(env).data_dir / SOCKET_NAME
        assert where.exists()
        reminder.send_signal(signal.SIGHUP)
        assert reminder.wait(timeout=30) == 0
        assert not where.exists()
        assert reminder.stderr is not None and reminder.stderr.read() == ""
        assert remind_command(env, "status").returncode == 1  # no reminder, and none stale
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait()


SESSION_CLIENT = """
import json, os, socket, sys
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
    client.settimeout(10)
    client.connect(sys.argv[1])
    client.sendall(json.dumps({"cmd": "session-start", "pid": os.getpid()}).encode() + b"\\n")
    print(client.recv(65536).decode(), end="")
"""


def test_a_session_holds_breaks_only_for_the_process_that_sends_it(running: Running) -> None:
    """A client may start a session for itself only (the kernel says who connected), and
    the hold ends when that process does: nobody can hold reminders off for ever with
    another process's pid, such as init's."""
    for pid in (1, os.getppid()):
        line = json.dumps({"cmd": "session-start", "pid": pid}).encode() + b"\n"
        reply = parse_reply(
            within(5, "a session for another pid", lambda line=line: exchange(running.server.path, line))
        )
        assert not reply.ok and "its own" in reply.message, reply
        status = running.ask()
        assert status is not None and status.phase is Phase.COUNTING
    ended = json.dumps({"cmd": "session-end", "pid": 1, "moved": True}).encode() + b"\n"
    assert not parse_reply(within(5, "another's session end", lambda: exchange(running.server.path, ended))).ok
    # A real client in a process of its own: held while it runs, released once it has gone.
    client = subprocess.run(
        [sys.executable, "-c", SESSION_CLIENT, str(running.server.path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert parse_reply(client.stdout.encode()).phase is Phase.IN_SESSION
    status = running.ask()
    assert status is not None and status.phase is Phase.COUNTING, status
    # This process's own session holds until it ends.
    mine = json.dumps({"cmd": "session-start", "pid": os.getpid()}).encode() + b"\n"
    assert parse_reply(within(5, "our own session", lambda: exchange(running.server.path, mine))).ok
    status = running.ask()
    assert status is not None and status.phase is Phase.IN_SESSION


# What a break or a command that needs it loads, never the reminder waiting between breaks:
# each is megabytes that a process running all day would carry for nothing.
HEAVY_MODULES = (
    "sqlite3",
    "mobility_coach.core.history.store",
    "mobility_coach.core.routines.loader",
    "mobility_coach.core.routines.model",
    "mobility_coach.core.figures",
    "mobility_coach.adapters.sound",
    "mobility_coach.adapters.speech",
    "mobility_coach.adapters.meetings",
    "mobility_coach.adapters.notice_child",
    "dbus_fast",
    "playsound3",
    "textual",
    "rich",
    # OpenSSL's hashing (3-4 MiB), and what only a mistake in a file needs.
    "hashlib",
    "difflib",
)


def test_the_reminder_between_breaks_carries_nothing_heavy(home: Path) -> None:
    """The real reminder, asked its status, has imported none of what only a break needs
    (``-X importtime`` lists every import, in this process and no other)."""
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home)}
    reminder = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "mobility_coach", "remind"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert read_first_line(reminder).startswith(f"Reminder running (pid {reminder.pid})")
        assert remind_command(env, "status").stdout.startswith("next break in ")
        reminder.send_signal(signal.SIGTERM)
        _, err = reminder.communicate(timeout=30)
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait()
    imported = {line.rpartition("|")[2].strip() for line in err.splitlines() if line.startswith("import time:")}
    assert "mobility_coach.remind" in imported  # the listing is there, so its absences mean something
    assert sorted(imported & set(HEAVY_MODULES)) == []
