"""The commented starter file that ``mobility-coach new`` writes."""

from __future__ import annotations

import re

from mobility_coach.core.routine_format import SCHEMA_FILENAME

_TEMPLATE = """\
# yaml-language-server: $schema=./{schema}
#
# Your routine. Edit it, then check it with:  mobility-coach validate {filename}
# Durations: 30s, 1m30s, 2m, or a plain number of seconds.

routines:
  {id}:
    name: {name}
    summary: My own movement break.
    tags: [mine]
    # Gaps used between steps unless a step sets its own (all optional).
    defaults:
      get_ready: 5s      # countdown before each step
      rest: 10s          # rest after each step (0 for none)
    steps:
      # A library exercise held for a time (see `mobility-coach list` and the
      # built-in exercises.yaml for ids such as cat-cow, open-book, knee-drops, bird-dog).
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


def slug(name: str) -> str:
    """A routine id made from a name: ``My Break!`` → ``my-break``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def starter_text(routine_id: str, name: str, filename: str) -> str:
    display = name.strip() or routine_id
    # Quote the name so any text (a colon, a leading '#') stays a plain string.
    quoted = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _TEMPLATE.format(schema=SCHEMA_FILENAME, filename=filename, id=routine_id, name=quoted)
