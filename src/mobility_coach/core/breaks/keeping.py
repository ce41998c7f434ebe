"""Where the break clock's state is kept between processes (``break-clock.json`` in the
data folder): written atomically by the clock's owner at every change, read by the next
owner. A file that cannot be read is set aside, never overwritten, and the clock starts
a fresh hour, saying so."""

from __future__ import annotations

import json
from pathlib import Path

from mobility_coach.core.breaks.snapshot import ClockSnapshot, SnapshotError
from mobility_coach.core.userfiles import keep_aside, read_user_text, write_atomically

MAX_CLOCK_BYTES = 16 * 1024  # the owner writes a few hundred bytes


class ClockStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None  # why the saved clock was not used, for the user

    def load(self) -> ClockSnapshot | None:
        """The saved clock, or None (none yet, or unreadable: then ``problem`` says why)."""
        try:
            return ClockSnapshot.from_json(json.loads(read_user_text(self.path, MAX_CLOCK_BYTES)))
        except FileNotFoundError:
            return None
        except RecursionError:
            reason = "nested too deeply"
        except OSError as error:
            reason = error.strerror or str(error)
        except (SnapshotError, ValueError) as error:
            reason = str(error)
        self._set_aside(reason)
        return None

    def _set_aside(self, reason: str) -> None:
        try:
            aside = keep_aside(self.path, ".broken")
            self.problem = f"{self.path} could not be read ({reason}); kept as {aside.name}, a new hour started"
        except OSError:
            self.problem = f"{self.path} could not be read ({reason}); a new hour started"

    def save(self, snapshot: ClockSnapshot) -> None:
        write_atomically(self.path, json.dumps(snapshot.to_json(), indent=1).encode())
