"""The baseline: a bare Textual app showing one Digits countdown, updated like ours."""

from textual.app import App, ComposeResult
from textual.widgets import Digits


class BareDigits(App[None]):
    TITLE = "bare-digits"

    def compose(self) -> ComposeResult:
        yield Digits("0:30")

    def on_mount(self) -> None:
        self.left = 30.0
        self.set_interval(0.1, self.tick)

    def tick(self) -> None:
        self.left = max(0.0, self.left - 0.1)
        self.query_one(Digits).update(f"0:{int(self.left):02d}")


if __name__ == "__main__":
    BareDigits().run()
