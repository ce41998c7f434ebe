"""``mobility-coach serve``: the app in a browser tab, on this computer only unless told."""

from __future__ import annotations

import asyncio
import errno
import secrets
import signal
import socket
import webbrowser
from collections.abc import Callable, Mapping
from typing import TextIO

from aiohttp import web

from mobility_coach.adapters.browser_tab import RunningServer, ServeLock, running_server
from mobility_coach.adapters.remind_socket import UnsafePath
from mobility_coach.core.config import load_settings
from mobility_coach.core.errors import UserError, os_error_reason
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import load_all
from mobility_coach.core.user_unit import user_unit
from mobility_coach.serve.web_server import TabServer, is_loopback

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8716
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def command(
    paths: Paths,
    action: str | None,
    host: str,
    port: int,
    open_browser: bool,
    environ: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    open_url: Callable[[str], bool] = webbrowser.open,
) -> int:
    if action == "unit":
        out.write(user_unit("mobility-coach in a browser tab", ["serve"], environ))
        return 0
    lock = ServeLock(paths.data_dir)
    try:
        acquired = lock.try_acquire()
    except UnsafePath as why:
        raise UserError(str(why)) from None
    if not acquired:
        return already_running(running_server(paths.data_dir), open_browser, out, open_url)
    try:
        if not is_loopback(host):
            err.write(
                f"mobility-coach: warning: listening on {host}, not on this computer only. Anyone who can reach "
                "this address and see its token (it travels unencrypted) can use mobility-coach as you: your history, "
                "journal and settings. "
                "Leave out --host to keep it to this computer.\n"
            )
        settings, problems = load_settings(paths.config_file)
        for problem in problems:
            err.write(f"{problem}\n")
        asyncio.run(serve_until_stopped(paths, host, port, settings.max_tabs, open_browser, lock, out, open_url))
    finally:
        lock.release()
    return 0


def already_running(
    running: RunningServer | None, open_browser: bool, out: TextIO, open_url: Callable[[str], bool]
) -> int:
    """A second ``serve``: say where the first one is (and, with --open, open it there)."""
    pid = f" (pid {running.pid})" if running is not None and running.pid is not None else ""
    if running is None or running.url is None:
        raise UserError(f"another 'mobility-coach serve'{pid} is starting; run this again in a moment")
    if open_browser:
        open_url(running.url)
        out.write(f"mobility-coach is already served at {running.url}{pid}; opened it in your browser\n")
        return 0
    raise UserError(
        f"mobility-coach is already served at {running.url}{pid}: open that address, "
        f"or stop that server first (Ctrl+C where it runs, or kill {running.pid or 'it'})"
    )


def url_for(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()  # all interfaces: the name others reach it by
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def bind_error(host: str, port: int, error: OSError) -> UserError:
    if error.errno == errno.EADDRINUSE:
        return UserError(
            f"port {port} on {host} is in use by another program; choose another with --port N "
            f"(e.g. mobility-coach serve --port {port + 1 if port else 8717})"
        )
    if error.errno == errno.EACCES:
        return UserError(f"port {port} needs administrator rights; choose one above 1023 with --port N")
    if isinstance(error, socket.gaierror) or error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        return UserError(f"cannot listen on {host}: it is not an address of this computer")
    return UserError(f"cannot listen on {host}:{port}: {os_error_reason(error)}")


async def serve_until_stopped(
    paths: Paths,
    host: str,
    port: int,
    max_tabs: int,
    open_browser: bool,
    lock: ServeLock,
    out: TextIO,
    open_url: Callable[[str], bool],
) -> None:
    token = secrets.token_urlsafe(32)  # a new one at each start, as Jupyter's
    server = TabServer(host, token, lambda: load_all(paths).routines.keys(), max_tabs)
    runner = web.AppRunner(server.web_app(), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            raise bind_error(host, port, error) from None
        url = f"{url_for(host, runner.addresses[0][1])}?token={token}"
        lock.publish(url)
        out.write(
            f"mobility-coach is served at {url}\n"
            "Open that address in your browser (its token lets a tab in: keep it to yourself); Ctrl+C stops it.\n"
        )
        out.flush()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, stop.set)
        if open_browser and not await loop.run_in_executor(None, open_url, url):
            out.write("No browser could be opened from here: open the address above yourself.\n")
            out.flush()
        await stop.wait()
        if server.open_tabs:
            out.write(f"Stopping: closing {server.open_tabs} tab(s); a session in one is kept as interrupted.\n")
            out.flush()
    finally:
        await runner.cleanup()
