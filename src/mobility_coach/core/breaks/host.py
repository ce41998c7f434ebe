"""The break clock as its one owner runs it: the headless reminder when it runs, else the
first app (issue 10). Whoever hosts it, this decides; the faces only carry requests to it
and its status to the screen.

The host keeps the clock's state in the store at every change (never on a plain tick, so
an idle clock writes nothing), so the next owner, after a hand-over, a quit, a crash or a
reboot, carries on from it. Sessions are counted per process: a routine running in any
app holds reminders off, and one whose process died without saying so (a killed app)
ends as not a break. Pure but for the store, which is a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.breaks.phase import Phase
from mobility_coach.core.breaks.protocol import Reply, Request, SessionEnd, SessionStart
from mobility_coach.core.breaks.schedule import Event
from mobility_coach.core.breaks.service import BreakService

Alive = Callable[[int], bool]  # whether a process still runs


def _everyone_alive(pid: int) -> bool:
    del pid
    return True


@dataclass(frozen=True)
class Opened:
    """What starting the host found: ``events`` to announce (a break that fell due while
    nothing ran), and whether a break was already due (the question is asked again)."""

    events: list[Event]
    due_again: bool


class ClockHost:
    def __init__(
        self,
        service: BreakService,
        store: ClockStore | None,
        pid: int,
        alive: Alive = _everyone_alive,
    ) -> None:
        self.service = service
        self.store = store
        self.pid = pid
        self.alive = alive
        self.sessions: set[int] = set()  # processes with a routine running
        self._moved_meanwhile = False  # a session that ended while another ran was a break
        self._saved: tuple[object, ...] | None = None
        self._sent: tuple[object, ...] | None = None
        self._now: tuple[object, ...] | None = None  # the state as the last save() read it
        self.problem: str | None = None  # why the clock could not be kept, for the user

    # --- starting and stopping ------------------------------------------------------

    def open(self) -> Opened:
        """Carry on from the saved clock, if there is one."""
        saved = self.store.load() if self.store is not None else None
        if self.store is not None and self.store.problem:
            self.problem = self.store.problem
        events: list[Event] = []
        if saved is not None:
            # A routine still running in another window keeps holding reminders off.
            self.sessions = {pid for pid in saved.sessions if self.alive(pid)}
            events = self.service.restore(saved, in_session=bool(self.sessions))
        due_again = self.service.phase is Phase.DUE
        events += self.service.tick()
        self.save()
        return Opened(events, due_again and not any(event.kind == "due" for event in events))

    def save(self) -> None:
        """Keep the clock in the store if it changed since it was last kept. Every change
        ends here, so this is also where the clock's state is read once per change."""
        key = self._now = self._key()
        if self.store is None or key == self._saved:
            return
        try:
            self.store.save(replace(self.service.snapshot(), sessions=tuple(sorted(self.sessions))))
        except OSError as error:
            self.problem = f"the break clock could not be saved to {self.store.path}: {error.strerror or error}"
            return
        self._saved = key
        self.problem = None

    def _key(self) -> tuple[object, ...]:
        return (*self.service.schedule.state(), tuple(sorted(self.sessions)))

    # --- running --------------------------------------------------------------------

    def tick(self) -> list[Event]:
        """Catch up with the clock; a session whose process has gone ends, not a break."""
        events = self._end_gone_sessions()
        events += self.service.tick()
        self.save()
        return events

    def _end_gone_sessions(self) -> list[Event]:
        return [e for pid in sorted(self.sessions) if not self.alive(pid) for e in self._end(pid, moved=False)]

    def handle(self, request: Request) -> tuple[Reply, list[Event]]:
        """Apply an answer (from this process or a client) and say where the clock stands
        (a session whose process has gone holding nothing off any more)."""
        events = self._end_gone_sessions()
        match request:
            case SessionStart(pid):
                events.append(self._start(pid))
            case SessionEnd(pid, moved):
                events += self._end(pid, moved)
            case _:
                answered = self.service.answer(request)
                events += [answered] if answered is not None else []
        events += self.service.tick()  # what the answer set off (a resume outside working hours...)
        self.save()
        return self.reply(), events

    def _start(self, pid: int) -> Event:
        if not self.sessions:
            self._moved_meanwhile = False
        self.sessions.add(pid)
        return self.service.session_started()

    def _end(self, pid: int, moved: bool) -> list[Event]:
        if pid not in self.sessions:
            # It began under another owner: its movement still counts.
            return [self.service.movement_done()] if moved else []
        self.sessions.discard(pid)
        if self.sessions:
            # Another routine still runs and holds reminders off; this one's movement is
            # kept now and restarts the hour when the last one ends.
            self._moved_meanwhile = self._moved_meanwhile or moved
            return [self.service.movement_done()] if moved else []
        if moved or not self._moved_meanwhile:
            ended = self.service.session_ended(moved)
            return [ended] if ended is not None else []
        self.service.schedule.session_ended(True)  # its break was kept when that session ended
        return []

    # --- telling -----------------------------------------------------------------------

    def reply(self, ok: bool = True) -> Reply:
        status = self.service.status()
        return Reply(
            ok=ok,
            message=status.describe(),
            phase=status.phase,
            seconds_left=status.seconds_left,
            pid=self.pid,
            owner=self.service.source,
            due_since=status.due_since,
            held=status.held,
        )

    def changed(self) -> bool:
        """Whether the status moved since this was last asked (not the countdown running
        down, which every watcher works out for itself): time to tell the watchers."""
        if self._now == self._sent:
            return False
        self._sent = self._now
        return True
