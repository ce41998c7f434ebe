"""An app's way to the one break clock (issue 10): it owns the clock, or it is a client of
whoever does, and it moves between the two without the app noticing.

- **Owner**: it holds ``clock.lock``, runs a ``ClockHost`` (restored from the saved
  clock) and serves the socket on the app's event loop, where watchers (other apps) get
  every change and clients (`mobility-coach remind ...`, other apps) send answers.
- **Client**: another process owns the clock (the headless reminder, or an app started
  earlier); this one watches it and sends it the user's answers.

When the owner goes (it quits, crashes, or `remind stop`), the watch ends and a client
takes the lock at once and carries on from the saved clock. When a reminder starts, it
asks the owning app to hand over: the app saves the clock, lets go, and watches the
reminder instead. No Textual here: the app gives two callbacks, and tests drive links on
a plain event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from typing import Literal

from mobility_coach.adapters.clock_watch import Watching, ask_async
from mobility_coach.adapters.owner_lock import CLOCK_LOCK_NAME, REMIND_LOCK_NAME, OwnerLock
from mobility_coach.adapters.remind_socket import CommandServer, UnsafePath
from mobility_coach.core.breaks.host import ClockHost
from mobility_coach.core.breaks.phase import Phase
from mobility_coach.core.breaks.protocol import Handover, Reply, Request, Stop, Watch
from mobility_coach.core.breaks.schedule import ReminderSettings
from mobility_coach.core.breaks.service import remote_describe
from mobility_coach.core.clock import Clock
from mobility_coach.core.paths import Paths

RETRY_SECONDS = 0.2  # between attempts to find the owner while it changes hands
MAX_RETRY_SECONDS = 5.0  # ...growing to this while nobody answers
SEND_SECONDS = 2.0  # how long a closing app waits for its last answers to arrive
YIELD_SECONDS = 10.0  # after a hand-over, how long the new owner has to take the lock

Mode = Literal["owner", "client", "searching"]
StatusListener = Callable[[Reply], None]


class ClockLink:
    def __init__(
        self,
        *,
        paths: Paths | None,
        environ: Mapping[str, str],
        make_host: Callable[[], ClockHost],
        clock: Clock,
        on_status: StatusListener,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        """``paths`` None: this app is alone with its clock (no lock, no socket), as in tests."""
        self.paths = paths
        self.environ = environ
        self.make_host = make_host
        self.clock = clock
        self.on_status = on_status
        self.retry_seconds = retry_seconds
        self.lock = OwnerLock(paths.data_dir / CLOCK_LOCK_NAME) if paths is not None else None
        self.reminder_lock = OwnerLock(paths.data_dir / REMIND_LOCK_NAME) if paths is not None else None
        self.host: ClockHost | None = None
        self.server: CommandServer | None = None
        self.mode: Mode = "searching"
        self._remote: tuple[Reply, float] | None = None  # the owner's last word, and when (monotonic)
        self._follow: asyncio.Task[None] | None = None
        self._expiry: asyncio.TimerHandle | None = None
        self._yield_until = 0.0
        self._closed = False
        self._sending: set[asyncio.Task[None]] = set()
        self.problem: str | None = None

    # --- what the app reads -------------------------------------------------------------

    def reply(self) -> Reply | None:
        """Where the clock stands (None while the owner is being found)."""
        if self.host is not None:
            return self.host.reply()
        return self._remote[0] if self._remote is not None else None

    def describe(self) -> str:
        if self.host is not None:
            return self.host.service.describe()
        if self._remote is None:
            return "finding the break clock"
        reply, received = self._remote
        return remote_describe(reply, self.clock.monotonic() - received)

    @property
    def owner(self) -> str | None:
        if self.host is not None:  # as its reply would say, without making one (each second)
            return self.host.service.source
        reply = self.reply()
        return reply.owner if reply is not None else None

    @property
    def phase(self) -> Phase | None:
        reply = self.reply()
        return reply.phase if reply is not None else None

    # --- starting and stopping ----------------------------------------------------------

    async def start(self) -> None:
        if self.lock is None:
            self._become_owner(serve=False)
            return
        try:
            if self._may_own() and self.lock.try_acquire():
                self._become_owner(serve=True)
                return
        except UnsafePath as why:
            self.problem = str(why)
            self._become_owner(serve=False)
            return
        self._follow = asyncio.create_task(self._follow_owner())

    async def close(self) -> None:
        """Save the clock and let go (the next owner carries on), or stop watching."""
        self._closed = True
        if self._sending:
            # The last answers (a session's end as the app quits) still reach the owner.
            await asyncio.wait(self._sending, timeout=SEND_SECONDS)
        if self._follow is not None:
            self._follow.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follow
        self._let_go()

    def _let_go(self) -> None:
        if self.host is not None:
            self.host.save()
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        if self.server is not None:
            with contextlib.suppress(ValueError, RuntimeError):
                asyncio.get_running_loop().remove_reader(self.server.fileno())
            self.server.close()  # the watchers learn at once that this owner has gone
            self.server = None
        if self.lock is not None:
            self.lock.release()
        self.host = None

    def _may_own(self) -> bool:
        """An app owns the clock only while no headless reminder runs or is starting: the
        reminder takes the lock of its own first, then the clock (asking us to hand it over)."""
        return self.reminder_lock is None or not self.reminder_lock.taken_elsewhere()

    # --- as the owner ---------------------------------------------------------------------

    def _become_owner(self, serve: bool) -> None:
        host = self.make_host()
        host.open()  # the app asks a due break from the status, not from these events
        self.host, self.mode, self._remote = host, "owner", None
        if host.problem:
            self.problem = host.problem
        if serve and self.paths is not None:
            try:
                self.server = CommandServer.at_home(self.paths, self.environ)
            except (UnsafePath, OSError) as why:
                # Still the owner (it holds the lock); only other processes cannot reach it.
                self.problem = f"other windows cannot reach this one's break clock: {why}"
            else:
                asyncio.get_running_loop().add_reader(self.server.fileno(), self._serve)
        host.changed()
        self.on_status(host.reply())

    def reconfigure(self, settings: ReminderSettings) -> None:
        """The settings file changed. Only the keeper's settings rule the clock: a client
        leaves it to its owner, which watches the same file."""
        if self.host is not None:
            self.host.service.reconfigure(settings)
            self.host.save()
            self._tell_if_changed()

    def tick(self) -> None:
        """Catch up with the clock (the owner's part; a client's owner ticks for it)."""
        if self.host is None:
            return
        self.host.tick()  # what happened is kept in the history by the host's service
        self._tell_if_changed()

    def _tell_if_changed(self) -> None:
        if self.host is not None and self.host.changed():
            reply = self.host.reply()
            if self.server is not None:
                self.server.broadcast(reply)
            self.on_status(reply)

    def _serve(self) -> None:
        server, host = self.server, self.host
        if server is None or host is None:
            return
        for incoming in server.wait(0):
            request = incoming.request
            if isinstance(request, Watch):
                server.watch(incoming, host.reply())
            elif isinstance(request, Handover):
                host.save()
                incoming.answer(host.reply())
                self._hand_over()
                return
            elif isinstance(request, Stop):
                incoming.answer(
                    Reply.refused(
                        f"the break clock is kept by the app (pid {host.pid}), not a headless reminder; "
                        "quit the app to stop it"
                    )
                )
            else:
                incoming.answer(host.handle(request)[0])
        self._tell_if_changed()
        self._expire_later()

    def _expire_later(self) -> None:
        """A client that sent half a request is timed out even if nothing else happens."""
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        deadline = self.server.next_deadline() if self.server is not None else None
        if deadline is not None:
            delay = max(0.0, deadline - self.server.clock.monotonic()) + 0.01  # type: ignore[union-attr]
            self._expiry = asyncio.get_running_loop().call_later(delay, self._serve)

    def _hand_over(self) -> None:
        """A reminder takes the clock: let go, and watch it instead."""
        self._let_go()
        self.mode = "searching"
        self._yield_until = self.clock.monotonic() + YIELD_SECONDS
        self._follow = asyncio.create_task(self._follow_owner())

    # --- as a client ------------------------------------------------------------------------

    async def _follow_owner(self) -> None:
        """Watch the owner while there is one; when it goes, take the clock or find the next."""
        assert self.paths is not None and self.lock is not None
        delay = self.retry_seconds
        while not self._closed:
            try:
                if self.clock.monotonic() >= self._yield_until and self._may_own() and self.lock.try_acquire():
                    self._follow = None
                    self._become_owner(serve=True)
                    return
                watching = await Watching.open(self.paths, self.environ)
            except (UnsafePath, OSError) as why:
                self.problem, watching = str(why), None
            if watching is None:
                # Someone holds the clock but does not answer yet (starting, or handing
                # over): look again soon, then less and less often.
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)
                continue
            self._yield_until, delay = 0.0, self.retry_seconds
            try:
                self.mode = "client"
                reply: Reply | None = watching.first
                while reply is not None:
                    self._remote = (reply, self.clock.monotonic())
                    self.on_status(reply)
                    reply = await watching.next()
            finally:
                watching.close()
            self.mode, self._remote = "searching", None

    # --- the user's answers -------------------------------------------------------------------

    def send(self, request: Request) -> None:
        """An answer from this app: applied here if this app owns the clock, else sent to
        the owner (whose new status comes back through the watch)."""
        if self.host is not None:
            self.host.handle(request)
            self._tell_if_changed()
            return
        if self.paths is not None:
            task = asyncio.get_running_loop().create_task(self._send(request))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, request: Request) -> None:
        assert self.paths is not None
        reply = await ask_async(self.paths, request, self.environ)
        if reply is None or not reply.ok:
            # The owner went between the watch and the answer: the next owner gets it.
            for _ in range(int(YIELD_SECONDS / max(self.retry_seconds, 0.01))):
                await asyncio.sleep(self.retry_seconds)
                if self.host is not None:
                    self.send(request)
                    return
                reply = await ask_async(self.paths, request, self.environ)
                if reply is not None and reply.ok:
                    return
