"""The headless reminder's footprint: resident memory, wake-ups per minute and CPU, read
from /proc, next to a bare Python process started the same way (``python -c``) that opens
a Unix socket and sleeps in select() for a minute at a time: the least a Python program
that listens and wakes once a minute can cost.

Between breaks (nothing due, nobody connected) the reminder is its socket, its clock and a
look at its files once a minute; what only a break or a command needs (the routines, the
history, sound, the notification) is loaded when first needed. Printed: at rest, after
answering a status and a watch, and offering a break (its largest). Each figure is the
min-max over ``--runs`` runs; the goal is at most 2.5x the baseline's memory and at most
one wake-up a minute at rest.

    python bench/remind_footprint.py [--minutes 2] [--runs 3]
    python bench/remind_footprint.py --quick     # a few seconds: does the harness still run?

Wake-ups are voluntary context switches summed over all of a process's threads: each is
the process going to sleep again after something woke it.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BASELINE = (
    "import os, select, socket, sys\n"
    "listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
    "listener.bind(sys.argv[1])\n"
    "listener.listen()\n"
    "print('ready', flush=True)\n"
    "while True:\n"
    "    select.select([listener], [], [], 60)\n"
)
MAX_RATIO = 2.5
MAX_WAKEUPS = 1.0


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wakeups(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def cpu_seconds(pid: int) -> float:
    """User and system time of the process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def active_holds(env: dict[str, str]) -> str:
    """Which meeting detectors this reminder has (they run only when a break is due, so an
    idle reminder should cost the same with all of them): as `config` says."""
    said = subprocess.run(
        [sys.executable, "-m", "mobility_coach", "config"], env=env, capture_output=True, text=True, timeout=60
    ).stdout
    line = next((line for line in said.splitlines() if line.startswith("Holds: ")), None)
    if line is None:
        sys.exit("remind_footprint: 'config' no longer says which holds are active; nothing measured")
    return "holds active: " + line.removeprefix("Holds: ")


def wait_for(what: str, done: Callable[[], bool], process: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if process.poll() is not None:
            sys.exit(f"remind_footprint: the reminder exited ({process.returncode}) awaiting {what}; nothing measured")
        if time.monotonic() > deadline:
            sys.exit(f"remind_footprint: {what} did not happen within {seconds:g} s; the harness is stale")
        time.sleep(0.05)


def remind(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "mobility_coach", "remind", *args], env=env, capture_output=True, text=True, timeout=60
    ).stdout


def watch_once(path: Path) -> bytes:
    """Watch the reminder as an app does, for its first status, then hang up."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(30)
        client.connect(str(path))
        client.sendall(b'{"cmd": "watch"}\n')
        return client.recv(4096)


@dataclass
class Run:
    base_rss: int  # KiB, the baseline's peak
    base_wakeups: float  # per minute
    base_cpu: float  # seconds per hour
    rss: int  # the reminder's peak at rest
    wakeups: float
    cpu: float
    answered: int  # after a status and a watch
    offering: int | None  # offering a break (peak)
    after: int | None  # resting again once the break was answered: most of a working day
    minutes: float


def one_run(minutes: float, quick: bool) -> Run:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MOBILITY_COACH_HOME": home}
        ours = subprocess.Popen(
            [sys.executable, "-m", "mobility_coach", "remind"], env=env, stdout=subprocess.PIPE, text=True
        )
        bare = subprocess.Popen(
            [sys.executable, "-c", BASELINE, str(Path(home, "bare.sock"))], stdout=subprocess.PIPE, text=True
        )
        try:
            first = ours.stdout.readline()  # type: ignore[union-attr]
            if not first.startswith("Reminder running"):
                sys.exit(f"remind_footprint: the reminder did not start (it said {first!r}); nothing measured")
            bare.stdout.readline()  # type: ignore[union-attr]
            time.sleep(2)  # let start-up settle
            start = {p.pid: (wakeups(p.pid), cpu_seconds(p.pid)) for p in (ours, bare)}
            peak = {p.pid: 0 for p in (ours, bare)}
            began = time.monotonic()
            while time.monotonic() - began < minutes * 60:
                time.sleep(min(5, minutes * 60))
                for p in (ours, bare):
                    peak[p.pid] = max(peak[p.pid], rss_kib(p.pid))
                # A process that died reads as 0 MiB and no wake-ups: a figure that would flatter us.
                if ours.poll() is not None:
                    sys.exit(f"remind_footprint: the reminder exited ({ours.returncode}) mid-run; nothing measured")
            elapsed = (time.monotonic() - began) / 60
            rate = {p.pid: (wakeups(p.pid) - start[p.pid][0]) / elapsed for p in (ours, bare)}
            cpu = {p.pid: (cpu_seconds(p.pid) - start[p.pid][1]) / elapsed * 60 for p in (ours, bare)}
            # A status bar's question and an app watching the clock.
            if not remind(env, "status").startswith("next break in"):
                sys.exit("remind_footprint: 'remind status' was not answered; the harness is stale")
            if not watch_once(Path(home, "data", "remind.sock")).startswith(b'{"ok": true'):
                sys.exit("remind_footprint: the reminder did not answer a watch; the harness is stale")
            answered = rss_kib(ours.pid)
            offering = after = None
            if not quick:
                # A break offered: a shorter 'every' (the sitting so far is longer) makes it due
                # once the reminder reads the edit; the alert (the bell here, or the notification
                # and its process where a desktop is) is the reminder at its largest.
                config = Path(home, "config", "config.yaml")
                config.parent.mkdir(parents=True, exist_ok=True)
                config.write_text("reminders:\n  every: 1m\n")
                wait_for("the break falling due", lambda: "break due" in remind(env, "status"), ours, 300)
                offering = 0
                for _ in range(10):
                    offering = max(offering, rss_kib(ours.pid))
                    time.sleep(1)
                # Answered (skipped), the reminder rests again with what the break loaded.
                if not remind(env, "skip").strip():
                    sys.exit("remind_footprint: 'remind skip' was not answered; the harness is stale")
                after = 0
                for _ in range(10):
                    time.sleep(1)
                    after = max(after, rss_kib(ours.pid))
        finally:
            for p in (ours, bare):
                p.kill()
                p.wait()
    return Run(
        peak[bare.pid],
        rate[bare.pid],
        cpu[bare.pid],
        peak[ours.pid],
        rate[ours.pid],
        cpu[ours.pid],
        answered,
        offering,
        after,
        elapsed,
    )


def spread(values: list[float], form: str) -> str:
    low, high = min(values), max(values)
    return form.format(low) if form.format(low) == form.format(high) else f"{form.format(low)}-{form.format(high)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="at rest, per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one short run: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.runs = 0.1, 1
    holds = active_holds({**os.environ, "MOBILITY_COACH_HOME": tempfile.gettempdir() + "/mobility-coach-bench-none"})
    runs = [one_run(args.minutes, args.quick) for _ in range(args.runs)]

    def mib(kib: list[int]) -> str:
        return spread([k / 1024 for k in kib], "{:.1f}")

    ratio = [r.rss / r.base_rss for r in runs]
    print(f"headless reminder, {args.runs} run(s) of {args.minutes:g} minutes at rest (min-max); {holds}")
    print(
        f"  bare Python select() on a socket (baseline)  RSS {mib([r.base_rss for r in runs]):>9} MiB   "
        f"{spread([r.base_wakeups for r in runs], '{:.2f}'):>9} wake-ups/min   "
        f"CPU {spread([r.base_cpu for r in runs], '{:.2f}')} s/h"
    )
    print(
        f"  mobility-coach remind, at rest               RSS {mib([r.rss for r in runs]):>9} MiB   "
        f"{spread([r.wakeups for r in runs], '{:.2f}'):>9} wake-ups/min   "
        f"CPU {spread([r.cpu for r in runs], '{:.2f}')} s/h   RSS {spread(ratio, '{:.2f}')}x"
    )
    print(
        f"  ... after a status and a watch               RSS {mib([r.answered for r in runs]):>9} MiB   "
        f"{spread([r.answered / r.base_rss for r in runs], '{:.2f}')}x"
    )
    offered = [(r.offering, r.base_rss) for r in runs if r.offering is not None]
    if offered:
        print(
            f"  ... offering a break (peak)                  RSS {mib([o for o, _ in offered]):>9} MiB   "
            f"{spread([o / base for o, base in offered], '{:.2f}')}x"
        )
    rested = [(r.after, r.base_rss) for r in runs if r.after is not None]
    if rested:
        print(
            f"  ... resting again after the break            RSS {mib([a for a, _ in rested]):>9} MiB   "
            f"{spread([a / base for a, base in rested], '{:.2f}')}x"
        )
    if args.quick:
        print("  (--quick: the harness ran; these figures are not measurements)")
        return
    worst = max([*ratio, *(o / base for o, base in offered), *(a / base for a, base in rested)])
    met = worst <= MAX_RATIO and max(r.wakeups for r in runs) <= MAX_WAKEUPS
    print(
        f"  goal at rest, offering a break and after it: at most {MAX_RATIO}x the baseline's memory, "
        f"{MAX_WAKEUPS:g} wake-up a minute: ",
        end="",
    )
    print("met" if met else "NOT met")


if __name__ == "__main__":
    main()
