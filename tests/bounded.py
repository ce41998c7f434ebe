"""Time bounds for hostile-input and fault tests: a hang fails fast, with a clear message,
instead of stalling the suite."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


def within(seconds: float, run: Callable[[], T], what: str = "the call") -> T:
    """``run()``'s result, from a worker thread given ``seconds`` to finish."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(run())
        except BaseException as error:  # handed to the test's thread below
            failure.append(error)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"{what} did not finish within {seconds}s: it hangs", pytrace=False)
    if failure:
        raise failure[0]
    return result[0]  # type: ignore[no-any-return]


def run_cli(
    args: Sequence[str],
    home: Path | None,
    timeout: float = 30.0,
    env: Mapping[str, str] | None = None,
    user: str | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``mobility-coach ARGS`` in a fresh interpreter, killed after ``timeout`` seconds."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOBILITY_COACH")}
    if home is not None:
        environ["MOBILITY_COACH_HOME"] = str(home)
    environ.update(env or {})
    command = [sys.executable, "-m", "mobility_coach", *args]
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    try:
        return subprocess.run(
            command, env=environ, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, cwd=cwd
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"mobility-coach {' '.join(args)[:80]} did not finish within {timeout}s: it hangs", pytrace=False)


# Root reads everything, so a permission test runs the command as "nobody". The
# interpreter may live where nobody cannot read (a pyenv under /root), so the command is
# started as root, imports what it needs, then drops to nobody before it touches a path.
_AS_NOBODY = """
import io, os, sys, tempfile
import encodings.utf_8_sig, encodings.idna
import mobility_coach.cli as cli, mobility_coach.adapters.sound, mobility_coach.adapters.idle, mobility_coach.adapters.notify
# Warm up as root in a scratch home, so every module the commands import lazily is loaded.
with tempfile.TemporaryDirectory() as scratch:
    for warm in (["list"], ["show", "desk-break"], ["validate"], ["new", "Warm"], ["config"], ["history"],
                 ["log", "urge"], ["remind", "status"]):
        cli.main(warm, environ={"MOBILITY_COACH_HOME": scratch}, out=io.StringIO(), err=io.StringIO())
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
sys.exit(cli.main(sys.argv[1:]))
"""


def run_cli_unprivileged(args: Sequence[str], home: Path, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
    """``mobility-coach ARGS`` as a user other than root (nobody, when run as root)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOBILITY_COACH")}
    environ["MOBILITY_COACH_HOME"] = str(home)
    try:
        return subprocess.run(
            [sys.executable, "-c", _AS_NOBODY, *args],
            env=environ,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            cwd="/",
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"mobility-coach {' '.join(args)} did not finish within {timeout}s: it hangs", pytrace=False)
