"""The commented starter file that ``mobility-coach new`` writes."""

from __future__ import annotations

import re
import unicodedata

from mobility_coach.core.routines.format import SCHEMA_FILENAME

_TEMPLATE = """\
# yaml-language-server: $schema=./{schema}
#
# Your routine ({filename}). Edit it, then check it, from any folder, with:
#   mobility-coach validate {id}
# Durations: 30s, 1m30s, 2m, or a plain number of seconds.

routines:
  {key}:
    name: {name}
    summary: My own movement break.
    tags: [mine]
    # Gaps used between steps unless a step sets its own (all optional).
    defaults:
      get_ready: 5s      # countdown before each step
      rest: 10s          # rest after each step (0 for none)
    steps:
      # A library exercise, by id: `mobility-coach exercises` lists them all (cat-cow,
      # open-book, knee-drops, bird-dog, ...), `mobility-coach show ID` shows one in full.
      - exercise: seated-cat-cow
        reps: 6
        tempo: 5s        # timed reps: one every 5 seconds, counted for you

      - exercise: seated-twist
        hold: 20s
        sides: both      # left, a short gap to switch, then right

      - exercise: shoulder-blade-squeeze
        reps: 8          # no tempo: self-paced, press Enter when done
        sets: 2
        set_rest: 15s

      # A step can also define its exercise right here.
      - exercise:
          name: Look far away
          position: seated
          cues:
            - Look out of a window or across the room at something far away.
            - Blink slowly and let your shoulders drop.
          cautions:
            - Stop if you feel dizzy.
        hold: 20s
"""


# Latin letters that Unicode does not decompose into a base letter and a mark.
_OWN_LETTERS = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",  # dotless i
    }
)
MAX_SLUG_LENGTH = 64  # the id is also a file name, which has to fit the file system


def slug(name: str) -> str:
    """A routine id made from a name: ``My Break!`` → ``my-break``, ``Désk`` → ``desk``.

    Accented letters keep their base letter (NFKD splits ``é`` into ``e`` and a combining
    accent, and the accent goes); anything else that is not a-z or 0-9 becomes a dash.
    The result is a valid id, or empty when the name has nothing to make one from."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_OWN_LETTERS))
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:MAX_SLUG_LENGTH].rstrip("-")


def display_name(name: str, routine_id: str) -> str:
    """The routine's name as the starter file gives it: the user's, with each run of spaces,
    tabs or line breaks one space (a name is one line); the id when nothing is left."""
    return " ".join(name.split()) or routine_id


def starter_text(routine_id: str, name: str, filename: str) -> str:
    display = display_name(name, routine_id)
    # Quote the name so any text (a colon, a leading '#') stays a plain string.
    quoted = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _TEMPLATE.format(
        schema=SCHEMA_FILENAME, filename=filename, id=routine_id, key=_id_key(routine_id), name=quoted
    )


# Ids that YAML would read, unquoted, as something other than text: a number or a date
# (they start with a digit), true/false/yes/no/on/off or null.
_NOT_PLAIN_TEXT = re.compile(r"[0-9].*|yes|no|y|n|true|false|on|off|null")


def _id_key(routine_id: str) -> str:
    """The id as the file's key: quoted where YAML would not read it as text ("null")."""
    return f'"{routine_id}"' if _NOT_PLAIN_TEXT.fullmatch(routine_id) else routine_id
