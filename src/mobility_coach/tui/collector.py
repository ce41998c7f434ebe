"""The garbage collector around the app's start.

Importing Textual and our modules and composing the first screen make some 300,000
objects that live as long as the process. Left on, the collector walks them over and over
while they are made (some 150 young collections and one full one, 70 ms of a 450 ms
start), finding nothing to free. So it is held while the app starts, and once the first
frame is out everything made so far is frozen (left out of every later collection, which
also makes the idle app's collections shorter) and collection goes on as usual.
"""

from __future__ import annotations

import gc


def hold() -> None:
    """No collections until settle(): called first thing when the app is launched."""
    gc.disable()


def settle() -> None:
    """The start is over: what it made is kept out of later collections, which resume."""
    gc.freeze()
    gc.enable()
