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

Those few characters are painted straight to the terminal when nothing can be over them
(this screen is on top, and the columns show this widget), instead of through a screen
update: Textual's update (a timer resumed, the compositor asked for the dirty region, its
output queued) costs about a millisecond each time, which was most of what an idle app
spent. The widget's own caches are kept true, so any later redraw of the row shows the
same characters. Where the shortcut does not apply (under a dialog, covered, headless,
inline, mid-layout) the title is refreshed as any widget is.
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple, Self

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.style import Style
from textual._ansi_sequences import SYNC_END, SYNC_START
from textual.app import ComposeResult
from textual.content import Content
from textual.driver import Driver
from textual.errors import NoWidget
from textual.geometry import Offset, Region
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle

# The title's own punctuation, one cell each: with it set aside, a title is plain ASCII.
_TITLE_PUNCTUATION = str.maketrans("·—", "..")


def one_cell_each(text: str) -> bool:
    # Not rich's cell_len: it keeps each text it measures (4,096 of them), and this
    # one is new every second; its width of one character is kept per character.
    if text.translate(_TITLE_PUNCTUATION).isascii():
        return True
    return all(get_character_cell_size(character) == 1 for character in text)


def changed_columns(old: str, new: str, width: int) -> Region | None:
    """The columns of a centred one-line text of ``width`` cells that differ between
    ``old`` and ``new``, as a region to repaint; None when all of it must be (another
    length, or nothing shown yet). A column either side covers centring's rounding."""
    # Column arithmetic holds only where each character is one cell wide.
    if not old or len(old) != len(new) or not one_cell_each(old) or not one_cell_each(new):
        return None
    differ = [index for index, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    if not differ:
        return Region(0, 0, 0, 0)
    left = max(0, (width - len(new)) // 2 + differ[0] - 1)
    right = min(width, (width - len(new) + 1) // 2 + differ[-1] + 2)
    return Region(left, 0, right - left, 1)


class _Place(NamedTuple):
    """Where the title is, as of one arrangement of its screen (``layers``)."""

    layers: object
    width: int  # of its content
    content: Offset  # of its content within it
    offset: Offset  # of it on the screen
    outer_width: int


class _FixedTitle(HeaderTitle):
    _words: tuple[str, str] | None = None  # the title and sub-title shown, when known
    _content: Content | None = None  # how they read: built when Textual draws them
    _shown_text = ""
    _row: Row | None = None  # the row as last painted here, while only painting changed it
    _uncovered: tuple[object, Region, bool] | None = None  # (arrangement, columns, nothing over them)
    _arranged: _Place | None = None

    def render(self) -> VisualType:
        if self._content is None:
            self._content = self.app.format_title(*self._words) if self._words else Content("")
        return self._content

    def show(self, title: str, sub_title: str) -> None:
        """Show these words. A new countdown in the same sub-title is worked out as text
        (Textual's header puts the title first): the styled content is built only if
        Textual draws the row, which, painting the changed characters itself, it rarely does."""
        words = (title, sub_title)
        if words == self._words:
            return
        old, shown = self._words, self._shown_text
        if old is not None and old[1] == sub_title and shown.startswith(old[0]):
            self._words = words
            self._set_text(title + shown[len(old[0]) :], None)
        else:
            content = self.app.format_title(title, sub_title)
            self._words = words
            self._set_text(content.plain, content)

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        # Textual's header, on a change of a screen's title or sub-title.
        del layout  # its size never depends on what it says
        shown = content if isinstance(content, Content) else Content(str(content))
        self._words = None
        self._set_text(shown.plain, shown)

    def _set_text(self, text: str, content: Content | None) -> None:
        old, self._shown_text = self._shown_text, text
        self._content = content
        columns = changed_columns(old, text, self._place().width) if self.is_mounted else None
        if columns is not None and not columns:
            return  # the same words: nothing to draw
        if columns is not None and self._can_paint(columns) and (row := self._new_row(old, text)) is not None:
            self._paint(columns, row)
        elif columns is not None:
            self.refresh(columns)
        else:
            self.refresh()

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        self._row = None  # drawn by Textual from here: its styles may have changed too
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    @cached_property
    def _screen(self) -> Screen[object]:
        return self.screen  # a widget never moves to another screen

    def _can_paint(self, columns: Region) -> bool:
        """Whether ``columns`` (of the content) can go straight to the terminal: what is
        on screen there is this widget, up to date but for them."""
        app, screen = self.app, self._screen
        driver = app._driver
        if app.is_headless or driver is None or driver.is_inline or app._batch_count:
            return False
        if screen is not app.screen or self._repaint_required or screen._layout_required:
            return False
        # Where this widget is, and who is on top where, hold until the screen is next
        # arranged (a new list).
        layers = screen._compositor.layers_visible
        if self._uncovered is not None and self._uncovered[0] is layers and self._uncovered[1] == columns:
            return self._uncovered[2]
        at = self._on_screen(columns)
        try:
            uncovered = all(screen.get_widget_at(x, at.y)[0] is self for x in range(at.x, at.right))
        except NoWidget:
            uncovered = False
        self._uncovered = (layers, columns, uncovered)
        return uncovered

    def _place(self) -> _Place:
        """Asked every second, worked out once per arrangement of the screen (each of
        Textual's answers walks the styles)."""
        layers = self._screen._compositor._layers_visible
        if self._arranged is None or self._arranged.layers is not layers or layers is None:
            self._arranged = _Place(
                layers, self.size.width, self.content_offset, self.region.offset, self.outer_size.width
            )
        return self._arranged

    def _on_screen(self, columns: Region) -> Region:
        place = self._place()
        return columns.translate(place.content).translate(place.offset)

    def _new_row(self, old: str, new: str) -> Row | None:
        """The row with ``new`` in place of ``old``, without rendering the content again."""
        row = self._row
        if row is None:
            # Any change not painted here went through refresh(), which forgets the row.
            width = self._place().outer_width
            row = Row.of(self.render_lines(Region(0, 0, width, 1))[0], width)  # from Textual's cache
        return row.substituted(old, new) if row is not None else None

    def _paint(self, columns: Region, row: Row) -> None:
        place = self._place()
        # Textual's caches are marked stale (they are rendered afresh only if Textual
        # draws this row again), without asking the screen for an update: Widget._set_dirty
        # without its repaint, and with the content's offset as kept for this arrangement.
        stale = columns.translate(place.content)
        self._dirty_regions.add(stale)
        self._styles_cache.set_dirty(stale)
        self._layout_cache.clear()  # where Textual keeps the content it last rendered
        self._row = row
        app = self.app
        driver = app._driver
        assert driver is not None  # _can_paint said so
        at = stale.translate(place.offset)
        drawn = row.render(stale.x, stale.right, app.console._color_system or ColorSystem.TRUECOLOR)
        # One write, so the output thread wakes once; the cursor is saved and restored
        # around it, so it stays wherever Textual's last update left it.
        text = f"\x1b7\x1b[{at.y + 1};{at.x + 1}H{drawn}\x1b8"
        write_quietly(driver, f"{SYNC_START}{text}{SYNC_END}" if app._sync_available else text)


class Row(NamedTuple):
    """A row of one-cell characters and the styles of its spans of columns, as Textual
    drew it: new characters of the same length take the styles of those they replace,
    and a few columns of it are written as Textual would write them, without building
    and cropping a Strip each second."""

    text: str
    spans: tuple[tuple[int, int, Style | None], ...]  # (first column, after the last, style)

    @classmethod
    def of(cls, line: Strip, width: int) -> Row | None:
        """The row of a line Textual rendered; None unless it is ``width`` cells of one
        cell each (where columns and characters are the same)."""
        text = line.text
        if line.cell_length != width or len(text) != width:
            return None
        spans = []
        x = 0
        for segment in line:
            if segment.control:
                return None
            end = x + len(segment.text)
            spans.append((x, end, segment.style))
            x = end
        return cls(text, tuple(spans))

    def substituted(self, old: str, new: str) -> Row | None:
        """This row with the text ``old`` replaced by ``new`` of the same length; None
        when ``old`` is not in it."""
        at = self.text.find(old)
        if at < 0 or len(new) != len(old):
            return None
        return Row(self.text[:at] + new + self.text[at + len(old) :], self.spans)

    def render(self, left: int, right: int, color_system: ColorSystem) -> str:
        """Columns ``left`` to ``right`` as Textual writes them to the terminal."""
        render = Strip.render_style
        text = self.text
        return "".join(
            [
                text[max(start, left) : min(end, right)]
                if style is None
                else render(style, text[max(start, left) : min(end, right)], color_system)
                for start, end, style in self.spans
                if start < right and end > left and start < end
            ]
        )


def write_quietly(driver: Driver, text: str) -> None:
    """Write ``text`` to the terminal after everything already written. When Textual's
    output thread is asleep on an empty queue (and, this thread holding the GIL, stays
    so), it is written here: waking that thread, and handing the GIL to it and back,
    were most of an idle second's wake-ups."""
    writer = getattr(driver, "_writer_thread", None)
    queue = getattr(writer, "_queue", None)
    file = getattr(writer, "_file", None)
    if queue is not None and file is not None and not queue.queue and getattr(queue.not_empty, "_waiters", None):
        file.write(text)
        file.flush()
    else:
        driver.write(text)


class TitleBar(Header):
    """Textual's header, with a title that is told when the app's title changes (the app
    sets its title quietly: each change through Textual's watchers would wake every
    header's message queue and ask for a screen refresh, every second)."""

    def __init__(self) -> None:
        super().__init__()
        self._title = _FixedTitle()

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield self._title
        yield HeaderClockSpace()

    def on_mount(self) -> None:
        # Each time the stack changes (a screen over this one closed), catch up.
        self.watch(self.screen, "stack_updates", self._stack_changed, init=False)

    def show_title(self) -> None:
        """Show the title as it is now (a change of the countdown is a few characters)."""
        # Header.format_title, with the screen looked up once: finding a widget's screen
        # walks up the tree, and this runs every second.
        if self._title.parent is None:
            return  # not mounted yet: Header's own mount shows the title then
        screen, app = self._title._screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        self._title.show(title, sub_title)

    def _stack_changed(self) -> None:
        self.show_title()
