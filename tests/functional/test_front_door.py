"""The command line people expect (issue 28): shell completion made from the parser, each
``remind`` action with its own --help, and the status in waybar's own JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from mobility_coach.core.breaks.phase import Phase
from mobility_coach.core.breaks.protocol import Reply
from mobility_coach.remind import formatted_status

REMIND_ACTIONS = ("status", "snooze", "skip", "pause", "resume", "stop", "unit")


@pytest.mark.parametrize("action", REMIND_ACTIONS)
def test_each_remind_action_has_its_own_help(cli, action: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exited:
        cli("remind", action, "--help")
    assert exited.value.code == 0


def test_remind_status_help_is_about_status_alone(capsys: pytest.CaptureFixture[str], cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        cli("remind", "status", "--help")
    shown = capsys.readouterr().out
    assert shown.startswith("usage: mobility-coach remind status [-h] [--json | --format TEXT]")
    assert "systemd" not in shown and "tomorrow" not in shown and "waybar" in shown


def test_an_option_of_another_action_is_refused_with_that_actions_usage(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "skip", "--json")
    assert result.code == 2 and result.err.startswith("usage: mobility-coach remind skip")
    result = cli("remind", "snooze", "10m", "--format", "x")
    assert result.code == 2 and result.err.startswith("usage: mobility-coach remind snooze")


def test_status_in_waybars_json() -> None:
    held = Reply(True, "held: camera in use", Phase.HELD, None, 42, "app", held="camera in use")
    assert json.loads(formatted_status(held, "{waybar}")) == {
        "text": "held: camera in use",
        "tooltip": "held: camera in use\nheld: camera in use\nkept by the app",
        "class": "held",
    }
    counting = Reply(True, "next break in 12:30", Phase.COUNTING, 750.0, 42, "remind")
    assert json.loads(formatted_status(counting, "{waybar}")) == {
        "text": "next break in 12:30",
        "tooltip": "next break in 12:30\nkept by the headless reminder",
        "class": "counting",
    }
    session = Reply(True, "in a session", Phase.IN_SESSION, None, 42, "app")
    assert json.loads(formatted_status(session, "{waybar}"))["class"] == "in-session"  # one CSS class


def test_waybar_format_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "status", "--format", "waybar")
    assert result.code == 1  # waybar hides the module while no reminder runs
    assert json.loads(result.out) == {
        "text": "no reminder running",
        "tooltip": "no reminder running",
        "class": "stopped",
    }


def completion_script(shell: str) -> str:
    made = subprocess.run(
        [sys.executable, "-m", "mobility_coach", "completion", shell],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0 and not made.stderr, made.stderr
    return made.stdout


def test_bash_completes_commands_actions_and_options(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash here")
    script = tmp_path / "mobility-coach.bash"
    script.write_text(completion_script("bash"), encoding="utf-8")

    def offered(*words: str) -> set[str]:
        line = " ".join(("mobility-coach", *words))
        asked = subprocess.run(
            [
                bash,
                "--norc",
                "-c",
                f'source "{script}"; complete -p mobility-coach >&2; '
                f"COMP_WORDS=(mobility-coach {' '.join(repr(w) for w in words)}); "
                f"COMP_CWORD={len(words)}; COMP_LINE={line!r}; COMP_POINT={len(line)}; "
                '_shtab_mobility_coach; printf "%s\\n" "${COMPREPLY[@]}"',
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert asked.returncode == 0 and "-F _shtab_mobility_coach mobility-coach" in asked.stderr, asked.stderr
        return set(asked.stdout.split())

    assert {"remind", "run"} <= offered("r")
    assert offered("remind", "st") == {"status", "stop"}
    assert offered("remind", "status", "--f") == {"--format"}
    assert offered("completion", "") == {"bash", "zsh", "fish"}


def test_fish_completes_actions_and_options(tmp_path) -> None:  # type: ignore[no-untyped-def]
    fish = shutil.which("fish")
    if fish is None:
        pytest.skip("no fish here (apt install fish)")
    script = tmp_path / "mobility-coach.fish"
    script.write_text(completion_script("fish"), encoding="utf-8")

    def offered(line: str) -> set[str]:
        asked = subprocess.run(
            [fish, "--no-config", "-c", f"source {script}; complete -C {line!r}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert asked.returncode == 0, asked.stderr
        return {row.split("\t")[0] for row in asked.stdout.splitlines()}

    assert offered("mobility-coach remind st") == {"status", "stop"}
    assert offered("mobility-coach remind status --f") == {"--format"}


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_are_made_from_the_same_parser(shell: str) -> None:
    script = completion_script(shell)
    assert "mobility-coach" in script and "status" in script and "--format" in script
    program = shutil.which(shell)
    if program is not None:  # the shell itself reads it without a syntax error
        checked = subprocess.run([program, "-n"], input=script, capture_output=True, text=True, timeout=30, check=False)
        assert checked.returncode == 0, checked.stderr
