"""The due break's notification on macOS, in a process of its own: the same lines in and
out as ``notice_child`` (the Linux one, see there), through desktop-notifier, which drives
Apple's UserNotifications framework: the banner with Start / Snooze / Skip, and a button
pressed goes to the break clock's owner as ``mobility-coach remind ACTION`` would.

macOS shows notifications only for a Python it trusts (a signed one, as python.org's
installer gives) and once the user has allowed them; where it refuses, the answer is
``{"failed": why}`` and the reminder rings the terminal bell instead, saying why once.
Callbacks need Cocoa's run loop, so the asyncio loop is rubicon-objc's, which runs on it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from typing import Any, Protocol

from mobility_coach.adapters.remind_socket import ask
from mobility_coach.core.breaks.protocol import Request, Skip, Snooze, StartRoutine
from mobility_coach.core.paths import Paths

APP_NAME = "mobility-coach"
CALL_SECONDS = 5.0
DENIED = (
    "macOS did not allow notifications for this Python (allow them for it in System Settings, "
    "Notifications; macOS allows them only for a signed Python, such as python.org's)"
)


class Notifications(Protocol):
    """What is used of desktop_notifier.DesktopNotifier (a fake in tests)."""

    async def request_authorisation(self) -> bool: ...

    async def send(
        self,
        title: str,
        message: str,
        *,
        buttons: Sequence[Any],
    ) -> str: ...

    async def clear(self, identifier: str) -> None: ...


Say = Callable[[dict[str, object]], None]
Tell = Callable[[Request], Coroutine[Any, Any, None]]


async def serve(
    notifier: Notifications,
    lines: AsyncIterator[bytes],
    make_button: Callable[[str, Callable[[], None]], Any],
    snooze_label: str,
    say: Say,
    tell_owner: Tell,
) -> int:
    """Show, replace and close the notification as ``lines`` say; 0, or 1 when macOS refuses.
    Dismissed, the banner leaves the break due; the reminder closes this when it is handled."""
    shown: str | None = None
    told = False
    telling: set[asyncio.Task[None]] = set()

    def pressed(request: Request) -> Callable[[], None]:
        def press() -> None:
            task = asyncio.get_running_loop().create_task(tell_owner(request))
            telling.add(task)
            task.add_done_callback(telling.discard)

        return press

    buttons = [
        make_button("Start", pressed(StartRoutine())),
        make_button(snooze_label, pressed(Snooze())),
        make_button("Skip", pressed(Skip())),
    ]
    try:
        allowed = await asyncio.wait_for(notifier.request_authorisation(), CALL_SECONDS)
    except Exception as error:  # the framework fails in many ways: each means no notification
        say({"failed": f"macOS notifications failed: {error}"})
        return 1
    if not allowed:
        say({"failed": DENIED})
        return 1
    async for line in lines:
        fields = json.loads(line) if line.strip() else {"close": True}
        if shown is not None:
            await notifier.clear(shown)
            shown = None
        if fields.get("close"):
            break
        shown = await asyncio.wait_for(
            notifier.send(str(fields["title"]), str(fields["body"]), buttons=buttons),
            CALL_SECONDS,
        )
        if not told:
            say({"shown": 1, "actions": True})
            told = True
    if telling:
        await asyncio.wait(telling, timeout=CALL_SECONDS)
    return 0


async def _stdin_lines() -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.buffer.readline):
        yield line
    yield b""  # the reminder has gone: close


def _say(fields: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def _teller(environ: Mapping[str, str]) -> Tell:
    async def tell(request: Request) -> None:
        reply = await asyncio.get_running_loop().run_in_executor(
            None, ask, Paths.from_environment(environ), request, environ
        )
        said = reply.message if reply is not None else "no break clock answered"
        print(json.dumps({"action": request.command, "reply": said}), file=sys.stderr, flush=True)

    return tell


def main(argv: list[str]) -> int:  # pragma: no cover - macOS only
    # Installed on macOS only (pyproject.toml): unknown to type checks elsewhere.
    from desktop_notifier import Button, DesktopNotifier  # type: ignore[import-not-found, unused-ignore]
    from rubicon.objc.eventloop import EventLoopPolicy  # type: ignore[import-not-found, unused-ignore]

    snooze_label = argv[1] if len(argv) > 1 else "Snooze"
    asyncio.set_event_loop_policy(EventLoopPolicy())

    def make_button(title: str, on_pressed: Callable[[], None]) -> Any:
        return Button(title=title, on_pressed=on_pressed)

    async def run() -> int:
        notifier: Any = DesktopNotifier(app_name=APP_NAME)
        return await serve(notifier, _stdin_lines(), make_button, snooze_label, _say, _teller(os.environ))

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
