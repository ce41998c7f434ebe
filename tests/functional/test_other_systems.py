"""Windows and macOS, simulated (issue 28; tests/platform_sim.py says how): every command
either works or says in one line why not and what would make it work; none ends in a
traceback, and the app starts, keeping its break clock in-process on Windows."""

from __future__ import annotations

import json
import select
import subprocess
from pathlib import Path

import pytest

from mobility_coach.adapters.platform_parts import NO_REMINDER, NO_SERVE, no_unit_here
from tests.platform_sim import environment, simulated, simulated_script

SECONDS = 60

# Every command that ends by itself, run in one simulated process through cli.main (one
# Python start per system, not thirty), each with its own output.
COMMANDS = [
    ["list"],
    ["show", "neck-swap"],
    ["show", "neck-swap", "--figures"],
    ["exercises"],
    ["validate"],
    ["schema"],
    ["config"],
    ["history"],
    ["history", "--csv"],
    ["log", "urge", "--where", "neck"],
    ["new", "Afternoon reset"],
    ["remind", "status"],
    ["remind", "status", "--format", "waybar"],
    ["remind", "snooze", "10m"],
    ["remind", "pause", "tomorrow"],
    ["remind", "resume"],
    ["remind", "unit"],
    ["serve", "unit"],
    ["completion", "bash"],
    ["completion", "fish"],
]
EVERY_COMMAND = f"""
import io, json, os, traceback
from mobility_coach.cli import main
for argv in {COMMANDS!r} + json.loads(os.environ["MORE_COMMANDS"]):
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(argv, environ=os.environ, out=out, err=err)
    except BaseException:
        code, err = "raised", io.StringIO(traceback.format_exc())
    print(json.dumps({{"argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue()}}))
"""


def run_every_command(platform: str, home: Path, more: list[list[str]]) -> dict[str, dict[str, object]]:
    done = subprocess.run(
        simulated_script(platform, EVERY_COMMAND),
        env=environment(home) | {"MORE_COMMANDS": json.dumps(more)},
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    results = [json.loads(line) for line in done.stdout.splitlines()]
    return {" ".join(r["argv"]): r for r in results}


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_every_command_works_or_says_why_in_one_line(platform: str, home: Path) -> None:
    more = [["remind"], ["serve"]] if platform == "win32" else []  # they refuse at once there
    results = run_every_command(platform, home, more)
    assert len(results) == len(COMMANDS) + len(more)
    for command, result in results.items():
        assert result["code"] in (0, 1), f"{command}: {result}"
        said = str(result["err"]).strip().splitlines()
        assert len(said) <= 1 and "Traceback" not in str(result["err"]), f"{command}: {result['err']}"
    assert "neck-swap" in str(results["list"]["out"])
    assert results["history --csv"]["code"] == 0 and results["log urge --where neck"]["code"] == 0
    assert "complete -c mobility-coach" in str(results["completion fish"]["out"])
    if platform == "win32":
        for command in (
            "remind",
            "remind status",
            "remind status --format waybar",
            "remind snooze 10m",
            "remind pause tomorrow",
            "remind resume",
        ):
            assert results[command]["err"] == f"mobility-coach: {NO_REMINDER}\n", command
        assert results["serve"]["err"] == f"mobility-coach: {NO_SERVE}\n"
    else:
        waybar = json.loads(str(results["remind status --format waybar"]["out"]))
        assert set(waybar) == {"text", "tooltip", "class"}
        assert str(results["remind status"]["err"]).startswith("No reminder is running")
        assert "remind unit" not in str(results["remind status"]["err"])  # no systemd on a Mac
    assert results["remind unit"] == {
        "argv": ["remind", "unit"],
        "code": 1,
        "out": "",
        "err": f"mobility-coach: {no_unit_here('remind', platform)}\n",
    }


APP_START = """
import asyncio, os
from mobility_coach.core.paths import Paths
from mobility_coach.tui.factory import make_parts
from mobility_coach.tui.app import MobilityCoachApp

async def start():
    app = MobilityCoachApp(make_parts(Paths.from_environment(os.environ), os.environ))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        link = app.clock_link
        print(link.mode, link.server is not None, link.problem, app.title, sep="|")

asyncio.run(start())
"""


@pytest.mark.parametrize(("platform", "serves"), [("win32", "False"), ("darwin", "True")])
def test_the_app_starts_and_keeps_the_break_clock(platform: str, serves: str, home: Path) -> None:
    """On Windows with the clock in-process (no socket for other windows or `remind`)."""
    started = subprocess.run(
        simulated_script(platform, APP_START),
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    assert started.returncode == 0 and "Traceback" not in started.stderr, started.stderr[-3000:]
    assert started.stdout.strip() == f"owner|{serves}|None|mobility-coach · next break in 60 min"


def test_the_reminder_runs_and_answers_on_a_mac(home: Path) -> None:
    env = environment(home)
    reminder = subprocess.Popen(
        simulated("darwin", "remind"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert reminder.stdout is not None
        ready, _, _ = select.select([reminder.stdout], [], [], SECONDS)
        assert ready, "the reminder said nothing"
        assert reminder.stdout.readline().startswith(f"Reminder running (pid {reminder.pid}): next break in 1:00:00")
        status = subprocess.run(
            simulated("darwin", "remind", "status"), env=env, capture_output=True, text=True, timeout=SECONDS
        )
        assert status.returncode == 0 and "next break in" in status.stdout, status.stderr
        stop = subprocess.run(
            simulated("darwin", "remind", "stop"), env=env, capture_output=True, text=True, timeout=SECONDS
        )
        assert stop.returncode == 0, stop.stderr
        assert reminder.wait(timeout=SECONDS) == 0
        assert "Traceback" not in (reminder.stderr.read() if reminder.stderr else "")
    finally:
        if reminder.poll() is None:
            reminder.kill()
            reminder.wait(timeout=SECONDS)


def test_windows_folders_are_not_called_open_on_every_start(home: Path) -> None:
    """Windows reports every folder as 0o777 (access is in its ACLs): a start there must not
    claim to have closed them, each time."""
    for name in ("config", "data", "cache"):
        (home / name).mkdir(mode=0o755)
        (home / name).chmod(0o755)
    listed = subprocess.run(
        simulated("win32", "history"), env=environment(home), capture_output=True, text=True, timeout=SECONDS
    )
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    assert (home / "data").stat().st_mode & 0o777 == 0o755  # left to Windows' own permissions
