"""Resident memory over a long session: mobility-coach playing a 30-minute routine beside
the bare Digits app counting down, both in an 80x24 pseudo-terminal, sampled from /proc.

    python bench/session_memory.py [--minutes 30]
    python bench/session_memory.py --quick      # some seconds: does the harness still run?

A long session must not grow: after a warm-up (the first cues, the first phrases of the
voice, Textual's caches filling) the app's resident memory should stay flat. The bare
app, sampled over the same span on the same machine, shows what flat looks like here.
Prints the samples at a few points, the growth after warm-up and its rate per hour, for
both.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from pty_harness import PtyProcess

HERE = Path(__file__).parent
# Held stretches on both sides, round after round: a session far longer than any run.
LONG_ROUTINE = """routines:
  long-hold:
    name: Long hold
    summary: Holds and rests for an hour, to watch memory over a long session.
    tags: [bench]
    rounds: 15
    defaults: {get_ready: 5s, rest: 10s, switch: 5s, round_rest: 10s}
    steps:
      - exercise: seated-twist
        hold: 40s
        sides: both
      - exercise: seated-cat-cow
        reps: 6
        tempo: 5s
"""


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}: the harness no longer matches /proc")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--quick", action="store_true", help="some seconds: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.every = 0.2, 2.0
    warm_up = min(240.0, args.minutes * 60 / 4)  # the issue saw growth in the first four minutes
    with tempfile.TemporaryDirectory() as home:
        state = Path(home) / "data" / "state.json"
        state.parent.mkdir(parents=True)
        state.write_text(json.dumps({"muted": False, "checkin_date": date.today().isoformat()}))
        routines = Path(home) / "config" / "routines"
        routines.mkdir(parents=True)
        (routines / "long-hold.yaml").write_text(LONG_ROUTINE)
        env = {**os.environ, "MOBILITY_COACH_HOME": home}
        ours = PtyProcess([sys.executable, "-m", "mobility_coach", "run", "long-hold"], env)
        bare = PtyProcess([sys.executable, str(HERE / "bare_digits_app.py")], env)
        samples: list[tuple[float, float, float]] = []  # (seconds, ours, bare)
        try:
            ours.read_until(b"GET READY")
            bare.read_until("╶─╮".encode())
            began = time.perf_counter()
            while (elapsed := time.perf_counter() - began) < args.minutes * 60:
                samples.append((elapsed, rss_mib(ours.process.pid), rss_mib(bare.process.pid)))
                until = time.perf_counter() + args.every
                while time.perf_counter() < until:
                    time.sleep(0.5)
                    ours.drain()  # a terminal reads what the app writes; a full pty would stall it
                    bare.drain()
                if ours.process.poll() is not None or bare.process.poll() is not None:
                    raise SystemExit("session_memory: a program ended early: the harness no longer matches the app")
            if b"GET READY" not in ours.output and b"WORK" not in ours.output:
                raise SystemExit("session_memory: the session is not on screen: the harness no longer matches the app")
        finally:
            ours.close()
            bare.close()
    span = samples[-1][0]
    print(f"resident memory over {span / 60:.1f} min of a session (80x24 pty), sampled every {args.every:g} s")
    print(f"  {'at':>8}  {'mobility-coach':>15}  {'bare Digits app':>15}")
    shown = {0, len(samples) - 1} | {min(len(samples) - 1, round(i * (len(samples) - 1) / 6)) for i in range(7)}
    for index in sorted(shown):
        seconds, mine, theirs = samples[index]
        print(f"  {seconds / 60:6.1f} m  {mine:11.1f} MiB  {theirs:11.1f} MiB")
    after = [s for s in samples if s[0] >= warm_up] or samples[-1:]
    hours = max(1e-9, (after[-1][0] - after[0][0]) / 3600)
    for name, column in (("mobility-coach", 1), ("bare Digits app (baseline)", 2)):
        first, last = after[0][column], after[-1][column]
        peak = max(s[column] for s in after)
        print(
            f"  {name}: after {warm_up / 60:.0f} min of warm-up {first:.1f} MiB, at the end {last:.1f} MiB, "
            f"peak {peak:.1f} MiB: {last - first:+.2f} MiB ({(last - first) / hours:+.2f} MiB an hour)"
        )


if __name__ == "__main__":
    main()
