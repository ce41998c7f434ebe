"""End to end in a real browser: `mobility-coach serve`, and the system's headless Chromium
driven by Playwright, as a user would: the routine list, a filter, Enter, the check-in, and
a session whose countdown moves. On failure the tab's screenshot is saved and its path
printed. Skipped, saying why, only where Playwright or Chromium cannot start."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.served import ServeProcess

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from browser_harness import (
    CATCH_TERMINAL,
    launch_chromium,
    painted_cells,
    screen_text,
    wait_for_text,
)

SECONDS = 1000  # Playwright counts in milliseconds


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: python3 bootstrap.py --test installs it")
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except (Error, FileNotFoundError) as why:
            pytest.skip(f"Chromium cannot start here: {str(why).splitlines()[0]}")
        yield browser
        browser.close()


def test_a_desk_break_in_a_browser_tab(chromium: Any, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    # Silent, and no check-in today: the tab must pass it like a new user.
    (home / "data" / "state.json").write_text(json.dumps({"muted": True, "voice": False}))
    page = chromium.new_page(viewport={"width": 1200, "height": 800})
    try:
        with ServeProcess(home) as server:
            page.add_init_script(CATCH_TERMINAL)
            page.goto(server.url)
            wait_for_text(page, "Hourly desk break", 60 * SECONDS)
            assert "Floor mobility" in screen_text(page)
            # The keyboard goes to the terminal as after a user's first click there (a real
            # click would also land on a widget under the pointer).
            page.focus(".xterm-helper-textarea")
            page.keyboard.type("desk")
            _wait_until(page, lambda text: "Floor mobility" not in text, "the filter leaves out Floor mobility")
            page.keyboard.press("Enter")
            wait_for_text(page, "check-in for Hourly desk break", 20 * SECONDS)
            page.keyboard.press("s")  # nothing ticked: a clear check
            wait_for_text(page, "GET READY", 20 * SECONDS)
            _wait_until(page, lambda text: TIME_LEFT.search(text) is not None, "the session shows its time left")
            # The big countdown may come a frame after the time left: wait for it too.
            _wait_until(page, lambda text: bool(_countdown(page).strip(".\n ")), "the big countdown is drawn")
            first, left = _countdown(page), _seconds_left(screen_text(page))
            _wait_until(page, lambda text: _seconds_left(text) < left, "the time left goes down")
            _wait_until(page, lambda text: _countdown(page) != first, "the big countdown moves")
            assert "Seated cat-cow" in screen_text(page)
    except BaseException:
        shot = tmp_path / "browser-failure.png"
        page.screenshot(path=str(shot))
        print(f"\nscreenshot of the tab: {shot}\nwhat it showed:\n{screen_text(page)}")
        raise
    finally:
        page.close()


TIME_LEFT = re.compile(r"(\d+):(\d\d) left")


def _seconds_left(text: str) -> int:
    found = TIME_LEFT.search(text)
    assert found is not None, "no time left shown"
    return int(found.group(1)) * 60 + int(found.group(2))


def _countdown(page: Any) -> str:
    """The big countdown's picture under the phase, left of the toasts: its characters
    (small sizes draw it with lines) and its painted cells (large ones draw blocks)."""
    rows: list[str] = screen_text(page).splitlines()[3:14]
    picture: str = painted_cells(page, 3, 14, 60)
    return "\n".join(row[:60] for row in rows) + "\n" + picture


def _wait_until(page: Any, holds: Any, what: str, seconds: float = 20) -> None:
    """Poll what the tab shows until ``holds(text)``; the waiting is Playwright's."""
    for _ in range(int(seconds * 10)):
        if holds(screen_text(page)):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{what}: not within {seconds}s", pytrace=False)
