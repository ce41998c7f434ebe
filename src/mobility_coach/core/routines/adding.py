"""Whether and where ``mobility-coach new`` may write a routine file: it never overwrites a
file or replaces a built-in routine unless asked, and what it replaces is kept aside."""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from mobility_coach.core.errors import UserError
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.format import ROUTINE_NAME_MAX_LENGTH, SCHEMA_FILENAME, json_schema
from mobility_coach.core.routines.loader import Library, builtin_layer, load_all, load_library
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.starter import display_name, slug, starter_text
from mobility_coach.core.userfiles import keep_aside, make_private_folder, open_new_private, write_atomically


@dataclass(frozen=True)
class Added:
    """What ``add_routine`` wrote, and what it put aside or replaced on the way."""

    path: Path
    backup: Path | None  # the old file of that name, renamed, when --replace started it again
    replaced_builtin: Routine | None  # the built-in routine the new one replaces


def schema_text() -> str:
    """The JSON Schema of routine files, as 'schema' prints it and 'new' writes it."""
    return json.dumps(json_schema(), indent=2) + "\n"


def add_routine(paths: Paths, name: str, replace: bool) -> Added:
    """Write a starter routine named ``name`` into the user's routines folder, with the
    schema beside it; raise ``UserError`` where that would lose or shadow something the
    user did not ask to replace."""
    routine_id = slug(name)
    if not routine_id:
        raise UserError(
            "the name needs at least one letter or digit (a to z, 0 to 9) to make the routine's id from",
            exit_code=2,
        )
    refusal = name_refusal(display_name(name, routine_id))
    if refusal:
        raise UserError(refusal, exit_code=2)
    folder = paths.routines_dir
    target = folder / f"{routine_id}.yaml"
    library = load_all(paths)
    refusal = new_refusal(name, routine_id, target, library, replace)
    if refusal:
        raise UserError(refusal)
    builtin = builtin_with_id(library, routine_id)
    make_private_folder(folder)
    # Editors find the schema next to the file, so completion works offline.
    write_atomically(folder / SCHEMA_FILENAME, schema_text().encode())
    backup = keep_aside(target, ".bak") if os.path.lexists(target) else None
    with open_new_private(target) as handle:
        handle.write(starter_text(routine_id, name, target.name))
    return Added(target, backup, builtin)


# What a YAML file can hold (the YAML spec's printable characters): a name with anything
# else (a control character, half of a broken UTF-8 sequence) would make a file that does
# not load.
_NOT_IN_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def name_refusal(shown: str) -> str | None:
    """Why the routine's name ``shown`` cannot be written as it is, or None."""
    if len(shown) > ROUTINE_NAME_MAX_LENGTH:
        return (
            f"the name is {len(shown)} characters long; a routine's name may have at most "
            f"{ROUTINE_NAME_MAX_LENGTH} characters (it shares a line in lists): pick a shorter one"
        )
    odd = _NOT_IN_YAML.search(shown)
    if odd is not None and "\ud800" <= odd.group() <= "\udfff":  # how Python keeps a byte that is not UTF-8
        return "the name is not UTF-8 text (check your terminal's encoding)"
    if odd is not None:
        return (
            f"the name holds a character a routine file cannot ({odd.group()!r}); "
            "use letters, digits, spaces and punctuation"
        )
    return None


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
