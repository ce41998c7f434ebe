"""The lock files agree with pyproject.toml (issue 25): every dependency is bounded above and
pinned, with its hashes, at a version inside its range, and the app's lock holds the very
versions the tests' lock does. When this fails: ``python3 bootstrap.py --upgrade``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO

LOCK = REPO / "requirements.lock"
TEST_LOCK = REPO / "requirements-test.lock"
PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^ ;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\s*\\?")


@dataclass
class Pin:
    """One package the lock installs."""

    version: Version
    """The one version it installs."""
    marker: str | None
    """Where it is installed (e.g. only on Linux), or None: everywhere."""
    hashes: int = 0
    """How many files' hashes the lock accepts for it."""
    lines: list[str] = field(default_factory=list)
    """Its lines in the lock, for a failure's message."""


def pins(lock: Path) -> dict[str, Pin]:
    """The lock's pins by canonical name; any line that is neither a pin, its hash, nor a
    comment fails the test (pip's --require-hashes would refuse it, or install it unhashed)."""
    found: dict[str, Pin] = {}
    pin: Pin | None = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line.startswith(" ") and pin is not None and HASH.fullmatch(stripped):
            pin.hashes += 1
            pin.lines.append(line)
            continue
        matched = PIN.fullmatch(line)
        assert matched, f"{lock.name}: not a pin: {line!r}"
        name = canonicalize_name(matched["name"])
        assert name not in found, f"{lock.name}: {name} pinned twice"
        pin = found[name] = Pin(Version(matched["version"]), matched["marker"], lines=[line])
    return found


def project() -> dict[str, list[Requirement]]:
    """pyproject.toml's requirements: the app's, the tests' and the build's."""
    toml = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        "runtime": [Requirement(text) for text in toml["project"]["dependencies"]],
        "test": [Requirement(text) for text in toml["project"]["optional-dependencies"]["test"]],
        "build": [Requirement(text) for text in toml["build-system"]["requires"]],
    }


def test_every_runtime_dependency_is_bounded_above() -> None:
    """A `pipx install` resolves these ranges itself, lock or no lock: none may reach a
    release the tests never saw (a new major, or a new Textual minor)."""
    unbounded = [
        str(requirement)
        for requirement in project()["runtime"]
        if not any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier)
    ]
    assert not unbounded


@pytest.mark.parametrize(
    ("lock", "groups"), [(LOCK, ("runtime", "build")), (TEST_LOCK, ("runtime", "test", "build"))], ids=["app", "test"]
)
def test_the_lock_pins_every_requirement_inside_its_range(lock: Path, groups: tuple[str, ...]) -> None:
    locked = pins(lock)
    wrong = []
    for group in groups:
        for requirement in project()[group]:
            pin = locked.get(canonicalize_name(requirement.name))
            if pin is None:
                wrong.append(f"{requirement}: not in {lock.name}")
            elif not requirement.specifier.contains(pin.version, prereleases=True):
                wrong.append(f"{requirement}: {lock.name} has {pin.version}")
            elif requirement.marker is not None and pin.marker is None:
                wrong.append(f"{requirement}: {lock.name} installs it everywhere")
    assert not wrong, "run: python3 bootstrap.py --upgrade\n" + "\n".join(wrong)


@pytest.mark.parametrize("lock", [LOCK, TEST_LOCK], ids=["app", "test"])
def test_every_pin_has_its_hashes(lock: Path) -> None:
    locked = pins(lock)
    assert locked
    assert not [name for name, pin in locked.items() if pin.hashes == 0]


def test_the_app_gets_the_versions_the_tests_ran_with() -> None:
    tested = pins(TEST_LOCK)
    differ = [
        f"{name}: {pin.version}, tested {tested[name].version if name in tested else 'never'}"
        for name, pin in pins(LOCK).items()
        if name not in tested or tested[name].version != pin.version
    ]
    assert not differ


def test_the_locks_say_how_to_remake_them() -> None:
    for lock in (LOCK, TEST_LOCK):
        assert "#    python3 bootstrap.py --upgrade" in lock.read_text(encoding="utf-8").splitlines()[:3]
