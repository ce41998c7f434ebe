"""Make the README's pictures of the app, with Textual's own save_screenshot:

    .venv/bin/python docs/screenshots/make.py

Each is the real app, built as the tests build it (a fake clock, no sound, a fresh home,
times in UTC), driven to the moment shown, so the pictures come out the same on every
machine; tests/tui/test_readme_pictures.py fails when one no longer matches the app.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for the tests' app builder

from textual.pilot import Pilot  # noqa: E402

from mobility_coach.core.clock import FakeClock  # noqa: E402
from tests.tui.conftest import advance, make_app  # noqa: E402

Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def on_home(pilot: Pilot[Any]) -> None:
    await pilot.pause()


async def in_a_session(pilot: Pilot[Any]) -> None:
    await pilot.press("s")  # the check-in: clear
    await advance(pilot, 112.0)  # floor mobility: the open book, its first reps


# name: (terminal size, routine opened at start or None for home, what is done before)
PICTURES: dict[str, tuple[tuple[int, int], str | None, Steps]] = {
    "home.svg": ((100, 30), None, on_home),
    "session.svg": ((100, 30), "floor-mobility", in_a_session),
}


async def picture(size: tuple[int, int], start: str | None, steps: Steps, folder: Path, name: str) -> Path:
    with tempfile.TemporaryDirectory() as home:
        app = make_app(Path(home), start=start, clock=FakeClock())
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            return Path(app.save_screenshot(filename=name, path=str(folder)))


def make(folder: Path = HERE) -> list[Path]:
    """Write every picture into ``folder``; the paths written."""
    os.environ["TZ"] = "UTC"  # home says when the next break comes as a time of day
    time.tzset()
    return [asyncio.run(picture(*PICTURES[name], folder, name)) for name in PICTURES]


if __name__ == "__main__":
    for path in make():
        print(path)
