"""Work bounded per file and overall, not only per routine: hundreds of routines at the
per-routine cap, in one file or many, made 'list' run for half a minute (one file) to
three minutes (nine) in gigabytes. Now each command stays quick, and says what it left out."""

from __future__ import annotations

import time
from pathlib import Path

from mobility_coach.core.routines.loader import (
    MAX_FILE_SEGMENTS,
    MAX_TOTAL_SEGMENTS,
    MAX_USER_BYTES,
    MAX_USER_FILES,
)
from tests.bounded import run_cli

STEP = "{exercise: cat-cow, hold: 1s, sets: 20, sides: both}"
GAPS = "{get_ready: 0, rest: 0, set_rest: 0, switch: 0, round_rest: 0}"
# Ten rounds: with each get-ready and switch as long as its words take to say (a routine's
# gaps are minimums), twenty would last past the 4 hours a routine may last, and each
# routine would be refused for that alone, before the bounds on work are reached.
# Eleven leave each file's six routines past the 22,222 segments that nine files (the
# most the bound on bytes lets in) need to pass the bound on all of them together.
ROUNDS = 11


def capped_routines(folder: Path, files: int, per_file: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = ["routines:"]
        for i in range(per_file):
            lines.append(
                f"  r{f}-{i}: {{name: R{f} {i}, summary: S, rounds: {ROUNDS}, defaults: {GAPS}, "
                f"steps: [{', '.join([STEP] * 6)}]}}"
            )
        (folder / f"bomb{f:03d}.yaml").write_text("\n".join(lines) + "\n")


def segments_each(home: Path) -> int:
    """The segments one of these routines is played in (its gaps as the loader makes them)."""
    from mobility_coach.core.paths import Paths
    from mobility_coach.core.routines.loader import load_all
    from mobility_coach.core.routines.timeline import measure

    one = home / "one"
    capped_routines(one / "config" / "routines", 1, 1)
    library = load_all(Paths.from_environment({"MOBILITY_COACH_HOME": str(one)}))
    return measure(library.routines["r0-0"])[0]


def timed_list(home: Path) -> tuple[float, str, str]:
    started = time.perf_counter()
    result = run_cli(["list"], home, timeout=60)
    assert result.returncode == 0 and "desk-break" in result.stdout, result.stderr
    return time.perf_counter() - started, result.stdout, result.stderr


def test_one_file_of_capped_routines(home: Path) -> None:
    capped_routines(home / "config" / "routines", 1, 500)
    elapsed, out, err = timed_list(home)
    assert elapsed < 10
    loaded = MAX_FILE_SEGMENTS // segments_each(home)
    first_refused = loaded + 2  # its line: after "routines:" and the loaded ones
    assert f"bomb000.yaml:{first_refused}:3: routines.r0-{loaded}: this file's routines would have more than" in err
    assert f" r0-{loaded - 1} " in out and f" r0-{loaded} " not in out
    assert err.count("\n  ") == 1  # one problem for the file, not one per routine


def test_many_files_of_capped_routines(home: Path) -> None:
    capped_routines(home / "config" / "routines", 12, 500)  # ~2.7 MB: past the bound on bytes too
    elapsed, _, err = timed_list(home)
    assert elapsed < 10
    assert f"all routines together would have more than {MAX_TOTAL_SEGMENTS:,} segments" in err
    assert f"not read: the routine files together are larger than {MAX_USER_BYTES >> 20} MiB" in err


def test_very_many_small_files(home: Path) -> None:
    folder = home / "config" / "routines"
    folder.mkdir(parents=True)
    for n in range(MAX_USER_FILES + 20):
        (folder / f"r{n:04d}.yaml").write_text(
            f"routines:\n  r{n}:\n    name: R {n}\n    summary: S.\n    steps:\n      - exercise: cat-cow\n        hold: 30s\n"
        )
    elapsed, out, err = timed_list(home)
    assert elapsed < 10
    assert " r0 " in out and f" r{MAX_USER_FILES - 1} " in out and f" r{MAX_USER_FILES} " not in out
    assert f"r{MAX_USER_FILES:04d}.yaml:1:1: not read: more than {MAX_USER_FILES} routine files" in err
