"""The headless reminder's Unix socket: where it lives, the server side, and the client.

The server never lets a client hold up the reminder's loop: every socket is non-blocking,
each client has a deadline for its whole request and a size limit, idle connections are
accepted at once (and the oldest dropped past a cap), and ``wait`` returns when the
schedule needs the loop, whatever the clients are doing.

Where: ``remind.sock`` in the data folder when that path fits in a Unix socket address
(about 100 bytes); otherwise a short name derived from the data folder in a private
runtime folder, ``$XDG_RUNTIME_DIR/mobility-coach/`` or ``/tmp/mobility-coach-UID/``
(made 0700, and used only while it is a real folder owned by this user). Clients look in
the same places, in the same order; but a client's environment may differ from the
reminder's (no XDG_RUNTIME_DIR over ssh or in cron, one under systemd), so a reminder whose
socket is outside the data folder also writes its path to ``remind.socket-path`` there,
and clients try that first, trusting it only if it names a socket of ours in a private
folder of ours.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import stat
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mobility_coach.core.breaks.protocol import (
    MAX_REPLY_BYTES,
    MAX_REQUEST_BYTES,
    ProtocolError,
    Reply,
    Request,
    SessionEnd,
    SessionStart,
    encode_reply,
    encode_request,
    parse_reply,
    parse_request,
)
from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.paths import Paths
from mobility_coach.core.userfiles import read_user_file

SOCKET_NAME = "remind.sock"
POINTER_NAME = "remind.socket-path"  # in the data folder: where the socket is, when elsewhere
MAX_POINTER_BYTES = 4096
# sun_path holds 108 bytes on Linux and 104 on macOS, with its terminating NUL.
MAX_SOCKET_PATH_BYTES = 103
REQUEST_SECONDS = 2.0  # a client's whole request must arrive within this
MAX_CLIENTS = 32  # connections open at once; past it, the oldest is dropped
BACKLOG = 128


class UnsafePath(Exception):
    """A path the reminder will not use or replace; the message says why."""


# --- where --------------------------------------------------------------------------------


def _short_name(paths: Paths) -> str:
    # A name per data folder, short enough for a socket path; it need not be secret or
    # collision-proof (the folder it lies in is the user's own). zlib's checksums, not
    # hashlib's sha256: hashlib loads OpenSSL, some 3 MiB of the resting reminder's memory.
    raw = os.fsencode(os.path.realpath(paths.data_dir))
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.sock"


def socket_candidates(paths: Paths, environ: Mapping[str, str]) -> list[Path]:
    """Where the reminder's socket may be, in the order it tries them."""
    name = _short_name(paths)
    candidates = [paths.data_dir / SOCKET_NAME]
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        candidates.append(Path(runtime) / "mobility-coach" / name)
    candidates.append(Path("/tmp") / f"mobility-coach-{os.geteuid()}" / name)
    return [path for path in candidates if len(os.fsencode(path)) <= MAX_SOCKET_PATH_BYTES]


def _private_folder(folder: Path, create: bool) -> None:
    """Make sure ``folder`` is a real folder owned by us that nobody else can enter."""
    if create:
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UnsafePath(f"{folder} is not a folder (a symbolic link or another file is in its place)")
    if info.st_uid != os.geteuid():
        raise UnsafePath(f"{folder} belongs to another user")
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)


def _is_our_socket(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISSOCK(info.st_mode) and info.st_uid == os.geteuid()


def _usable_folder(path: Path, paths: Paths, create: bool) -> None:
    if path.parent != paths.data_dir:  # the data folder is the user's own choice
        _private_folder(path.parent, create)


def _pointer_path(paths: Paths) -> Path:
    return paths.data_dir / POINTER_NAME


def pointed_socket(paths: Paths) -> Path | None:
    """The socket named in the data folder's pointer file, if it can be trusted: an absolute
    path with this data folder's short name, a socket of ours, in a real folder of ours
    that nobody else can enter. Anything else (no file, a FIFO, junk) is None."""
    try:
        data = read_user_file(_pointer_path(paths), MAX_POINTER_BYTES)
    except OSError:
        return None
    text = os.fsdecode(data.rstrip(b"\n"))
    if "\n" in text or "\0" in text or not os.path.isabs(text):
        return None
    path = Path(text)
    if path.name != _short_name(paths) or len(os.fsencode(path)) > MAX_SOCKET_PATH_BYTES:
        return None
    try:
        folder = os.lstat(path.parent)
    except OSError:
        return None
    private = stat.S_ISDIR(folder.st_mode) and folder.st_uid == os.geteuid() and not folder.st_mode & 0o077
    return path if private and _is_our_socket(path) else None


def _write_pointer(paths: Paths, socket_path: Path) -> None:
    """Name ``socket_path`` in the data folder, atomically (a reader sees the old file or
    the new one, never half of one). Something other than a regular file at the pointer's
    path is left alone: clients then fall back to looking where the socket may be."""
    pointer = _pointer_path(paths)
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(os.lstat(pointer).st_mode):
            return
    temporary = pointer.with_name(f".{POINTER_NAME}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.fsencode(socket_path) + b"\n")
        os.replace(temporary, pointer)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _remove_pointer(paths: Paths, socket_path: Path) -> None:
    """Remove the pointer if it still names ``socket_path`` (a newer reminder's is kept)."""
    pointer = _pointer_path(paths)
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.lstat(pointer).st_mode) and read_user_file(pointer, MAX_POINTER_BYTES) == (
            os.fsencode(socket_path) + b"\n"
        ):
            pointer.unlink()


# --- the server ---------------------------------------------------------------------------


@dataclass
class Incoming:
    """A complete, valid request; ``answer`` replies and hangs up."""

    request: Request
    connection: socket.socket

    def answer(self, reply: Reply) -> None:
        _reply_and_close(self.connection, reply)


def _reply_and_close(connection: socket.socket, reply: Reply) -> None:
    # A reply is far smaller than an empty socket buffer, so this send never blocks.
    with contextlib.suppress(OSError):
        connection.send(encode_reply(reply))
        # Closing with unread bytes would reset the connection, and the client would lose
        # the reply; so read what is already there (a bounded amount, without waiting).
        for _ in range(16):
            if not connection.recv(65536):
                break
    connection.close()


@dataclass
class _Client:
    """A connection whose request has not all arrived: the bytes so far, and the monotonic instant it is refused at."""

    deadline: float
    received: bytearray = field(default_factory=bytearray)


class CommandServer:
    """The listening socket. Only the lock holder makes one, so a socket of ours already
    at the path is stale; anything else there is left alone (UnsafePath)."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Clock | None = None,
        request_seconds: float = REQUEST_SECONDS,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.path = path
        self.clock = clock or SystemClock()
        self.request_seconds = request_seconds
        self.max_clients = max_clients
        self.refused = 0  # requests refused so far (malformed, too slow, too big, crowded out)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._bind(path)
        except BaseException:
            self.listener.close()
            raise
        self.listener.setblocking(False)
        self.listener.listen(BACKLOG)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.clients: dict[socket.socket, _Client] = {}  # oldest first
        self.watchers: set[socket.socket] = set()  # told of every change until they hang up
        self.pointer_for: Paths | None = None  # whose data folder names this socket, if any

    def _bind(self, path: Path) -> None:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            pass
        else:
            if not (stat.S_ISSOCK(info.st_mode) and info.st_uid == os.geteuid()):
                raise UnsafePath(
                    f"{path} is in the way and is not a socket the reminder left; "
                    "it is left alone: move it away and start again"
                )
            path.unlink()  # a stale socket of ours: its reminder is gone, as we hold the lock
        old_mask = os.umask(0o177)  # no moment in which others could connect
        try:
            self.listener.bind(os.fsencode(path))
        finally:
            os.umask(old_mask)
        os.chmod(path, 0o600)
        bound = os.lstat(path)
        self._identity = (bound.st_dev, bound.st_ino)

    @classmethod
    def at_home(cls, paths: Paths, environ: Mapping[str, str]) -> CommandServer:
        """Listen at the first usable place for ``paths`` (see the module's docstring)."""
        reasons = []
        for path in socket_candidates(paths, environ):
            try:
                _usable_folder(path, paths, create=True)
                server = cls(path)
            except UnsafePath as why:
                reasons.append(str(why))
            except OSError as error:
                reasons.append(f"{path}: {error.strerror or error}")
            else:
                if path.parent != paths.data_dir:
                    try:
                        _write_pointer(paths, path)
                        server.pointer_for = paths
                    except OSError:
                        pass  # clients in the reminder's own environment still find it
                return server
        if not reasons:
            reasons.append(f"the data folder's path is too long for a socket ({paths.data_dir})")
        raise UnsafePath("nowhere to put the reminder's socket: " + "; ".join(reasons))

    def wait(self, timeout: float) -> list[Incoming]:
        """Serve clients until some complete requests are in or ``timeout`` seconds pass,
        whichever comes first; no client can make this take longer."""
        deadline = self.clock.monotonic() + max(0.0, timeout)
        while True:
            now = self.clock.monotonic()
            self._expire(now)
            until = min([deadline, *(client.deadline for client in self.clients.values())])
            ready: list[Incoming] = []
            for key, _ in self.selector.select(max(0.0, until - now)):
                if key.fileobj is self.listener:
                    self._accept_waiting()
                elif key.fileobj in self.watchers:
                    self._watcher_readable(key.fileobj)
                elif isinstance(key.fileobj, socket.socket) and (incoming := self._receive(key.fileobj)):
                    ready.append(incoming)
            if ready or self.clock.monotonic() >= deadline:
                return ready

    def fileno(self) -> int:
        """Readable when the server has something to do: an event loop waits on this."""
        return self.selector.fileno()

    def next_deadline(self) -> float | None:
        """When the oldest unfinished request times out (monotonic), if any is pending."""
        return min((client.deadline for client in self.clients.values()), default=None)

    def watch(self, incoming: Incoming, reply: Reply) -> None:
        """Keep a watcher's connection: send ``reply`` now and every ``broadcast`` after."""
        connection = incoming.connection
        if len(self.watchers) >= self.max_clients or not self._send_to(connection, reply):
            connection.close()
            return
        self.watchers.add(connection)
        self.selector.register(connection, selectors.EVENT_READ)

    def broadcast(self, reply: Reply) -> None:
        """Tell every watcher; one that cannot take a line at once is dropped (it is stuck,
        and the owner never waits for a client)."""
        for connection in list(self.watchers):
            if not self._send_to(connection, reply):
                self._drop_watcher(connection)

    def tell_one(self, reply: Reply) -> bool:
        """Tell one watcher (one open app: any will do for the user); False if none took it."""
        for connection in sorted(self.watchers, key=lambda c: c.fileno()):
            if self._send_to(connection, reply):
                return True
            self._drop_watcher(connection)
        return False

    @staticmethod
    def _send_to(connection: socket.socket, reply: Reply) -> bool:
        line = encode_reply(reply)
        try:
            return connection.send(line) == len(line)
        except OSError:
            return False

    def _watcher_readable(self, connection: socket.socket) -> None:
        # A watcher only listens: anything it says, or its hanging up, ends the watch.
        self._drop_watcher(connection)

    def _drop_watcher(self, connection: socket.socket) -> None:
        self.watchers.discard(connection)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(connection)
        connection.close()

    def _accept_waiting(self) -> None:
        for _ in range(BACKLOG):  # then back to the loop, which comes again if more wait
            try:
                connection, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of file descriptors, say: the loop goes on regardless
                return
            connection.setblocking(False)
            if len(self.clients) >= self.max_clients:
                oldest = next(iter(self.clients))
                self._refuse(oldest, "too many connections at once; this one was the oldest")
            self.clients[connection] = _Client(self.clock.monotonic() + self.request_seconds)
            self.selector.register(connection, selectors.EVENT_READ)

    def _receive(self, connection: socket.socket) -> Incoming | None:
        client = self.clients.get(connection)
        if client is None:  # dropped earlier in the same round, for a newcomer
            return None
        try:
            data = connection.recv(MAX_REQUEST_BYTES + 1 - len(client.received))
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            self._drop(connection)
            return None
        if not data:
            if client.received:
                self._refuse(connection, "the request ended without its newline")
            else:
                self._drop(connection)
            return None
        client.received += data
        line, newline, rest = bytes(client.received).partition(b"\n")
        if not newline:
            if len(client.received) > MAX_REQUEST_BYTES:
                self._refuse(connection, f"the request is longer than {MAX_REQUEST_BYTES} bytes")
            return None
        if rest:
            self._refuse(connection, "one request per connection")
            return None
        try:
            request = parse_request(line)
        except ProtocolError as error:
            self._refuse(connection, str(error))
            return None
        if isinstance(request, SessionStart | SessionEnd) and not speaks_for_itself(connection, request.pid):
            self._refuse(connection, f"a client starts and ends only its own session, not process {request.pid}'s")
            return None
        self._forget(connection)
        return Incoming(request, connection)

    def _expire(self, now: float) -> None:
        late = [connection for connection, client in self.clients.items() if client.deadline <= now]
        for connection in late:
            self._refuse(connection, f"the request did not arrive within {self.request_seconds:g}s")

    def _refuse(self, connection: socket.socket, why: str) -> None:
        self.refused += 1
        self._forget(connection)
        _reply_and_close(connection, Reply.refused(why))

    def _drop(self, connection: socket.socket) -> None:
        self._forget(connection)
        connection.close()

    def _forget(self, connection: socket.socket) -> None:
        del self.clients[connection]
        self.selector.unregister(connection)

    def close(self) -> None:
        for connection in list(self.clients):
            self._drop(connection)
        for connection in list(self.watchers):
            self._drop_watcher(connection)  # their watchers learn at once that the owner went
        self.selector.close()
        self.listener.close()
        if self.pointer_for is not None:
            _remove_pointer(self.pointer_for, self.path)
        # Only our own socket: whatever replaced it since is not ours to remove.
        with contextlib.suppress(OSError):
            info = os.lstat(self.path)
            if (info.st_dev, info.st_ino) == self._identity:
                self.path.unlink()


def speaks_for_itself(connection: socket.socket, pid: int) -> bool:
    """Whether ``pid`` is the process at the other end of ``connection``: a session holds
    breaks off only for the process that runs it (and ends when it does), so a client
    cannot hold them off for ever in the name of another, such as init."""
    option = getattr(socket, "SO_PEERCRED", None)  # Linux: the kernel says who connected
    if option is not None:
        with contextlib.suppress(OSError):
            peer, _, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
            return int(peer) == pid
    # Elsewhere (no SO_PEERCRED here): the best we can check is that ``pid`` is alive and
    # ours (signal 0 to another user's process is refused); the socket is ours alone (0600),
    # and a session whose process has gone is released at the clock's next look.
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


# --- the client ---------------------------------------------------------------------------


def ask(paths: Paths, request: Request, environ: Mapping[str, str] = os.environ, timeout: float = 5.0) -> Reply | None:
    """Ask the running reminder; None when none is running. ``timeout`` bounds the whole
    exchange, so a stuck reminder cannot hang the caller."""
    for path in sockets_to_try(paths, environ):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(timeout)
            try:
                client.connect(os.fsencode(path))
            except (ConnectionRefusedError, FileNotFoundError):
                continue  # a stale socket: its reminder is gone
            except OSError as error:
                return Reply(False, f"the reminder did not answer: {error}")
            try:
                client.sendall(encode_request(request))
                line = _read_line(client, timeout)
            except OSError as error:
                return Reply(False, f"the reminder did not answer: {error}")
        try:
            return parse_reply(line)
        except ProtocolError as error:
            return Reply(False, f"the reminder gave an answer that could not be read: {error}")
    return None


def sockets_to_try(paths: Paths, environ: Mapping[str, str]) -> list[Path]:
    """The sockets of ours a client may connect to: the one the data folder's pointer
    names first (whatever this client's environment), then those the reminder would pick."""
    pointed = pointed_socket(paths)
    found = [pointed] if pointed is not None else []
    for path in socket_candidates(paths, environ):
        if path == pointed:
            continue
        try:
            _usable_folder(path, paths, create=False)
        except (UnsafePath, OSError):
            continue
        if _is_our_socket(path):
            found.append(path)
    return found


def _read_line(client: socket.socket, timeout: float) -> bytes:
    clock = SystemClock()
    deadline = clock.monotonic() + timeout
    received = bytearray()
    while b"\n" not in received and len(received) <= MAX_REPLY_BYTES:
        left = deadline - clock.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        client.settimeout(left)
        data = client.recv(MAX_REPLY_BYTES + 1 - len(received))
        if not data:
            break
        received += data
    return bytes(received).partition(b"\n")[0]
