"""Where mobility-coach keeps settings and user files.

By default the platform's user config and data folders (platformdirs); the environment
variable ``MOBILITY_COACH_HOME`` moves all of them under one folder, for tests and for
anyone who wants a portable setup.

They are the user's alone: what the app writes there is made so (core/userfiles.py), and
``tighten`` closes, at a start, what an older release left open to others.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mobility_coach.core.errors import UserError, os_error_reason, short_path

APP_NAME = "mobility-coach"
HOME_VARIABLE = "MOBILITY_COACH_HOME"


@dataclass(frozen=True)
class Paths:
    """Where the app's settings, routines, data and cache live (see ``from_environment``)."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path | None = None
    """What can be made again (the spoken phrases); None: a ``cache`` folder in the data folder."""

    @property
    def speech_dir(self) -> Path:
        """Where spoken phrases are kept, rendered once, as audio files."""
        return (self.cache_dir or self.data_dir / "cache") / "speech"

    @property
    def private_folders(self) -> tuple[Path, ...]:
        """The folders only the user may enter: settings, data and cache."""
        found = (self.config_dir, self.data_dir, self.cache_dir or self.data_dir / "cache")
        return tuple(dict.fromkeys(found))  # one folder for two of them on some platforms

    @property
    def routines_dir(self) -> Path:
        return self.config_dir / "routines"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def break_clock_file(self) -> Path:
        return self.data_dir / "break-clock.json"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.yaml"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Paths:
        home = environ.get(HOME_VARIABLE)
        if home:
            root = Path(home).expanduser()
            _check_home(root)
            return cls(config_dir=root / "config", data_dir=root / "data", cache_dir=root / "cache")
        import platformdirs  # only here: MOBILITY_COACH_HOME users never pay for it

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )


def _check_home(root: Path) -> None:
    try:
        usable_folder(root)
    except OSError as error:
        raise UserError(f"{HOME_VARIABLE}={short_path(root)} cannot be used: {os_error_reason(error)}") from None
    except UserError:
        raise UserError(f"{HOME_VARIABLE}={short_path(root)} is a file; it must name a folder") from None


def usable_folder(path: Path) -> bool:
    """Whether the folder ``path`` exists (False: it can be made). Raises ``UserError``
    when something else is in its place, and ``OSError`` when it cannot be looked at."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(mode):
        raise UserError(f"{short_path(path)} should be a folder, but something else is there")
    return True


def tighten(paths: Paths, platform: str = sys.platform) -> list[Path]:
    """Close each of the app's folders that others may read or enter (as older releases
    left them, or a folder made by hand), with everything in it: what a folder holds loses its group's and others'
    permissions, symbolic links are not followed. The folders closed, for a note to the
    user; none when all were closed already (one ``stat`` a folder: a start's cost).

    Only what is the user's is touched: a folder, or anything in one being closed, that
    belongs to another user raises ``UserError`` rather than be used."""
    if platform == "win32":
        # Windows keeps access in ACLs, and a user's profile folders are the user's alone;
        # the mode Python reports there (0o777) would read as open on every start.
        return []
    closed = []
    for folder in paths.private_folders:
        try:
            found = os.stat(folder)
        except OSError:  # not made yet (it will be private), or reported where it is used
            continue
        if not stat.S_ISDIR(found.st_mode):
            continue
        _refuse_foreign(folder, found)
        if found.st_mode & 0o077:
            _tighten_tree(folder)
            closed.append(folder)
    return closed


def _tighten_tree(folder: Path) -> None:
    for root, folders, files in os.walk(folder):
        for name in (*folders, *files):
            path = Path(root, name)
            found = os.lstat(path)
            if stat.S_ISLNK(found.st_mode):
                continue
            _refuse_foreign(path, found)
            if found.st_mode & 0o077:
                os.chmod(path, stat.S_IMODE(found.st_mode) & 0o700)
    os.chmod(folder, stat.S_IMODE(os.stat(folder).st_mode) & 0o700)  # last: the note is then said once


def _refuse_foreign(path: Path, found: os.stat_result) -> None:
    if hasattr(os, "geteuid") and found.st_uid != os.geteuid():
        raise UserError(
            f"{short_path(path)} belongs to another user (uid {found.st_uid}), perhaps made under sudo; "
            "mobility-coach will not use it. Give it back (chown) or remove it"
        )


def tightened_note(folders: list[Path]) -> str:
    """The one line that says ``tighten`` closed ``folders``."""
    names = ", ".join(short_path(folder) for folder in folders)
    them = "it" if len(folders) == 1 else "them"
    return f"{names} could be read by other users; only you can read {them} now"


def builtin_routines_dir() -> Path:
    """The routines shipped with the app: inside the installed package, or, when running
    from a source checkout (editable install), the repository's top-level ``routines/``."""
    from importlib import resources  # here: only what reads routines needs it, and it costs ~4 ms

    packaged = Path(str(resources.files("mobility_coach"))) / "routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "routines"
