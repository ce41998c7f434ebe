"""Textual's Linux driver, with an input thread that sleeps until there is input.

Textual's own input thread looks at the terminal ten times a second whether or not
anything was typed, so that it sees within a tenth of a second that the app is stopping.
For an app left open all day those wake-ups were most of what it cost: three quarters of
an idle mobility-coach's CPU, and all of a bare Textual app's (bench/idle.py). This thread
waits on the terminal and on a pipe through which it is woken when the app stops, with
no timeout at all except while the parser holds a lone ESC (which becomes the Escape key
once its short wait is up). What is read is parsed and posted exactly as Textual does;
keys, the mouse, pastes, size reports, suspending and resuming are all Textual's own.

It is a copy of Textual 8.2's ``LinuxDriver.run_input_thread`` that reads Textual's private
names (``textual._xterm_parser``, ``_parser``, ``_loop``, ``_time``, the parser's
``_timeout_time``), so it is used only on the Textual it was written for: on another minor
series, or where one of those names is gone, the app takes Textual's own driver and
Textual's log (``TEXTUAL_LOG``) says why (``terminal_driver``). tests/tui/test_quiet_driver.py
holds the hashes of the upstream code it copies or counts on, and fails when any changes.

What Textual itself would need for this module to go: ``LinuxDriver.run_input_thread``
polls ``select()`` with a 0.1 s timeout only to notice ``exit_event``; if it waited on a
wake pipe written when ``exit_event`` is set (as this does), with a timeout only while the
parser holds a lone ESC (``select(None)`` otherwise), an idle app would not wake at all.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Callable
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

import textual
from textual import log
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

WRITTEN_FOR = "8.2"
"""The Textual minor series whose ``LinuxDriver.run_input_thread`` this copies."""

PRIVATE_NAMES = (
    ("textual._loop", "loop_last"),
    ("textual._parser", "ParseError"),
    ("textual._time", "get_time"),
    ("textual._xterm_parser", "XTermParser"),
)
"""The private names the input thread imports from Textual (besides the parser's
``_timeout_time``), imported only once they are known to be there."""


def terminal_driver() -> type[LinuxDriver]:
    """The driver for the app in a terminal: this module's, unless the Textual installed is
    not the one it was written for; then Textual's own, and Textual's log says why."""
    reason = unfit_reason()
    if reason is None:
        return QuietLinuxDriver
    log.warning(f"mobility-coach: Textual's own input thread, not the quiet one: {reason}")
    return LinuxDriver


def unfit_reason() -> str | None:
    """Why the quiet driver may not run on the Textual installed (another minor series than
    the one it copies, or a private name it reads is gone), or None when it may."""
    version = textual_version()
    if version.split(".")[:2] != WRITTEN_FOR.split("."):
        return f"it was written for Textual {WRITTEN_FOR}.x, and this is Textual {version}"
    for module_name, name in PRIVATE_NAMES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return f"Textual {version} has no module {module_name}"
        if not hasattr(module, name):
            return f"Textual {version} has no {module_name}.{name}"
    from textual._xterm_parser import XTermParser  # there: seen just above

    try:
        parser = XTermParser()
    except Exception as error:
        return f"Textual {version}'s XTermParser() fails: {error!r}"
    if not hasattr(parser, "_timeout_time"):
        return f"Textual {version}'s XTermParser has no _timeout_time"
    return None


def textual_version() -> str:
    """The installed Textual's version: from the name of its dist-info folder beside the
    package where there is one (a directory listing), else ``textual.__version__``, whose
    import of importlib.metadata is some 10 ms of every launch."""
    folder = Path(textual.__file__).parent.parent
    with os.scandir(folder) as entries:
        named = [entry.name for entry in entries if entry.name.startswith("textual-")]
    found = [name.removeprefix("textual-").removesuffix(".dist-info") for name in named if name.endswith(".dist-info")]
    return found[0] if len(found) == 1 else textual.__version__


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
        from textual._loop import loop_last  # Textual's private names: see terminal_driver
        from textual._parser import ParseError
        from textual._time import get_time
        from textual._xterm_parser import XTermParser

        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        wake = self._wake_read
        EVENT_READ = selectors.EVENT_READ

        parser = XTermParser(getattr(self, "_debug", False))
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
