"""Driving the app's browser tab in the system's headless Chromium through Playwright, and
reading what the tab shows: shared by the end-to-end test and the serve bench.

The page draws the terminal on a canvas (xterm.js), so there is no text in the DOM to
read. Its script keeps the xterm ``Terminal`` in a closure; an init script catches it as
it is assigned (``this.terminal = new Terminal(...)``) and hands it to the test, which
then reads xterm's own screen buffer: the characters the tab shows and their colours.
Playwright's browser downloads are never used: ``executable_path`` names Debian's
``chromium`` (apt-get install chromium).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("MOBILITY_COACH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && typeof value.write === "function") { window.__terminal = value; }
  },
});
"""

SCREEN_TEXT = """() => {
  const t = window.__terminal;
  if (!t) return "";
  const b = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) {
    const l = b.getLine(b.viewportY + y);
    rows.push(l ? l.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""

# The big countdown is drawn with coloured (or inverse) blanks, not characters: its picture is the
# pattern of cells whose background differs from the screen's own (the commonest blank),
# in the rows under the phase.
PAINTED_CELLS = """([top, bottom, width]) => {
  const t = window.__terminal;
  if (!t) return "";
  const b = t.buffer.active, keys = [], counts = new Map();
  for (let y = top; y < Math.min(bottom, t.rows); y++) {
    const l = b.getLine(b.viewportY + y), row = [];
    for (let x = 0; x < Math.min(width, t.cols); x++) {
      const c = l.getCell(x);
      const blank = c !== undefined && (c.getChars() === "" || c.getChars() === " ");
      // A blank drawn in reverse video shows its foreground colour as its background.
      const key = !blank ? "text" : c.isInverse()
        ? "inverse:" + c.getFgColorMode() + ":" + c.getFgColor()
        : c.getBgColorMode() + ":" + c.getBgColor();
      counts.set(key, (counts.get(key) || 0) + 1);
      row.push(key);
    }
    keys.push(row);
  }
  let base = "", most = -1;
  for (const [key, n] of counts) { if (key !== "text" && n > most) { base = key; most = n; } }
  return keys.map(row => row.map(key => key !== "text" && key !== base ? "#" : ".").join("")).join("\\n");
}"""


def launch_chromium(playwright: Any) -> Any:
    """Headless Chromium from the system; raises Playwright's Error when it cannot start.
    As root, Chromium refuses its sandbox, so it runs without (only pages of this test load)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is not installed (apt-get install chromium)")
    arguments = ["--no-sandbox"] if os.geteuid() == 0 else []
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=arguments)


def screen_text(page: Any) -> str:
    text: str = page.evaluate(SCREEN_TEXT)
    return text


def painted_cells(page: Any, top: int, bottom: int, width: int) -> str:
    cells: str = page.evaluate(PAINTED_CELLS, [top, bottom, width])
    return cells


def wait_for_text(page: Any, text: str, timeout_ms: float) -> None:
    """Until the tab shows ``text`` somewhere (polled in the page, by Playwright)."""
    page.wait_for_function(f"() => ({SCREEN_TEXT})().includes({text!r})", timeout=timeout_ms)
