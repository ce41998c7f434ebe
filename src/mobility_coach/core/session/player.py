"""Play a timeline against a clock: the state behind the session screen.

Time left is always ``deadline - now`` on the monotonic clock, where a segment's
deadline is its (virtual) start plus its duration; a segment that ends hands its exact
deadline to the next as its start, so nothing drifts however often ``update`` is called.
Pausing remembers the instant; resuming moves the start by exactly the paused time.

Sound takes a moment to start (an audio player is a process to launch), so a cue heard
"on time" must be handed to the audio path a little before it is due: ``herald`` gives
the cues due in the next fraction of a second, with their due instants, and ``update``
then leaves them out of what it returns. A pause or a jump withdraws the heralds not yet
due (``withdrawals`` counts how often), and they are heralded again from where the
session stands.

A laptop that sleeps mid-session must find the session paused where it was, not skipped
ahead: ``update`` notices a suspend (boot time ran on while the monotonic clock stood
still, or the monotonic clock leapt far past the last update) and pauses the session
at the moment it last looked. Wall-clock jumps do not matter to a session at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mobility_coach.core.clock import Clock
from mobility_coach.core.routines.timeline import Cue, Segment, Timeline

# Boot time outrunning the monotonic clock by this much between two updates means the
# machine was suspended. Updates come several times a second, so a few seconds is safe.
SUSPEND_GAP = 5.0
# A monotonic gap this long between updates (some platforms count suspended time) means
# the same. No healthy UI loop stalls this long.
STALL_GAP = 15.0


class Status(Enum):
    READY = "ready"  # not started
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class PauseReason(Enum):
    USER = "user"
    SUSPEND = "suspend"  # the machine slept, or the app was stalled


@dataclass(frozen=True)
class Heralded:
    """A cue handed out before it is due, to be heard at ``due``."""

    due: float
    """The monotonic instant the cue is due."""
    cue: Cue


@dataclass(frozen=True)
class StepResult:
    """How much of one step's work was done in one round, for the finish screen."""

    name: str
    round: int
    work_done: int  # work segments finished (reached their end, or marked done)
    work_total: int

    @property
    def complete(self) -> bool:
        return self.work_done == self.work_total


@dataclass(frozen=True)
class _Unit:
    """A step in one round: its segments (including the gaps that follow it) and which
    of them are work."""

    first: int
    last: int
    work: tuple[int, ...]


class Player:
    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        if not timeline.segments:
            raise ValueError("an empty timeline cannot be played")
        self.timeline = timeline
        self.clock = clock
        self.index = 0
        self.status = Status.READY
        self.pause_reason: PauseReason | None = None
        self._start = 0.0  # monotonic instant the current segment (virtually) began
        self._paused_at = 0.0
        self._next_cue = 0
        # (segment index, cue position) of the first cue not yet heralded: never behind
        # (index, _next_cue).
        self._herald_from = (0, 0)
        self._herald_dues: list[tuple[tuple[int, int], float]] = []  # heralded, not yet due
        self.sound_lead = 0.0
        """How long before its due instant a heralded cue's sound starts (the audio
        player's start-up): a pause nearer than that to a cue finds its sound already
        playing, so that cue is not withdrawn, and is not heard again after the pause."""
        self.withdrawals = 0
        """How often heralded cues not yet due were withdrawn (a pause, a jump): whoever
        scheduled their sounds cancels those that have not started when this changes."""
        self._seen = (0.0, 0.0)  # (monotonic, boot time) at the last update
        self._moving = 0.0  # seconds spent in work segments already left
        self._work_done: set[int] = set()
        self._units = self._find_units(timeline.segments)
        self._unit_of = [u for u, unit in enumerate(self._units) for _ in range(unit.first, unit.last + 1)]

    @staticmethod
    def _find_units(segments: tuple[Segment, ...]) -> list[_Unit]:
        groups: list[list[int]] = []
        for i, segment in enumerate(segments):
            if i == 0 or (segment.round, segment.step) != (segments[i - 1].round, segments[i - 1].step):
                groups.append([])
            groups[-1].append(i)
        return [_Unit(group[0], group[-1], tuple(i for i in group if segments[i].kind == "work")) for group in groups]

    # --- reading the state -------------------------------------------------------

    @property
    def segment(self) -> Segment:
        return self.timeline.segments[self.index]

    @property
    def segment_start(self) -> float:
        """The monotonic instant the current segment began (virtually, after pauses), or
        begins: start(lead) sets the first one that far ahead."""
        return self._start

    def _now(self, at: float | None = None) -> float:
        """The instant the session stands at: ``at`` (the clock when None), or the
        moment a pause began, since paused time does not count."""
        if self.status is Status.PAUSED:
            return self._paused_at
        return self.clock.monotonic() if at is None else at

    # The readings below take an optional monotonic instant ``at`` so that one view of
    # the session (core/session/view.py) reads every figure at the same instant.

    def elapsed(self, at: float | None = None) -> float:
        """Seconds into the current segment."""
        if self.status is Status.READY:
            return 0.0
        if self.status is Status.FINISHED:
            return self.segment.duration or 0.0
        return max(0.0, self._now(at) - self._start)

    def remaining(self, at: float | None = None) -> float | None:
        """Seconds left in the current segment; None while waiting on a self-paced one."""
        duration = self.segment.duration
        if duration is None:
            return None
        return max(0.0, duration - self.elapsed(at))

    def total_remaining(self, at: float | None = None) -> float:
        """Timed seconds left in the whole session (self-paced segments count as 0)."""
        if self.status is Status.FINISHED:
            return 0.0
        later = self.timeline.timed_seconds - self.segment.start - (self.segment.duration or 0.0)
        return max(0.0, later + (self.remaining(at) or 0.0))

    def rep(self, at: float | None = None) -> int | None:
        return self.segment.rep_at(self.elapsed(at))

    @property
    def awaiting_done(self) -> bool:
        """Running a self-paced segment: only the user's "done" moves it on."""
        return self.status is Status.RUNNING and self.segment.duration is None

    @property
    def unit_index(self) -> int:
        return self._unit_of[self.index]

    @property
    def unit_count(self) -> int:
        return len(self._units)

    def active_seconds(self) -> float:
        """Time moving: seconds spent in work segments. Get-ready, switching sides, rest
        and pauses are left out, so "time moving" means what it says."""
        if self.status in (Status.READY, Status.FINISHED):
            return self._moving
        return self._moving + self._in_work(self._now())

    def _in_work(self, at: float) -> float:
        """Seconds of work in the current segment up to monotonic instant ``at``."""
        if self.segment.kind != "work":
            return 0.0
        spent = max(0.0, at - self._start)
        return spent if self.segment.duration is None else min(spent, self.segment.duration)

    def _leave_segment(self, at: float) -> None:
        self._moving += self._in_work(at)

    def results(self) -> list[StepResult]:
        """Each step of each round, with how much of its work was done."""
        results = []
        for unit in self._units:
            if not unit.work:
                continue
            first = self.timeline.segments[unit.work[0]]
            name = first.exercise.name if first.exercise else first.label
            results.append(StepResult(name, first.round, sum(i in self._work_done for i in unit.work), len(unit.work)))
        return results

    # --- driving it --------------------------------------------------------------

    def start(self, lead: float = 0.0) -> list[Cue]:
        """Begin the session ``lead`` seconds from now (the clock shows the first segment
        whole until then), so that even its first cue can be heralded and heard on time."""
        now = self.clock.monotonic()
        self._start = now + lead
        self._seen = (now, self.clock.boottime())
        self.status = Status.RUNNING
        return self.update()

    def update(self) -> list[Cue]:
        """Move to wherever the clock says the session is; return the cues now due."""
        now, boot = self.clock.monotonic(), self.clock.boottime()
        seen_mono, seen_boot = self._seen
        self._seen = (now, boot)
        if self.status is not Status.RUNNING:
            return []
        if (boot - seen_boot) - (now - seen_mono) > SUSPEND_GAP or now - seen_mono > STALL_GAP:
            self._pause(seen_mono, PauseReason.SUSPEND)
            return []
        fired: list[Cue] = []
        while True:
            segment = self.segment
            elapsed = now - self._start
            cues = segment.cues
            while self._next_cue < len(cues) and cues[self._next_cue].at <= elapsed:
                cue = cues[self._next_cue]
                if segment.duration is None and cue.kind == "done":
                    break  # a self-paced segment's "done" waits for the user
                if not self._heralded(self.index, self._next_cue):
                    fired.append(cue)
                self._next_cue += 1
            if segment.duration is None or elapsed < segment.duration:
                return fired
            if self._finish_segment(self._start + segment.duration):
                return fired

    def herald(self, horizon: float) -> list[Heralded]:
        """The cues due within ``horizon`` seconds from now that were not yet heralded,
        with their due instants; ``update`` will not return them again. Only while
        running, and never past a self-paced segment's end (the user decides when that is)."""
        if self.status is not Status.RUNNING:
            return []
        reached = (self.index, self._next_cue)
        self._herald_dues = [(key, due) for key, due in self._herald_dues if key >= reached]
        limit = self.clock.monotonic() + horizon
        segments = self.timeline.segments
        found: list[Heralded] = []
        index, first, start = self.index, self._next_cue, self._start
        while True:
            segment = segments[index]
            for position in range(first, len(segment.cues)):
                cue = segment.cues[position]
                due = start + cue.at
                if due > limit or (segment.duration is None and cue.kind == "done"):
                    return found
                if not self._heralded(index, position):
                    found.append(Heralded(due, cue))
                    self._herald_from = (index, position + 1)
                    self._herald_dues.append(((index, position), due))
            if segment.duration is None or index + 1 >= len(segments):
                return found
            start += segment.duration
            if start > limit:
                return found
            index, first = index + 1, 0

    def _heralded(self, index: int, position: int) -> bool:
        return (index, position) < self._herald_from

    def _withdraw_heralds(self, at: float | None = None) -> None:
        """Heralded cues not yet due are no longer coming when they were said to; those
        whose sound had started by monotonic instant ``at`` stay heard (not again)."""
        reached = (self.index, self._next_cue)
        if at is not None:
            sounding = [key for key, due in self._herald_dues if key >= reached and due - self.sound_lead <= at]
            if sounding:
                reached = (sounding[-1][0], sounding[-1][1] + 1)
        if self._herald_from > reached:
            self.withdrawals += 1
        self._herald_from = reached
        self._herald_dues = [(key, due) for key, due in self._herald_dues if key < reached]

    def _finish_segment(self, at: float) -> bool:
        """The current segment ended at monotonic instant ``at``; go on from there.
        Returns True when that was the last segment."""
        self._leave_segment(at)
        if self.segment.kind == "work":
            self._work_done.add(self.index)
        if self.index + 1 >= len(self.timeline.segments):
            self.status = Status.FINISHED
            return True
        self.index += 1
        self._start = at
        self._next_cue = 0
        return False

    def done(self) -> list[Cue]:
        """The user says a self-paced segment is done."""
        if not self.awaiting_done:
            return []
        left = [
            cue
            for position, cue in enumerate(self.segment.cues[self._next_cue :], self._next_cue)
            if not self._heralded(self.index, position)
        ]
        self._finish_segment(self.clock.monotonic())
        return left + self.update()

    def _pause(self, at: float, reason: PauseReason) -> None:
        self.status = Status.PAUSED
        self.pause_reason = reason
        self._paused_at = at
        self._withdraw_heralds(at)

    def pause(self) -> None:
        if self.status is Status.RUNNING:
            self.update()  # settle first, so a pause never swallows an ended segment
        if self.status is Status.RUNNING:
            self._pause(self.clock.monotonic(), PauseReason.USER)

    def resume(self) -> None:
        if self.status is not Status.PAUSED:
            return
        now = self.clock.monotonic()
        self._start += now - self._paused_at
        self._seen = (now, self.clock.boottime())
        self.status = Status.RUNNING
        self.pause_reason = None

    def toggle_pause(self) -> None:
        if self.status is Status.PAUSED:
            self.resume()
        else:
            self.pause()

    def _jump(self, index: int) -> None:
        if self.status in (Status.READY, Status.FINISHED):
            return
        self._withdraw_heralds()
        self._leave_segment(self._now())
        self.index = index
        self._next_cue = 0
        self._herald_from = (index, 0)
        self._start = self._now()

    def next_step(self) -> None:
        """Skip to the start of the next step (or end the session after the last)."""
        if self.status in (Status.READY, Status.FINISHED):
            return
        unit = self.unit_index
        if unit + 1 < len(self._units):
            self._jump(self._units[unit + 1].first)
        else:
            self._leave_segment(self._now())
            self.status = Status.FINISHED
            self._withdraw_heralds()

    def previous_step(self) -> None:
        self._jump(self._units[max(0, self.unit_index - 1)].first)

    def restart_step(self) -> None:
        self._jump(self._units[self.unit_index].first)

    def stop(self) -> None:
        """End the session early (the user quit)."""
        if self.status in (Status.RUNNING, Status.PAUSED):
            self._leave_segment(self._now())  # while paused, _now() is when the pause began
            self.status = Status.FINISHED
            self._withdraw_heralds()
