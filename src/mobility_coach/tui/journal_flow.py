"""The cracking journal as the app runs it (Ctrl+L): the questions, keeping the entry,
what it usually means with today's count, and the short drill offered instead."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Literal

from textual.app import App

from mobility_coach.core.clock import Clock
from mobility_coach.core.history.journal import FREQUENT_DAYS
from mobility_coach.core.history.store import History
from mobility_coach.core.routines.model import Routine
from mobility_coach.tui.messages import RoutineChosen
from mobility_coach.tui.screens.journal import Entry, JournalAnswerScreen, JournalScreen, reply_for

# Writes to the history, if there is one, and shows a failure instead of raising it.
HistoryWrite = Callable[[Callable[[History], object]], None]


class JournalFlow:
    def __init__(
        self, app: App[None], history: History | None, save: HistoryWrite, clock: Clock, routines: Mapping[str, Routine]
    ) -> None:
        self.app = app
        self.history = history
        self.save = save
        self.clock = clock
        self.routines = routines
        """The library's routines, for the drill the answer offers instead of cracking."""
        self.drill: Routine | None = None

    def start(self) -> None:
        self.app.push_screen(JournalScreen(), self._answered)

    def _answered(self, entry: Entry | None) -> None:
        if entry is None:
            return
        kind: Literal["crack", "urge"] = "crack" if entry.kind == "crack" else "urge"
        self.save(lambda h: h.record_journal(kind, entry.sound, entry.hurt, entry.area, at=self.clock.wall()))
        reply = reply_for(entry, self._cracks_this_week())
        self.drill = self.routines.get(reply.drill) if reply.drill is not None else None
        self.app.push_screen(JournalAnswerScreen(reply, self._entries_today()), self._drill_answered)

    def _drill_answered(self, go: bool | None) -> None:
        if go and self.drill is not None:
            self.app.post_message(RoutineChosen(self.drill))

    def _cracks_this_week(self) -> int:
        if self.history is None:
            return 0
        since = self.clock.wall() - FREQUENT_DAYS * 86400
        return sum(1 for e in self.history.journal(since=since) if e.kind == "crack")

    def _entries_today(self) -> int:
        if self.history is None:
            return 0
        midnight = datetime.combine(datetime.fromtimestamp(self.clock.wall()).date(), datetime.min.time())
        return len(self.history.journal(since=midnight.timestamp()))
