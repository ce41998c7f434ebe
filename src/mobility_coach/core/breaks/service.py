"""The break service: one owner of the sitting-break schedule for every face.

The app and the headless reminder both host a schedule; before this module each carried
its own copy of what to do with it (which events the history keeps, which routine a
reminder offers, how an answer moves the clock), and the copies drifted. Now a face only
says who it is ("app" or "remind"), hands over a clock, an idle reading and somewhere to
keep history entries, and calls the answers below. Pure: nothing here touches a screen,
a socket or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Literal, Protocol

from mobility_coach.core.breaks.protocol import (
    AskStatus,
    Handover,
    MovedAlready,
    Movement,
    Pause,
    PauseUntilTomorrow,
    Reply,
    Request,
    Resume,
    SessionEnd,
    SessionStart,
    Skip,
    Snooze,
    StartRoutine,
    Stop,
    Watch,
)
from mobility_coach.core.breaks.schedule import (
    DEFAULT_REMINDERS,
    BreakStatus,
    Event,
    HoldReading,
    Phase,
    ReminderSettings,
    Schedule,
)
from mobility_coach.core.breaks.snapshot import ClockSnapshot
from mobility_coach.core.clock import Clock

if TYPE_CHECKING:  # the history and the routines are loaded when a break needs them, not before
    from mobility_coach.core.history.store import BreakKind
    from mobility_coach.core.routines.model import Routine

Source = Literal["app", "remind"]  # who kept a history entry: its ``source`` column
# The detail of a break taken on the user's word ("I already moved"), not by a session.
ON_YOUR_WORD = "your word"
IdleReading = Callable[[], float | None]  # seconds since the last input, None if unknown


class BreakLog(Protocol):
    """Where break entries are kept (the history store)."""

    def record_break(self, kind: BreakKind, source: str, at: float, detail: str = "") -> None: ...


@dataclass(frozen=True)
class BreakEntry:
    """A schedule event as the history keeps it, stamped with the injected clock's wall time."""

    kind: BreakKind
    source: Source
    at: float
    detail: str = ""

    def write(self, log: BreakLog) -> None:
        log.record_break(self.kind, self.source, at=self.at, detail=self.detail)


BreakSink = Callable[[BreakEntry], None]


def _keep_nothing(entry: BreakEntry) -> None:
    del entry


def history_entry(event: Event, source: Source) -> BreakEntry | None:
    """The history's entry for a schedule event, or None for events it does not keep."""
    from mobility_coach.core.history.store import break_kind

    kind = break_kind(event.kind, event.detail)
    return BreakEntry(kind, source, event.wall, event.detail) if kind is not None else None


@dataclass(frozen=True)
class Suggestion:
    """The routine a due break offers. ``routine_id`` None: there is none to offer."""

    routine_id: str | None
    name: str | None
    problem: str | None = None  # why it is not the configured one, for the user


def suggest_routine(routines: Mapping[str, Routine], wanted: str) -> Suggestion:
    """The one rule, for every face: the configured routine if it exists, else the
    default one, saying why."""
    from mobility_coach.core.spec import suggest

    found = routines.get(wanted)
    if found is not None:
        return Suggestion(wanted, found.name)
    missing = f"the suggested routine {wanted!r} does not exist{suggest(wanted, sorted(routines))}"
    fallback_id = DEFAULT_REMINDERS.suggested_routine
    fallback = routines.get(fallback_id)
    if fallback is None:
        return Suggestion(None, None, f"{missing}, nor does the default {fallback_id!r}")
    return Suggestion(fallback_id, fallback.name, f"{missing}; reminders offer {fallback_id!r}, the default")


def remote_describe(reply: Reply, elapsed: float) -> str:
    """What a running reminder's status reply says ``elapsed`` monotonic seconds after it
    arrived: its countdown runs on between polls, everything else is as it said."""
    if reply.phase in (Phase.COUNTING, Phase.SNOOZED) and reply.seconds_left is not None:
        left = max(0.0, reply.seconds_left - elapsed)
        return BreakStatus(reply.phase, left, None, None).describe()
    return reply.message


class BreakService:
    """The schedule, the history entries its events make, and the answers a face gives."""

    def __init__(
        self,
        settings: ReminderSettings,
        clock: Clock,
        idle: IdleReading,
        source: Source,
        record: BreakSink = _keep_nothing,
        tz: tzinfo | None = None,
        holds: HoldReading | None = None,
    ) -> None:
        """``holds``: what holds a due break now (a meeting), asked only when one falls due
        and while it is held; None: nothing ever holds one."""
        self.schedule = Schedule(settings, clock, tz)
        self.idle = idle
        self.holds = holds
        self.source: Source = source
        self.record = record

    @property
    def settings(self) -> ReminderSettings:
        return self.schedule.settings

    @property
    def phase(self) -> Phase:
        return self.schedule.phase

    def _keep(self, event: Event) -> Event:
        entry = history_entry(event, self.source)
        if entry is not None:
            self.record(entry)
        return event

    # --- time passing ----------------------------------------------------------------

    def tick(self, keep: bool = True) -> list[Event]:
        """Catch up with the clock and the idle reading; keep what happened in the history
        (unless ``keep`` is False: another process owns the reminding and records it)."""
        events = self.schedule.update(self.idle(), self.holds)
        if keep:
            for event in events:
                self._keep(event)
        return events

    def status(self) -> BreakStatus:
        return self.schedule.status()

    def describe(self) -> str:
        return self.schedule.status().describe()

    def next_wake(self) -> float:
        return self.schedule.next_wake()

    def reconfigure(self, settings: ReminderSettings) -> None:
        """The settings file changed: the clock carries on under the new settings."""
        self.schedule.reconfigure(settings)

    def snapshot(self) -> ClockSnapshot:
        return self.schedule.snapshot()

    def restore(self, saved: ClockSnapshot, in_session: bool = False) -> list[Event]:
        """Carry on from a saved clock; what happened meanwhile (a sleep that was a break)
        is kept in the history like any event."""
        return [self._keep(event) for event in self.schedule.restore(saved, in_session)]

    def suggestion(self, routines: Mapping[str, Routine]) -> Suggestion:
        return suggest_routine(routines, self.settings.suggested_routine)

    # --- the answers -------------------------------------------------------------------

    def snooze(self, seconds: float | None = None) -> Event:
        return self._keep(self.schedule.snooze(seconds))

    def skip(self) -> Event:
        return self._keep(self.schedule.skip())

    def pause(self, seconds: float | None = None) -> Event:
        return self._keep(self.schedule.pause(seconds))

    def pause_until_tomorrow(self) -> Event:
        return self._keep(self.schedule.pause_until_tomorrow())

    def resume(self) -> Event:
        return self._keep(self.schedule.resume())

    def movement_done(self) -> Event:
        return self._keep(self.schedule.movement_done())

    def moved_already(self) -> Event:
        """The user says they moved already: a break taken, marked as on their word."""
        return self._keep(self.schedule.movement_done(ON_YOUR_WORD))

    def session_started(self) -> Event:
        return self._keep(self.schedule.session_started())

    def session_ended(self, moved: bool) -> Event | None:
        """A session ended; ``moved`` says whether it was a break (core.session.movement).
        Only a break is kept, as "taken"."""
        event = self.schedule.session_ended(moved)
        return self._keep(event) if event is not None else None

    def answer(self, request: Request) -> Event | None:
        """Apply a reminder request (from the socket); None for those that change nothing."""
        match request:
            case Snooze(seconds):
                return self.snooze(seconds)
            case Skip():
                return self.skip()
            case PauseUntilTomorrow():
                return self.pause_until_tomorrow()
            case Pause(seconds):
                return self.pause(seconds)
            case Resume():
                return self.resume()
            case Movement():
                return self.movement_done()
            case MovedAlready():
                return self.moved_already()
            case AskStatus() | Stop() | Watch() | Handover() | SessionStart() | SessionEnd() | StartRoutine():
                return None  # the clock's host, or its face, answers these (core.breaks.host)
