"""Text from files, file names and the environment, made safe to show on a terminal.

A terminal acts on control characters instead of showing them: ``ESC ] 2 ; ... BEL``
retitles the window, ``ESC ] 52`` writes the clipboard, ``ESC [ 2 J`` clears the screen,
and the C1 characters (U+0080 to U+009F) start the same sequences on some terminals. Bidi
overrides and isolates (U+202A to U+202E, U+2066 to U+2069) are not controls, but they
reorder what follows so that the text on screen is not the text in the file. ``visible``
writes each of them as a Python-style escape (``\\x1b``, ``\\u202e``), which is how such a
character is most likely written in the YAML and leaves the rest of the text as it was.
"""

from __future__ import annotations

import re

__all__ = ["CONTROL", "first_control", "visible"]

# C0 except tab and newline (both laid out, never acted on as a sequence), DEL, C1, and
# the bidi embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character (see ``CONTROL``) written as an escape."""
    # search first: nearly all text has none, and a search costs less than a substitution.
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def first_control(text: str) -> str | None:
    """The first control character of ``text`` as ``visible`` writes it (None if there is none)."""
    match = CONTROL.search(text)
    return None if match is None else _escape(match)
