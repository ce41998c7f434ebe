"""Small facts the app remembers between runs: mute, voice, and today's safety check-in.

Kept apart from the user's config file (which is theirs to edit, with comments, and which
the app never rewrites): this JSON file is the app's own. It is written atomically
(temporary file, then rename), so a crash leaves the old or the new state, never half of
one. A file that cannot be read is set aside, not overwritten, and defaults are used.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from mobility_coach.core.userfiles import keep_aside, read_user_text, write_atomically

# The app writes a few dozen bytes; anything far larger is not its file.
MAX_STATE_BYTES = 64 * 1024


@dataclass
class AppState:
    """What the app remembers between runs: mute, the voice switch, and the day the check-in came back clear."""

    muted: bool = False
    voice: bool = True  # the player's v key: off only once the user switched it off
    checkin_date: str | None = None  # ISO day on which the safety check-in came back clear

    def checkin_clear_on(self, day: date) -> bool:
        return self.checkin_date == day.isoformat()


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None

    def load(self) -> AppState:
        try:
            data = json.loads(read_user_text(self.path, MAX_STATE_BYTES))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            state = AppState()
            if isinstance(data.get("muted"), bool):
                state.muted = data["muted"]
            if isinstance(data.get("voice"), bool):
                state.voice = data["voice"]
            if isinstance(data.get("checkin_date"), str):
                state.checkin_date = data["checkin_date"]
            return state
        except FileNotFoundError:
            return AppState()
        except RecursionError:
            # Nesting deep enough to exhaust the parser's stack is not our file either.
            return self._set_aside("nested too deeply")
        except OSError as error:
            return self._set_aside(error.strerror or str(error))
        except ValueError as error:
            return self._set_aside(str(error))

    def _set_aside(self, reason: str) -> AppState:
        try:
            aside = keep_aside(self.path, ".broken")
            self.problem = f"{self.path} could not be read ({reason}); kept as {aside.name}, defaults used"
        except OSError:
            self.problem = f"{self.path} could not be read ({reason}); defaults used"
        return AppState()

    def save(self, state: AppState) -> None:
        write_atomically(self.path, json.dumps(asdict(state), indent=2).encode())
