"""The headless reminder at rest: a tiny program the reminder turns itself into (by exec,
so the same process, the same pid) while it has nothing to do but wait, and which turns
back into the full reminder (exec again) the moment something may need it.

Run as ``python -I -S rest_waiter.py --plan FD`` (the plan's options in that file, NUL
between them; or ``PLAN...`` on the command line) with the reminder's file descriptors still
open: the locks (so the reminder stays the one reminder and the one owner of the break
clock), the listening command socket (whose backlog keeps any connection made meanwhile)
and its saved state. It imports nothing but built-in modules, so it costs what a bare
Python ``select()`` loop costs. It writes no file, and accepts a connection only to answer
a status or to hand it over.

It sleeps in ``select()`` on the listening socket, waking at most once a minute (as the
full reminder did), and goes back (``--return``) when:

- a client connects with anything but ``remind status`` (whose answer it can work out
  itself from ``--status-reply``, while the clock counts down: ``--status-request`` is the
  exact line asked): the full reminder is handed the connection, its request unread;
- the break clock's next deadline comes (monotonic ``--wake-mono``, or a time of day,
  ``--wake-wall``: the end of a pause, working hours beginning or ending);
- the machine slept, or the wall clock was set (the clock decides what that means);
- a watched file changed (``--file SIGNATURE PATH``: config.yaml, the routine files
  and folders, as the reminder's own file watch signs them);
- the idle reading crosses the break length (``--idle KIND ARGV... --idle-end``:
  ``--idle-from`` seconds or more means the user left; ``--idle-below`` means they came
  back);
- SIGTERM, SIGINT or SIGHUP: the full reminder stops as it always does (it is exec'd with the
  signal still pending and blocked, and receives it once it can clean up).

Everything in the plan is absolute (monotonic and wall-clock instants), so the plan
stays true however long the rest lasts.
"""

from __future__ import annotations

import _socket  # the C module: ``socket`` would import enum and selectors for nothing used here
import math
import os
import select
import sys
import time

TYPE_CHECKING = False  # as typing's, without importing typing (and re) for it
if TYPE_CHECKING:
    import signal as signals
else:
    try:  # the ``signal`` module would import enum and functools: a megabyte for two constants
        import _signal as signals
    except ImportError:  # not CPython
        import signal as signals

CHECK_SECONDS = 60.0  # as the full reminder's MAX_WAKE: files, idle and clocks once a minute
CLOCK_SLACK = 1.0  # a suspend or a setting of the wall clock shorter than this is noise
IDLE_SECONDS = 5.0  # an idle reader that takes longer is killed, as the full reminder's are
REQUEST_SECONDS = 2.0  # as remind_socket's: a client's whole request must arrive within this
# Where the status reply's template has the countdown: seconds (as JSON) and as the clock reads.
LEFT_MARK, CLOCK_MARK = "@@LEFT@@", "@@CLOCK@@"
# For the return: "STATE LISTENER KEPT...:WHY", the descriptors as plain numbers, so that
# any version of mobility-coach it turns back into can carry on holding them.
RESTED_VARIABLE = "MOBILITY_COACH_RESTED"
STOP_SIGNALS = (signals.SIGTERM, signals.SIGINT, signals.SIGHUP)
_BOOTTIME = getattr(time, "CLOCK_BOOTTIME", None)
Readings = tuple[float, float, float]  # (monotonic, boot time, wall), as core/clock.py reads them


# The options that are one number each: the Plan attribute each sets, and its kind.
_NUMBERS: dict[str, tuple[str, type[int] | type[float]]] = {
    "--listen": ("listen", int),
    "--state": ("state", int),
    "--wake-mono": ("wake_mono", float),
    "--wake-wall": ("wake_wall", float),
    "--check-seconds": ("check_seconds", float),
    "--idle-from": ("idle_from", float),
    "--idle-below": ("idle_below", float),
}


class Plan:
    """What the full reminder handed over (see the module's docstring for each option)."""

    def __init__(self) -> None:
        self.listen = -1
        self.keep: list[int] = []  # held open across the rest (locks, the saved state)
        self.state = -1  # the saved state's descriptor, named to the full reminder on return
        self.wake_mono: float | None = None
        self.wake_wall: float | None = None
        self.check_seconds = CHECK_SECONDS
        self.files: list[tuple[str, str]] = []  # (signature, path)
        self.idle_kind = ""
        self.idle_argv: list[str] = []
        self.idle_from: float | None = None
        self.idle_below: float | None = None
        self.back: list[str] = []  # the full reminder's argv
        self.status_request = b""  # the status request's exact line, newline included
        self.status_reply = ""  # its reply's line, with LEFT_MARK and CLOCK_MARK to fill in


def parse_plan(args: list[str]) -> Plan:
    plan = Plan()
    i = 0
    while i < len(args):
        option = args[i]
        if option == "--return":
            plan.back = args[i + 1 :]
            break
        if option == "--file":
            plan.files.append((args[i + 1], args[i + 2]))
            i += 3
            continue
        if option == "--idle":
            end = args.index("--idle-end", i)
            plan.idle_kind, plan.idle_argv = args[i + 1], args[i + 2 : end]
            i = end + 1
            continue
        value = args[i + 1]
        if option in _NUMBERS:
            name, kind = _NUMBERS[option]
            setattr(plan, name, kind(value))
        elif option == "--keep":
            plan.keep.append(int(value))
        elif option == "--status-request":
            plan.status_request = os.fsencode(value) + b"\n"
        elif option == "--status-reply":
            plan.status_reply = value
        else:
            raise ValueError(f"rest_waiter: unknown option {option!r}")
        i += 2
    if plan.listen < 0 or not plan.back:
        raise ValueError("rest_waiter: --listen and --return are needed")
    return plan


def file_signature(path: str) -> str:
    """As core/filewatch.py signs a file: modification time, size and inode ("-": absent)."""
    try:
        found = os.stat(path)
    except OSError:
        return "-"
    return f"{found.st_mtime_ns}:{found.st_size}:{found.st_ino}"


def idle_seconds(kind: str, text: str | None, monotonic: float) -> float | None:
    """An idle reader's output as seconds (see adapters/idle.py for the readers):
    ``ms``/``s``, a number as the last word (xprintidle; D-Bus's "uint64 1234"); ``logind``,
    loginctl's IdleHint and IdleSinceHintMonotonic."""
    words = (text or "").split()
    if not words:
        return None
    if kind in ("ms", "s"):
        try:
            number = int(words[-1])
        except ValueError:
            return None
        return number / 1000 if kind == "ms" else float(number)
    fields = dict(line.split("=", 1) for line in (text or "").splitlines() if "=" in line)
    if fields.get("IdleHint") != "yes":
        return 0.0
    try:
        since = int(fields.get("IdleSinceHintMonotonic", "0")) / 1e6
    except ValueError:
        return None
    return max(0.0, monotonic - since) if since else None


def _read_idle(plan: Plan) -> float | None:
    """Run the idle reader (a process, as the full reminder runs it) and read its answer."""
    reading, writing = os.pipe()
    null = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, writing, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
        child = os.posix_spawnp(plan.idle_argv[0], plan.idle_argv, os.environ, file_actions=actions)
    except OSError:
        os.close(reading)
        return None
    finally:
        os.close(writing)
        os.close(null)
    received, ended = b"", False
    deadline = time.monotonic() + IDLE_SECONDS
    try:
        while not ended and (left := deadline - time.monotonic()) > 0:
            if not select.select([reading], [], [], left)[0]:
                break
            data = os.read(reading, 4096)
            received += data
            ended = not data or len(received) > 65536
    finally:
        os.close(reading)
    if not ended:
        os.kill(child, signals.SIGKILL)
    _, status = os.waitpid(child, 0)
    if not ended or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    return idle_seconds(plan.idle_kind, received.decode("utf-8", "replace"), time.monotonic())


def format_clock(seconds: float) -> str:
    """As core/durations.py's: ``m:ss`` or ``h:mm:ss``, partial seconds rounding up."""
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_reply(plan: Plan, monotonic: float) -> bytes:
    """The status the full reminder would give now: the clock counting to ``--wake-mono``."""
    left = max(0.0, (plan.wake_mono or 0.0) - monotonic)
    return (plan.status_reply.replace(LEFT_MARK, repr(left)).replace(CLOCK_MARK, format_clock(left))).encode() + b"\n"


def take_client(plan: Plan, listener: _socket.socket) -> int | None:
    """Accept a waiting client: answer it if it asks for the status (and the plan says
    how), and return None; else return its descriptor, its request unread (only peeked
    at), for the full reminder to accept as its own."""
    try:
        descriptor, _ = listener._accept()  # type: ignore[attr-defined]
    except (BlockingIOError, InterruptedError):
        return None  # gone already
    connection = _socket.socket(fileno=descriptor)
    wanted = plan.status_request
    deadline = time.monotonic() + REQUEST_SECONDS
    while wanted and plan.status_reply and (left := deadline - time.monotonic()) > 0:
        if not select.select([descriptor], [], [], left)[0]:
            break
        try:
            peeked = connection.recv(len(wanted) + 1, _socket.MSG_PEEK)
        except OSError:  # the client went (reset): nobody to answer
            connection.close()
            return None
        if peeked == wanted:
            connection.recv(len(wanted))
            try:
                connection.send(status_reply(plan, time.monotonic()))
                connection.setblocking(False)
                for _ in range(16):  # as remind_socket: read what is there, so closing resets nothing
                    if not connection.recv(65536):
                        break
            except OSError:
                pass
            connection.close()
            return None
        if not peeked or not wanted.startswith(peeked):
            break
        time.sleep(0.05)  # half a request so far (a client rarely splits one): wait for the rest
    return connection.detach()


def readings() -> Readings:
    boot = time.clock_gettime(_BOOTTIME) if _BOOTTIME is not None else time.time()
    return time.monotonic(), boot, time.time()


def clock_moved(before: Readings, now: Readings) -> str | None:
    """Why the break clock must look: the machine slept (boot time ran ahead of the
    monotonic clock), or the wall clock was set (it moved otherwise than boot time)."""
    slept = (now[1] - now[0]) - (before[1] - before[0])
    if slept > CLOCK_SLACK:
        return "the machine slept"
    if abs((now[2] - now[1]) - (before[2] - before[1])) > CLOCK_SLACK:
        return "the wall clock was set"
    return None


class Stopping(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _stop(number: int, frame: object) -> None:
    raise Stopping(number)


def why_back(plan: Plan, before: Readings, now: Readings, check: bool) -> str | None:
    """Whether the full reminder is needed now, and why; ``check``: it is time for the
    minute's look at the files and the idle time."""
    if plan.wake_mono is not None and now[0] >= plan.wake_mono:
        return "the break clock's deadline"
    if plan.wake_wall is not None and now[2] >= plan.wake_wall:
        return "the time of day the break clock waits for"
    moved = clock_moved(before, now)
    if moved is not None or not check:
        return moved
    for signature, path in plan.files:
        if file_signature(path) != signature:
            return f"{path} changed"
    if plan.idle_argv:
        idle = _read_idle(plan)
        if idle is not None and plan.idle_from is not None and idle >= plan.idle_from:
            return "the user left"
        if idle is not None and plan.idle_below is not None and idle < plan.idle_below:
            return "the user came back"
    return None


def go_back(plan: Plan, why: str, pending: int | None = None, client: int | None = None) -> None:
    """Turn back into the full reminder, the stop signals blocked until it can take them
    (``pending``: one that arrived here, sent again so that it is waiting for it), handing
    it ``client``, a connection accepted here whose request it is to read."""
    signals.pthread_sigmask(signals.SIG_BLOCK, STOP_SIGNALS)
    if pending is not None:
        os.kill(os.getpid(), pending)
    handed = [plan.state, plan.listen, *plan.keep, *([client] if client is not None else [])]
    for descriptor in handed:
        if descriptor >= 0:
            os.set_inheritable(descriptor, True)
    environ = dict(os.environ)
    environ[RESTED_VARIABLE] = f"{' '.join(map(str, handed))}:{why}"
    os.execve(plan.back[0], plan.back, environ)


def rest(plan: Plan) -> None:
    """Wait until the full reminder is needed, then become it (never returns)."""
    for number in STOP_SIGNALS:
        signals.signal(number, _stop)
    # The descriptors are not for the idle reader's process; the return marks them again.
    for descriptor in (plan.listen, *plan.keep, plan.state):
        if descriptor >= 0:
            os.set_inheritable(descriptor, False)
    listener = _socket.socket(fileno=plan.listen)  # never closed here: the return listens on it
    before = readings()
    check_at = before[0] + plan.check_seconds
    try:
        # A stop signal that came while turning into this (blocked) arrives here.
        signals.pthread_sigmask(signals.SIG_UNBLOCK, STOP_SIGNALS)
        while True:
            now = readings()
            timeout = check_at - now[0]
            if plan.wake_mono is not None:
                timeout = min(timeout, plan.wake_mono - now[0])
            if plan.wake_wall is not None:
                timeout = min(timeout, plan.wake_wall - now[2])
            if select.select([plan.listen], [], [], max(0.0, timeout))[0]:
                client = take_client(plan, listener)
                if client is not None:
                    go_back(plan, "a command", client=client)
            now = readings()
            check = now[0] >= check_at
            if (why := why_back(plan, before, now, check)) is not None:
                go_back(plan, why)
            before = now
            if check:
                check_at = now[0] + plan.check_seconds
    except Stopping as signal:
        go_back(plan, "a signal", signal.number)
    except Exception as error:  # whatever went wrong here, the full reminder carries on
        go_back(plan, f"a fault while resting: {error!r}")


def read_plan(descriptor: int) -> list[str]:
    """The plan from the file the full reminder wrote it to (NUL between arguments), closed."""
    chunks = []
    while chunk := os.read(descriptor, 65536):
        chunks.append(chunk)
    os.close(descriptor)
    return [os.fsdecode(arg) for arg in b"".join(chunks).split(b"\0")]


def main(args: list[str]) -> None:
    """``--plan FD``: the plan is in that file (the reminder's way); else on the command line."""
    rest(parse_plan(read_plan(int(args[1])) if args[:1] == ["--plan"] else args))


if __name__ == "__main__":
    main(sys.argv[1:])
