"""The idle baseline: a bare Textual app with a header, one line of text and a footer,
doing nothing, as a Textual app left open in a terminal tab does."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareIdle(App[None]):
    TITLE = "bare-idle"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hourly desk break")
        yield Footer()


if __name__ == "__main__":
    BareIdle().run()
