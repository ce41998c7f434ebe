"""Starting the other faces from the command line: the app, the headless reminder and the
browser tab's server. The
one CLI module that imports another face, each lazily (Textual only when the app is asked
for, so the other commands start in a blink)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from mobility_coach.core.errors import UserError
from mobility_coach.core.paths import Paths


def run_app(paths: Paths, routine_id: str | None, environ: Mapping[str, str], note: str | None = None) -> int:
    from mobility_coach.tui import collector

    collector.hold()  # until the start has settled (the factory hands the app collector.settle_soon)
    from mobility_coach.tui.preflight import library_to_run  # no Textual: a typo or a pipe is refused at once

    library = library_to_run(paths, routine_id, environ)
    from mobility_coach.tui.factory import run_app as run  # only the TUI pays for Textual

    return run(paths, library, routine_id, environ, note)


def run_reminder(
    paths: Paths,
    action: str | None,
    value: str | None,
    environ: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    status_format: str | None = None,
) -> int:
    from mobility_coach import remind

    return remind.command(paths, action, value, environ, out, err, status_format)


def run_server(
    paths: Paths,
    action: str | None,
    host: str,
    port: int,
    open_browser: bool,
    environ: Mapping[str, str],
    out: TextIO,
    err: TextIO,
) -> int:
    from mobility_coach.adapters.platform_parts import NO_SERVE, has_unix_sockets, no_unit_here

    # Said before aiohttp and textual-serve are loaded for nothing.
    if action == "unit" and (why := no_unit_here("serve")) is not None:
        raise UserError(why)
    if not has_unix_sockets():
        raise UserError(NO_SERVE)
    from mobility_coach.serve.command import command  # aiohttp and textual-serve only here

    return command(paths, action, host, port, open_browser, environ, out, err)
