"""What mobility-coach costs while nobody touches it: CPU, wake-ups and bytes written to
the terminal, idle on its screens, beside a bare idle Textual app in the same run.

    python bench/idle.py [--seconds 60] [--quick]

Each program runs in an 80x24 pseudo-terminal, all of them at once, so that they are
sampled over the same seconds; after their first frames and four settling seconds (the
app warms its sound player up 2 s after start), the bench samples them for
``--seconds``: CPU time (each thread's run time in /proc, to the nanosecond), wake-ups
(context switches of all its threads, voluntary and not, /proc/PID/task/*/status) and the
bytes it wrote to the terminal. A second baseline is the bare app with Textual's header
clock, which changes its header each second as our countdown does. The home screen is
measured as started; the other screens are opened with their keys first. ``--quick`` runs each for a second and checks
only that the harness still works (each screen must show what it is waited for).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pty_harness import PtyProcess

HERE = Path(__file__).parent
SETTLE_SECONDS = 4.0


@dataclass(frozen=True)
class Sample:
    cpu: float  # seconds
    switches: int
    written: int  # bytes
    threads: frozenset[str] = frozenset()


def switches(pid: int) -> int:
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as status:
                for line in status:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except FileNotFoundError:
            continue  # a thread that ended meanwhile
    return total


def sample(process: PtyProcess) -> Sample:
    process.drain()
    return Sample(process.cpu_seconds(), switches(process.process.pid), len(process.output), process.threads())


def started(argv: list[str], env: dict[str, str], ready: bytes, keys: list[tuple[str, bytes]]) -> PtyProcess:
    """The program on the screen to measure: after its first frame, its keys pressed."""
    process = PtyProcess(argv, env)
    process.read_until(ready)
    for key, shown in keys:
        process.send(key)
        process.read_until(shown)
    return process


def idle_together(processes: dict[str, PtyProcess], seconds: float) -> dict[str, Sample]:
    """Sample every program over the same seconds: side by side, they see the same machine
    (one after another, the baseline's own 0.1-0.2 % moved with whatever else ran)."""
    settle = time.perf_counter() + SETTLE_SECONDS
    while time.perf_counter() < settle:
        for process in processes.values():
            process.drain()
        time.sleep(0.05)
    before = {name: sample(process) for name, process in processes.items()}
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for process in processes.values():
            process.drain()  # a terminal reads what it is sent; so does this one
        time.sleep(0.2)
    after = {name: sample(process) for name, process in processes.items()}
    results = {}
    for name, process in processes.items():
        if process.process.poll() is not None:
            raise SystemExit(f"{name} exited while idle: stale harness? last output {bytes(process.output[-300:])!r}")
        if after[name].threads != before[name].threads:
            print(f"  note: {name} started or ended threads while sampled; its CPU may be undercounted")
        results[name] = Sample(
            after[name].cpu - before[name].cpu,
            after[name].switches - before[name].switches,
            after[name].written - before[name].written,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="a second each: check the harness, no figures")
    args = parser.parse_args()
    seconds = 1.0 if args.quick else args.seconds
    app = [sys.executable, "-m", "mobility_coach"]
    cases: dict[str, tuple[list[str], bytes, list[tuple[str, bytes]]]] = {
        "bare idle Textual app (baseline)": ([sys.executable, str(HERE / "bare_idle_app.py")], b"bare-idle", []),
        # What a header changed each second costs in Textual itself (its clock): what
        # the countdown costs us, drawn through Textual's public API as it is.
        "bare Textual app, header clock": ([sys.executable, str(HERE / "bare_clock_app.py")], b"bare-clock", []),
        "mobility-coach, home": (app, b"Hourly desk break", []),
        "mobility-coach, statistics (Ctrl+S)": (app, b"Hourly desk break", [("\x13", b"Streak")]),
    }
    processes: dict[str, PtyProcess] = {}
    with contextlib.ExitStack() as stack:
        for name, (argv, ready, keys) in cases.items():
            # A home each: two apps on one home would share one break clock, one its owner.
            home = stack.enter_context(tempfile.TemporaryDirectory())
            processes[name] = started(argv, {**os.environ, "MOBILITY_COACH_HOME": home}, ready, keys)
            stack.callback(processes[name].close)
        results = idle_together(processes, seconds)
    if args.quick:
        print(f"idle bench harness works ({len(results)} cases, {seconds:g}s each; no figures in quick mode)")
        return
    base = next(iter(results.values()))
    print(f"idle for {seconds:g}s in an 80x24 pty, after the first frame and {SETTLE_SECONDS:g} settling seconds")
    for name, got in results.items():
        cpu = got.cpu / seconds * 100
        per_minute = got.switches / seconds * 60
        ratio_cpu = got.cpu / base.cpu if base.cpu else float("nan")
        ratio_wake = got.switches / base.switches if base.switches else float("nan")
        print(
            f"  {name:38s} CPU {cpu:5.2f} %  wake-ups {per_minute:6.0f}/min  "
            f"written {got.written / seconds:8.1f} B/s   CPU {ratio_cpu:4.2f}x  wake-ups {ratio_wake:4.2f}x"
        )


if __name__ == "__main__":
    main()
