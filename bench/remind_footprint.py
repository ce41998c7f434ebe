"""The headless reminder's footprint: resident memory and wake-ups per minute, read from
/proc, next to a bare Python process that sleeps in select() for a minute at a time (the
least a Python program that wakes once a minute can cost).

    python bench/remind_footprint.py [--minutes 3]
    python bench/remind_footprint.py --quick     # a few seconds: does the harness still run?

Wake-ups are voluntary context switches summed over all of a process's threads: each is
the process going to sleep again after something woke it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
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
            time.sleep(2)  # let start-up settle
            start = {p.pid: wakeups(p.pid) for p in (ours, bare)}
            peak = {p.pid: 0 for p in (ours, bare)}
            began = time.monotonic()
            while time.monotonic() - began < args.minutes * 60:
                time.sleep(5)
                for p in (ours, bare):
                    peak[p.pid] = max(peak[p.pid], rss_kib(p.pid))
                # A process that died reads as 0 MiB and no wake-ups: a figure that would flatter us.
                if ours.poll() is not None:
                    sys.exit(f"remind_footprint: the reminder exited ({ours.returncode}) mid-run; nothing measured")
            minutes = (time.monotonic() - began) / 60
            rate = {p.pid: (wakeups(p.pid) - start[p.pid]) / minutes for p in (ours, bare)}
        finally:
            for p in (ours, bare):
                p.kill()
                p.wait()
    print(f"headless reminder over {minutes:.1f} minutes (no break due meanwhile); {holds}")
    print(
        f"  bare Python select() loop (baseline)  RSS {peak[bare.pid] / 1024:5.1f} MiB   "
        f"{rate[bare.pid]:5.2f} wake-ups/min   1.00x"
    )
    print(
        f"  mobility-coach remind                 RSS {peak[ours.pid] / 1024:5.1f} MiB   "
        f"{rate[ours.pid]:5.2f} wake-ups/min   RSS {peak[ours.pid] / peak[bare.pid]:.2f}x, "
        f"wake-ups {rate[ours.pid] / max(rate[bare.pid], 0.01):.2f}x"
    )


if __name__ == "__main__":
    main()
