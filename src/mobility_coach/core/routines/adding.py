"""Whether and where ``mobility-coach new`` may write a routine file: it never overwrites a
file or replaces a built-in routine unless asked, and what it replaces is kept aside."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from mobility_coach.core.routines.loader import Library, builtin_layer, load_library
from mobility_coach.core.routines.model import Routine


def builtin_with_id(library: Library, routine_id: str) -> Routine | None:
    """The built-in routine with this id, whether or not a routine of the user's replaces it."""
    routine = library.routines.get(routine_id)
    if routine is None:
        return None
    if routine.origin.builtin:
        return routine
    if routine.origin.replaces is None:
        return None
    return load_library([builtin_layer()]).routines.get(routine_id)


def new_refusal(name: str, routine_id: str, target: Path, library: Library, replace: bool) -> str | None:
    """Why ``new`` must not write ``target`` (without --replace, or at all), or None."""
    again = f"mobility-coach new {shlex.quote(name)} --replace"
    other = f"mobility-coach new {shlex.quote('My ' + name.strip())}"
    existing = library.routines.get(routine_id)
    if (
        existing is not None
        and not existing.origin.builtin
        and os.path.abspath(existing.origin.path) != os.path.abspath(target)
    ):
        return (
            f"your routine '{routine_id}' is already defined in {existing.origin.path}; "
            f"edit it there, or pick another name (e.g. {other})"
        )
    if replace:
        return None
    if target.exists():
        return (
            f"{target} already exists; edit it, or pick another name (e.g. {other}).\n"
            f"To start it again from the starter on purpose (the old file is kept as a .bak): {again}"
        )
    if existing is not None and existing.origin.builtin:
        return (
            f"the name {name.strip()!r} makes the id '{routine_id}', the id of the built-in "
            f"routine '{existing.name}'; yours would replace it in the app, in 'list' and in break "
            f"reminders.\nPick another name (e.g. {other}), or replace the built-in one on purpose: "
            f"{again}"
        )
    return None


def keep_aside(target: Path) -> Path:
    """Rename ``target`` to a free ``NAME.bak`` (``NAME.bak2``, ...) and return that path."""
    number = 1
    while True:
        backup = target.with_name(f"{target.name}.bak{number if number > 1 else ''}")
        if not backup.exists():
            target.rename(backup)
            return backup
        number += 1
