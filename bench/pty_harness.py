"""Run a terminal program in a pseudo-terminal of a given size, as a user's terminal would."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping


def as_users_have_it(env: Mapping[str, str]) -> dict[str, str]:
    """The environment a user's terminal gives a program. PYTHONDONTWRITEBYTECODE goes: a
    user's first launch writes the bytecode every later one reads, while with it set each
    launch compiled our modules from source again (some 100 ms, paid by us and not by a
    baseline made of modules installed precompiled)."""
    return {**{k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}, "TERM": "xterm-256color"}


class PtyProcess:
    def __init__(
        self,
        argv: list[str],
        env: Mapping[str, str],
        size: tuple[int, int] = (80, 24),
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        self.master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=as_users_have_it(env),
            start_new_session=True,
            close_fds=True,
            cwd=cwd,
        )
        os.close(slave)
        self.output = bytearray()

    def read_until(self, needle: bytes, timeout: float = 30.0) -> float:
        """Seconds from launch until ``needle`` has been written to the terminal."""
        deadline = time.perf_counter() + timeout
        while needle not in self.output:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{needle!r} not seen; last output: {bytes(self.output[-300:])!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the program ended (EIO): the needle will never come
                    chunk = b""
                if not chunk:
                    raise TimeoutError(f"{needle!r} not seen before the program ended: {bytes(self.output[-300:])!r}")
                self.output += chunk
        return time.perf_counter() - self.started

    def wait(self, timeout: float) -> int:
        """The program's exit status, reading what it writes meanwhile as a terminal
        would: a program that writes its last frames as it quits blocks on a full pty
        (some 4 KB here) until someone reads them. subprocess.TimeoutExpired if it has
        not ended within ``timeout`` seconds."""
        deadline = time.perf_counter() + timeout
        while (code := self.process.poll()) is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise subprocess.TimeoutExpired(self.process.args, timeout)
            if select.select([self.master], [], [], min(left, 0.05))[0]:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # no reader side any more: it can only end now
                    chunk = b""
                if chunk:
                    self.output += chunk
                else:
                    return self.process.wait(timeout=max(left, 0.0))
        return code

    def drain(self) -> None:
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def read_chunks(self) -> list[bytes]:
        """What the program wrote since the last read, one chunk per read: read often,
        each of a program's screen updates comes as a chunk of its own."""
        chunks = []
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            self.output += chunk
        return chunks

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def cpu_seconds(self) -> float:
        """CPU time of the process's threads so far, to the nanosecond: the sum of each
        thread's run time in /proc/PID/task/*/schedstat. (/proc/PID/stat counts in
        100ths of a second, too coarse for an idle app's few milliseconds a second.) A
        thread that has ended is not in the sum: see threads()."""
        total = 0
        for task in self.threads():
            try:
                with open(f"/proc/{self.process.pid}/task/{task}/schedstat") as schedstat:
                    total += int(schedstat.read().split()[0])
            except FileNotFoundError:
                continue  # ended meanwhile
        return total / 1e9

    def threads(self) -> frozenset[str]:
        """The process's threads now: compared before and after a sample, a change says
        that cpu_seconds() may have lost an ended thread's time."""
        return frozenset(os.listdir(f"/proc/{self.process.pid}/task"))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self.master)
