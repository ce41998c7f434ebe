"""The desktop notification for one due break, in a process of its own (issue 13).

The reminder starts this only when a break falls due, so the D-Bus library and asyncio
are never loaded into the idle reminder (whose footprint is that of a bare select loop).
It lives while the notification does:

- stdin, one JSON object a line from the reminder: ``{"title", "body", "plain_body"}``
  shows the notification, or replaces it (the same id) when it is sent again; with
  ``"expire": SECONDS`` (a mini break's) it has no buttons, is of low urgency and marked
  transient (for servers that keep a history), and the server closes it after that long
  (and this process ends with it);
  ``{"close": true}`` or the end of stdin closes it, and this process ends.
- stdout, one JSON line, once: ``{"shown": ID, "actions": true|false}`` when it is on
  screen (with or without the Start / Snooze / Skip buttons, as the server's
  capabilities say: without, it shows ``plain_body``, which names the commands), or
  ``{"failed": "why"}`` when there is no notification service.
- An action the user picks goes to the break clock's owner over its command socket,
  exactly as ``mobility-coach remind snooze`` would: the owner then closes the
  notification (or the server already has); dismissing it ends this process and leaves
  the break due.

D-Bus through dbus-fast: it is kept up to date, pure Python where no wheel fits, async,
and lets us send ``replaces_id``, ask the server's capabilities and hear
``ActionInvoked`` ourselves (what desktop-notifier wraps but does not expose).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import os
import sys
from collections.abc import Mapping
from typing import Any

from dbus_fast import Message, MessageType, Variant
from dbus_fast.aio import MessageBus

from mobility_coach.adapters.remind_socket import ask
from mobility_coach.core.breaks.protocol import Request, Skip, Snooze, StartRoutine
from mobility_coach.core.paths import Paths

SERVICE = "org.freedesktop.Notifications"
OBJECT = "/org/freedesktop/Notifications"
APP_NAME = "mobility-coach"
ACTIONS: dict[str, Request] = {"start": StartRoutine(), "snooze": Snooze(), "skip": Skip()}
CALL_SECONDS = 5.0


class NoService(Exception):
    """No notification service answers; the message says why."""


async def _call(bus: MessageBus, member: str, signature: str = "", body: list[Any] | None = None) -> list[Any]:
    message = Message(
        destination=SERVICE, path=OBJECT, interface=SERVICE, member=member, signature=signature, body=body or []
    )
    reply = await asyncio.wait_for(bus.call(message), CALL_SECONDS)
    if reply is None or reply.message_type == MessageType.ERROR:
        raise NoService(f"{member}: {reply.error_name if reply else 'no answer'} {reply.body if reply else ''}")
    return list(reply.body)


class Notice:
    def __init__(self, bus: MessageBus, snooze_label: str, environ: Mapping[str, str]) -> None:
        self.bus = bus
        self.snooze_label = snooze_label
        self.environ = environ
        self.id = 0
        self.actions = False
        self.markup = False
        self.done = asyncio.Event()

    async def start(self) -> None:
        capabilities = (await _call(self.bus, "GetCapabilities"))[0]
        self.actions = "actions" in capabilities
        self.markup = "body-markup" in capabilities  # then '<' and '&' must be escaped
        await self._add_match()
        self.bus.add_message_handler(self._on_message)

    async def _add_match(self) -> None:
        # Not matched on the sender: the bus gives signals the server's unique name, and the
        # id we check below is what ties a signal to our notification.
        rule = f"type='signal',interface='{SERVICE}',path='{OBJECT}'"
        message = Message(
            destination="org.freedesktop.DBus",
            path="/org/freedesktop/DBus",
            interface="org.freedesktop.DBus",
            member="AddMatch",
            signature="s",
            body=[rule],
        )
        await asyncio.wait_for(self.bus.call(message), CALL_SECONDS)

    async def show(self, title: str, body: str, plain_body: str, expire: float | None = None) -> None:
        buttons = self.actions and expire is None
        actions = ["start", "Start", "snooze", self.snooze_label, "skip", "Skip"] if buttons else []
        hints = {"urgency": Variant("y", 1), "category": Variant("s", "x-mobility-coach.break")}
        if expire is not None:  # a mini break: quiet, and gone by itself
            hints.update(urgency=Variant("y", 0), transient=Variant("b", True))
        text = body if buttons else plain_body
        text = html.escape(text, quote=False) if self.markup else text
        # A due break's stays until it is handled (0: never expires).
        timeout = 0 if expire is None else max(1, int(expire * 1000))
        shown = await _call(
            self.bus,
            "Notify",
            "susssasa{sv}i",
            [APP_NAME, self.id, "appointment-soon", title, text, actions, hints, timeout],
        )
        self.id = int(shown[0])

    async def close(self) -> None:
        if self.id:
            with contextlib.suppress(NoService, TimeoutError):  # already gone
                await _call(self.bus, "CloseNotification", "u", [self.id])
        self.done.set()

    def _on_message(self, message: Message) -> bool:
        if message.message_type != MessageType.SIGNAL or message.interface != SERVICE:
            return False
        if message.member == "ActionInvoked" and message.body[:1] == [self.id]:
            request = ACTIONS.get(str(message.body[1]))
            if request is not None:
                asyncio.get_running_loop().run_in_executor(None, self._tell_owner, request)
        elif message.member == "NotificationClosed" and message.body[:1] == [self.id]:
            # Closed by the user, by an action, or by the reminder: nothing more to show.
            asyncio.get_running_loop().call_later(0.5, self.done.set)  # an action's answer is sent first
        return False

    def _tell_owner(self, request: Request) -> None:
        reply = ask(Paths.from_environment(self.environ), request, self.environ)
        said = reply.message if reply is not None else "no break clock answered"
        print(json.dumps({"action": request.command, "reply": said}), file=sys.stderr, flush=True)


def _say(fields: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


async def _serve(snooze_label: str) -> int:
    try:
        bus = await asyncio.wait_for(MessageBus().connect(), CALL_SECONDS)
    except Exception as error:  # any failure to reach a bus (its errors are many kinds): no service
        _say({"failed": f"no D-Bus session bus: {error}"})
        return 1
    notice = Notice(bus, snooze_label, os.environ)
    lines: asyncio.Queue[bytes] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    async def read_lines() -> None:
        while line := await reader.readline():
            await lines.put(line)
        await lines.put(b"")

    reading = asyncio.create_task(read_lines())
    try:
        await notice.start()
        told = False
        while not notice.done.is_set():
            getting = asyncio.create_task(lines.get())
            finished = asyncio.create_task(notice.done.wait())
            await asyncio.wait({getting, finished}, return_when=asyncio.FIRST_COMPLETED)
            finished.cancel()
            if not getting.done():
                getting.cancel()
                break
            line = getting.result()
            fields = json.loads(line) if line.strip() else {"close": True}
            if fields.get("close"):
                await notice.close()
                break
            expire = fields.get("expire")
            expire = float(expire) if isinstance(expire, int | float) and not isinstance(expire, bool) else None
            await notice.show(str(fields["title"]), str(fields["body"]), str(fields["plain_body"]), expire)
            if not told:
                _say({"shown": notice.id, "actions": notice.actions and expire is None})
                told = True
    except (NoService, TimeoutError) as error:
        _say({"failed": f"no notification service: {error}"})
        return 1
    finally:
        reading.cancel()
        bus.disconnect()
    return 0


def main(argv: list[str]) -> int:
    snooze_label = argv[1] if len(argv) > 1 else "Snooze"
    return asyncio.run(_serve(snooze_label))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
