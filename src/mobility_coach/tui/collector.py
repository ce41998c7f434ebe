"""The garbage collector around the app's start.

Importing Textual and our modules and composing the first screen make some 300,000
objects that live as long as the process. Left on, the collector walks them over and over
while they are made (some 150 young collections and one full one, 70 ms of a 450 ms
start), finding nothing to free. So it is held while the app starts. A second after the
first frame, with the user reading it, one full collection frees what the start left in
reference cycles (some 3 MiB, kept for good by a bare freeze), what is left is frozen (left
out of every later collection, so a full pass walks the session's objects, not Textual's
and ours) and collection goes on as usual.
"""

from __future__ import annotations

import asyncio
import gc

SETTLE_SECONDS = 1.0
"""After the first frame: the one full collection (some 40 ms) would otherwise hold up the
output thread that is writing that frame."""


def hold() -> None:
    """No collections until settle(): called first thing when the app is launched."""
    gc.disable()


def settle() -> None:
    """The start is over: its garbage freed, the rest kept out of later collections,
    which resume."""
    gc.collect()
    gc.freeze()
    gc.enable()


def settle_soon(delay: float = SETTLE_SECONDS) -> None:
    """settle() in ``delay`` seconds, on the running event loop (the app's)."""
    asyncio.get_running_loop().call_later(delay, settle)
