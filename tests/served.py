"""A real ``mobility-coach serve`` for tests: started on a free port in a private home, its
address read from what it prints, stopped (with its tabs' apps) when the test ends."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

import pytest

ADDRESS = re.compile(rb"served at (http://\S+)")


def served_environment(home: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOBILITY_COACH")}
    environ["MOBILITY_COACH_HOME"] = str(home)
    return environ


def checked_in_home(home: Path) -> Path:
    """A home whose check-in is clear today and whose sound is off, so a routine opened in a
    tab starts at once, silently."""
    (home / "data").mkdir(parents=True, exist_ok=True)
    (home / "data" / "state.json").write_text(json.dumps({"muted": True, "checkin_date": date.today().isoformat()}))
    return home


def session_rows(home: Path) -> list[tuple[str, float | None]]:
    path = home / "data" / "history.sqlite3"
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [(row[0], row[1]) for row in db.execute("SELECT status, ended FROM sessions")]
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        db.close()


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds}s", pytrace=False)
        select.select([], [], [], 0.05)  # a short poll interval, not a wait for the outcome


class ServeProcess:
    """``mobility-coach serve --port 0 ARGS`` in a process group of its own (as a terminal
    or systemd would run it), so a test can signal the server alone or the whole group."""

    def __init__(self, home: Path, args: Sequence[str] = (), start_seconds: float = 60.0) -> None:
        self.home = home
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mobility_coach", "serve", "--port", "0", *args],
            env=served_environment(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.output = b""
        self._errors = ""
        self.url = self._read_address(start_seconds)

    def _read_address(self, seconds: float) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + seconds
        while (found := ADDRESS.search(self.output)) is None:
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None:
                self.stop()
                pytest.fail(f"serve did not print its address: {self.output!r} {self.errors()!r}", pytrace=False)
            ready, _, _ = select.select([self.process.stdout], [], [], min(left, 1.0))
            if ready:
                self.output += os.read(self.process.stdout.fileno(), 4096)
        return found.group(1).decode()

    @property
    def port(self) -> int:
        port = urlsplit(self.url).port
        assert port is not None
        return port

    @property
    def bare_url(self) -> str:
        """The address without its token: what another account on this computer could guess."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    def socket_url(self, routine: str = "", token: str | None = None) -> str:
        """A tab's WebSocket, as its page opens it: the token in its path (``token``: another one)."""
        parts = ["ws", self.token if token is None else token, *([routine] if routine else [])]
        return f"ws://127.0.0.1:{self.port}/" + "/".join(parts)

    def errors(self) -> str:
        """What the server wrote to stderr, once it has stopped."""
        if self.process.poll() is None:
            return ""
        if self.process.stderr is not None and not self.process.stderr.closed:
            self._errors += self.process.stderr.read().decode("utf-8", "replace")
        return self._errors

    def signal(self, number: int, group: bool = False) -> None:
        if group:
            os.killpg(self.process.pid, number)
        else:
            os.kill(self.process.pid, number)

    def wait(self, seconds: float = 30.0) -> int:
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve did not stop within {seconds}s", pytrace=False)

    def stop(self) -> None:
        """The server and every app it started (they share its process group)."""
        if self.process.poll() is None:
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any app left behind
        self.errors()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
