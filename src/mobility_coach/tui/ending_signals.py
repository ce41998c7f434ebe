"""A closed terminal (SIGHUP) or a kill (SIGTERM): caught on the event loop, so the app
can end a running session as "interrupted" before it goes.

Textual handles only SIGTSTP/SIGCONT; by default SIGTERM and SIGHUP end the process on
the spot and the session stays "running" until the next start.
"""

from __future__ import annotations

import asyncio
import select
import signal
from collections.abc import Callable

# Windows has no SIGHUP (and no signal handlers on its event loop: catch() says so).
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class EndingSignals:
    def __init__(self, on_signal: Callable[[int], None]) -> None:
        self.on_signal = on_signal
        """Called with the signal's number, on the event loop."""
        self._caught = False

    def catch(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            for number in ENDING_SIGNALS:
                loop.add_signal_handler(number, self.on_signal, number)
        except (NotImplementedError, RuntimeError, ValueError):
            return  # no signals here (Windows, or not the main thread): the next start marks it
        self._caught = True

    def restore(self) -> None:
        if self._caught:
            loop = asyncio.get_running_loop()
            for number in ENDING_SIGNALS:
                loop.remove_signal_handler(number)
            self._caught = False


class HangUpWatch:
    """Whether the terminal on a file descriptor has gone (hung up, closed, or its input
    ended). An app with no controlling terminal (started in a session of its own, as by a
    script) gets no SIGHUP when its terminal closes: its input just ends, and Textual's
    input thread then reads the end of input over and over, at full CPU. Asked each
    second, this ends the app as a hang-up would."""

    def __init__(self, fd: int) -> None:
        self._gone = select.POLLHUP | select.POLLERR | select.POLLNVAL  # made here: Windows has no poll
        self._poll = select.poll()
        self._poll.register(fd, select.POLLIN)  # hang-ups and errors are always reported

    def gone(self) -> bool:
        return any(mask & self._gone for _, mask in self._poll.poll(0))
