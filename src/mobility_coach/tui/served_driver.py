"""Textual's web driver, for the app in a browser tab (``mobility-coach serve``), with one
thing added: when the server goes without saying goodbye (killed, crashed), the app's
input simply ends, and Textual's driver would leave the app running on, unseen, with its
session "running". Here the end of input ends the app, as a closed terminal does, so the
session is recorded as interrupted there and then."""

from __future__ import annotations

from textual import messages
from textual.drivers.web_driver import WebDriver

SERVED_DRIVER = "mobility_coach.tui.served_driver:ServedDriver"
"""The TEXTUAL_DRIVER value the server starts each tab's app with."""


class ServedDriver(WebDriver):
    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # no goodbye: set only when the app itself stops
            self._app.post_message(messages.ExitApp())
