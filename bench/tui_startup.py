"""Time from launch to first frame: mobility-coach's home screen against a bare Textual
app with one Digits widget, both started the same way in an 80x24 pseudo-terminal. A third
row, for reference, is a bare app with home's widgets and none of ours
(bench/bare_home_widgets_app.py): Textual's own share of drawing a screen like home.

    python bench/tui_startup.py [--runs 10]
    python bench/tui_startup.py --quick     # one run each: does the harness still run?

"First frame" is the moment the terminal has received a distinctive piece of the first
screen (our header text; the Digits glyphs of the baseline). Prints the median and best
of each, and the ratio of medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from pty_harness import PtyProcess

HERE = Path(__file__).parent


def measure(argv: list[str], needle: bytes, env: dict[str, str]) -> float:
    process = PtyProcess(argv, env)
    try:
        return process.read_until(needle)
    finally:
        process.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="one run each: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MOBILITY_COACH_HOME": home}
        cases = {
            "bare Textual app with one Digits (baseline)": (
                [sys.executable, str(HERE / "bare_digits_app.py")],
                "╶─╮".encode(),
            ),
            "bare Textual app with home's widgets": (
                [sys.executable, str(HERE / "bare_home_widgets_app.py")],
                b"ype to filter routines",
            ),
            "mobility-coach home screen": (
                [sys.executable, "-m", "mobility_coach"],
                # The filter's placeholder from its second letter: the first sits under the
                # blinking cursor. (The routine list's order is the ranking's, so a routine's
                # name is no sure sign of the first frame.)
                b"ype to filter routines",
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        measure(*cases["mobility-coach home screen"], env)  # warm the disk cache for both
        measure(*cases["bare Textual app with one Digits (baseline)"], env)
        for _ in range(args.runs):
            for name, (argv, needle) in cases.items():  # interleaved, so both see the same machine
                times[name].append(measure(argv, needle, env))
    baseline = statistics.median(next(iter(times.values())))
    print(f"launch to first frame, 80x24 pty, {args.runs} runs each (interleaved)")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:45s} median {median * 1000:6.0f} ms   best {min(values) * 1000:6.0f} ms   "
            f"{median / baseline:4.2f}x baseline"
        )


if __name__ == "__main__":
    main()
