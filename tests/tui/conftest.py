from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual import on
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.sound import CuePlayer, SoundBackend, SoundError
from mobility_coach.adapters.speech import Voice
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.core.paths import Paths
from mobility_coach.core.session.outcome import SessionOutcome
from mobility_coach.tui import app as app_module
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.collaborators import CueMaker, VoiceMaker
from mobility_coach.tui.factory import make_parts
from mobility_coach.tui.messages import SessionEnded
from mobility_coach.tui.screens.player import PlayerScreen
from tests.fake_voice import FakeEngine

TODAY = date(2026, 11, 21)


class FakeSpeaker:
    """Records which sound played at which monotonic second."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.played: list[tuple[float, str]] = []

    def play(self, path: Path) -> None:
        assert path.is_file(), path
        self.played.append((self.clock.monotonic(), path.stem))


class NoAudioSpeaker:
    def __init__(self) -> None:
        self.calls = 0

    def play(self, path: Path) -> None:
        self.calls += 1
        raise SoundError("no audio player found (on Linux, install gstreamer1.0-tools)")


class CrashingSpeaker:
    def play(self, path: Path) -> None:
        raise RuntimeError("backend exploded")


class ObservedApp(MobilityCoachApp):
    """The app, with every session's outcome kept for the test to read."""

    CSS_PATH = Path(app_module.__file__).with_name("app.tcss")  # a relative path would be the test's

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes: list[SessionOutcome] = []

    @on(SessionEnded)
    def _observe_outcome(self, message: SessionEnded) -> None:
        self.outcomes.append(message.outcome)


def fake_voice(cache: Path, engine: FakeEngine | None = None) -> Callable[..., Voice]:
    """A voice that renders phrases with the fake engine into ``cache``."""

    def make(settings: Settings, on_problem: Callable[[str], None], *, on: bool) -> Voice:
        return Voice(engine or FakeEngine(), cache, on_problem, rate=settings.voice_rate, on=on)

    return make


def cues_through(speaker: SoundBackend) -> CueMaker:
    """Cue sounds played on the caller's thread, so a test sees each one when it happens."""

    def make(bell: Callable[[], None], on_problem: Callable[[str], None], *, muted: bool) -> CuePlayer:
        return CuePlayer(speaker, bell, on_problem, muted=muted, threaded=False)

    return make


def make_app(
    home: Path,
    *,
    clock: FakeClock | None = None,
    speaker: Any = None,
    today: Callable[[], date] = lambda: TODAY,
    start: str | None = None,
    settings: Settings | None = None,
    shared: bool = False,
    voice: VoiceMaker | None = None,
) -> ObservedApp:
    """The app as the factory builds it for users, with a fake clock and speaker and no idle
    detection; ``shared``: it owns or follows the break clock over the home's socket, as
    a user's app does (else it keeps its own, looking for nobody)."""
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    clock = clock or FakeClock()
    parts = make_parts(
        paths,
        {},
        start_routine=start,
        clock=clock,
        make_cues=cues_through(speaker if speaker is not None else FakeSpeaker(clock)),
        today=today,
        idle=NoIdle(),
        holds=lambda wanted: None,
        listen_for_reminder=shared,
        make_voice=voice,
    )
    return ObservedApp(parts if settings is None else replace(parts, settings=settings))


@pytest.fixture(autouse=True)
def still_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make snapshots depend on when they are taken."""
    monkeypatch.setattr(Input.cursor_blink, "_default", False)


@pytest.fixture(autouse=True)
def utc_clock_face(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Home says when the next break comes as a time of day: in UTC here, so snapshots
    do not depend on the machine's time zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def player_screen(app: MobilityCoachApp) -> PlayerScreen:
    return next(s for s in reversed(app.screen_stack) if isinstance(s, PlayerScreen))


async def advance(pilot: Pilot[Any], seconds: float, step: float = 0.25) -> None:
    """Move the fake clock in UI-sized ticks, letting the session player (if any) and the
    break schedule see each one, as their timers would."""
    app = pilot.app
    assert isinstance(app, MobilityCoachApp)
    clock = app.clock
    assert isinstance(clock, FakeClock)
    moved = 0.0
    while moved < seconds - 1e-9:
        d = min(step, seconds - moved)
        clock.advance(d)
        moved += d
        players = [s for s in app.screen_stack if isinstance(s, PlayerScreen)]
        if players:
            players[-1].tick()
        app.break_tick()
    await pilot.pause()


def on_screen(widget: Widget) -> bool:
    """Whether the widget is actually drawn (not clipped or covered) at its centre."""
    x, y = widget.region.center
    try:
        return widget.screen.get_widget_at(int(x), int(y))[0] is widget
    except NoWidget:
        return False


def asyncio_test(function: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test without a plugin."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(function(*args, **kwargs))

    return run


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    root.mkdir()
    return root
