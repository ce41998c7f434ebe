"""Which terminal the notification's Start opens, told the way each terminal is told."""

from __future__ import annotations

import threading

import pytest

from mobility_coach.adapters.terminal import open_without_terminal, routine_command, start_routine, terminal_command


def which(*installed: str):  # type: ignore[no-untyped-def]
    return lambda name: f"/usr/bin/{name}" if name.rsplit("/", 1)[-1] in installed else None


DESKTOP = {"DISPLAY": ":0"}


def test_the_setting_then_terminal_then_the_common_ones() -> None:
    every = which("kitty", "xterm", "x-terminal-emulator", "foot", "gnome-terminal")
    assert terminal_command("kitty", DESKTOP, every, "linux") == ["kitty"]
    assert terminal_command("xterm -e", DESKTOP, every, "linux") == ["xterm", "-e"]
    assert terminal_command("foot --app-id=coach", DESKTOP, every, "linux") == ["foot", "--app-id=coach"]
    assert terminal_command(None, {**DESKTOP, "TERMINAL": "gnome-terminal"}, every, "linux") == ["gnome-terminal", "--"]
    assert terminal_command(None, DESKTOP, every, "linux") == ["x-terminal-emulator", "-e"]
    assert terminal_command(None, DESKTOP, which("wezterm"), "linux") == ["wezterm", "start", "--"]


def test_an_unknown_terminal_alone_gets_the_usual_dash_e() -> None:
    assert terminal_command("/opt/my-term", DESKTOP, which("my-term"), "linux") == ["/opt/my-term", "-e"]


def test_a_setting_that_names_nothing_installed_falls_through() -> None:
    assert terminal_command("konsole", DESKTOP, which("xterm"), "linux") == ["xterm", "-e"]
    assert terminal_command("'unclosed", DESKTOP, which("xterm"), "linux") == ["xterm", "-e"]


def test_macos_uses_terminal_app_and_no_desktop_finds_none() -> None:
    assert terminal_command(None, {}, which(), "darwin") == ["open", "-a", "Terminal"]
    assert terminal_command(None, {}, which("xterm"), "linux") is None  # a console: no window to open


def test_without_a_terminal_start_opens_the_routine_in_a_browser_tab() -> None:
    opened: list[tuple[str, dict[str, str]]] = []
    done = threading.Event()

    def tab(routine_id: str, *, environ: dict[str, str]) -> bool:
        opened.append((routine_id, environ))
        done.set()
        return True

    started, said = start_routine("desk-break", None, {"HOME": "/h"}, platform="linux", open_tab=tab)
    assert started and said == "no terminal found: opening 'desk-break' in a browser tab (mobility-coach serve)"
    assert done.wait(10) and opened == [("desk-break", {"HOME": "/h"})]


def test_when_no_tab_opens_either_the_reminder_says_what_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    open_without_terminal("desk-break", {}, lambda routine_id, *, environ: False)
    for thread in threading.enumerate():
        if thread.name == "mobility-coach-browser-tab":
            thread.join(10)
    assert "run 'mobility-coach run desk-break' yourself" in capsys.readouterr().err


def test_the_routine_runs_with_this_installation_s_command() -> None:
    words = routine_command("desk-break")
    assert words[-2:] == ["run", "desk-break"]
    assert words[0].endswith("mobility-coach") or words[1:3] == ["-m", "mobility_coach"]
