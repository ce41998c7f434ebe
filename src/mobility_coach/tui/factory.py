"""The one place that builds the app, for `mobility-coach` and for the tests alike (as
Posting's ``make_posting`` does): it loads what the app works with and hands it over in
one Collaborators; a test passes fakes for the parts it controls and gets the rest real."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path

from mobility_coach.adapters import idle as idle_detection
from mobility_coach.adapters import meetings
from mobility_coach.adapters.idle import IdleSource
from mobility_coach.adapters.platform_parts import has_unix_sockets
from mobility_coach.adapters.sound import CuePlayer, Playsound3Backend
from mobility_coach.adapters.speech import Voice, speech_engine
from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.config import Settings, load_settings
from mobility_coach.core.history.store import DB_NAME, History, HistoryError
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import Library, load_all
from mobility_coach.core.state import StateStore
from mobility_coach.tui import collector
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.collaborators import Collaborators, CueMaker, MeetingHolds, VoiceMaker


def real_cues(bell: Callable[[], None], on_problem: Callable[[str], None], *, muted: bool) -> CuePlayer:
    """Cue sounds through playsound3, on a thread of their own so the countdown never waits."""
    return CuePlayer(Playsound3Backend(), bell, on_problem, muted=muted)


def real_voice(cache_dir: Path, settings: Settings, on_problem: Callable[[str], None], *, on: bool) -> Voice:
    """The system's offline voice (adapters/speech.py), its phrases cached in ``cache_dir``.
    Nothing starts until a session asks for its phrases."""
    engine = speech_engine(settings.voice_rate, settings.voice_name)
    return Voice(engine, cache_dir, on_problem, rate=settings.voice_rate, count_reps=settings.voice_counts_reps, on=on)


def open_history(paths: Paths) -> tuple[History | None, str | None]:
    """The history, or why there is none: the app then runs without recording."""
    try:
        return History(paths.data_dir / DB_NAME), None
    except HistoryError as error:
        return None, str(error)


def make_parts(
    paths: Paths,
    environ: Mapping[str, str],
    *,
    start_routine: str | None = None,
    library: Library | None = None,
    clock: Clock | None = None,
    make_cues: CueMaker | None = None,
    make_voice: VoiceMaker | None = None,
    today: Callable[[], date] = date.today,
    idle: IdleSource | None = None,
    holds: MeetingHolds | None = None,
    listen_for_reminder: bool = True,
) -> Collaborators:
    """Everything the app works with, loaded from ``paths``; each keyword replaces one part
    (tests pass a fake clock, a fake speaker, no idle detection, no reminder socket). A
    fake speaker gets no voice unless ``make_voice`` is given too: it hears only tones."""
    library = library if library is not None else load_all(paths)
    settings, settings_problems = load_settings(paths.config_file, library.routines)
    history, history_problem = open_history(paths)
    return Collaborators(
        library=library,
        state_store=StateStore(paths.state_file),
        clock=clock or SystemClock(),
        make_cues=make_cues or real_cues,
        settings=settings,
        settings_problems=settings_problems,
        history=history,
        history_problem=history_problem,
        idle=idle or idle_detection.detect(environ),
        holds=holds or meeting_holds(environ),
        # Without Unix sockets (Windows) the app keeps its break clock alone, in-process.
        reminder_paths=paths if listen_for_reminder and has_unix_sockets() else None,
        clock_store=ClockStore(paths.break_clock_file),
        environ=environ,
        today=today,
        start_routine=start_routine,
        files=LiveFiles(paths, settings, settings_problems, library),
        make_voice=make_voice or (partial(real_voice, paths.speech_dir) if make_cues is None else None),
    )


def meeting_holds(environ: Mapping[str, str]) -> MeetingHolds:
    """The meeting detectors, found again when the ``holds`` setting changes (finding them
    starts no process; they run only when a break falls due)."""
    found: dict[tuple[str, ...], Callable[[], str | None]] = {}

    def reason(wanted: tuple[str, ...]) -> str | None:
        if wanted not in found:
            found.clear()
            found[wanted] = meetings.detect(wanted, environ)
        return found[wanted]()

    return reason


def run_app(
    paths: Paths, library: Library, routine_id: str | None, environ: Mapping[str, str], note: str | None = None
) -> int:
    """`mobility-coach` and `mobility-coach run ROUTINE`, once tui/preflight.py has let them
    through: the exit status of the app. ``note``: what the start has to say (cli.main)."""
    parts = make_parts(paths, environ, start_routine=routine_id, library=library)
    parts.start_note = note
    parts.after_first_frame = collector.settle_soon
    app = MobilityCoachApp(parts)
    app.run()
    return app.return_code or 0  # 128 + the signal, after a SIGTERM or SIGHUP
