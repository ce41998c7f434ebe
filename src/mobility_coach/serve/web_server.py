"""The web server behind ``mobility-coach serve``: textual-serve's ``AppService`` starts one
app process per tab (``python -m mobility_coach`` under Textual's web driver) and relays
its frames and keys over a WebSocket; the terminal script (xterm.js) and its font are
textual-serve's, the page a trimmed copy of its template.

Its ``Server`` class is not used as it stands, for four reasons: it would answer a page
from any host name (a rebinding site could then drive the app from the user's own browser)
and a WebSocket from any origin; a tab could not open straight into a routine; it binds
inside ``run_app``, where a port in use is no clear error; and on stop it waits for each
open tab's handler to be cancelled, instead of telling each app to end its session.

Listening on loopback keeps other machines out, not the other accounts on this one: every
request but textual-serve's static files (its script, style and font: nothing of the
user's) must carry the secret token of this start, as Jupyter asks, or gets a 403. The
page takes it as ``?token=`` in its address; the page's WebSocket in its path
(``/ws/TOKEN`` or ``/ws/TOKEN/ROUTINE``), because textual.js appends its own query to that
address. No cookie: a browser sends a cookie of 127.0.0.1 to every port there, so to any
other account's server the user is lured to.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import shlex
import sys
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(textual_serve.__file__).parent / "static"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
MAX_MESSAGE_BYTES = 64 * 1024  # a key press or a resize is tiny; a paste can be longer
APP_STOP_SECONDS = 10.0
NO_TOKEN = (
    "mobility-coach: this address needs its secret token, which changes at each start of the server.\n"
    "Open the address printed where 'mobility-coach serve' runs (it ends in ?token=...),\n"
    "or run 'mobility-coach serve --open', which opens it in your browser.\n"
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine's loopback interface only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(host_header: str) -> str:
    """The host part of a Host header ("127.0.0.1:8716" -> "127.0.0.1", "[::1]:80" -> "[::1]")."""
    if host_header.startswith("["):
        return host_header.partition("]")[0] + "]"
    return host_header.rpartition(":")[0] if ":" in host_header else host_header


SERVED_DRIVER = "mobility_coach.tui.served_driver:ServedDriver"
"""Textual's web driver, plus: the app ends (its session interrupted) when the server
vanishes. Named, not imported: the server starts the app, it does not load it."""


def app_command(routine_id: str | None) -> str:
    """The shell command textual-serve runs for a tab: ``exec`` so the app is the process
    the server's signals and memory figures reach, not a shell around it; through ``env``
    because textual-serve sets TEXTUAL_DRIVER to Textual's own driver."""
    words = [sys.executable, "-m", "mobility_coach", *(["run", routine_id] if routine_id else [])]
    return shlex.join(["exec", "env", f"TEXTUAL_DRIVER={SERVED_DRIVER}", *words])


class TabServer:
    """One app process per browser tab, on ``host``; see the module's docstring."""

    def __init__(
        self,
        host: str,
        token: str,
        routine_ids: Callable[[], Iterable[str]],
        max_tabs: int,
        title: str = "mobility-coach",
        command: Callable[[str | None], str] = app_command,
    ) -> None:
        self.host = host
        self.token = token
        """The secret every request but a static file must carry (see the module's docstring)."""
        self.max_tabs = max_tabs
        """Tabs open at once; past it a page or a socket is refused before any app starts."""
        self._apps = 0  # tabs holding a slot: open, or their app still on its way out
        self.routine_ids = routine_ids
        """The routines a tab may open into (read at each tab's start, so new files count)."""
        self.title = title
        self.command = command
        """The shell command that runs a tab's app (into a routine, or not)."""
        self.download_manager = DownloadManager()
        self._sockets: set[web.WebSocketResponse] = set()
        self._tabs: set[asyncio.Task[None]] = set()

    def web_app(self) -> web.Application:
        app = web.Application(
            middlewares=[self._known_hosts_only, self._with_token_only], client_max_size=MAX_MESSAGE_BYTES
        )
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.get("/ws/{token}", self.handle_websocket),
                web.get("/ws/{token}/{routine}", self.handle_websocket),
                web.static("/static", STATIC),
            ]
        )
        app.on_shutdown.append(self._close_tabs)
        return app

    @web.middleware
    async def _known_hosts_only(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        # Listening on loopback is not enough: a page from anywhere whose name resolves to
        # 127.0.0.1 (DNS rebinding) would be same-origin with us. Its Host header gives it away.
        if is_loopback(self.host) and not is_loopback(host_name(request.host)):
            raise web.HTTPForbidden(text="mobility-coach answers only to this computer's own address\n")
        return await handler(request)

    @web.middleware
    async def _with_token_only(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not isinstance(request.match_info.route.resource, web.StaticResource):  # all but textual-serve's files
            given = request.match_info.get("token", request.query.get("token", ""))
            if not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
                raise web.HTTPForbidden(text=NO_TOKEN)
        return await handler(request)

    def _full(self) -> web.HTTPServiceUnavailable | None:
        """The refusal for one tab too many, or None while there is room."""
        if self._apps < self.max_tabs:
            return None
        tabs = "1 tab is open" if self._apps == 1 else f"{self._apps} tabs are open"
        return web.HTTPServiceUnavailable(
            text=f"mobility-coach: {tabs}, the most this server keeps at once (the setting serve: max_tabs).\n"
            "To open it here, close one of them, then reload this page.\n"
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if (full := self._full()) is not None:
            raise full
        routine = request.query.get("routine", "")
        scheme = "wss" if request.secure else "ws"
        path = f"/ws/{self.token}" + (f"/{routine}" if routine in set(self.routine_ids()) else "")
        context = {
            "title": self.title,
            "static_url": "/static/",
            "websocket_url": f"{scheme}://{request.host}{path}",
            "font_size": _int_or(request.query.get("fontsize", ""), 16, 8, 48),
        }
        page = aiohttp_jinja2.render_template("index.html", request, context)
        page.headers["Referrer-Policy"] = "no-referrer"  # the page's address holds the token
        return page

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        # A browser sends its page's origin with every WebSocket and enforces nothing itself:
        # without this check any site the user visits could open the app and read it.
        origin = request.headers.get("Origin")
        if origin is not None and origin not in (f"http://{request.host}", f"https://{request.host}"):
            raise web.HTTPForbidden(text="mobility-coach opens only in its own page\n")
        routine: str | None = request.match_info.get("routine")
        if routine is not None and routine not in set(self.routine_ids()):
            raise web.HTTPNotFound(text="no such routine\n")
        if (full := self._full()) is not None:
            raise full
        self._apps += 1  # taken before any await, so two sockets at once cannot both pass
        try:
            return await self._run_tab(request, routine)
        finally:
            self._apps -= 1

    async def _run_tab(self, request: web.Request, routine: str | None) -> web.WebSocketResponse:
        """The tab's app, from its start until the socket closes and the app has ended."""
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        await websocket.prepare(request)
        task = asyncio.current_task()
        if task is not None:
            self._tabs.add(task)
        self._sockets.add(websocket)
        service = AppService(
            self.command(routine),
            write_bytes=lambda data: _send_to_tab(websocket, data),
            write_str=lambda data: _send_to_tab(websocket, data),
            close=lambda: _close(websocket),
            download_manager=self.download_manager,
        )
        try:
            await service.start(
                _int_or(request.query.get("width", ""), 80, 20, 500),
                _int_or(request.query.get("height", ""), 24, 5, 300),
            )
            await relay_browser_messages(websocket, service)
        finally:
            self._sockets.discard(websocket)
            # "quit" to the app: Textual's web driver turns it into an exit, and the app
            # records a session still running as interrupted, as after a closed terminal.
            # An app that hangs on its way out is not the server's to wait for.
            with contextlib.suppress(TimeoutError):
                await asyncio.shield(asyncio.wait_for(service.stop(), APP_STOP_SECONDS))
            if task is not None:
                self._tabs.discard(task)
        return websocket

    async def _close_tabs(self, app: web.Application) -> None:
        """On stop: close every tab's socket, which ends its app as a closed tab does, and
        wait for those apps to go (so history is written before the server exits)."""
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"mobility-coach serve stopped")
        if self._tabs:
            await asyncio.wait(list(self._tabs), timeout=APP_STOP_SECONDS + 1)

    @property
    def open_tabs(self) -> int:
        return len(self._sockets)


async def relay_browser_messages(websocket: web.WebSocketResponse, service: AppService) -> None:
    """Keys, resizes and focus from the page to the app. Anything malformed is dropped:
    the socket is open to any local process, and a bad message must not end the tab."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
            continue
        if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = data.get("width"), data.get("height")
            if isinstance(width, int) and isinstance(height, int) and 1 <= width <= 500 and 1 <= height <= 300:
                await service.set_terminal_size(width, height)
        elif kind == "ping" and isinstance(data, str):
            await websocket.send_json(["pong", data[:32]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


def _int_or(text: str, default: int, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        return default
    return min(max(value, low), high)


async def _send_to_tab(websocket: web.WebSocketResponse, data: bytes | str) -> None:
    """The app's output to its tab; dropped once the tab has gone. An error here would end
    textual-serve's reading of the app, which, still writing (its last frame, or a crash's
    long traceback), would then wait on a full pipe forever, after its tab's place was freed."""
    if websocket.closed:
        return
    with contextlib.suppress(ConnectionResetError):  # closing meanwhile
        await (websocket.send_bytes(data) if isinstance(data, bytes) else websocket.send_str(data))


async def _close(websocket: web.WebSocketResponse) -> None:
    await websocket.close()
