"""A private PulseAudio server with a null sink, and a recorder on its monitor: what a pair
of ears would hear, on a machine with no sound card.

The server runs under its own runtime and home folders (nothing of the user's is read or
written), answers only its own socket, and is stopped on the way out. The recorder
(``parec``) timestamps every chunk it reads, so a sample's index maps to the monotonic
clock: a sample cannot be read before it is captured, so the earliest "arrival minus
position" over all chunks bounds when the first sample was captured, to within a chunk.
Every wait has a timeout: a server that will not start is a ``NoSink`` with the reason.
"""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RATE = 22050
SINK = "mobility_coach_ears"
MICROPHONE = "mobility_coach_mic"  # a null source: a real input (not a monitor), recording silence
START_SECONDS = 10.0
CHUNK_BYTES = 256  # about 6 ms of mono 16-bit sound at 22050 Hz: the clock's resolution
LOUD = 200  # the voice adapter's own silence level
NEEDED = {"pulseaudio": "pulseaudio", "parec": "pulseaudio-utils", "pactl": "pulseaudio-utils"}


class NoSink(Exception):
    """The sink could not be started; the message says why, for the reader."""


class Recording:
    """Samples from the sink's monitor as they arrive, each mapped to the monotonic clock."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._data = bytearray()
        self._first_at = float("inf")  # monotonic time of sample 0 (an upper bound)
        self._arrived = threading.Condition()
        self._thread = threading.Thread(target=self._read, name="parec-reader", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        while chunk := stream.read1(CHUNK_BYTES):  # type: ignore[attr-defined]
            now = time.monotonic()
            with self._arrived:
                self._data += chunk
                self._first_at = min(self._first_at, now - (len(self._data) // 2) / RATE)
                self._arrived.notify_all()
        with self._arrived:
            self._arrived.notify_all()  # the recorder ended: nothing more will come

    def heard_until(self, moment: float, timeout: float = 5.0) -> bool:
        """Wait (woken by each chunk, never polling) until the recording reaches the
        monotonic ``moment``: what played before it has been heard. False if it did not."""

        def reached() -> bool:
            return self._first_at + (len(self._data) // 2) / RATE >= moment or not self._thread.is_alive()

        with self._arrived:
            return self._arrived.wait_for(reached, timeout) and reached() and self._thread.is_alive()

    def samples(self) -> array.array[int]:
        with self._arrived:
            data = bytes(self._data[: len(self._data) // 2 * 2])
        samples = array.array("h", data)
        if sys.byteorder == "big":
            samples.byteswap()
        return samples

    def time_of(self, index: int) -> float:
        return self._first_at + index / RATE

    def index_at(self, moment: float) -> int:
        return max(0, int((moment - self._first_at) * RATE))

    def onset_after(self, moment: float, until: float | None = None) -> float | None:
        """When the first loud sample at or after ``moment`` (and before ``until``) was heard."""
        samples = self.samples()
        end = len(samples) if until is None else min(len(samples), self.index_at(until))
        for index in range(self.index_at(moment), end):
            if abs(samples[index]) > LOUD:
                return self.time_of(index)
        return None

    def loud_samples(self, start: float, end: float) -> int:
        samples = self.samples()
        return sum(1 for value in samples[self.index_at(start) : self.index_at(end)] if abs(value) > LOUD)

    def stop(self) -> None:
        _end(self._process)
        self._thread.join(2.0)


def missing_tools() -> str | None:
    """Which program (and its Debian package) is missing for a sink, or None."""
    for program, package in NEEDED.items():
        if shutil.which(program) is None:
            return f"{program} is not installed (on Debian and Ubuntu: apt install {package})"
    return None


@contextmanager
def pulse_sink() -> Iterator[dict[str, str]]:
    """A running private server whose default sink is a null sink; yields the environment
    a client needs to play to it (also set in ``os.environ`` for the duration, since the
    audio player is started by playsound3 with this process's environment)."""
    if (missing := missing_tools()) is not None:
        raise NoSink(missing)
    with tempfile.TemporaryDirectory(prefix="mobility-coach-pulse-") as folder:
        runtime = Path(folder) / "run"
        runtime.mkdir(mode=0o700)
        env = {
            "HOME": folder,  # the server writes its cookie there, not in the user's home
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_CONFIG_HOME": str(Path(folder) / "config"),
            "PULSE_SERVER": f"unix:{runtime / 'pulse' / 'native'}",
        }
        argv = [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disable-shm=yes",
            "--log-level=error",
            "-n",
            "-L",
            "module-native-protocol-unix auth-anonymous=1",
            "-L",
            f"module-null-sink sink_name={SINK} rate={RATE} channels=1",
            "-L",
            f"module-null-source source_name={MICROPHONE} rate={RATE} channels=1",
        ]
        log = Path(folder) / "pulseaudio.log"
        with log.open("wb") as errors:
            server = subprocess.Popen(
                argv,
                env={**os.environ, **env},
                stdin=subprocess.DEVNULL,
                stdout=errors,
                stderr=errors,
                cwd=folder,
                start_new_session=True,
            )
        try:
            _wait_until_answering(server, env, log)
            saved = {key: os.environ.get(key) for key in env}
            os.environ.update(env)
            try:
                yield env
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
        finally:
            _end(server)


def _wait_until_answering(server: subprocess.Popen[bytes], env: dict[str, str], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            said = log.read_text(errors="replace").strip().splitlines()
            raise NoSink(f"pulseaudio exited with status {server.returncode}: {said[-1] if said else 'no message'}")
        try:
            asked = subprocess.run(
                ["pactl", "info"], env={**os.environ, **env}, capture_output=True, timeout=2, check=False
            )
        except subprocess.TimeoutExpired:
            continue
        if asked.returncode == 0 and SINK.encode() in asked.stdout:
            return
        time.sleep(0.05)
    raise NoSink(f"pulseaudio did not answer within {START_SECONDS:.0f} s")


def record(env: dict[str, str], device: str = f"{SINK}.monitor") -> Recording:
    """Start recording ``device`` (the sink's monitor unless told: what plays); stop() it when done."""
    process = subprocess.Popen(
        [
            "parec",
            f"--device={device}",
            "--format=s16le",
            f"--rate={RATE}",
            "--channels=1",
            "--latency-msec=5",
            "--raw",
        ],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    recording = Recording(process)
    deadline = time.monotonic() + START_SECONDS
    while not recording.samples() and time.monotonic() < deadline:
        if process.poll() is not None:
            raise NoSink(f"parec exited with status {process.returncode}")
        time.sleep(0.01)
    if not recording.samples():
        recording.stop()
        raise NoSink(f"parec recorded nothing within {START_SECONDS:.0f} s")
    return recording


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(3)
