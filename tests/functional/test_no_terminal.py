"""The app needs a terminal: launched in a pipe or without one it says so and exits at
once, while the other commands keep working in pipes. Each launch has a time bound, so
an app that starts anyway fails the test instead of hanging it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

BOUND = 30  # seconds; the refusal itself takes well under one


def launch(
    home: Path, *args: str, stdin: int | None, stdout: int | None, stderr: int
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home), "TERM": "xterm-256color"}
    try:
        return subprocess.run(
            [sys.executable, "-m", "mobility_coach", *args],
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env=env,
            timeout=BOUND,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"mobility-coach {' '.join(args)} was still running after {BOUND}s without a terminal")


def test_the_app_piped_into_head_refuses_to_start(home: Path) -> None:
    # `mobility-coach | head`: keys and drawing on a terminal, stdout a pipe.
    controller, terminal = pty.openpty()
    try:
        done = launch(home, stdin=terminal, stdout=subprocess.PIPE, stderr=terminal)
    finally:
        os.close(terminal)
    chatter = b""
    try:
        while True:
            chunk = os.read(controller, 4096)
            if not chunk:
                break
            chatter += chunk
    except OSError:
        pass  # the terminal side is closed: all read
    finally:
        os.close(controller)
    assert done.returncode == 2
    assert b"the app needs a terminal, but stdout is not one" in chatter
    assert done.stdout == b""


@pytest.mark.parametrize("args", [(), ("run", "desk-break")])
def test_the_app_without_any_terminal_refuses_to_start(home: Path, args: tuple[str, ...]) -> None:
    done = launch(home, *args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert b"the app needs a terminal, but stdin is not one" in done.stderr
    assert b"mobility-coach list" in done.stderr


def test_commands_still_work_in_a_pipe(home: Path) -> None:
    done = launch(home, "list", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    assert b"desk-break" in done.stdout
