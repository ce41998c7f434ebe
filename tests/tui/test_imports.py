"""Upgrading the package under a running app must not break it at the next break: every
screen is imported when the app starts, never for the first time hours later."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from textual.app import App

import mobility_coach.tui

TUI = Path(mobility_coach.tui.__file__).parent

# Starts the app headless in a fresh interpreter (nothing imported by other tests) and
# prints the screen modules that are not loaded once the first screen is up.
SCRIPT = textwrap.dedent("""
    import asyncio, pkgutil, sys
    from mobility_coach.adapters.idle import NoIdle
    from mobility_coach.adapters.sound import CuePlayer
    from mobility_coach.core.clock import FakeClock
    from mobility_coach.core.paths import Paths
    from mobility_coach.tui.app import MobilityCoachApp
    from mobility_coach.tui.factory import make_parts
    import mobility_coach.tui.screens as screens

    class Silent:
        def play(self, path): pass

    def cues(bell, on_problem, *, muted):
        return CuePlayer(Silent(), bell, on_problem, muted=muted, threaded=False)

    paths = Paths.from_environment({"MOBILITY_COACH_HOME": sys.argv[1]})
    app = MobilityCoachApp(make_parts(paths, {}, clock=FakeClock(), make_cues=cues, idle=NoIdle(),
                                      listen_for_reminder=False))

    async def started():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            names = [f"{screens.__name__}.{m.name}" for m in pkgutil.iter_modules(screens.__path__)]
            print("screens:", len(names))
            print("missing:", [n for n in names if n not in sys.modules])

    asyncio.run(started())
""")


def test_every_screen_module_is_loaded_once_the_app_has_started(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    count = int(done.stdout.split("screens:")[1].split()[0])
    assert count >= 8 and "missing: []" in done.stdout, done.stdout


def late_imports(path: Path) -> list[str]:
    """Imports of this package inside functions: each one loads a module late."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("mobility_coach"):
                    found.append(f"{path.name}:{inner.lineno}: {inner.module}")
                elif isinstance(inner, ast.Import):
                    found += [
                        f"{path.name}:{inner.lineno}: {a.name}"
                        for a in inner.names
                        if a.name.startswith("mobility_coach")
                    ]
    return found


def test_the_tui_imports_nothing_of_its_own_inside_functions() -> None:
    files = sorted(TUI.rglob("*.py"))
    assert len(files) > 8
    assert [hit for f in files for hit in late_imports(f)] == []


def test_no_screen_imports_the_app_module() -> None:
    offenders = []
    for path in sorted((TUI / "screens").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "mobility_coach.tui.app":
                offenders.append(path.name)
    assert offenders == []


def reaches_into_the_app(path: Path) -> list[str]:
    """Uses of ``self.app`` beyond Textual's own App: a screen's data comes through its
    constructor, and what it has to say goes up as a message or a dismiss result."""
    text = path.read_text(encoding="utf-8")
    found = [
        f"{path.name}:{n}: type: ignore[attr-defined]"
        for n, line in enumerate(text.splitlines(), 1)
        if "attr-defined" in line
    ]
    for node in ast.walk(ast.parse(text)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "app"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "self"
            and not hasattr(App, node.attr)
        ):
            found.append(f"{path.name}:{node.lineno}: self.app.{node.attr}")
    return found


def test_nothing_in_the_tui_uses_more_of_the_app_than_textual_offers() -> None:
    files = sorted(TUI.rglob("*.py"))
    assert [hit for f in files for hit in reaches_into_the_app(f)] == []


def test_the_checker_sees_a_reach_into_the_app(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(self):\n    self.app.push_screen(s)\n    self.app.library.get(x)\n", encoding="utf-8")
    assert reaches_into_the_app(sample) == ["sample.py:3: self.app.library"]


def test_the_checker_sees_late_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from mobility_coach.tui.screens import home\n", encoding="utf-8")
    assert late_imports(sample) == ["sample.py:2: mobility_coach.tui.screens"]
