"""The keystroke baseline: a bare Textual app with one focused Input, which echoes a key."""

from textual.app import App, ComposeResult
from textual.widgets import Input


class BareInput(App[None]):
    TITLE = "bare-input"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type to filter")


if __name__ == "__main__":
    BareInput().run()
