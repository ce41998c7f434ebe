"""The library as last loaded, kept beside the exact bytes it was made of, so that a start
with the same routine files reads it back instead of parsing every file again (with 500
user files, parsing was a third of the time to the app's first frame; reading back is a
twentieth of the parsing).

It cannot go stale: it is used only when its key matches, and the key is a digest of
everything the loading reads (every file's path and whole content, or why it could not be
read, each layer's own problems) and of the loading code itself (the release, each core
module's size and modification time, and the Python version). A changed byte, file, layer
or module is a new key, and the library is parsed as if nothing were kept. Anything wrong with the kept
file (missing, damaged, from another version, not a regular file) is the same: parsed
again, and kept afresh if the folder can be written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

from mobility_coach import __version__
from mobility_coach.core.userfiles import read_user_file

KEY_BYTES = 32
MAX_KEPT_BYTES = 64 << 20  # far beyond what the user files' own budget can make

_code_version: bytes | None = None


def code_version() -> bytes:
    """The loading code as it is on disk: the release, every module of the core (their
    sizes and modification times, so an upgrade or an edit is seen), and the Python
    running it."""
    global _code_version
    if _code_version is None:
        core = Path(__file__).resolve().parent.parent
        digest = hashlib.blake2b(f"{__version__} {sys.version}".encode(), digest_size=KEY_BYTES)
        for root, folders, names in os.walk(core):
            folders.sort()
            for name in sorted(names):
                if name.endswith(".py"):
                    found = os.stat(os.path.join(root, name))
                    digest.update(f"{root}/{name}:{found.st_size}:{found.st_mtime_ns}\n".encode())
        _code_version = digest.digest()
    return _code_version


def key_of(parts: Iterable[bytes | str]) -> bytes:
    """The key of a loading whose inputs are ``parts``, in order (each one delimited, so
    that no two different sequences of parts give the same stream)."""
    digest = hashlib.blake2b(code_version(), digest_size=KEY_BYTES)
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.digest()


def read_kept(path: Path, key: bytes) -> object | None:
    """What was kept under ``key``; None when nothing is (or what is cannot be read)."""
    try:
        data = read_user_file(path, MAX_KEPT_BYTES)
    except OSError:  # none yet, too large, a folder or a FIFO in its place: parsed as usual
        return None
    if data[:KEY_BYTES] != key:
        return None
    try:
        known: object = pickle.loads(memoryview(data)[KEY_BYTES:])
    except Exception:  # damaged (a torn write): a kept library is only ever a shortcut
        return None
    return known


def keep(path: Path, key: bytes, library: object) -> None:
    """Keep ``library`` under ``key``, whole or not at all (written aside, then renamed
    over the last one); a folder that cannot be written only means parsing next time."""
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        data = pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(aside, "wb") as out:
            out.write(key)
            out.write(data)
        os.replace(aside, path)
    except Exception:  # unwritable, full, or a library that cannot be pickled
        with contextlib.suppress(OSError):
            aside.unlink(missing_ok=True)
