"""Only the user can read what mobility-coach keeps: the settings, data and cache folders
are 0700 and every file written in them 0600 (the history holds pain answers and journal
notes). Folders an older release left open are closed at the next start, which says so
once; a folder or file of another user's is refused, not used."""

from __future__ import annotations

import io
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.cli import main
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.history.store import DB_NAME, History
from mobility_coach.core.paths import Paths
from mobility_coach.tui.factory import make_parts
from tests.tui.conftest import FakeSpeaker, ObservedApp, advance, asyncio_test, cues_through, fake_voice, make_app

NOTE = "could be read by other users"


def modes(home: Path) -> dict[str, str]:
    """Every folder and file below ``home`` (home itself aside) and its permissions."""
    found = {}
    for root, folders, files in os.walk(home):
        for name in (*folders, *files):
            path = Path(root, name)
            found[str(path.relative_to(home))] = oct(stat.S_IMODE(os.lstat(path).st_mode))
    return found


def loose(home: Path) -> dict[str, str]:
    """What is not as it should be: folders 0700, anything else 0600."""
    return {
        name: mode
        for name, mode in modes(home).items()
        if mode != ("0o700" if (home / name).is_dir() and not (home / name).is_symlink() else "0o600")
    }


@pytest.fixture(autouse=True)
def usual_umask() -> object:
    """The umask most users have (files 0644, folders 0755 unless made otherwise)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@asyncio_test
async def test_everything_a_fresh_home_gets_is_the_users_alone(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    for args in (("config", "--init"), ("new", "My stretch"), ("log", "urge", "--where", "neck"), ("history",)):
        done = cli(*args)
        assert done.code == 0 and NOTE not in done.err, (args, done.err)
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    app = make_app(home, start="desk-break", shared=True, voice=fake_voice(paths.speech_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # the check-in
        await pilot.press("m")  # muted: state.json
        await advance(pilot, 40.0)
        await pilot.press("q", "y")
        await pilot.pause()
    made = modes(home)
    for name in ("config/config.yaml", "config/routines/my-stretch.yaml", f"data/{DB_NAME}", "data/state.json"):
        assert name in made, sorted(made)
    assert any(name.startswith("cache/speech/") for name in made), sorted(made)
    assert loose(home) == {}
    assert cli("history").err == ""


def old_layout(home: Path) -> None:
    """Folders and files as an older release left them: 0755 and 0644."""
    (home / "config" / "routines").mkdir(parents=True)
    (home / "config" / "config.yaml").write_text("reminders:\n  every: 1h\n")
    (home / "config" / "routines" / "mine.yaml").write_text("routines: {}\n")
    (home / "data").mkdir()
    History(home / "data" / DB_NAME).close()
    (home / "data" / "state.json").write_text("{}")
    (home / "cache" / "speech").mkdir(parents=True)
    (home / "cache" / "speech" / "phrase.wav").write_bytes(b"RIFF")
    (home / "data" / "link").symlink_to("/etc/hostname")  # not ours to change: left alone
    for name in modes(home):
        path = home / name
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_an_old_layout_is_closed_at_the_next_start_which_says_so_once(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old_layout(home)
    assert loose(home) != {}
    first = cli("history")
    assert first.code == 0
    assert first.err.count("\n") == 1 and NOTE in first.err, first.err
    for folder in ("config", "data", "cache"):
        assert str(home / folder) in first.err
    assert {name: mode for name, mode in loose(home).items() if name != "data/link"} == {}
    assert stat.S_IMODE(Path("/etc/hostname").stat().st_mode) & 0o044  # the link's target untouched
    again = cli("history")
    assert again.code == 0 and again.err == ""


def test_the_app_shows_the_note_instead_of_printing_it(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mobility_coach.cli import launch

    old_layout(home)
    seen: list[str | None] = []
    monkeypatch.setattr(launch, "run_app", lambda paths, routine, environ, note=None: seen.append(note) or 0)
    err = io.StringIO()
    assert main([], environ={"MOBILITY_COACH_HOME": str(home)}, out=io.StringIO(), err=err) == 0
    assert err.getvalue() == "" and len(seen) == 1 and seen[0] is not None and NOTE in seen[0]


@asyncio_test
async def test_the_apps_start_note_is_a_toast(home: Path) -> None:
    clock = FakeClock()
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    parts = make_parts(
        paths, {}, clock=clock, make_cues=cues_through(FakeSpeaker(clock)), idle=NoIdle(), listen_for_reminder=False
    )
    app = ObservedApp(replace(parts, start_note="the note"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert any("the note" in str(toast.render()) for toast in app.screen.query(Toast))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_a_folder_or_file_of_another_users_is_refused(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old_layout(home)
    history = home / "data" / DB_NAME
    os.chown(history, 12345, 12345)  # as `sudo mobility-coach` with HOME kept would leave it
    done = cli("history")
    assert done.code != 0 and f"{history} belongs to another user" in done.err, done.err
    os.chown(history, os.geteuid(), os.getegid())
    os.chown(home / "data", 12345, 12345)
    done = cli("history")
    assert done.code != 0 and f"{home / 'data'} belongs to another user" in done.err, done.err
