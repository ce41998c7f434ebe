"""Where mobility-coach keeps settings and user files.

By default the platform's user config and data folders (platformdirs); the environment
variable ``MOBILITY_COACH_HOME`` moves all of them under one folder, for tests and for
anyone who wants a portable setup.
"""

from __future__ import annotations

import os
import stat
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


def builtin_routines_dir() -> Path:
    """The routines shipped with the app: inside the installed package, or, when running
    from a source checkout (editable install), the repository's top-level ``routines/``."""
    from importlib import resources  # here: only what reads routines needs it, and it costs ~4 ms

    packaged = Path(str(resources.files("mobility_coach"))) / "routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "routines"
