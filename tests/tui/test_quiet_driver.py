"""The terminal driver's input thread (issue 14): it sleeps until there is input, with no
timeout but a lone ESC's, and still reads keys, turns a lone ESC into Escape, and ends at
once when the app stops. Textual's own thread woke ten times a second, idle or not."""

from __future__ import annotations

import asyncio
import os
import selectors
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import constants, events
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from mobility_coach.tui.quiet_driver import QuietLinuxDriver
from tests.tui.conftest import make_app

JOIN_SECONDS = 10.0  # a bound for a broken thread, never waited out by a working one


class _App:
    """What the driver's constructor and its messages need of an app."""

    def __init__(self) -> None:
        self.got: list[Message] = []
        self.arrived = threading.Condition()

    def post_message(self, message: Message) -> bool:
        with self.arrived:
            self.got.append(message)
            self.arrived.notify_all()
        return True

    def keys(self) -> list[str]:
        return [m.key for m in self.got if isinstance(m, events.Key)]


class Driven:
    """The driver's input thread reading a pipe in the terminal's place, with the
    timeouts it gave select() noted."""

    def __init__(self, driver: QuietLinuxDriver, app: _App, typing: int, timeouts: list[float | None]) -> None:
        self.driver, self.app, self.typing, self.timeouts = driver, app, typing, timeouts
        self.thread = threading.Thread(target=driver.run_input_thread, daemon=True)

    def type(self, data: bytes, keys: int) -> list[str]:
        os.write(self.typing, data)
        with self.app.arrived:
            arrived = self.app.arrived.wait_for(lambda: len(self.app.keys()) >= keys, JOIN_SECONDS)
            assert arrived, self.app.got
        return self.app.keys()

    def stop(self) -> None:
        """As the app stops: exit_event set, and the thread must end (only the wake pipe
        can end a select without a timeout)."""
        self.driver.exit_event.set()
        self.thread.join(JOIN_SECONDS)
        assert not self.thread.is_alive(), "the input thread did not end when the app stopped"


@pytest.fixture
def driven(monkeypatch: pytest.MonkeyPatch) -> Iterator[Driven]:
    saved = signal.getsignal(signal.SIGTSTP), signal.getsignal(signal.SIGCONT)
    app = _App()

    async def made() -> QuietLinuxDriver:  # a driver is made inside the app's running loop
        return QuietLinuxDriver(app)  # type: ignore[arg-type]

    loop = asyncio.new_event_loop()
    driver = loop.run_until_complete(made())
    loop.close()
    signal.signal(signal.SIGTSTP, saved[0])  # the driver's own handlers are not for pytest
    signal.signal(signal.SIGCONT, saved[1])
    monkeypatch.setattr(driver, "process_message", app.post_message)
    timeouts: list[float | None] = []
    select = selectors.SelectSelector.select

    def noted(selector: selectors.SelectSelector, timeout: float | None = None) -> Any:
        timeouts.append(timeout)
        return select(selector, timeout)

    monkeypatch.setattr(selectors.SelectSelector, "select", noted)
    terminal, typing = os.pipe()
    driver.fileno = terminal
    driver._open_wake_pipe()
    running = Driven(driver, app, typing, timeouts)
    running.thread.start()
    try:
        yield running
    finally:
        running.stop()
        driver._close_wake_pipe()
        os.close(terminal)
        os.close(typing)


def test_keys_are_read_and_the_thread_waits_without_a_timeout(driven: Driven) -> None:
    assert driven.type(b"ab", 2) == ["a", "b"]
    assert driven.timeouts and all(timeout is None for timeout in driven.timeouts), driven.timeouts


def test_a_lone_escape_becomes_the_escape_key_after_its_short_wait(driven: Driven) -> None:
    assert driven.type(b"\x1b", 1) == ["escape"]
    waits = [timeout for timeout in driven.timeouts if timeout is not None]
    assert waits and all(0 <= wait <= 1 for wait in waits), driven.timeouts  # only while it was pending


def test_the_thread_ends_at_once_when_the_app_stops(driven: Driven) -> None:
    driven.type(b"x", 1)
    driven.stop()


def test_the_app_uses_it_in_a_terminal_and_not_when_a_driver_is_named(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert make_app(home).driver_class is QuietLinuxDriver
    named = "textual.drivers.linux_driver:LinuxDriver"
    monkeypatch.setattr(constants, "DRIVER", named)  # Textual read TEXTUAL_DRIVER when imported
    monkeypatch.setenv("TEXTUAL_DRIVER", named)
    assert make_app(home).driver_class is LinuxDriver
