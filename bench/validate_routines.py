"""How long validating a routine file takes, against libyaml's ``CSafeLoader`` reading the
same files in the same run (issue 14's goal: at most 1.5x).

    python bench/validate_routines.py [--files 1000] [--repeat 3]
    python bench/validate_routines.py --quick     # 20 files, once: does the harness still run?

Generates N routine files (a few routines each, library and inline exercises, holds,
tempo and self-paced reps, sides and sets), then times, best of --repeat:

- ``yaml.safe_load`` with the pure-Python loader (what ``yaml.safe_load`` does by default),
- ``yaml.load`` with libyaml's ``CSafeLoader`` (the fastest way PyYAML can parse), the
  1.00x row, as any program would call it;
- the same with Python's cyclic garbage collector paused, for reference only: the loader
  pauses it while it loads (see ``loader._collector_paused``), so this row shows how much
  of the difference that alone makes;
- mobility-coach's loader: read, parse to located nodes, validate, resolve references,
  check limits and build the model, for all N files as one user folder;
- the same plus expanding every routine into its timeline.

It prints microseconds per file and each as a ratio of the CSafeLoader baseline (the
fastest PyYAML reads YAML; pure-Python safe_load would flatter us). Every load is cold: the
files are read and parsed anew each time, nothing is kept between runs. Exits 1 when the
goal is missed (not with --quick), and stops with an error, never a figure, when the
loader no longer accepts the generated files (a stale harness).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from mobility_coach.core.routines.loader import Layer, builtin_layer, load_library
from mobility_coach.core.routines.timeline import expand

EXERCISES = [
    "cat-cow",
    "seated-cat-cow",
    "seated-twist",
    "thoracic-rotation",
    "open-book",
    "knee-drops",
    "bird-dog",
    "plank",
    "dead-bug",
    "shoulder-blade-squeeze",
    "walk-break",
]


def routine_file(rng: random.Random, number: int) -> str:
    lines = ["# yaml-language-server: $schema=./mobility-coach.schema.json", "routines:"]
    for r in range(rng.randint(1, 3)):
        lines += [
            f"  gen-{number}-{r}:",
            f"    name: Generated routine {number}.{r}",
            "    summary: A generated routine for the benchmark.",
            "    tags: [bench, generated]",
            "    defaults:",
            f"      get_ready: {rng.choice(['5s', '10s', 3])}",
            "      rest: 10s",
            f"    rounds: {rng.randint(1, 3)}",
            "    steps:",
        ]
        for _ in range(rng.randint(3, 10)):
            if rng.random() < 0.15:
                lines += [
                    "      - exercise:",
                    "          name: Inline reach",
                    "          position: standing",
                    "          cues:",
                    "            - Reach up slowly.",
                    "            - Lower slowly.",
                    "          cautions: [Stop if it hurts.]",
                ]
            else:
                lines.append(f"      - exercise: {rng.choice(EXERCISES)}")
            kind = rng.random()
            if kind < 0.4:
                lines.append(f"        hold: {rng.choice(['20s', '30s', '1m', '45', '1m30s'])}")
            elif kind < 0.8:
                lines += [f"        reps: {rng.randint(4, 12)}", f"        tempo: {rng.choice(['3s', '4s', 5])}"]
            else:
                lines += [f"        reps: {rng.randint(4, 12)}", "        self_paced: true"]
            if rng.random() < 0.4:
                lines.append("        sides: both")
            if rng.random() < 0.3:
                lines += ["        sets: 2", "        set_rest: 20s"]
    return "\n".join(lines) + "\n"


def best_of(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Each run's best time of ``repeat``, the runs taken in turn in every round: on a shared
    machine, a baseline timed in a quiet minute and ours in a busy one (or the reverse)
    gave ratios from 1.1x to 1.8x for the same code."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: min(taken) for name, taken in times.items()}


OURS = "mobility-coach validate + build"
GOAL = 1.5  # issue 14: validating at most 1.5x CSafeLoader reading the same files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20 files, once: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.files, args.repeat = 20, 1
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        routines_written = 0
        for number in range(args.files):
            path = Path(folder) / f"gen-{number:04d}.yaml"
            text = routine_file(rng, number)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
            routines_written += text.count("\n  gen-")
        size = sum(p.stat().st_size for p in paths)
        builtins = builtin_layer()
        user = Layer(tuple(paths), builtin=False)

        expected = len(load_library([builtins]).routines) + routines_written

        def ours() -> None:
            library = load_library([builtins, user])
            if library.problems or len(library.routines) != expected:
                raise SystemExit(
                    f"validate_routines: stale harness: the loader refused the generated files "
                    f"({len(library.routines)} of {expected} routines; {library.problems[:3]})"
                )

        def ours_with_timelines() -> None:
            for routine in load_library([builtins, user]).routines.values():
                expand(routine)

        c_loader = getattr(yaml, "CSafeLoader", None)
        if c_loader is None:
            raise SystemExit("validate_routines: PyYAML without libyaml: no CSafeLoader baseline to measure against")

        def c_safe_load() -> list[object]:
            return [yaml.load(p.read_text(), Loader=c_loader) for p in paths]

        def c_safe_load_collector_paused() -> list[object]:
            gc.disable()
            try:
                return c_safe_load()
            finally:
                gc.enable()

        results = best_of(
            args.repeat,
            {
                "yaml.load, CSafeLoader (libyaml, baseline)": c_safe_load,
                "  ... collector paused (for reference)": c_safe_load_collector_paused,
                "yaml.safe_load (pure Python)": lambda: [yaml.safe_load(p.read_text()) for p in paths],
                OURS: ours,
                "  ... + expand timelines": ours_with_timelines,
            },
        )

    print(
        f"{args.files} generated routine files, {size / args.files:.0f} bytes each on average; "
        f"best of {args.repeat}; libyaml {'present' if c_loader else 'absent'}"
    )
    baseline = next(iter(results.values()))
    for name, seconds in results.items():
        goal = ""
        if name == OURS:
            goal = f"   (goal <= {GOAL:g}x: {'ok' if seconds / baseline <= GOAL else 'MISSED'})"
        print(f"  {name:40s} {seconds / args.files * 1e6:9.1f} us/file   {seconds / baseline:5.2f}x baseline{goal}")
    if args.quick:
        print("--quick: 20 files, once; no goal is checked")
        return 0
    return 0 if results[OURS] / baseline <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
