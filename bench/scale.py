"""mobility-coach at scale (issue 14): 500 user routine files and 100,000 rows of history,
each figure printed beside its baseline, all measured in one run.

    python bench/scale.py            # the issue's sizes; checks the goals, exit 1 if one fails
    python bench/scale.py --quick    # small sizes, every measurement once, no goal checked

The cases are made with mobility-coach's own API in temporary MOBILITY_COACH_HOMEs: routine
files from ``starter_text`` (one or two routines each), the history through ``History``'s
own recording calls (sessions, breaks, journal entries, 27 a working day, going back years).

Figures:
- launch to first frame (80x24 pty, bench/pty_harness.py): 500 files against an empty home
  (every start parses every file: nothing is kept from the last one);
- a filter keystroke that shows every routine again (750 routines), key to screen in a pty,
  against a bare Textual Input echoing a key;
- ``list`` and ``validate`` against libyaml's CSafeLoader reading the same files (1.00x);
- ``history`` (the default view) at 100,000 rows against 1,000 rows;
- ``history --csv`` / ``--json``: peak memory (the child's ru_maxrss) at 100,000 rows
  against 1,000 rows, and time against the ``sqlite3`` shell writing the same rows in the
  same form (its ``-csv`` and ``-json`` modes: the same work);
- the statistics screen's opening at 100,000 rows against an empty history.

A harness that no longer matches the app (text it waits for that never comes, a command
that fails) stops the run with an error, never a figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pty_harness import PtyProcess

from mobility_coach.core.history.store import DB_NAME, History
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.starter import starter_text

HERE = Path(__file__).parent
# The first frame: the filter's placeholder, from its second letter (the first sits under
# the blinking cursor), on the home screen whatever the library holds.
FIRST_FRAME = b"ype to filter routines"


class StaleHarness(RuntimeError):
    """The bench no longer matches the app: fix the bench, there is no figure to give."""


@dataclass(frozen=True)
class Figure:
    what: str
    value: float
    baseline: float
    unit: str
    baseline_name: str
    goal: float | None  # the highest ratio the issue allows

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    def line(self) -> str:
        goal = "" if self.goal is None else f"  (goal <= {self.goal:g}x: {'ok' if self.ok else 'MISSED'})"
        return (
            f"{self.what:<46} {self.value:9.1f} {self.unit:<3} vs {self.baseline:9.1f} {self.unit:<3} "
            f"{self.baseline_name:<34} {self.ratio:5.2f}x{goal}"
        )

    @property
    def ok(self) -> bool:
        return self.goal is None or self.ratio <= self.goal


# --- the cases --------------------------------------------------------------------------


def paths_for(home: Path) -> Paths:
    return Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})


def write_routine_files(home: Path, files: int) -> int:
    """``files`` user routine files, every other one holding two routines; the count made."""
    folder = paths_for(home).routines_dir
    folder.mkdir(parents=True, exist_ok=True)
    made = 0
    for number in range(files):
        routine_id = f"bench-{number:04d}"
        text = starter_text(routine_id, f"Bench routine {number}", f"{routine_id}.yaml")
        made += 1
        if number % 2:
            # A second routine: the starter's own routine block under another id.
            second = starter_text(f"{routine_id}-b", f"Bench routine {number} b", f"{routine_id}.yaml")
            text += second.split("routines:\n", 1)[1]
            made += 1
        (folder / f"{routine_id}.yaml").write_text(text, encoding="utf-8")
    return made


def write_history(home: Path, rows: int, now: float) -> None:
    """``rows`` rows of history through the store's own calls, 27 a working day back from
    ``now``: 8 sessions, 12 breaks and 7 journal entries, none at weekends (so the streak is
    a week at most: a streak of years would be read day by day, as it must be counted)."""
    history = History(paths_for(home).data_dir / DB_NAME)
    made = 0
    day = 0
    kinds = (
        "due",
        "taken",
        "snoozed",
        "due",
        "taken",
        "skipped",
        "due",
        "taken",
        "natural_idle",
        "due",
        "taken",
        "due",
    )
    names = ("Hourly desk break", "Floor mobility", "Core and posture", "Stiff back start")
    while made < rows:
        start = now - day * 86400.0 - 9 * 3600.0
        if datetime.fromtimestamp(start).weekday() >= 5:
            day += 1
            continue
        for n in range(8):
            if made >= rows:
                break
            at = start + n * 3600.0 + 13.37
            session = history.session_started("desk-break", names[(day + n) % 4], 4, at=at)
            history.session_ended(session, "completed", 4, 150.0, at=at + 150.0)
            made += 1
        for n, kind in enumerate(kinds):
            if made >= rows:
                break
            history.record_break(kind, "app", at=start + n * 2400.0 + 0.5)  # type: ignore[arg-type]
            made += 1
        for n in range(7):
            if made >= rows:
                break
            history.record_journal("crack", "single_pop", n == 3, "mid", at=start + n * 4000.0 + 7.25)
            made += 1
        day += 1
    history.close()


# --- measuring --------------------------------------------------------------------------


def env_for(home: Path) -> dict[str, str]:
    # As a user has it: bytecode written on the first run and read on later ones.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "MOBILITY_COACH_HOME": str(home)}


# Runs a command and reports its time and peak memory. A child's ru_maxrss counts the
# pages it had when forked, so a command forked from this (large) bench would show the
# bench's size: the small launcher forks it instead, and reports what wait4 says.
LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def command(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(seconds, peak resident KiB) of one run of a command, which must succeed."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, *args], env=env, capture_output=True, text=True, timeout=600, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise StaleHarness(f"{' '.join(args)} did not finish in 10 minutes") from error
    try:
        elapsed, peak, code = done.stdout.split()
    except ValueError:
        raise StaleHarness(f"the launcher failed for {' '.join(args)}: {done.stderr[-500:]}") from None
    if int(code) != 0:
        raise StaleHarness(f"{' '.join(args)} failed ({code}): {done.stderr[-500:]}")
    return float(elapsed), int(peak)


def coach(*args: str) -> list[str]:
    return [sys.executable, "-m", "mobility_coach", *args]


def best(runs: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(runs))


def median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def first_frame(home: Path) -> float:
    """Launch to first frame."""
    process = PtyProcess(coach(), env_for(home))
    try:
        return process.read_until(FIRST_FRAME, timeout=60.0)
    except (TimeoutError, OSError) as error:
        raise StaleHarness(f"the home screen's first frame never came: {error}") from error
    finally:
        process.close()


def keystroke_to_screen(process: PtyProcess, key: str, needles: tuple[bytes, ...]) -> float:
    """Milliseconds from ``key`` reaching the terminal to any of ``needles`` written to it
    (a frame is written at once, so any of its words marks its arrival)."""
    time.sleep(0.3)  # whatever the last key set off has been drawn
    process.drain()
    process.output.clear()
    sent = time.perf_counter()
    process.send(key)
    deadline = sent + 30.0
    while not any(needle in process.output for needle in needles):
        if time.perf_counter() > deadline or process.process.poll() is not None:
            raise StaleHarness(f"none of {needles!r} came after {key!r}: {bytes(process.output[-300:])!r}")
        process.drain()
        time.sleep(0.0005)
    return (time.perf_counter() - sent) * 1000


def filter_keystroke(home: Path, presses: int) -> tuple[float, float]:
    """Median milliseconds from a key to the screen showing its result, in a pty as a
    user's terminal has it: in the app, the key that empties the filter and brings every
    routine back (the first routine's name written again); the baseline, a bare Textual
    Input echoing a key (bench/bare_input_app.py)."""
    from mobility_coach.core.routines.loader import load_all

    names = [routine.name for routine in load_all(paths_for(home)).routines.values()]
    ours = PtyProcess(coach(), env_for(home))
    bare = PtyProcess([sys.executable, str(HERE / "bare_input_app.py")], env_for(home))
    app_times: list[float] = []
    bare_times: list[float] = []
    try:
        try:
            ours.read_until(FIRST_FRAME, timeout=60.0)
            bare.read_until(b"Type to filter", timeout=60.0)
        except (TimeoutError, OSError) as error:
            raise StaleHarness(f"a first frame never came: {error}") from error
        time.sleep(1.5)  # the app settles a second after its first frame (tui/collector.py)
        ours.drain()
        shown = tuple(name.encode() for name in names if name.encode() in ours.output)
        if not shown:
            raise StaleHarness("no routine's name is on the home screen")
        for _ in range(presses):
            keystroke_to_screen(ours, "#", (b"No routine matches",))  # a filter that matches nothing
            app_times.append(keystroke_to_screen(ours, "\x7f", shown))  # backspace: every routine again
            bare_times.append(keystroke_to_screen(bare, "#", (b"#",)))
            keystroke_to_screen(bare, "\x7f", (b"Type to filter",))
    finally:
        ours.close()
        bare.close()
    return statistics.median(app_times), statistics.median(bare_times)


def statistics_screen(home: Path, opens: int) -> float:
    """Median milliseconds from Ctrl+S on the home screen to the statistics screen shown."""
    from mobility_coach.tui.app import MobilityCoachApp
    from mobility_coach.tui.factory import make_parts
    from mobility_coach.tui.screens.stats import StatsScreen

    parts = make_parts(paths_for(home), {}, listen_for_reminder=False)

    async def run() -> list[float]:
        app = MobilityCoachApp(parts)
        times: list[float] = []
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for _ in range(opens):
                started = time.perf_counter()
                await pilot.press("ctrl+s")
                await pilot.pause()
                times.append((time.perf_counter() - started) * 1000)
                if not isinstance(app.screen, StatsScreen):
                    raise StaleHarness(f"Ctrl+S did not open the statistics screen ({type(app.screen).__name__})")
                await pilot.press("escape")
                await pilot.pause()
        return times

    return statistics.median(asyncio.run(run()))


def csafe_read(folder: Path) -> list[str]:
    """A process that reads every routine file with libyaml's CSafeLoader, and no more."""
    script = (
        "import sys, pathlib, yaml\n"
        "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
        "    yaml.load(path.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
    )
    return [sys.executable, "-c", script, str(folder)]


def sqlite_shell(database: Path, form: str) -> list[str]:
    """The sqlite3 shell writing the same rows in ``form`` ("--csv" or "--json": its
    ``-csv -header`` or ``-json`` mode), local times included."""
    when = "strftime('%Y-%m-%dT%H:%M:%S', {}, 'unixepoch', 'localtime')"
    query = (
        f"SELECT 'session', id, {when.format('started')}, {when.format('ended')}, routine_id, routine_name, status, "
        "steps_done, steps_total, round(active_seconds, 1), feeling FROM sessions ORDER BY started; "
        f"SELECT 'break', id, {when.format('at')}, kind, source, detail FROM breaks ORDER BY at; "
        f"SELECT 'journal', id, {when.format('at')}, kind, sound, hurt, area, note FROM journal ORDER BY at;"
    )
    mode = ["-csv", "-header"] if form == "--csv" else ["-json"]
    return ["sqlite3", *mode, str(database), query]


@contextmanager
def home_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="mobility-coach-scale-") as folder:
        yield Path(folder)


# --- the run ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, each measured once, no goal checked")
    args = parser.parse_args()
    quick = args.quick
    files, big, small = (20, 2_000, 200) if quick else (500, 100_000, 1_000)
    runs = 1 if quick else 5
    if shutil.which("sqlite3") is None:
        raise StaleHarness("the sqlite3 shell is needed for the export baseline (apt-get install sqlite3)")
    figures: list[Figure] = []
    now = time.time()
    with home_folder() as empty, home_folder() as many, home_folder() as short, home_folder() as long:
        routines = write_routine_files(many, files)
        print(f"made {files} routine files ({routines} routines)", flush=True)
        # The launches and the keystroke come before the history is made: its writing back
        # to disk would slow every launch after it (both homes alike, a constant that
        # flattered the ratio), and its objects would sit in the heap the keystroke's
        # collections walk, which the app's own heap never holds.
        os.sync()
        first_frame(empty), first_frame(many)  # warm the disk cache for both
        frames: dict[str, list[float]] = {name: [] for name in ("empty", "many")}
        for _ in range(runs):  # interleaved: both see the same machine
            frames["empty"].append(first_frame(empty) * 1000)
            frames["many"].append(first_frame(many) * 1000)
        figures.append(
            Figure(
                f"first frame, {files} routine files",
                statistics.median(frames["many"]),
                statistics.median(frames["empty"]),
                "ms",
                "an empty home",
                1.75,
            )
        )
        keystroke, bare_keystroke = filter_keystroke(many, 3 if quick else 15)
        figures.append(
            Figure(
                f"filter keystroke to screen, {routines} routines",
                keystroke,
                bare_keystroke,
                "ms",
                "a bare Input echoing a key",
                None,
            )
        )

        write_history(short, small, now)
        started = time.perf_counter()
        write_history(long, big, now)
        print(f"made {big:,} rows of history (in {time.perf_counter() - started:.0f} s)\n", flush=True)

        folder = paths_for(many).routines_dir
        reading = best(runs, lambda: command(csafe_read(folder), env_for(many))[0] * 1000)
        for name in ("list", "validate"):
            figures.append(
                Figure(
                    f"{name}, {files} files",
                    best(runs, lambda n=name: command(coach(n), env_for(many))[0] * 1000),
                    reading,
                    "ms",
                    "CSafeLoader reading them",
                    None,
                )
            )

        figures.append(
            Figure(
                f"history (default view), {big:,} rows",
                best(runs, lambda: command(coach("history"), env_for(long))[0] * 1000),
                best(runs, lambda: command(coach("history"), env_for(short))[0] * 1000),
                "ms",
                f"{small:,} rows",
                1.2,
            )
        )
        database = paths_for(long).data_dir / DB_NAME
        for form in ("--csv", "--json"):
            shell = best(runs, lambda f=form: command(sqlite_shell(database, f), env_for(long))[0] * 1000)
            figures.append(
                Figure(
                    f"history {form} peak memory, {big:,} rows",
                    max(command(coach("history", form), env_for(long))[1] for _ in range(runs)) / 1024,
                    max(command(coach("history", form), env_for(short))[1] for _ in range(runs)) / 1024,
                    "MiB",
                    f"{small:,} rows",
                    1.2,
                )
            )
            figures.append(
                Figure(
                    f"history {form} time, {big:,} rows",
                    best(runs, lambda f=form: command(coach("history", f), env_for(long))[0] * 1000),
                    shell,
                    "ms",
                    f"sqlite3 shell, same rows as {form[2:].upper()}",
                    3.0,
                )
            )
        figures.append(
            Figure(
                f"statistics screen opens, {big:,} rows",
                statistics_screen(long, 3 if quick else 10),
                statistics_screen(empty, 3 if quick else 10),
                "ms",
                "an empty history",
                1.5,
            )
        )

    print(f"{'figure':<46} {'value':>13}    {'baseline':>13} {'':<34} ratio")
    for figure in figures:
        print(figure.line())
    if quick:
        print("\n--quick: small sizes, measured once; no goal is checked")
        return 0
    missed = [figure.what for figure in figures if not figure.ok]
    if missed:
        print(f"\nmissed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
