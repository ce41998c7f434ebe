"""The macOS notification (issue 28): the same lines in and out as the Linux one, through
desktop-notifier's interface (faked here: Apple's framework runs only on a Mac)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mobility_coach.adapters.mac_notice_child import DENIED, serve
from mobility_coach.adapters.notify import notice_child_for
from mobility_coach.core.breaks.protocol import Request, Snooze


@dataclass
class FakeButton:
    title: str
    on_pressed: Callable[[], None]


class FakeNotifier:
    def __init__(self, allowed: bool = True) -> None:
        self.allowed = allowed
        self.sent: list[tuple[str, str, list[FakeButton]]] = []
        self.cleared: list[str] = []

    async def request_authorisation(self) -> bool:
        return self.allowed

    async def send(self, title: str, message: str, *, buttons: Sequence[Any]) -> str:
        self.sent.append((title, message, list(buttons)))
        return f"id-{len(self.sent)}"

    async def clear(self, identifier: str) -> None:
        self.cleared.append(identifier)


def line(**fields: object) -> bytes:
    return json.dumps(fields).encode() + b"\n"


def run(notifier: FakeNotifier, lines: list[bytes], press: str | None = None) -> tuple[int, list[object], list[str]]:
    said: list[object] = []
    told: list[str] = []

    async def source() -> AsyncIterator[bytes]:
        for each in lines:
            yield each
            if press is not None and notifier.sent:
                (button,) = [b for b in notifier.sent[-1][2] if b.title == press]
                button.on_pressed()
                await asyncio.sleep(0)

    async def tell(request: Request) -> None:
        told.append(request.command)

    code = asyncio.run(serve(notifier, source(), FakeButton, "Snooze 10m", said.append, tell))
    return code, said, told


def test_a_break_is_shown_with_its_buttons_replaced_and_closed() -> None:
    notifier = FakeNotifier()
    shown = line(title="Time to move", body="Hourly desk break", plain_body="run remind snooze")
    again = line(title="Time to move", body="Held 5 minutes", plain_body="...")
    code, said, _ = run(notifier, [shown, again, line(close=True)])
    assert code == 0 and said == [{"shown": 1, "actions": True}]
    assert [(t, m, [b.title for b in bs]) for t, m, bs in notifier.sent] == [
        ("Time to move", "Hourly desk break", ["Start", "Snooze 10m", "Skip"]),
        ("Time to move", "Held 5 minutes", ["Start", "Snooze 10m", "Skip"]),
    ]
    assert notifier.cleared == ["id-1", "id-2"]  # replaced, then closed


def test_a_button_goes_to_the_break_clocks_owner() -> None:
    _, _, told = run(FakeNotifier(), [line(title="t", body="b", plain_body="p"), b""], press="Snooze 10m")
    assert told == [Snooze().command]


def test_notifications_refused_by_macos_are_one_line_and_the_bell_takes_over() -> None:
    notifier = FakeNotifier(allowed=False)
    code, said, _ = run(notifier, [line(title="t", body="b", plain_body="p")])
    assert code == 1 and said == [{"failed": DENIED}] and notifier.sent == []


def test_each_system_has_its_notification_child() -> None:
    assert notice_child_for({}, "darwin")[0] == "mobility_coach.adapters.mac_notice_child"
    _, environ, why = notice_child_for({}, "win32")
    assert environ is None and why == "desktop notifications are not available on this system yet"
    assert notice_child_for({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, "linux")[0].endswith(".notice_child")
