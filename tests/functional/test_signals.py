"""SIGTERM and SIGHUP (a closed terminal) mid-session: the real app, in a pseudo-terminal,
ends the session in the history there and then, as "interrupted" with an end time and
the steps done, instead of leaving it "running" until the next start."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from pty_harness import PtyProcess

from tests.served import session_rows


def session_home(tmp_path: Path) -> Path:
    """A home whose check-in today is clear, so 'run' goes straight into the session."""
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "data" / "state.json").write_text(json.dumps({"muted": True, "checkin_date": date.today().isoformat()}))
    return home


def wait_until_running(app: PtyProcess, home: Path) -> None:
    """Until the history holds the running session, reading what the app writes meanwhile."""
    deadline = time.monotonic() + 30
    while session_rows(home) != [("running", None)]:
        assert time.monotonic() < deadline, f"no running session recorded: {session_rows(home)}"
        select.select([app.master], [], [], 0.2)  # until the app writes something, at most 0.2 s
        app.drain()


def desk_break(home: Path) -> PtyProcess:
    """`mobility-coach run desk-break` in a pseudo-terminal, on ``home`` alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOBILITY_COACH")}
    return PtyProcess(
        [sys.executable, "-m", "mobility_coach", "run", "desk-break"], {**env, "MOBILITY_COACH_HOME": str(home)}
    )


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_mid_session_ends_it_there_and_then(tmp_path: Path, number: signal.Signals) -> None:
    home = session_home(tmp_path)
    app = desk_break(home)
    try:
        app.read_until(b"GET READY", timeout=30)  # the phase label
        wait_until_running(app, home)
        started = time.time()
        os.kill(app.process.pid, number)
        try:
            code = app.wait(timeout=30)
        except Exception:
            pytest.fail("the app did not exit within 30s of the signal", pytrace=False)
        assert code in (128 + number, -number)
    finally:
        app.close()
    ((status, ended),) = session_rows(home)
    assert status == "interrupted"
    assert ended is not None and abs(ended - started) < 30


# Textual's shutdown, stuck as it was seen after a hang-up (its output thread's queue to
# a terminal that is gone): the process must end all the same, its session recorded.
STUCK_SHUTDOWN = """
import sys, threading
from textual.drivers import linux_driver
linux_driver.LinuxDriver.close = lambda self: threading.Event().wait()
from mobility_coach.cli import main
sys.argv = ["mobility-coach", "run", "desk-break"]
sys.exit(main())
"""


def test_a_hang_up_ends_the_process_even_when_the_terminal_library_cannot_shut_down(tmp_path: Path) -> None:
    home = session_home(tmp_path)
    app = PtyProcess([sys.executable, "-c", STUCK_SHUTDOWN], {**os.environ, "MOBILITY_COACH_HOME": str(home)})
    try:
        wait_until_running(app, home)
        app.process.send_signal(signal.SIGHUP)
        try:
            code = app.wait(timeout=15)  # the app's own deadline is 3 s
        except subprocess.TimeoutExpired:
            pytest.fail("the app did not end after a hang-up whose shutdown was stuck", pytrace=False)
        assert code == 128 + signal.SIGHUP
        ((status, ended),) = session_rows(home)
        assert status == "interrupted" and ended is not None
    finally:
        app.close()


def test_a_terminal_that_goes_away_without_a_hang_up_ends_the_app(tmp_path: Path) -> None:
    # Started in its own session, the app has no controlling terminal, so closing the
    # terminal sends it no SIGHUP: its input ends (Textual's input thread then spun on the
    # end of input at full CPU, for ever). It must end as a hang-up does.
    home = session_home(tmp_path)
    app = desk_break(home)
    try:
        wait_until_running(app, home)
        os.close(app.master)
        app.master = os.open(os.devnull, os.O_RDONLY)  # for close() to close
        try:
            code = app.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("the app ran on after its terminal went away", pytrace=False)
        assert code == 128 + signal.SIGHUP
        ((status, ended),) = session_rows(home)
        assert status == "interrupted" and ended is not None
    finally:
        app.close()
