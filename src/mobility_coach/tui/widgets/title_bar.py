"""The header every screen shows: the app's name, the break clock's status (its
countdown changes each second) and the screen's sub-title, on one row.

The app tells the headers that can be seen when the status changes; the title line then
repaints its own row, with no new layout (its size never depends on what it says), and
Textual sends the terminal what changed. A header hidden under another screen catches up
when its screen is shown again.

Where the row is too narrow for all of it, the words give way, never the countdown's
digits: first the app's name, then the sub-title, then the status's own words are
shortened ("break in 59:58")."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.dom import NoScreen
from textual.events import Click
from textual.widget import Widget

# The status's words, shortened in this order where the row is narrow.
SHORTER_WORDS = (("next break in ", "break in "), (" (remind)", ""), ("reminders paused", "paused"))
NAME_MARK = " · "  # between the app's name and the status, in the app's title


def fitted_title(title: str, sub_title: str, width: int) -> tuple[str, str]:
    """The title and sub-title to show in ``width`` cells: the whole of them when they
    fit, else without the app's name, then without the sub-title, then in shorter words;
    the shortest when nothing fits (Textual then crops it)."""
    _, mark, status = title.partition(NAME_MARK)
    status = status if mark else title
    short = status
    for long_words, short_words in SHORTER_WORDS:
        short = short.replace(long_words, short_words)
    candidates = [(title, sub_title), (status, sub_title), (status, ""), (short, "")]
    for candidate in candidates:
        words, sub = candidate
        if len(words) + (len(" — ") + len(sub) if sub else 0) <= width:
            return candidate
    return candidates[-1]


class TitleIcon(Widget):
    """The icon at the left of the header, as Textual's: a click opens the command palette."""

    DEFAULT_CSS = """
    TitleIcon {
        dock: left;
        padding: 0 1;
        width: 8;
        content-align: left middle;
    }
    TitleIcon:hover {
        background: $foreground 10%;
    }
    """

    def on_mount(self) -> None:
        self.tooltip = "Open the command palette"

    async def on_click(self, event: Click) -> None:
        event.stop()
        await self.run_action("app.command_palette")

    def render(self) -> str:
        return "⭘"


class TitleSpace(Widget):
    """The space at the right, where Textual's header keeps its clock: the title stays centred."""

    DEFAULT_CSS = """
    TitleSpace {
        dock: right;
        width: 10;
        padding: 0 1;
    }
    """

    def render(self) -> str:
        return ""


class TitleLine(Widget):
    """The title and sub-title, centred, redrawn alone when they change."""

    DEFAULT_CSS = """
    TitleLine {
        text-wrap: nowrap;
        text-overflow: ellipsis;
        content-align: center middle;
        width: 100%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.words = ("", "")
        """The title and sub-title to show (shortened to fit when they are drawn)."""

    def show(self, title: str, sub_title: str) -> None:
        if (title, sub_title) != self.words:
            self.words = (title, sub_title)
            self.refresh()

    def render(self) -> Content:
        return self.app.format_title(*fitted_title(*self.words, self.size.width))


class TitleBar(Widget):
    """The header: the icon, the title line, and room on the right as Textual's header keeps."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._line = TitleLine()

    def compose(self) -> ComposeResult:
        yield TitleIcon()
        yield self._line
        yield TitleSpace()

    def on_mount(self) -> None:
        screen = self.screen
        # A change of the screen's own title or sub-title, and the screen shown again
        # after another over it closed (its header missed the seconds meanwhile).
        self.watch(screen, "sub_title", self._screen_changed, init=False)
        self.watch(screen, "title", self._screen_changed, init=False)
        self.watch(screen, "stack_updates", self._screen_changed, init=False)
        self.show_title()

    def _screen_changed(self) -> None:
        self.show_title()

    def show_title(self) -> None:
        """Show the title as it is now (the app calls this when the break status changes)."""
        try:
            screen, app = self.screen, self.app
        except NoScreen:
            return  # not mounted yet: its mount shows the title
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        self._line.show(title, sub_title)
