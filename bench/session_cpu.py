"""CPU used while a session runs: mobility-coach playing the floor-mobility routine
(its moving figure included) against a bare Textual app doing the least a session's
screen must (bench/bare_session_app.py: a Digits countdown updated once a second and a
braille canvas of the figure's size drawn anew twice a second, the figure's frame rate),
both in a pseudo-terminal of the same size, measured from /proc over the same span.

    python bench/session_cpu.py [--seconds 60] [--size 160x48]
    python bench/session_cpu.py --quick     # a few seconds: does the harness still run?

The two run side by side, so both see the same machine. Prints CPU seconds used and the
share of one core, our ratio to the baseline, and how many pictures of the figure were
drawn a second: the terminal is read every few milliseconds, so each of the app's
screen updates arrives apart from the next (the app updates at most 10 times a second),
and an update that writes braille dots is a figure frame (nothing else on the player's
screen draws them).
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

from mobility_coach.core.figures.motion import FRAME_SECONDS

HERE = Path(__file__).parent
POLL_SECONDS = 0.005


def has_braille(chunk: bytes) -> bool:
    # U+2801..U+28FF in UTF-8: E2 A0 81..E2 A3 BF (U+2800, the blank pattern, is never drawn).
    return any(0xA0 <= chunk[i + 1] <= 0xA3 for i in range(len(chunk) - 2) if chunk[i] == 0xE2)


def figure_frames(process: PtyProcess) -> int:
    """Read what the app wrote since the last call (a few milliseconds ago: one screen
    update at most, perhaps in several writes); 1 if it drew braille."""
    return int(has_braille(b"".join(process.read_chunks())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--size", default="80x24", help="terminal size, COLUMNSxROWS (default 80x24)")
    parser.add_argument("--quick", action="store_true", help="a few seconds: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 3.0
    columns, rows = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as home:
        # Check in for today already, so `run` goes straight into the session.
        state = Path(home) / "data" / "state.json"
        state.parent.mkdir(parents=True)
        state.write_text(json.dumps({"muted": False, "checkin_date": date.today().isoformat()}))
        env = {**os.environ, "MOBILITY_COACH_HOME": home}
        ours = PtyProcess([sys.executable, "-m", "mobility_coach", "run", "floor-mobility"], env, (columns, rows))
        bare = PtyProcess([sys.executable, str(HERE / "bare_session_app.py")], env, (columns, rows))
        try:
            ours.read_until(b"WORK")  # the figure moves from the first rep on
            bare.read_until("╶─╮".encode())  # the Digits' first frame
            time.sleep(1.0)  # let both settle after start-up
            figure_frames(ours)
            start = {p: p.cpu_seconds() for p in (ours, bare)}
            began = time.perf_counter()
            frames = bare_frames = 0
            while time.perf_counter() - began < args.seconds:
                time.sleep(POLL_SECONDS)
                frames += figure_frames(ours)  # a terminal reads what the app writes; a full pty would stall it
                bare_frames += figure_frames(bare)
            span = time.perf_counter() - began
            used = {p: p.cpu_seconds() - start[p] for p in (ours, bare)}
            alive = ours.process.poll() is None and bare.process.poll() is None
        finally:
            ours.close()
            bare.close()
    if bare_frames == 0:
        raise SystemExit("session_cpu: the baseline drew no canvas frame; the bench no longer matches it")
    if frames == 0:
        # No figure drawn in a session that shows one: the harness no longer sees the app.
        raise SystemExit("session_cpu: no figure frame seen; the bench no longer matches the app")
    print(f"CPU over {span:.0f} s of a running session ({args.size} pty)")
    share = used[bare] / span * 100
    print(
        f"  bare countdown + canvas (baseline) {used[bare]:6.2f} s CPU  {share:5.1f}% of a core  1.00x"
        "  (Digits once a second, braille canvas twice)"
    )
    print(
        f"  mobility-coach floor-mobility      {used[ours]:6.2f} s CPU  {used[ours] / span * 100:5.1f}% of a core  "
        f"{used[ours] / used[bare]:4.2f}x baseline"
    )
    bound = 1 / FRAME_SECONDS
    print(f"  figure frames drawn                {frames / span:6.2f} a second (at most {bound:.0f}: its frame rate)")
    print(f"  (both still running at the end: {alive})")


if __name__ == "__main__":
    main()
