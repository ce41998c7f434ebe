"""Textual's Linux driver, with an input thread that sleeps until there is input.

Textual's own input thread looks at the terminal ten times a second whether or not
anything was typed, so that it sees within a tenth of a second that the app is stopping.
For an app left open all day those wake-ups were most of what it cost: three quarters of
an idle mobility-coach's CPU, and all of a bare Textual app's (bench/idle.py). This thread
waits on the terminal and on a pipe through which it is woken when the app stops, with
no timeout at all except while the parser holds a lone ESC (which becomes the Escape key
once its short wait is up). What is read is parsed and posted exactly as Textual does;
keys, the mouse, pastes, size reports, suspending and resuming are all Textual's own.
"""

from __future__ import annotations

import contextlib
import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Callable
from threading import Event
from typing import TYPE_CHECKING, Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App


class _WakingEvent(Event):
    """The driver's ``exit_event``: setting it also wakes the input thread, which
    Textual's driver sets and then waits for (when the app stops or is suspended)."""

    def __init__(self, wake: Callable[[], None]) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        self._wake()


class QuietLinuxDriver(LinuxDriver):
    """LinuxDriver whose input thread wakes only for input, a pending ESC, or the stop."""

    def __init__(self, app: App[Any], *, debug: bool = False, mouse: bool = True, size: tuple[int, int] | None = None):
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self._wake_read = self._wake_write = -1  # a pipe while application mode is on
        self.exit_event = _WakingEvent(self._wake)

    def start_application_mode(self) -> None:
        # A pipe each time: suspending the app (Ctrl+Z) stops application mode and closes
        # the driver, and resuming starts both again.
        self._open_wake_pipe()
        super().start_application_mode()  # type: ignore[no-untyped-call]  # untyped in Textual

    def stop_application_mode(self) -> None:
        super().stop_application_mode()  # which wakes the input thread and waits for its end
        self._close_wake_pipe()

    def _open_wake_pipe(self) -> None:
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)

    def _close_wake_pipe(self) -> None:
        read, write = self._wake_read, self._wake_write
        self._wake_read = self._wake_write = -1
        for descriptor in (read, write):
            if descriptor >= 0:
                os.close(descriptor)

    def _wake(self) -> None:
        if self._wake_write >= 0:
            # A full pipe already holds a wake-up.
            with contextlib.suppress(OSError):
                os.write(self._wake_write, b"!")

    def _drain_wakes(self) -> None:
        with contextlib.suppress(OSError):
            while os.read(self._wake_read, 512):
                pass

    def run_input_thread(self) -> None:
        """Textual's LinuxDriver.run_input_thread (textual 8.2), with the wake pipe beside
        the terminal and the select's timeout that of the parser, not a tenth of a second."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        wake = self._wake_read
        EVENT_READ = selectors.EVENT_READ

        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def timeout() -> float | None:
            """None (wait for input) unless the parser waits to see whether an ESC
            starts a sequence: then until it has waited long enough."""
            due = parser._timeout_time
            return None if due is None else max(0.0, due - get_time())

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            if any(key.fd == wake for key, _ in selector_events):
                self._drain_wakes()
                selector_events = [(key, mask) for key, mask in selector_events if key.fd != wake]
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        # This can occur if the stdin is piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(timeout()))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
