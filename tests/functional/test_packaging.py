"""The wheel carries the built-in routines, so a non-editable install finds them; the sdist
carries everything its tests need, and the metadata what a packager looks for."""

import email
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_wheel_ships_the_builtin_routines_and_schema(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = tmp_path.glob("mobility_coach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(n).name for n in names if n.startswith("mobility_coach/routines/")}
    expected = {p.name for p in (REPO / "routines").iterdir()}
    assert expected and shipped == expected
    assert "mobility_coach/core/routines/loader.py" in names
    assert "mobility_coach/tui/app.tcss" in names
    assert {f"mobility_coach/sounds/{p.name}" for p in (REPO / "src/mobility_coach/sounds").glob("*.wav")} <= names
    assert not any("tests/" in n or "bench/" in n for n in names)


def build_sdist(into: Path) -> Path:
    built = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "--target", "sdist", "--directory", str(into)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (sdist,) = into.glob("mobility_coach-*.tar.gz")
    return sdist


def test_the_sdist_holds_every_file_the_tests_and_bootstrap_read(tmp_path: Path) -> None:
    """Unpacked, an sdist is a checkout: `python3 bootstrap.py --test` and the tests run from
    it (they read the locks, the README, CONTRIBUTING.md and docs/)."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout (an unpacked sdist, say): nothing to compare the sdist with")
    with tarfile.open(build_sdist(tmp_path)) as sdist:
        shipped = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    expected = {name for name in tracked.stdout.split("\0") if name and (REPO / name).exists()}
    assert expected - shipped == set()
    assert {"LICENSE", "bootstrap.py", "CONTRIBUTING.md", "requirements.lock", "requirements-test.lock"} <= shipped


def test_the_metadata_names_the_licence_pythons_and_systems(tmp_path: Path) -> None:
    with tarfile.open(build_sdist(tmp_path)) as sdist:
        (info,) = [m for m in sdist.getmembers() if m.name.endswith("/PKG-INFO") and m.name.count("/") == 1]
        handle = sdist.extractfile(info)
        assert handle is not None
        metadata = email.message_from_bytes(handle.read())
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert "MIT License" in (REPO / "LICENSE").read_text(encoding="utf-8")
    classifiers = set(metadata.get_all("Classifier") or [])
    assert {f"Programming Language :: Python :: 3.{minor}" for minor in (11, 12, 13)} <= classifiers
    assert {
        "Operating System :: POSIX :: Linux",
        "Operating System :: MacOS",
        "Operating System :: Microsoft :: Windows",
    } <= classifiers
