"""Filesystem faults: every command says what is wrong in one line and exits 1 or 2,
never a traceback, and never hangs (each run is time-bounded)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bounded import run_cli, run_cli_unprivileged

COMMANDS = [
    ["list"],
    ["show", "desk-break"],
    ["validate"],
    ["new", "Foo"],
    ["config"],
    ["config", "--init"],
    ["history"],
    ["log", "urge"],
    ["remind", "status"],
    ["remind"],
    ["run", "desk-break"],
]


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (1, 2), (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mobility-coach: "), result.stderr
    for text in expected:
        assert text in lines[0]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_home_that_is_a_file(tmp_path: Path, args: list[str]) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder\n")
    result = run_cli(args, home, timeout=20)
    assert_one_clear_line(result, "MOBILITY_COACH_HOME=", "is a file; it must name a folder")
    assert home.read_text() == "not a folder\n"


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_home_whose_name_is_too_long(tmp_path: Path, args: list[str]) -> None:
    result = run_cli(args, tmp_path / ("x" * 300), timeout=20)
    assert_one_clear_line(result, "the name is too long for the file system")


@pytest.mark.parametrize("args", [["new", "Foo"], ["validate"]], ids=" ".join)
def test_a_routines_folder_that_is_a_file(home: Path, args: list[str]) -> None:
    (home / "config").mkdir()
    (home / "config" / "routines").write_text("mine\n")
    result = run_cli(args, home, timeout=20)
    assert_one_clear_line(result, "routines")
    assert (home / "config" / "routines").read_text() == "mine\n"


def test_list_still_lists_the_builtins_when_the_routines_folder_is_a_file(home: Path) -> None:
    (home / "config").mkdir()
    (home / "config" / "routines").write_text("mine\n")
    result = run_cli(["list"], home, timeout=20)
    assert result.returncode == 0 and "desk-break" in result.stdout
    assert (
        "routines:1:1: " in result.stderr
        and "routines:1:1: this should be the folder of your routines, but it is not a folder" in result.stderr
    )


def test_a_file_name_too_long_for_the_file_system(home: Path) -> None:
    result = run_cli(["show", "x" * 300 + ".yaml"], home, timeout=20)
    assert_one_clear_line(result, "the name is too long for the file system")


def test_a_new_routine_with_a_very_long_name_gets_a_shorter_id(home: Path) -> None:
    result = run_cli(["new", "x" * 80], home, timeout=20)  # the longest name a routine may have
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).name == "x" * 64 + ".yaml"


# Run as root, the folder pytest makes is closed to others: nobody finds every path
# under it "permission denied", the case of a parent folder one may not enter.
@pytest.mark.parametrize("args", [a for a in COMMANDS if a != ["run", "desk-break"]], ids=" ".join)
def test_a_home_behind_a_folder_one_may_not_enter(tmp_path: Path, args: list[str]) -> None:
    parent = tmp_path / "locked"
    (parent / "home").mkdir(parents=True)
    parent.chmod(0o700 if os.geteuid() == 0 else 0o000)
    try:
        result = run_cli_unprivileged(args, parent / "home", timeout=20)
    finally:
        parent.chmod(0o700)
    assert_one_clear_line(result, "MOBILITY_COACH_HOME=", "cannot be used: permission denied")


def as_unprivileged(*folders: Path) -> None:
    """Give ``folders`` to the user run_cli_unprivileged runs as (nobody, when run as
    root): one's own folder that one may not enter, not another user's (which is refused)."""
    if os.geteuid() == 0:
        for folder in folders:
            os.chown(folder, 65534, 65534)


@pytest.fixture
def open_home() -> Iterator[Path]:
    """A home that another user can reach (pytest's own temporary folders are closed)."""
    root = Path(tempfile.mkdtemp(prefix="mobility-coach-test-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        for folder in (root / "config", root / "data"):
            if folder.exists():
                folder.chmod(0o755)
        shutil.rmtree(root)


@pytest.mark.parametrize("args", [a for a in COMMANDS if a != ["run", "desk-break"]], ids=" ".join)
def test_config_and_data_folders_one_may_not_enter(open_home: Path, args: list[str]) -> None:
    for name in ("config", "data"):
        (open_home / name).mkdir(mode=0o000)
    as_unprivileged(open_home / "config", open_home / "data")
    result = run_cli_unprivileged(args, open_home, timeout=20)
    assert "Traceback" not in result.stderr, result.stderr
    if args == ["list"]:  # the built-ins still list, with the problem named
        assert result.returncode == 0 and "desk-break" in result.stdout
        assert "config/routines:1:1: cannot read: permission denied" in result.stderr
    elif args == ["show", "desk-break"]:  # needs nothing of the user's
        assert result.returncode == 0, result.stderr
    elif args == ["log", "urge"]:  # the advice is still given, and the entry is said to be lost
        assert result.returncode == 1 and "permission denied" in result.stderr and "drill" in result.stdout
    elif args == ["remind"]:  # says what it met on the way, then why it cannot run
        assert result.returncode == 1
        assert result.stderr.strip().splitlines()[-1].endswith("remind.lock: permission denied")
    else:
        assert_one_clear_line(result, "permission denied")


@pytest.mark.parametrize("mode", [0o000, 0o100, 0o300])
def test_a_routines_folder_that_cannot_be_listed_is_named_not_treated_as_empty(open_home: Path, mode: int) -> None:
    routines = open_home / "config" / "routines"
    routines.mkdir(parents=True)
    (routines / "mine.yaml").write_text("routines: {}\n")
    for folder in (open_home / "config", open_home / "data"):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o777)
    as_unprivileged(open_home / "config", open_home / "data", routines, routines / "mine.yaml")
    routines.chmod(mode)
    try:
        listed = run_cli_unprivileged(["list"], open_home, timeout=20)
        validated = run_cli_unprivileged(["validate"], open_home, timeout=20)
    finally:
        routines.chmod(0o755)
    assert listed.returncode == 0 and "desk-break" in listed.stdout  # the built-ins still list
    assert f"{routines}:1:1: cannot read: permission denied" in listed.stderr
    assert validated.returncode == 1 and f"{routines}:1:1: cannot read: permission denied" in validated.stdout
