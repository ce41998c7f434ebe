"""The terminal driver's input thread (issue 14): it sleeps until there is input, with no
timeout but a lone ESC's, and still reads keys, turns a lone ESC into Escape, and ends at
once when the app stops. Textual's own thread woke ten times a second, idle or not.

It copies Textual's private code (issue 25): a test fails when the upstream code it copies
or counts on changes, and on another Textual the app takes Textual's own driver."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import inspect
import os
import selectors
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import textual
from textual import constants, events
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from mobility_coach.tui import quiet_driver
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


UPSTREAM = {
    # Copied: the input thread itself.
    "textual.drivers.linux_driver:LinuxDriver.run_input_thread": "d796af6d69db337d6fa6bd463984f7d17188d991dbb22f60efb92a8a9619507c",
    # Counted on: exit_event is made in __init__ (and replaced by ours), the thread starts in
    # start_application_mode, and disable_input (from stop_application_mode) sets
    # exit_event and then waits for the thread.
    "textual.drivers.linux_driver:LinuxDriver.__init__": "671887bbf938d1d82bc2fb5cba1c4223873c95e7878cbe596da2badc2f316d76",
    "textual.drivers.linux_driver:LinuxDriver.start_application_mode": "7c41f5ba11a8ef0569f07a4eb95ecaea8e90e2fc297214acedb2ede62be59612",
    "textual.drivers.linux_driver:LinuxDriver.disable_input": "6154c5a7c1743fe9dd03887bbfaf63e4c55ab314c8e8cc9077e85ba125551a04",
    "textual.drivers.linux_driver:LinuxDriver.stop_application_mode": "9a7e99c8d4bdbd3bee8d728aabb4427712defa4b56d752c8ed83188e61015460",
    # Counted on: the parser sets _timeout_time for a lone ESC and tick() ends it on get_time.
    "textual._xterm_parser:XTermParser.__init__": "d72babb3e40ab7da67ea8c3c489ee8d6410b49fbe3af8995ad085c473ee949d9",
    "textual._parser:Parser.__init__": "a5bf8838a70ae8bb53404f57f9927788790529be5300c82b5ae0f6e593a0d9fb",
    "textual._parser:Parser.feed": "390106cde019dd29d613fc973baaeeb32dc42ef92e4a7cbdbea8cf5aed2e3591",
    "textual._parser:Parser.tick": "44606084ad3bf7c1a27eb0e2afcb0b5752cdc1f399861006aa04c5654e87b24b",
    "textual._loop:loop_last": "9cedebad8dcc14c41246ad02170ebbd19ef89489f02dc65ebbf76f5e62a0743c",
}
"""The sha256 of the source of each piece of Textual the quiet driver copies or counts on,
as it was when the driver was written (Textual 8.2.8)."""


def upstream(name: str) -> Any:
    module, _, path = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in path.split("."):
        found = getattr(found, part)
    return found


@pytest.mark.parametrize("name", UPSTREAM)
def test_the_textual_code_it_copies_is_as_it_was_written_against(name: str) -> None:
    """When this fails, Textual changed code the quiet driver copies or counts on: compare
    the new source with quiet_driver.py, bring the copy in line (or delete the module, if
    Textual's own thread no longer polls), then record the new hash here."""
    source = inspect.getsource(upstream(name))
    assert hashlib.sha256(source.encode()).hexdigest() == UPSTREAM[name], f"Textual changed {name}:\n{source}"


def test_it_reads_the_version_textual_says_it_is() -> None:
    assert quiet_driver.textual_version() == textual.__version__


def test_on_another_textual_the_app_takes_textual_s_own_driver_and_says_why(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "textual.log"
    monkeypatch.setattr(constants, "LOG_FILE", str(log))  # TEXTUAL_LOG, read when Textual was imported
    monkeypatch.setattr(quiet_driver, "textual_version", lambda: "8.3.0")
    assert make_app(home).driver_class is LinuxDriver
    assert "it was written for Textual 8.2.x, and this is Textual 8.3.0" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize(("module", "name"), quiet_driver.PRIVATE_NAMES)
def test_without_a_private_name_it_reads_it_is_not_used(
    monkeypatch: pytest.MonkeyPatch, module: str, name: str
) -> None:
    monkeypatch.delattr(importlib.import_module(module), name)
    assert quiet_driver.unfit_reason() == f"Textual {textual.__version__} has no {module}.{name}"


def test_without_the_parser_s_timeout_it_is_not_used(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parser_class = upstream("textual._xterm_parser:XTermParser")
    made = parser_class.__init__

    def without_timeout(parser: Any) -> None:
        made(parser)
        del parser._timeout_time

    monkeypatch.setattr(parser_class, "__init__", without_timeout)
    assert quiet_driver.unfit_reason() == f"Textual {textual.__version__}'s XTermParser has no _timeout_time"
    assert make_app(home).driver_class is LinuxDriver
