"""Which terminal the notification's Start opens, told the way each terminal is told."""

from __future__ import annotations

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


def test_without_a_terminal_start_says_so_and_names_the_command() -> None:
    """The seam the browser tab (issue 16) is to fill: today it only says so."""
    started, said = start_routine("desk-break", None, {}, platform="linux")
    assert not started and said == open_without_terminal("desk-break")
    assert said.startswith("no terminal found") and "mobility-coach run desk-break" in said


def test_the_routine_runs_with_this_installation_s_command() -> None:
    words = routine_command("desk-break")
    assert words[-2:] == ["run", "desk-break"]
    assert words[0].endswith("mobility-coach") or words[1:3] == ["-m", "mobility_coach"]
