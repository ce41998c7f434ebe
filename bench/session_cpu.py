"""CPU used while a session runs: mobility-coach playing the floor-mobility routine
against the bare Digits app counting down at the same tick rate, both in an 80x24
pseudo-terminal, measured from /proc over the same span.

    python bench/session_cpu.py [--seconds 60]
    python bench/session_cpu.py --quick     # a few seconds: does the harness still run?

The two run side by side, so both see the same machine. Prints CPU seconds used and the
share of one core, and our ratio to the baseline.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="a few seconds: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 3.0
    with tempfile.TemporaryDirectory() as home:
        # Check in for today already, so `run` goes straight into the session.
        state = Path(home) / "data" / "state.json"
        state.parent.mkdir(parents=True)
        state.write_text(json.dumps({"muted": False, "checkin_date": date.today().isoformat()}))
        env = {**os.environ, "MOBILITY_COACH_HOME": home}
        ours = PtyProcess([sys.executable, "-m", "mobility_coach", "run", "floor-mobility"], env)
        bare = PtyProcess([sys.executable, str(HERE / "bare_digits_app.py")], env)
        try:
            ours.read_until(b"GET READY")
            bare.read_until("╶─╮".encode())
            time.sleep(1.0)  # let both settle after start-up
            start = {p: p.cpu_seconds() for p in (ours, bare)}
            began = time.perf_counter()
            while time.perf_counter() - began < args.seconds:
                time.sleep(0.5)
                ours.drain()  # a terminal reads what the app writes; a full pty would stall it
                bare.drain()
            span = time.perf_counter() - began
            used = {p: p.cpu_seconds() - start[p] for p in (ours, bare)}
            alive = ours.process.poll() is None and bare.process.poll() is None
        finally:
            ours.close()
            bare.close()
    print(f"CPU over {span:.0f} s of a running session (80x24 pty, 10 ticks a second each)")
    share = used[bare] / span * 100
    print(f"  bare Digits app (baseline)      {used[bare]:6.2f} s CPU  {share:5.1f}% of a core  1.00x")
    print(
        f"  mobility-coach floor-mobility   {used[ours]:6.2f} s CPU  {used[ours] / span * 100:5.1f}% of a core  "
        f"{used[ours] / used[bare]:4.2f}x baseline"
    )
    print(f"  (both still running at the end: {alive})")


if __name__ == "__main__":
    main()
