"""A footer whose less important keys give way when the screen is narrow.

The keys keep working, and the command palette still lists them; only their labels are
hidden (by CSS on the screen's width classes), so the ones that matter stay visible."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class PriorityFooter(Footer):
    def __init__(self, classes_by_action: Mapping[str, str]) -> None:
        """``classes_by_action`` maps an action (as bound) to a class for its key label,
        which the screen's CSS hides at the widths where it does not fit."""
        super().__init__()
        self.classes_by_action = dict(classes_by_action)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in self.classes_by_action:
                widget.add_class(self.classes_by_action[widget.action])
            yield widget
