"""The header every screen shows, redrawn alone when its title changes.

The app's title carries the break countdown and so changes every second. Two things in
Textual's own header made that cost a whole screen each second: its title asks for a new
layout on every change, and a header on a screen hidden under another one still redraws,
which Textual passes on as a repaint of the whole visible screen. The title's line is one
row at full width whatever it says, so it redraws without a layout; and a hidden screen's
title waits until its screen is shown again.

And only what changed is drawn: when the new title is as long as the old one (the
countdown's seconds ticking), just the columns between its first and last changed
character are marked for a repaint, so each second the terminal gets those few
characters, not the whole row (bench/idle.py counts the bytes).
"""

from __future__ import annotations

from typing import Self

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle


def changed_columns(old: str, new: str, width: int) -> Region | None:
    """The columns of a centred one-line text of ``width`` cells that differ between
    ``old`` and ``new``, as a region to repaint; None when all of it must be (another
    length, or nothing shown yet). A column either side covers centring's rounding."""
    # Column arithmetic holds only where each character is one cell wide.
    if not old or len(old) != len(new) or cell_len(old) != len(old) or cell_len(new) != len(new):
        return None
    differ = [index for index, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    if not differ:
        return Region(0, 0, 0, 0)
    left = max(0, (width - len(new)) // 2 + differ[0] - 1)
    right = min(width, (width - len(new) + 1) // 2 + differ[-1] + 2)
    return Region(left, 0, right - left, 1)


class _FixedTitle(HeaderTitle):
    _waiting: VisualType | None = None
    _shown_text = ""
    _repaint_only: Region | None = None

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        del layout  # its size never depends on what it says
        if self.is_mounted and self._hidden():
            self._waiting = content
            return
        self._waiting = None
        text = content.plain if isinstance(content, Content) else str(content)
        if self.is_mounted:
            self._repaint_only = changed_columns(self._shown_text, text, self.size.width)
        self._shown_text = text
        if self._repaint_only is not None and not self._repaint_only:
            self._repaint_only = None
            return  # the same words: nothing to draw
        super().update(content, layout=False)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        # Static.update() asks for the whole widget; a tick of the countdown needs less.
        if self._repaint_only is not None and not regions and not layout and not recompose:
            regions = (self._repaint_only,)
        self._repaint_only = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _hidden(self) -> bool:
        top = self.app.screen
        # Under a dialog the screen still shows (and its countdown with it).
        return self.screen is not top and not (isinstance(top, ModalScreen) and self.screen.is_current)

    def shown_again(self) -> None:
        if self._waiting is not None:
            self._shown_text = ""  # the screen was covered: draw it all
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
