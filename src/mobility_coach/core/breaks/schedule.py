"""When a sitting break is due. Pure: the clock, the idle reading and the time zone are
given to it, so every case (sleep, clock jumps, working hours) is tested by hand.

The interval to the next break is a deadline on the monotonic clock. That clock stands
still while the machine sleeps, so a short suspend resumes the interval where it was, by
construction. A long one is noticed as boot time running ahead of the monotonic clock;
if it lasted at least a break's length it *was* a break, and the next interval starts on
return. Either way nothing fires in a burst: a due break fires once, and then the
schedule waits in DUE for an answer (start, snooze or skip) or for a natural break.

The wall clock is used only to tell the time of day: working hours, and pauses "until
tomorrow". A wall clock that jumps cannot move a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal

from mobility_coach.core.breaks.mini import (
    DEFAULT_MINI_EVERY,
    DEFAULT_MINI_LENGTH,
    MINI_CLEARANCE,
    MINI_IDLE,
    mini_line,
    mini_move,
)
from mobility_coach.core.breaks.phase import Phase as Phase  # re-exported: the phase is read with the schedule
from mobility_coach.core.breaks.snapshot import ClockSnapshot
from mobility_coach.core.breaks.workhours import WorkingHours
from mobility_coach.core.clock import Clock
from mobility_coach.core.durations import format_clock

MAX_WAKE = 60.0  # a waiting reminder looks at least this often for sleep and idle
MAX_POSTPONE = 24 * 3600.0  # the furthest snoozes may push a break, however many there are
# While a due break is held (a meeting), whether the hold still lasts is looked at this
# often: slow, since each look may start a process, and a break minutes late costs nothing.
HOLD_RECHECK = 30.0
# After a hold ends, the break waits this long before it is offered: a call that ends
# is often followed by another, and the user needs a moment to hang up.
HOLD_GRACE = 60.0

# What may hold a due break, as the ``holds`` setting names them (the detectors are adapters).
HOLD_NAMES = ("microphone", "camera", "do-not-disturb", "full-screen")

HoldReading = Callable[[], str | None]
"""Why a due break must wait now ("microphone in use"), None if nothing holds it. Called
only when a break falls due and, while it is held, every HOLD_RECHECK: never while the
clock merely counts, so an idle reminder starts no detector."""


# Phases in which the user is at the desk as far as the schedule knows (or just left it).
_ATTENDING = (Phase.COUNTING, Phase.DUE, Phase.HELD, Phase.SNOOZED, Phase.AWAY)

# "session_started" is not kept: only the end of a session says whether it was a break.
# "mini": a mini break began (its detail: the movement's id).
EventKind = Literal[
    "due", "held", "natural_break", "snoozed", "skipped", "paused", "resumed", "taken", "session_started", "mini"
]


@dataclass(frozen=True)
class Event:
    """What the break schedule did or saw, and when; the history keeps some kinds (``service.history_entry``)."""

    kind: EventKind
    wall: float  # when, as a POSIX timestamp
    detail: str = ""  # natural_break: "sleep" or "idle"; snoozed/paused: for how long; held: why


@dataclass(frozen=True)
class ReminderSettings:
    """The reminder settings. Their defaults are stated here only: the settings file's
    fields and its starter text take theirs from ``DEFAULT_REMINDERS``."""

    every: float = 3600.0
    snooze: float = 600.0
    break_length: float = 300.0
    working_hours: WorkingHours | None = None
    suggested_routine: str = "desk-break"
    holds: tuple[str, ...] = HOLD_NAMES  # what holds a due break (each where it can be read)
    mini_every: float | None = DEFAULT_MINI_EVERY  # a mini break after this much sitting; None: none
    mini_length: float = DEFAULT_MINI_LENGTH  # how long a mini break's line (and notification) stays

    @property
    def mini_idle(self) -> float:
        """Idle this long counts as a mini break already had (see core.breaks.mini)."""
        return max(MINI_IDLE, self.mini_length)


DEFAULT_REMINDERS = ReminderSettings()


@dataclass(frozen=True)
class BreakStatus:
    """Where the break schedule stands (not to be confused with a session player's state)."""

    phase: Phase
    seconds_left: float | None  # until the break is due, while counting or snoozed
    paused_until: float | None  # wall time; None with PAUSED means until resumed
    next_working_start: float | None  # wall time, while outside working hours
    tz: tzinfo | None = None  # the zone the times above are told in (None: system local)
    wall: float | None = None  # when this status was taken: times a day or more away get their date
    due_since: float | None = None  # wall time the break came due, while it is due
    held: str | None = None  # why a due break waits, while it is held ("microphone in use")
    mini: str | None = None  # what the mini break on now asks ("look at something 6 m away")
    mini_left: float | None = None
    """Seconds until the mini break on now ends; else until the next one falls due (None:
    mini breaks are off, or the clock is not counting)."""

    def _when(self, moment: float) -> str:
        shown = datetime.fromtimestamp(moment, self.tz)
        if self.wall is not None and moment - self.wall >= 24 * 3600:
            return f"{shown:%a %d %b %H:%M}"
        return f"{shown:%a %H:%M}"

    def describe(self) -> str:
        """One line for a status bar or ``remind status``."""
        if self.mini is not None and self.mini_left is not None:
            return mini_line(self.mini, self.mini_left)
        if self.phase in (Phase.COUNTING, Phase.SNOOZED) and self.seconds_left is not None:
            snoozed = " (snoozed)" if self.phase is Phase.SNOOZED else ""
            return f"next break in {format_clock(self.seconds_left)}{snoozed}"
        if self.phase is Phase.DUE:
            return "break due now"
        if self.phase is Phase.HELD:
            return f"held: {self.held or 'a meeting'}"
        if self.phase is Phase.PAUSED:
            if self.paused_until is None:
                return "reminders paused"
            return f"reminders paused until {self._when(self.paused_until)}"
        if self.phase is Phase.OFF_HOURS:
            if self.next_working_start is None:
                return "outside working hours"
            return f"outside working hours (back {self._when(self.next_working_start)})"
        if self.phase is Phase.AWAY:
            return "away: taking a break"
        return "in a session"


class Schedule:
    def __init__(self, settings: ReminderSettings, clock: Clock, tz: tzinfo | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.tz = tz
        self._seen = (clock.monotonic(), clock.boottime())
        self._deadline = 0.0
        self._interval_start = self._seen[0]  # when the sitting being counted began
        self._postponed = 0.0  # how far snoozes before the break was due pushed it
        self._paused_until: float | None = None
        self.due_since: float | None = None  # wall time of the last "due": which question is open
        self.phase = Phase.OFF_HOURS
        self._before_session = Phase.OFF_HOURS  # where a session quit too early leaves the clock
        self.held: str | None = None  # why the due break waits, while HELD
        self._hold_check_at = 0.0  # monotonic: when HELD next asks whether the hold lasts
        self._hold_ended_at: float | None = None  # monotonic: when the hold was first seen gone
        # Mini breaks: monotonic like the hourly one, so a short sleep leaves them be.
        self._mini_start = self._seen[0]  # when the sitting toward the next mini break began
        self._mini_until: float | None = None  # while one is on: when it ends
        self._mini_turn = 0  # mini breaks so far: which movement comes next
        self._mini_away = False  # idle past mini_idle: the mini interval starts again on return
        if self._working():
            self._start_interval()

    # --- reading -------------------------------------------------------------------

    def _local(self, wall: float) -> datetime:
        return datetime.fromtimestamp(wall, self.tz)

    def _working(self) -> bool:
        hours = self.settings.working_hours
        return hours is None or hours.is_working(self._local(self.clock.wall()))

    def seconds_left(self) -> float | None:
        if self.phase in (Phase.COUNTING, Phase.SNOOZED):
            return max(0.0, self._deadline - self.clock.monotonic())
        return 0.0 if self.phase is Phase.DUE else None

    def status(self) -> BreakStatus:
        next_start = None
        hours = self.settings.working_hours
        if self.phase is Phase.OFF_HOURS and hours is not None:
            start = hours.next_start(self._local(self.clock.wall()))
            next_start = start.timestamp() if start else None
        due_since = self.due_since if self.phase is Phase.DUE else None
        held = self.held if self.phase is Phase.HELD else None
        mini, mini_left = self._mini_status()
        return BreakStatus(
            self.phase,
            self.seconds_left(),
            self._paused_until,
            next_start,
            self.tz,
            self.clock.wall(),
            due_since,
            held,
            mini,
            mini_left,
        )

    def _mini_deadline(self) -> float | None:
        """When the next mini break falls due (monotonic), while one can: the clock
        counting toward the hourly break and mini breaks on."""
        every = self.settings.mini_every
        if every is None or self.phase not in (Phase.COUNTING, Phase.SNOOZED):
            return None
        return self._mini_start + every

    def _mini_status(self) -> tuple[str | None, float | None]:
        now = self.clock.monotonic()
        if self._mini_until is not None and self.phase in (Phase.COUNTING, Phase.SNOOZED):
            return mini_move(self._mini_turn - 1).line, max(0.0, self._mini_until - now)
        deadline = self._mini_deadline()
        return None, None if deadline is None else max(0.0, deadline - now)

    def deadlines(self) -> tuple[float | None, float | None]:
        """When the schedule next changes of itself (besides sleep and idle time): a
        monotonic instant (the break falling due, a hold's next look) and a wall-clock one
        (a pause ending, working hours beginning or ending); None where there is none."""
        mono = None
        if self.phase in (Phase.COUNTING, Phase.SNOOZED):
            mini = self._mini_until if self._mini_until is not None else self._mini_deadline()
            if mini is not None and mini <= self.clock.monotonic():
                mini = None  # passed while the user was away: their return is seen in idle time
            mono = self._deadline if mini is None else min(self._deadline, mini)
        elif self.phase is Phase.HELD:
            mono = self._hold_check_at
        now_wall = self.clock.wall()
        wall = None
        if self.phase is Phase.PAUSED and self._paused_until is not None:
            wall = self._paused_until
        hours = self.settings.working_hours
        if hours is not None:
            change = hours.next_change(self._local(now_wall))
            if change is not None:
                wall = change.timestamp() if wall is None else min(wall, change.timestamp())
        return mono, wall

    def next_wake(self) -> float:
        """Seconds until something may change, never more than MAX_WAKE: a waiting
        reminder sleeps this long (and is woken early by a command)."""
        wake = MAX_WAKE
        mono, wall = self.deadlines()
        if mono is not None:
            wake = min(wake, mono - self.clock.monotonic())
        if wall is not None:
            wake = min(wake, wall - self.clock.wall())
        return max(0.0, wake)

    # --- moving with time ------------------------------------------------------------

    def _start_interval(self) -> None:
        self.phase = Phase.COUNTING
        self._interval_start = self.clock.monotonic()
        self._postponed = 0.0
        self._deadline = self._interval_start + self.settings.every
        self._mini_start = self._interval_start  # a break was had: the mini breaks start over too
        self._mini_until = None

    def _start_interval_if_working(self) -> None:
        """After a pause or a session: a fresh interval, or off hours until they begin."""
        self.phase = Phase.OFF_HOURS
        if self._working():
            self._start_interval()

    def update(self, idle_seconds: float | None = None, holds: HoldReading | None = None) -> list[Event]:
        """Catch up with the clock (and the user's idle time, if known); return what happened.
        ``holds`` says whether a meeting holds a due break; it is asked only when needed."""
        now, boot, wall = self.clock.monotonic(), self.clock.boottime(), self.clock.wall()
        seen_mono, seen_boot = self._seen
        self._seen = (now, boot)
        events: list[Event] = []
        counting = (Phase.COUNTING, Phase.DUE, Phase.HELD, Phase.SNOOZED)

        asleep = (boot - seen_boot) - (now - seen_mono)
        if asleep >= self.settings.break_length and self.phase in counting:
            events.append(Event("natural_break", wall, "sleep"))
            self._start_interval()
        # A shorter sleep needs nothing: the monotonic deadline stood still with it. And a
        # sleep while already AWAY is the same break: the return is seen in idle time.

        if idle_seconds is not None:
            if idle_seconds >= self.settings.break_length and self.phase in counting:
                self.phase = Phase.AWAY
                events.append(Event("natural_break", wall, "idle"))
            elif idle_seconds < self.settings.break_length and self.phase is Phase.AWAY:
                self._start_interval()  # back at the desk: the next interval starts now

        if self.phase is Phase.PAUSED and self._paused_until is not None and wall >= self._paused_until:
            self._paused_until = None
            events.append(Event("resumed", wall))
            self.phase = Phase.OFF_HOURS  # settled just below

        working = self._working()
        if not working and self.phase in _ATTENDING:
            self.phase = Phase.OFF_HOURS
        elif working and self.phase is Phase.OFF_HOURS:
            self._start_interval()  # the first interval of a working period starts with it

        if self.phase in (Phase.COUNTING, Phase.SNOOZED) and now >= self._deadline:
            reason = holds() if holds is not None else None
            if reason is None:
                self._fall_due(wall, events)
            else:
                self._hold(reason, now, wall, events)
        elif self.phase is Phase.HELD and now >= self._hold_check_at:
            self._recheck_hold(holds, now, wall, events)
        self._update_mini(now, wall, asleep, idle_seconds, holds, events)
        return events

    def _update_mini(
        self,
        now: float,
        wall: float,
        asleep: float,
        idle_seconds: float | None,
        holds: HoldReading | None,
        events: list[Event],
    ) -> None:
        """End the mini break on now when its time is up (or the clock stopped counting),
        or start one when it falls due and nothing stands in its way."""
        # Away from the screen (idle, or the machine asleep) long enough: that was one.
        away = idle_seconds is not None and idle_seconds >= self.settings.mini_idle
        back = not away and (self._mini_away or asleep >= self.settings.mini_idle)
        self._mini_away = away
        if back:
            self._mini_start = now  # the mini interval starts again on the return
        if self._mini_until is not None:
            over = now >= self._mini_until or away or back or self.settings.mini_every is None
            if over or self.phase not in (Phase.COUNTING, Phase.SNOOZED):
                self._mini_until = None
            return
        if away or back:
            return
        deadline = self._mini_deadline()
        if deadline is None or now < deadline:
            return
        # The hourly break near (or due) comes instead; a meeting lets it pass unannounced.
        if self._deadline - now < MINI_CLEARANCE or (holds is not None and holds() is not None):
            self._mini_start = now
            return
        self._mini_until = now + self.settings.mini_length
        self._mini_start = self._mini_until  # the next interval counts from its end
        events.append(Event("mini", wall, mini_move(self._mini_turn).id))
        self._mini_turn += 1

    def _fall_due(self, wall: float, events: list[Event]) -> None:
        self.phase = Phase.DUE
        self.due_since = wall
        self.held = None
        events.append(Event("due", wall))

    def _hold(self, reason: str, now: float, wall: float, events: list[Event]) -> None:
        if self.phase is not Phase.HELD or reason != self.held:
            events.append(Event("held", wall, reason))
        self.phase = Phase.HELD
        self.held = reason
        self._hold_ended_at = None
        self._hold_check_at = now + HOLD_RECHECK

    def _recheck_hold(self, holds: HoldReading | None, now: float, wall: float, events: list[Event]) -> None:
        """Still held, or the hold is over: then the break is offered once, after HOLD_GRACE
        without a hold (and a hold that comes back in the grace starts it over)."""
        reason = holds() if holds is not None else None
        if reason is not None:
            self._hold(reason, now, wall, events)
        elif self._hold_ended_at is None:
            self._hold_ended_at = now
            self._hold_check_at = now + HOLD_GRACE
        elif now >= self._hold_ended_at + HOLD_GRACE:
            self._fall_due(wall, events)
        else:
            self._hold_check_at = self._hold_ended_at + HOLD_GRACE

    # --- what the user says ----------------------------------------------------------

    def snooze(self, seconds: float | None = None) -> Event:
        """Due again in ``seconds`` (default: the snooze setting); before the break is
        due, the same postpones it."""
        length = self.settings.snooze if seconds is None else seconds
        now = self.clock.monotonic()
        if self.phase in (Phase.DUE, Phase.HELD):
            self._deadline = now + length
            self.phase = Phase.SNOOZED
        elif self.phase in (Phase.COUNTING, Phase.SNOOZED):
            # Snoozes add up, but never to more than MAX_POSTPONE ahead: ten snoozes of a
            # day each would otherwise switch breaks off in disguise.
            self._deadline = min(max(self._deadline, now) + length, now + MAX_POSTPONE)
            if self.phase is Phase.COUNTING:
                self._postponed = self._deadline - self._interval_start - self.settings.every
        return Event("snoozed", self.clock.wall(), f"{length:g}s")

    def skip(self) -> Event:
        """Skip this break: the next interval starts now."""
        if self.phase in _ATTENDING:
            self._start_interval()
        return Event("skipped", self.clock.wall())

    def pause(self, seconds: float | None = None, until: float | None = None) -> Event:
        """No reminders for ``seconds``, or until the wall time ``until``, or (neither)
        until ``resume``."""
        wall = self.clock.wall()
        self._paused_until = wall + seconds if seconds is not None else until
        self.phase = Phase.PAUSED
        return Event("paused", wall, "until resumed" if self._paused_until is None else f"{self._paused_until:.0f}")

    def pause_until_tomorrow(self) -> Event:
        """Until tomorrow's working hours begin (or tomorrow's midnight without them)."""
        now = self._local(self.clock.wall())
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=now.tzinfo)
        hours = self.settings.working_hours
        start = hours.next_start(midnight) if hours is not None else None
        return self.pause(until=(start or midnight).timestamp())

    def resume(self) -> Event:
        self._paused_until = None
        if self.phase is Phase.PAUSED:
            self._start_interval_if_working()
        return Event("resumed", self.clock.wall())

    def session_started(self) -> Event:
        """A routine began: no reminder interrupts it. Whether it was a break is only known
        when it ends (see ``session_ended``), so the clock's phase is kept until then."""
        if self.phase is not Phase.PAUSED:
            if self.phase is not Phase.IN_SESSION:
                self._before_session = self.phase
            self.phase = Phase.IN_SESSION
        return Event("session_started", self.clock.wall())

    def session_ended(self, moved: bool) -> Event | None:
        """A routine ended. ``moved`` (the session rule of core.session.movement): it was
        a break taken, and the next interval starts from now. Otherwise the clock carries
        on where it was: the same deadline, and a break that was due is still due."""
        if self.phase is Phase.IN_SESSION:
            if moved:
                self._start_interval_if_working()
            else:
                self.phase = self._before_session
                self._mini_start = self.clock.monotonic()  # some movement all the same
        return Event("taken", self.clock.wall()) if moved else None

    def movement_done(self, detail: str = "") -> Event:
        """Movement that happened elsewhere (a session in another window, or away from the
        app on the user's word: ``detail``) resets the interval."""
        if self.phase in _ATTENDING:
            self._start_interval()
        return Event("taken", self.clock.wall(), detail)

    # --- kept between processes ------------------------------------------------------

    def reconfigure(self, settings: ReminderSettings) -> None:
        """New settings (the file was edited): the sitting already counted still counts,
        so a shorter ``every`` may make the break due at the next update; a snooze keeps
        its own deadline."""
        self.settings = settings
        if self.phase is Phase.COUNTING or self._before_session is Phase.COUNTING:
            self._deadline = self._interval_start + settings.every + self._postponed

    def state(self) -> tuple[object, ...]:
        """What a snapshot keeps of this clock, without the moment it is taken: equal
        while nothing but time passes (read each second, so no clock is read for it)."""
        return (
            self.phase,
            self._before_session,
            round(self._deadline, 3),
            round(self._interval_start, 3),
            self._paused_until,
            self.due_since,
            self._postponed,
            self.held if self.phase is Phase.HELD else None,
            round(self._mini_start, 3),
            self._mini_until is not None,
            self._mini_turn,
        )

    def snapshot(self) -> ClockSnapshot:
        now = self.clock.monotonic()
        return ClockSnapshot(
            phase=self.phase,
            before_session=self._before_session,
            left=self._deadline - now,
            since=now - self._interval_start,
            paused_until=self._paused_until,
            due_since=self.due_since,
            postponed=self._postponed,
            monotonic=now,
            boottime=self.clock.boottime(),
            wall=self.clock.wall(),
            boot_id=self.clock.boot_id(),
            mini_since=now - self._mini_start,
            mini_turn=self._mini_turn,
        )

    def restore(self, saved: ClockSnapshot, in_session: bool = False) -> list[Event]:
        """Carry on from a clock another process saved, as if it had run here all along:
        the sitting time went on while the machine was awake, and a sleep or a switched-off
        machine long enough to be a break was one. A session that was running goes on if
        ``in_session`` (its process still runs); else it ended with its process, and was
        not a break (it never said it ended)."""
        now, boot, wall = self.clock.monotonic(), self.clock.boottime(), self.clock.wall()
        same_boot = saved.boot_id == self.clock.boot_id() and now >= saved.monotonic and boot >= saved.boottime
        if same_boot:
            awake = now - saved.monotonic
            away = (boot - saved.boottime) - awake
        else:
            # Across a reboot only the wall clock spans the gap, and the machine was off
            # for some of it: a gap shorter than a break counts as sitting, a longer one
            # as the break it was.
            gap = max(0.0, wall - saved.wall)
            awake, away = (gap, 0.0) if gap < self.settings.break_length else (0.0, gap)
        self._seen = (now, boot)
        self._paused_until = saved.paused_until
        self.due_since = saved.due_since
        self._mini_turn = saved.mini_turn
        self._before_session = saved.before_session
        phase = saved.before_session if saved.phase is Phase.IN_SESSION and not in_session else saved.phase
        # A held break is held again (or offered) at the next update, as the detectors say
        # then: the deadline has passed, so counting makes it fall due at once.
        phase = Phase.COUNTING if phase is Phase.HELD else phase
        if self._before_session is Phase.HELD:
            self._before_session = Phase.COUNTING
        events: list[Event] = []
        if away >= self.settings.break_length and phase in _ATTENDING:
            events.append(Event("natural_break", wall, "sleep"))
            phase = Phase.AWAY
        if phase is Phase.AWAY:
            # The return from a break is seen in idle time, which this process has only
            # from now on: the next interval starts now.
            self._start_interval()
            return events
        self.phase = phase
        self._deadline = now + saved.left - awake
        self._interval_start = now - saved.since - awake
        self._postponed = saved.postponed
        self._mini_start = now - saved.mini_since - awake if saved.mini_since is not None else now
        # The settings may have changed while nothing ran (`every: 1m` set before the
        # first start): the sitting counted so far counts under the settings of now.
        self.reconfigure(self.settings)
        return events
