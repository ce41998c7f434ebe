"""The header every screen shows, redrawn alone when its title changes.

The app's title carries the break countdown and so changes every second. Two things in
Textual's own header made that cost a whole screen each second: its title asks for a new
layout on every change, and a header on a screen hidden under another one still redraws,
which Textual passes on as a repaint of the whole visible screen. The title's line is one
row at full width whatever it says, so it redraws without a layout; and a hidden screen's
title waits until its screen is shown again.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle


class _FixedTitle(HeaderTitle):
    _waiting: VisualType | None = None

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        del layout  # its size never depends on what it says
        if self.is_mounted and self._hidden():
            self._waiting = content
            return
        self._waiting = None
        super().update(content, layout=False)

    def _hidden(self) -> bool:
        top = self.app.screen
        # Under a dialog the screen still shows (and its countdown with it).
        return self.screen is not top and not (isinstance(top, ModalScreen) and self.screen.is_current)

    def shown_again(self) -> None:
        if self._waiting is not None:
            self.update(self._waiting)


class TitleBar(Header):
    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield _FixedTitle()
        yield HeaderClockSpace()

    def on_mount(self) -> None:
        # Each time the stack changes (a screen over this one closed), catch up.
        self.watch(self.screen, "stack_updates", self._stack_changed, init=False)

    def _stack_changed(self) -> None:
        self.query_one(_FixedTitle).shown_again()
