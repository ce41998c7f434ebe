"""Keeps the history in step with a playing session: a row when it starts, an update as
each step finishes, the outcome at the end. A failing store never stops a session: the
first failure is reported, later writes are skipped."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from mobility_coach.core.history.store import History, SessionStatus
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.session.player import Player


class SessionRecorder:
    def __init__(
        self,
        history: History | None,
        routine: Routine,
        player: Player,
        wall: Callable[[], float],
        on_problem: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.history = history
        self.routine = routine
        self.player = player
        self.wall = wall
        self.on_problem = on_problem
        self.session_id: int | None = None
        self._done = 0

    def _safely(self, write: Callable[[History], object]) -> object:
        if self.history is None:
            return None
        try:
            return write(self.history)
        except sqlite3.Error as error:
            self.on_problem(f"history could not be saved: {error}")
            self.history = None
            return None

    def steps_done(self) -> int:
        return sum(r.complete for r in self.player.results())

    def started(self) -> None:
        total = len(self.player.results())
        session_id = self._safely(
            lambda h: h.session_started(self.routine.id, self.routine.name, total, at=self.wall())
        )
        self.session_id = session_id if isinstance(session_id, int) else None

    def observe(self) -> None:
        """Call after the player moves: writes only when a step has just been completed."""
        done = self.steps_done()
        if done != self._done and self.session_id is not None:
            self._done = done
            session_id = self.session_id
            self._safely(lambda h: h.session_progress(session_id, done, self.player.active_seconds()))

    def ended(self, status: SessionStatus) -> None:
        if self.session_id is not None:
            session_id, done = self.session_id, self.steps_done()
            self._safely(
                lambda h: h.session_ended(session_id, status, done, self.player.active_seconds(), at=self.wall())
            )

    def feeling(self, feeling: str) -> None:
        if self.session_id is not None:
            session_id = self.session_id
            self._safely(lambda h: h.session_feeling(session_id, feeling))
