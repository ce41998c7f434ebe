from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mobility_coach.cli import main
from mobility_coach.core.errors import Problem
from mobility_coach.core.routines.loader import Layer, Library, builtin_layer, load_library

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# The slow tests of real system parts, marked "slow" and left out of the README's
# `pytest -q` (which then takes a couple of minutes); `.ci/run` runs them too, and
# `pytest -q -m slow` runs them alone. Each starts real processes and waits on them: a
# fresh clone and its install, terminals (ptys), PulseAudio, a D-Bus desktop with dunst,
# Chromium, the browser tab's server, a wheel's build, or a long session's memory.
SLOW_MODULES = frozenset(
    {
        "tests/functional/test_audio_sink.py",
        "tests/functional/test_browser.py",
        "tests/functional/test_desktop_notice.py",
        "tests/functional/test_meeting_hold.py",
        "tests/functional/test_no_terminal.py",
        "tests/functional/test_packaging.py",
        "tests/functional/test_readme_commands.py",
        "tests/functional/test_real_voice.py",
        "tests/functional/test_serve.py",
        "tests/functional/test_signals.py",
        "tests/tui/test_session_memory.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(REPO).as_posix() in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def private_umask() -> Iterator[None]:
    """Folders and files a test makes in a home are the user's alone, as mobility-coach
    makes its own: a start would otherwise close them and say so (core/paths.py). The
    tests of that closing set the usual umask themselves."""
    before = os.umask(0o077)
    yield
    os.umask(before)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A private MOBILITY_COACH_HOME for one test."""
    root = tmp_path / "home"
    root.mkdir()
    return root


@pytest.fixture
def cli(home: Path):  # type: ignore[no-untyped-def]
    """Run the command line in-process against the private home."""

    def run(*args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(args), environ={"MOBILITY_COACH_HOME": str(home)}, out=out, err=err)
        return Result(code, out.getvalue(), err.getvalue())

    return run


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, name: str = "mine.yaml") -> tuple[Library, list[Problem]]:
    """Load one file on top of the built-ins; return the library and that file's problems."""
    path = write(tmp_path, name, text)
    library = load_library([builtin_layer(), Layer((path,), builtin=False)])
    return library, library.problems_in([path])


def where(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in problems]
