"""The event-loop side of the clock's socket, for apps: asking its owner, and watching it
(its status now and at every change). Kept apart from ``remind_socket`` so the headless
reminder, which never runs an event loop, does not import asyncio."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from mobility_coach.adapters.remind_socket import sockets_to_try
from mobility_coach.core.breaks.protocol import (
    MAX_REPLY_BYTES,
    ProtocolError,
    Reply,
    Request,
    Watch,
    encode_request,
    parse_reply,
)
from mobility_coach.core.paths import Paths


async def ask_async(paths: Paths, request: Request, environ: Mapping[str, str], timeout: float = 2.0) -> Reply | None:
    """``ask`` for an event loop: the owner's reply, None when no owner listens."""
    for path in sockets_to_try(paths, environ):
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_unix_connection(str(path)), timeout)
        except (ConnectionRefusedError, FileNotFoundError):
            continue
        except (OSError, TimeoutError) as error:
            return Reply(False, f"the break clock's owner did not answer: {error}")
        try:
            writer.write(encode_request(request))
            line = await asyncio.wait_for(reader.readline(), timeout)
        except (OSError, TimeoutError, ValueError) as error:
            return Reply(False, f"the break clock's owner did not answer: {error}")
        finally:
            writer.close()
        try:
            return parse_reply(line.rstrip(b"\n"))
        except ProtocolError as error:
            return Reply(False, f"the break clock's owner gave an answer that could not be read: {error}")
    return None


class Watching:
    """A watch on the owner of the break clock: its status now, then at every change."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, first: Reply) -> None:
        self.reader = reader
        self.writer = writer
        self.first = first

    @classmethod
    async def open(cls, paths: Paths, environ: Mapping[str, str], timeout: float = 2.0) -> Watching | None:
        """Watch the owner; None if none answers."""
        for path in sockets_to_try(paths, environ):
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_unix_connection(str(path), limit=2 * MAX_REPLY_BYTES), timeout
                )
            except (OSError, TimeoutError):
                continue
            try:
                writer.write(encode_request(Watch()))
                first = parse_reply((await asyncio.wait_for(reader.readline(), timeout)).rstrip(b"\n"))
            except (OSError, TimeoutError, ValueError, ProtocolError):
                writer.close()
                continue
            if first.ok:
                return cls(reader, writer, first)
            writer.close()
        return None

    async def next(self) -> Reply | None:
        """The owner's next status; None once it has gone (or said something unreadable)."""
        try:
            line = await self.reader.readline()
            return parse_reply(line.rstrip(b"\n")) if line.endswith(b"\n") else None
        except (OSError, ValueError, ProtocolError):
            return None

    def close(self) -> None:
        self.writer.close()
