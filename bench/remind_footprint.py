"""The headless reminder's footprint: resident memory, wake-ups per minute and CPU, read
from /proc, next to a bare Python process that sleeps in select() for a minute at a time
(the least a Python program that wakes once a minute can cost).

At rest (nothing due, nobody connected) the reminder is its resting waiter
(adapters/rest_waiter.py); a command turns it back into the full reminder for a while
(awake), and a break offered is its largest (peak): all three are printed.

    python bench/remind_footprint.py [--minutes 3]
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
from pathlib import Path

BASELINE = "import select\nprint('ready', flush=True)\nwhile True:\n    select.select([], [], [], 60)\n"


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


def cpu_seconds(pid: int) -> float:
    """User and system time of the process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resting(pid: int) -> bool:
    """Whether the reminder is its resting waiter now (adapters/rest_waiter.py, by exec)."""
    return "rest_waiter" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true", help="one sample, seconds long: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.minutes = 0.1
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MOBILITY_COACH_HOME": home}
        holds = active_holds(env)
        ours = subprocess.Popen(
            [sys.executable, "-m", "mobility_coach", "remind"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        bare = subprocess.Popen([sys.executable, "-c", BASELINE], stdout=subprocess.PIPE, text=True)
        try:
            first = ours.stdout.readline()  # type: ignore[union-attr]
            if not first.startswith("Reminder running"):
                sys.exit(f"remind_footprint: the reminder did not start (it said {first!r}); nothing measured")
            bare.stdout.readline()  # type: ignore[union-attr]
            # Nothing is due for an hour: the reminder rests at once (no client has asked anything).
            wait_for("the reminder resting", lambda: resting(ours.pid), ours, 30)
            time.sleep(2)  # let start-up settle
            start = {p.pid: (wakeups(p.pid), cpu_seconds(p.pid)) for p in (ours, bare)}
            peak = {p.pid: 0 for p in (ours, bare)}
            began = time.monotonic()
            while time.monotonic() - began < args.minutes * 60:
                time.sleep(min(5, args.minutes * 60))
                for p in (ours, bare):
                    peak[p.pid] = max(peak[p.pid], rss_kib(p.pid))
                # A process that died reads as 0 MiB and no wake-ups: a figure that would flatter us.
                if ours.poll() is not None:
                    sys.exit(f"remind_footprint: the reminder exited ({ours.returncode}) mid-run; nothing measured")
                if not resting(ours.pid):
                    sys.exit("remind_footprint: the reminder left its rest with nothing to do; nothing measured")
            minutes = (time.monotonic() - began) / 60
            rate = {p.pid: (wakeups(p.pid) - start[p.pid][0]) / minutes for p in (ours, bare)}
            cpu = {p.pid: (cpu_seconds(p.pid) - start[p.pid][1]) / minutes * 60 for p in (ours, bare)}
            # A status bar's question is answered at rest...
            if not remind(env, "status").startswith("next break in") or not resting(ours.pid):
                sys.exit("remind_footprint: 'remind status' was not answered at rest; the harness is stale")
            # ...an app watching the clock turns it back into the full reminder (awake a while).
            before_return = cpu_seconds(ours.pid)
            if not watch_once(Path(home, "data", "remind.sock")).startswith(b'{"ok": true'):
                sys.exit("remind_footprint: the reminder did not answer a watch; the harness is stale")
            if resting(ours.pid):
                sys.exit("remind_footprint: the reminder answered a watch but is resting; the harness is stale")
            awake = rss_kib(ours.pid)
            returning = cpu_seconds(ours.pid) - before_return
            offering = None
            if not args.quick:
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
        finally:
            for p in (ours, bare):
                p.kill()
                p.wait()
    base = peak[bare.pid]
    print(f"headless reminder over {minutes:.1f} minutes at rest (no break due meanwhile); {holds}")
    print(
        f"  bare Python select() loop (baseline)   RSS {base / 1024:5.1f} MiB   "
        f"{rate[bare.pid]:5.2f} wake-ups/min   CPU {cpu[bare.pid]:5.2f} s/h   1.00x"
    )
    print(
        f"  mobility-coach remind, resting         RSS {peak[ours.pid] / 1024:5.1f} MiB   "
        f"{rate[ours.pid]:5.2f} wake-ups/min   CPU {cpu[ours.pid]:5.2f} s/h   RSS {peak[ours.pid] / base:.2f}x"
    )
    print("  (remind status answered at rest, without turning back)")
    print(
        f"  mobility-coach remind, awake (an app watched)       RSS {awake / 1024:5.1f} MiB   {awake / base:.2f}x   "
        f"(turning back from rest to answer: {returning:.2f} s CPU)"
    )
    if offering is not None:
        mib = offering / 1024
        print(f"  mobility-coach remind, offering a break (peak)      RSS {mib:5.1f} MiB   {offering / base:.2f}x")
    if args.quick:
        print("  (--quick: the harness ran; these figures are not measurements)")


if __name__ == "__main__":
    main()
