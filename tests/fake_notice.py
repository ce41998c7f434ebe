"""A stand-in for the desktop notification (``adapters.notify.Notifier``): it keeps what
was shown and how often it was closed, and can play a system without buttons or without
any notification service."""

from __future__ import annotations

from collections.abc import Callable

from mobility_coach.adapters.notify import NoticeText, Shown


class FakeNotice:
    def __init__(
        self, record: Callable[[str, str], object] | None = None, *, service: bool = True, actions: bool = False
    ) -> None:
        """``record(title, body)`` hears each notification as it would be read: the plain
        body unless ``actions`` (a server with buttons)."""
        self.record = record
        self.service = service
        self.actions = actions
        self.shown: list[NoticeText] = []
        self.closed = 0
        self.on_screen = False

    def show(self, text: NoticeText) -> Shown | None:
        if not self.service:
            return None
        self.shown.append(text)
        self.on_screen = True
        if self.record is not None:
            self.record(text.title, text.body if self.actions else text.plain_body)
        return Shown(self.actions)

    def close(self) -> None:
        self.closed += 1
        self.on_screen = False
