"""Each command imports only what it needs (issue 14): '--help' and 'history' start
without the routine format, its schema or YAML."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "yaml",
    "mobility_coach.core.routines.format",
    "mobility_coach.core.spec",
    "mobility_coach.core.routines.loader",
)


def imported_by(args: list[str], home: Path) -> set[str]:
    script = (
        "import sys, io\n"
        "from mobility_coach.cli import main\n"
        "try:\n"
        f"    main({args!r}, environ={{'MOBILITY_COACH_HOME': {str(home)!r}}}, out=io.StringIO(), err=io.StringIO())\n"
        "except SystemExit:\n"  # --help: argparse prints and exits
        "    pass\n"
        "print('--modules--', *sys.modules, sep='\\n')\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mobility-coach {' '.join(args)} did not finish within 60 s")
    assert done.returncode == 0, done.stderr
    return set(done.stdout.rpartition("--modules--")[2].split())


@pytest.mark.parametrize(
    "args", [["--help"], ["history", "--help"], ["history"], ["history", "--csv"], ["log", "urge"]]
)
def test_a_command_that_needs_no_routine_never_loads_the_routine_format(args: list[str], tmp_path: Path) -> None:
    loaded = imported_by(args, tmp_path)
    assert "mobility_coach.cli" in loaded
    assert not loaded & set(HEAVY), f"{args} imported {sorted(loaded & set(HEAVY))}"


def test_the_check_sees_a_command_that_loads_routines(tmp_path: Path) -> None:
    assert "mobility_coach.core.routines.format" in imported_by(["list"], tmp_path)


@pytest.mark.parametrize("form", ["--csv", "--json"])
def test_an_export_never_loads_the_statistics_or_the_routine_model(form: str, tmp_path: Path) -> None:
    # Their imports were a fifth of a large export's time (issue 14).
    loaded = imported_by(["history", form], tmp_path)
    assert "mobility_coach.core.history.export" in loaded
    heavy = {"mobility_coach.core.history.stats", "mobility_coach.core.routines.model", "importlib.resources"}
    assert not loaded & heavy, f"history {form} imported {sorted(loaded & heavy)}"
