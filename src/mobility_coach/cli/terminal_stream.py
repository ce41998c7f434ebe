"""A command's output as a terminal may take it.

Every command writes through ``SafeStream``, so no text from a file, a file name or the
environment reaches the terminal as control characters (see ``core.terminal_text``),
whichever command prints it and wherever in the command it is printed.
"""

from __future__ import annotations

import codecs
import io
from typing import TextIO, cast

from mobility_coach.core.terminal_text import visible


class SafeStream:
    """Writes to ``stream`` with control characters made visible; with no stream (the
    output was closed before the command started), writes nothing. The commands only
    write and flush."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self.encoding: str = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        if self._stream is not None:
            self._stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        if self._stream is not None:
            self._stream.flush()

    def bell(self) -> None:
        """The terminal bell: the one control character written on purpose (ring_bell)."""
        if self._stream is not None:
            self._stream.write("\a")
            self._stream.flush()


def terminal_stream(given: TextIO | None, standard: TextIO | None) -> TextIO:
    """``given``, or else the standard stream (None when it was closed before the start),
    behind a ``SafeStream``. A standard stream writes what its encoding cannot carry as
    escapes (``\\xb7``) instead of failing half-way (``PYTHONIOENCODING=ascii``)."""
    if given is None and isinstance(standard, io.TextIOWrapper):
        standard.reconfigure(errors="backslashreplace")
    return cast(TextIO, SafeStream(given if given is not None else standard))


def can_carry(out: TextIO, text: str) -> bool:
    """Whether ``out``'s encoding can write ``text`` as it is."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        codecs.encode(text, encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
