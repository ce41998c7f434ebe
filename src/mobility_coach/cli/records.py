"""The history and journal commands: 'history' lists or exports what was recorded, 'log'
notes an urge or a crack and prints what it usually means."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TextIO

from mobility_coach.core.clock import Clock
from mobility_coach.core.errors import UserError
from mobility_coach.core.paths import Paths

if TYPE_CHECKING:
    from mobility_coach.core.history.store import History

# The --sound choices, as the journal names them.
# Rumbling and clicking are one kind of sound ("with movement"), kept as "clicking".
SOUND_IDS = {
    "pop": "single_pop",
    "snapping": "repeated_snapping",
    "grinding": "grinding",
    "clicking": "clicking",
    "rumbling": "clicking",
}


def _open_history(paths: Paths) -> History:
    from mobility_coach.core.history.store import DB_NAME, History, HistoryError

    try:
        return History(paths.data_dir / DB_NAME)
    except HistoryError as error:
        raise UserError(f"the history cannot be opened: {error}") from error


def history(paths: Paths, form: str, out: TextIO) -> int:
    from mobility_coach.cli import history_output

    writers = {"json": history_output.write_json, "csv": history_output.write_csv, "text": history_output.write_text}
    writers[form](_open_history(paths), out)
    return 0


def log(paths: Paths, what: str, sound: str | None, hurt: bool, where: str | None, clock: Clock, out: TextIO) -> int:
    from mobility_coach.core.history.journal import answer

    if what == "urge" and sound:
        raise UserError("an urge has no sound; use 'log crack --sound ...'", exit_code=2)
    sound_id = SOUND_IDS[sound] if sound else None
    unsaved = _keep_entry(paths, "crack" if what == "crack" else "urge", sound_id, hurt, where, clock.wall())
    cracks = _cracks_this_week(paths, clock.wall()) if unsaved is None else 0
    # The answer is what the user came for: print it all the same, but never as "Noted".
    reply = answer(what, sound_id, hurt, where, cracks)
    drill = f"\n\nA short drill: mobility-coach run {reply.drill}" if reply.drill is not None else ""
    out.write(reply.text(saved=unsaved is None) + drill + "\n")
    if unsaved is not None:
        raise UserError(f"the entry was not saved: {unsaved}")
    return 0


def _cracks_this_week(paths: Paths, now: float) -> int:
    from mobility_coach.core.history.journal import FREQUENT_DAYS

    try:
        return sum(1 for e in _open_history(paths).journal(since=now - FREQUENT_DAYS * 86400) if e.kind == "crack")
    except Exception:  # only a hint: a history that cannot be read costs the hint, not the answer
        return 0


def _keep_entry(
    paths: Paths, kind: Literal["crack", "urge"], sound: str | None, hurt: bool, where: str | None, at: float
) -> str | None:
    """Why the journal entry could not be kept (None once it is)."""
    import sqlite3

    from mobility_coach.core.history.store import HistoryError

    try:
        _open_history(paths).record_journal(kind, sound, hurt, where, at=at)
    except UserError as error:
        return str(error)
    except (HistoryError, sqlite3.Error) as error:  # e.g. locked by another writer past the busy timeout
        return f"the history cannot be written: {error}"
    return None
