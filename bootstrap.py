"""Install mobility-coach into a private virtual environment, ``.venv`` beside this file.

    python3 bootstrap.py             # the app's dependencies
    python3 bootstrap.py --test      # also what the tests and the linters need
    python3 bootstrap.py --upgrade   # newer dependencies: refresh the lock files, run the tests

Why a script: most Linux distributions and Homebrew mark their Python as externally
managed (PEP 668), so ``pip install .`` into it is refused. A virtual environment of our
own works with any Python 3.11+, needs no root, and touches nothing outside this folder.

It installs exactly the versions CI tested, from the lock files beside it
(``requirements.lock``, and ``requirements-test.lock`` for ``--test``), each file checked
against its hash, so a clone made months later gets what the tests passed with, not
whatever the package index serves that day; then the project itself, without its
dependencies. The locks are made by uv for every platform (Linux, macOS, Windows), within
the ranges ``pyproject.toml`` allows; ``--upgrade`` remakes them with the newest releases
those ranges allow and runs the tests.

It installs only when something changed (the first run, a new ``pyproject.toml`` or lock
file, a new Python, other extras): the install is editable, so edits to the source need no
reinstall, and a second run costs a few milliseconds. It uses only the standard library
and keeps to old syntax, so that an old Python can say clearly that it is too old.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
STAMP = os.path.join(VENV, "mobility-coach-installed")
LOCK = "requirements.lock"
TEST_LOCK = "requirements-test.lock"
RELOCK = "python3 bootstrap.py --upgrade"
MINIMUM = (3, 11)
BIN = "Scripts" if os.name == "nt" else "bin"


def say(text):
    sys.stderr.write("bootstrap: " + text + "\n")
    sys.stderr.flush()


def fail(text):
    say(text)
    sys.exit(1)


def venv_python():
    return os.path.join(VENV, BIN, "python.exe" if os.name == "nt" else "python")


def fingerprint():
    """What an install depends on: the project's requirements, their locks and the Python."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", LOCK, TEST_LOCK):
        with open(os.path.join(HERE, name), "rb") as handle:
            digest.update(handle.read())
    digest.update(sys.version.encode())
    digest.update(os.path.realpath(sys.executable).encode())
    return digest.hexdigest()


def installed_extras():
    """The extras the current install has, or None when it is missing or out of date."""
    try:
        with open(STAMP, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    if len(lines) != 2 or lines[0] != fingerprint():
        return None
    return set(filter(None, lines[1].split(",")))


def venv_works():
    """The environment's Python runs (it breaks when the Python that made it is removed)."""
    python = venv_python()
    if not os.path.isfile(python):
        return False
    try:
        return (
            subprocess.run(
                [python, "-c", "import pip"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def make_venv():
    try:
        import ensurepip  # noqa: F401  (Debian and Ubuntu ship it separately)
        import venv  # noqa: F401
    except ImportError:
        fail(
            "this Python cannot make virtual environments. On Debian or Ubuntu: "
            "sudo apt install python3-venv   (then run this again)"
        )
    if os.path.isdir(VENV):
        if not os.path.isfile(os.path.join(VENV, "pyvenv.cfg")):
            fail(VENV + " exists and is not a virtual environment; move it away and run this again")
        say("the virtual environment in .venv is broken (was its Python removed or upgraded?); making it anew")
        shutil.rmtree(VENV)
    made = subprocess.run([sys.executable, "-m", "venv", VENV])
    if made.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        fail("could not make the virtual environment (see above). On Debian or Ubuntu: sudo apt install python3-venv")


def install(extras):
    what = "mobility-coach" + (" with " + " and ".join(extras) + " tools" if extras else "")
    say("installing " + what + " into " + VENV + " (the first time takes a minute)")
    started = time.monotonic()
    pip = [venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    lock = os.path.join(HERE, TEST_LOCK if "test" in extras else LOCK)
    # The project last, editable and without dependencies: the lock has them all, and the
    # build backend too, so the build uses the locked one rather than the newest.
    for command in (
        pip + ["--require-hashes", "-r", lock],
        pip + ["--no-deps", "--no-build-isolation", "-e", HERE],
    ):
        if subprocess.run(command).returncode != 0:
            fail("the install failed (pip's message is above); nothing outside " + VENV + " was changed")
    # An editable install leaves our modules uncompiled: compiled now, the first launch reads
    # bytecode like every later one, even where PYTHONDONTWRITEBYTECODE would have had each
    # launch compile them again (some 100 ms). Not fatal: Python compiles what it lacks.
    source = os.path.join(HERE, "src", "mobility_coach")
    subprocess.run([venv_python(), "-m", "compileall", "-q", source], stdout=subprocess.DEVNULL)
    with open(STAMP, "w", encoding="utf-8") as handle:
        handle.write(fingerprint() + "\n" + ",".join(extras) + "\n")
    command_path = os.path.join(".venv", BIN, "mobility-coach")
    say(
        "installed in {:.0f} s. Run the app with: {}   (or put {} on your PATH)".format(
            time.monotonic() - started, command_path, os.path.join(VENV, BIN)
        )
    )


def relock():
    """Remake both lock files with the newest releases pyproject.toml's ranges allow, for
    every platform, with uv from the test install. The test lock is made first and bounds
    the app's, so the app gets exactly the versions the tests ran with."""
    uv = os.path.join(VENV, BIN, "uv")
    compile_lock = [uv, "pip", "compile", "--quiet", "--universal", "--python-version", "{}.{}".format(*MINIMUM)]
    compile_lock += ["--generate-hashes", "--custom-compile-command", RELOCK, "pyproject.toml", "-"]
    needs = build_requires().encode()
    for lock, options in ((TEST_LOCK, ["--extra", "test", "--upgrade"]), (LOCK, ["--constraint", TEST_LOCK])):
        say("compiling " + lock)
        made = subprocess.run(compile_lock + options + ["-o", lock], cwd=HERE, input=needs)
        if made.returncode != 0:
            fail("could not compile " + lock + " (uv's message is above)")


def build_requires():
    """What building the editable install needs, for the locks (uv reads no [build-system]
    table): the build backend, and what it asks for besides (hatchling: editables)."""
    import tomllib  # only here: the version check runs on Pythons without it

    with open(os.path.join(HERE, "pyproject.toml"), "rb") as handle:
        system = tomllib.load(handle)["build-system"]
    asked = "import {0}; print(*{0}.get_requires_for_build_editable(), sep='\\n')".format(system["build-backend"])
    backend_asks = subprocess.run([venv_python(), "-c", asked], cwd=HERE, stdout=subprocess.PIPE, check=True)
    return "\n".join(system["requires"]) + "\n" + backend_asks.stdout.decode()


def run_tests():
    """The README's test command, then the slow tests of real system parts, as CI runs them."""
    fast = subprocess.run([venv_python(), "-m", "pytest", "-q"], cwd=HERE).returncode
    return fast or subprocess.run([venv_python(), "-m", "pytest", "-q", "-m", "slow"], cwd=HERE).returncode


def main(argv):
    if sys.version_info < MINIMUM:
        fail(
            "mobility-coach needs Python {}.{} or newer; this is {} ({}). "
            "Run this script with a newer one, e.g. python3.11 bootstrap.py".format(
                MINIMUM[0], MINIMUM[1], sys.version.split()[0], sys.executable
            )
        )
    unknown = [arg for arg in argv if arg not in ("--test", "--upgrade")]
    if unknown:
        fail("unknown option " + unknown[0] + "; usage: python3 bootstrap.py [--test | --upgrade]")
    upgrade = "--upgrade" in argv
    wanted = {"test"} if "--test" in argv or upgrade else set()
    have = ensure_installed(wanted)
    if upgrade:
        relock()
        ensure_installed(have)
        return run_tests()
    return 0


def ensure_installed(wanted):
    """Install unless what is installed is up to date and has the extras wanted; return the
    extras the install has."""
    have = installed_extras()
    if have is not None and wanted <= have and os.path.isfile(venv_python()):
        return have
    if not venv_works():
        make_venv()
    # Keep what an earlier run installed, so that the app and the tests do not take turns.
    extras = sorted(wanted | (have or set()))
    install(extras)
    return set(extras)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
