"""The README's two commands, taken from the README itself, work as written in a fresh
clone with a Python that refuses system-wide installs (PEP 668), as on Debian or Ubuntu.

Slow (it installs from the package index twice), so it runs once per suite; everything
it needs is made in a temporary folder and nothing is installed outside it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO))
from bench.pty_harness import PtyProcess  # the benchmarks' pty, shared

NESTED = "MOBILITY_COACH_README_TEST"
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


def readme_commands() -> tuple[str, str]:
    """The run command and the test command, from the README's first shell blocks."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lines = [line.strip() for block in re.findall(r"```sh\n(.*?)```", readme, re.S) for line in block.splitlines()]
    run = next(line for line in lines if "mobility-coach" in line and "pytest" not in line)
    test = next(line for line in lines if "pytest" in line)
    return run, test


def test_ci_runs_the_readme_test_command_exactly() -> None:
    _, test = readme_commands()
    assert test in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def externally_managed_python() -> str | None:
    """A Python 3.11+ that refuses `pip install` outside a virtual environment, and can make one."""
    probe = (
        "import sys, sysconfig, pathlib, venv, ensurepip; "
        "ok = sys.version_info >= (3, 11) and "
        "(pathlib.Path(sysconfig.get_path('stdlib')) / 'EXTERNALLY-MANAGED').is_file(); "
        "print('yes' if ok else 'no')"
    )
    for python in SYSTEM_PYTHONS:
        try:
            result = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=30, check=False)
        except OSError:
            continue
        if result.stdout.strip() == "yes":
            return python
    return None


def fresh_clone(target: Path) -> None:
    """The files a clone would have, as they are in this working tree (so uncommitted work is tested too)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout, so there is no clone to make")
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.mark.skipif(os.environ.get(NESTED) == "1", reason="already inside the README test")
def test_the_readme_commands_work_in_a_fresh_clone_with_an_externally_managed_python(tmp_path: Path) -> None:
    python = externally_managed_python()
    if python is None:
        pytest.skip("no externally managed Python 3.11+ with venv here (on Debian: apt-get install python3-venv)")
    clone = tmp_path / "clone"
    fresh_clone(clone)
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "python3").symlink_to(python)
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(
        PATH=f"{shims}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
        MOBILITY_COACH_HOME=str(tmp_path / "home"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        **{NESTED: "1"},
    )

    # The old first command is refused here, so this is the Python a Debian user has.
    refused = subprocess.run(
        ["python3", "-m", "pip", "install", "--no-deps", "--no-index", "."],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode != 0
    assert "externally-managed-environment" in refused.stderr or "No module named pip" in refused.stderr

    run, test = readme_commands()
    first = PtyProcess(["sh", "-c", run], env={**env, "PWD": str(clone)}, size=(80, 24), cwd=clone)
    try:
        first.read_until(b"installed in", timeout=600)
        first.read_until(b"desk break", timeout=60)
        first.send("\x11")  # Ctrl+Q
        assert first.wait(timeout=30) == 0
    finally:
        first.close()
    # Compiled by the bootstrap, not by the app's first launch: the app never imports the server.
    assert list((clone / "src" / "mobility_coach" / "serve" / "__pycache__").glob("command.*.pyc")), "not compiled"

    again = PtyProcess(["sh", "-c", run], env={**env, "PWD": str(clone)}, size=(80, 24), cwd=clone)
    try:
        again.read_until(b"desk break", timeout=60)
        again.send("\x11")
        assert again.wait(timeout=30) == 0
    finally:
        again.close()
    assert b"installing" not in again.output, "the second run installed again"

    # The suite itself would run this test again; PYTEST_ADDOPTS keeps the nested run
    # to a small part of it while the command stays exactly as written.
    tested = subprocess.run(
        ["sh", "-c", test],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**env, "PYTEST_ADDOPTS": "-p no:cacheprovider -k test_durations"},
    )
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-3000:]
    assert re.search(r"\d+ passed", tested.stdout)
