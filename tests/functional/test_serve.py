"""`mobility-coach serve` as a user runs it: the real server, the real app in each tab (over
textual-serve's WebSocket protocol, driven here by aiohttp's client), the real history."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from mobility_coach.adapters.browser_tab import open_in_browser, running_server, start_server_detached
from mobility_coach.core.clock import FakeClock
from tests.bounded import run_cli, within
from tests.served import ServeProcess, checked_in_home, served_environment, session_rows, wait_for


def non_loopback_address() -> str | None:
    """An address of this machine other than loopback (the one it would use to go out)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def connects(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=5):
            return True
    except ConnectionRefusedError:
        return False


async def open_tab(socket_url: str, origin: str | None = None) -> tuple[int, bytes]:
    """Open a tab's socket and read the app's first frame: (HTTP status, the bytes)."""
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as client:
        try:
            socket_ = await client.ws_connect(socket_url, headers=headers)
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status, b""
        frame = b""
        while b"routines" not in frame:
            message = await asyncio.wait_for(socket_.receive(), 60)
            if message.type != aiohttp.WSMsgType.BINARY:
                break
            frame += message.data
        await socket_.close()
        return 101, frame


def test_serve_listens_on_loopback_only_by_default(tmp_path: Path) -> None:
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no address but loopback to try a connection from")
    with ServeProcess(tmp_path / "home") as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert connects("127.0.0.1", server.port)
        assert not connects(address, server.port)  # refused: nothing listens there
    # The same check, with the server told to listen everywhere, does connect: the test can fail.
    with ServeProcess(tmp_path / "home", ["--host", "0.0.0.0"]) as server:
        assert connects(address, server.port)
    assert "anyone who can reach" in server.errors().lower()


def test_a_page_asked_for_by_another_name_is_refused(tmp_path: Path) -> None:
    """A site whose name resolves to 127.0.0.1 (DNS rebinding) gets no page and no tab."""

    async def ask() -> tuple[int, int, int, int]:
        async with aiohttp.ClientSession() as client:
            own = await client.get(server.url)
            rebound = await client.get(server.url, headers={"Host": f"attacker.example:{server.port}"})
        cross_site, _ = await open_tab(server.socket_url(), origin="http://attacker.example")
        same_site, frame = await open_tab(server.socket_url(), origin=f"http://127.0.0.1:{server.port}")
        assert b"routines" in frame
        return own.status, rebound.status, cross_site, same_site

    with ServeProcess(tmp_path / "home") as server:
        assert within(90, lambda: asyncio.run(ask()), "the requests") == (200, 403, 403, 101)


TOKEN_HELP = "mobility-coach serve --open"


def test_only_the_address_with_its_token_opens_the_app(tmp_path: Path) -> None:
    """Loopback is not a user check: another account on this computer can reach the port,
    but not the token, which only the server's own user is shown."""

    async def ask() -> dict[str, tuple[int, str]]:
        answers: dict[str, tuple[int, str]] = {}
        async with aiohttp.ClientSession() as client:
            for name, url in [
                ("bare", server.bare_url),
                ("wrong", server.bare_url + "?token=" + "x" * len(server.token)),
                ("right", server.url),
                ("other page", server.bare_url + "favicon.ico"),
                ("script", server.bare_url + "static/js/textual.js"),  # textual-serve's own: nothing of yours
            ]:
                async with client.get(url) as response:
                    answers[name] = (response.status, await response.text())
        for name, socket_url in [
            ("socket bare", f"ws://127.0.0.1:{server.port}/ws"),
            ("socket bare routine", f"ws://127.0.0.1:{server.port}/ws/desk-break"),
            ("socket wrong", server.socket_url(token="x" * len(server.token))),
            ("socket wrong routine", server.socket_url("desk-break", token=server.token[:-1])),
        ]:
            answers[name] = ((await open_tab(socket_url))[0], "")
        return answers

    with ServeProcess(tmp_path / "home") as server:
        assert len(server.token) >= 40 and server.url == f"{server.bare_url}?token={server.token}"
        answers = within(90, lambda: asyncio.run(ask()), "the requests")
        assert app_processes(server.process.pid) == []  # none was started for a refused socket
    status, text = answers.pop("bare")
    assert status == 403 and TOKEN_HELP in text and "token" in text, text
    assert answers.pop("right")[0] == 200
    assert answers.pop("script")[0] == 200
    assert {name: status for name, (status, _) in answers.items()} == dict.fromkeys(answers, 403)


def app_processes(server_pid: int) -> list[int]:
    """The server's child processes (each tab's app), from /proc."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # gone meanwhile
                continue
            if int(stat.rpartition(")")[2].split()[1]) == server_pid:
                children.append(int(entry))
    return children


async def first_frame(socket_: aiohttp.ClientWebSocketResponse) -> None:
    frame = b""
    while b"routines" not in frame:
        message = await asyncio.wait_for(socket_.receive(), 60)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        frame += message.data


def test_tabs_past_the_cap_are_refused_before_their_app_starts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.yaml").write_text("serve:\n  max_tabs: 2\n")

    async def open_past_the_cap() -> None:
        async with aiohttp.ClientSession() as client:
            tabs = [await client.ws_connect(server.socket_url()) for _ in range(2)]
            for tab in tabs:
                await first_frame(tab)
            assert len(app_processes(server.process.pid)) == 2
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(server.socket_url())
            assert refused.value.status == 503
            async with client.get(server.url) as page:
                assert page.status == 503
                text = await page.text()
                assert "2 tabs are open" in text and "close one" in text, text
            assert len(app_processes(server.process.pid)) == 2  # no app for the refused tab
            await tabs.pop().close()
            wait_for(lambda: len(app_processes(server.process.pid)) == 1, 30, "the closed tab's app ended")
            again = await client.ws_connect(server.socket_url())
            await first_frame(again)
            async with client.get(server.url) as page:
                assert page.status == 503  # full again
            for tab in [*tabs, again]:
                await tab.close()

    with ServeProcess(home) as server:
        within(120, lambda: asyncio.run(open_past_the_cap()), "the tabs")


DYING_APP = """
import json, os, struct, sys
out = sys.stdout.buffer
def send(payload):
    out.write(b"D" + struct.pack(">I", len(payload)) + payload)
    out.flush()
with open(sys.argv[1], "w") as pid:
    pid.write(str(os.getpid()))
out.write(b"__GANGLION__\\n")
send(b"routines")
while len(head := sys.stdin.buffer.read(5)) == 5:
    body = sys.stdin.buffer.read(struct.unpack(">I", head[1:])[0])
    if head[:1] == b"M" and json.loads(body).get("type") == "quit":
        break
send(b"a last frame, for a tab that has gone")
sys.stderr.write("a crash's long traceback " * 20000)  # far more than a pipe holds
"""


def test_an_app_that_outlives_its_tab_is_read_until_it_ends(tmp_path: Path) -> None:
    """An app that writes after its tab has closed (a last frame, then a long traceback on
    stderr) must not be left blocked on a pipe the server no longer reads, holding its
    memory after its tab's place was freed."""
    from aiohttp import web

    from mobility_coach.serve.web_server import TabServer

    script, pid_file = tmp_path / "app.py", tmp_path / "app.pid"
    script.write_text(DYING_APP)
    token = "t" * 43
    command = shlex.join(["exec", sys.executable, str(script), str(pid_file)])
    server = TabServer("127.0.0.1", token, list, 4, command=lambda routine: command)

    async def close_the_tab() -> None:
        runner = web.AppRunner(server.web_app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            port = runner.addresses[0][1]
            async with aiohttp.ClientSession() as client:
                tab = await client.ws_connect(f"ws://127.0.0.1:{port}/ws/{token}")
                assert (await asyncio.wait_for(tab.receive(), 30)).data == b"routines"
                await tab.close()
            pid = int(pid_file.read_text())
            gone = asyncio.get_running_loop().run_in_executor(
                None, lambda: wait_for(lambda: not Path(f"/proc/{pid}").exists(), 20, "the app ended")
            )
            await gone
        finally:
            await runner.cleanup()

    within(60, lambda: asyncio.run(close_the_tab()), "the tab")


def test_a_second_serve_says_where_the_first_one_is(tmp_path: Path) -> None:
    home = tmp_path / "home"
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n')
    browser.chmod(0o755)
    with ServeProcess(home) as first:
        second = run_cli(["serve", "--port", "0"], home)
        assert second.returncode == 1
        assert f"already served at {first.url} (pid {first.process.pid})" in second.stderr
        with_open = run_cli(["serve", "--open"], home, env={"BROWSER": str(browser)})
        assert with_open.returncode == 0, with_open.stderr
        assert opened.read_text().split() == [first.url]
    assert running_server(home / "data") is None  # the lock went with the server


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(["serve", "--port", str(port)], tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr == (
        f"mobility-coach: port {port} on 127.0.0.1 is in use by another program; choose another with "
        f"--port N (e.g. mobility-coach serve --port {port + 1})\n"
    )


def test_a_bad_port_or_host_is_refused_with_the_usage(tmp_path: Path) -> None:
    assert "is not a port number" in run_cli(["serve", "--port", "99999"], tmp_path / "home").stderr
    result = run_cli(["serve", "--host", "192.0.2.77", "--port", "0"], tmp_path / "home")
    assert result.returncode == 1
    assert "cannot listen on 192.0.2.77: it is not an address of this computer" in result.stderr


async def run_in_tab(server: ServeProcess, home: Path, garbage: bool = False) -> aiohttp.ClientWebSocketResponse:
    """Open desk-break in a tab and return the open socket once its session is recorded."""
    client = aiohttp.ClientSession()
    tab = await client.ws_connect(server.socket_url("desk-break") + "?width=100&height=30")
    if garbage:  # a hostile or broken page: none of this may end the tab or reach the app
        for text in ("not json", "[]", "{}", "[1, 2]", '["stdin", 5]', '["resize", {"width": 1e9}]', "[" * 5000):
            await tab.send_str(text)
        await tab.send_bytes(b"\x00\xff")
        await tab.send_str(json.dumps(["ping", "still there?"]))
        while (message := await asyncio.wait_for(tab.receive(), 30)).type != aiohttp.WSMsgType.TEXT:
            assert message.type == aiohttp.WSMsgType.BINARY, f"the tab was closed: {message}"
        assert json.loads(message.data) == ["pong", "still there?"]

    async def recorded() -> None:
        while session_rows(home) != [("running", None)]:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(tab.receive(), 0.5)  # keep reading the frames

    await asyncio.wait_for(recorded(), 60)
    tab.client = client  # type: ignore[attr-defined]
    return tab


@pytest.mark.parametrize("garbage", [False, True], ids=["tab", "tab-after-garbage"])
def test_closing_the_tab_mid_session_records_it_interrupted(tmp_path: Path, garbage: bool) -> None:
    home = checked_in_home(tmp_path / "home")

    async def close_mid_session() -> None:
        tab = await run_in_tab(server, home, garbage)
        await tab.close()
        await tab.client.close()  # type: ignore[attr-defined]

    with ServeProcess(home) as server:
        within(90, lambda: asyncio.run(close_mid_session()), "the tab")
        wait_for(lambda: [s for s, _ in session_rows(home)] == ["interrupted"], 30, "the session ended")
        assert server.process.poll() is None  # the server carries on for other tabs
    ((_, ended),) = session_rows(home)
    assert ended is not None


CLOSED = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)


@pytest.mark.parametrize(
    ("number", "group"),
    [(signal.SIGTERM, False), (signal.SIGINT, True), (signal.SIGTERM, True)],
    ids=["kill-server", "ctrl-c-in-its-terminal", "systemctl-stop"],
)
def test_stopping_the_server_mid_session_records_it_interrupted(tmp_path: Path, number: int, group: bool) -> None:
    """The server alone, or its whole process group as Ctrl+C or systemd would: each app
    ends the session as a closed terminal does, before the server has gone."""
    home = checked_in_home(tmp_path / "home")

    async def stop_mid_session() -> None:
        tab = await run_in_tab(server, home)
        server.signal(number, group=group)
        while (await asyncio.wait_for(tab.receive(), 30)).type not in CLOSED:
            pass  # frames until the server closes the tab
        await tab.client.close()  # type: ignore[attr-defined]

    with ServeProcess(home) as server:
        within(90, lambda: asyncio.run(stop_mid_session()), "the tab")
        assert server.wait() == 0
        ((status, ended),) = session_rows(home)
    assert status == "interrupted" and ended is not None


def recorder(opened: list[str]) -> Callable[[str], bool]:
    """A browser that notes the address it was asked to open, and opens it."""

    def open_url(url: str) -> bool:
        opened.append(url)
        return True

    return open_url


def test_open_in_browser_opens_the_running_server_in_a_routine(tmp_path: Path) -> None:
    home = tmp_path / "home"
    opened: list[str] = []
    with ServeProcess(home) as server:
        assert open_in_browser("desk-break", environ=served_environment(home), open_url=recorder(opened))
        assert opened == [f"{server.url}&routine=desk-break"]

        async def page() -> str:
            async with aiohttp.ClientSession() as client:
                return await (await client.get(opened[0])).text()

        assert server.socket_url("desk-break") in within(30, lambda: asyncio.run(page()))


def test_open_in_browser_starts_a_server_when_none_runs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    opened: list[str] = []
    environ = served_environment(home)
    try:
        assert within(
            60,
            lambda: open_in_browser(
                environ=environ,
                open_url=recorder(opened),
                start_server=lambda environ: start_server_detached(environ, port=0),  # not the default: it may be taken
            ),
            "opening",
        )
        running = running_server(home / "data")
        assert running is not None and running.url == opened[0] and opened[0].startswith("http://127.0.0.1:")
    finally:
        running = running_server(home / "data")
        if running is not None and running.pid is not None:
            os.kill(running.pid, signal.SIGTERM)
            wait_for(lambda: running_server(home / "data") is None, 30, "the started server stopped")


def test_open_in_browser_gives_up_when_no_server_comes(tmp_path: Path) -> None:
    clock = FakeClock()
    started: list[str] = []
    result = open_in_browser(
        "desk-break",
        environ=served_environment(tmp_path / "home"),
        open_url=lambda url: pytest.fail("nothing to open"),
        start_server=lambda environ: started.append(environ["MOBILITY_COACH_HOME"]),
        clock=clock,
        pause=clock.advance,
        wait_seconds=5,
    )
    assert result is False and started == [str(tmp_path / "home")]


def test_a_killed_server_leaves_no_app_running_on(tmp_path: Path) -> None:
    """kill -9 (or a crash) says no goodbye: each app sees its input end, and ends its
    session as interrupted instead of playing on unseen."""
    home = checked_in_home(tmp_path / "home")

    async def kill_mid_session() -> None:
        tab = await run_in_tab(server, home)
        server.signal(signal.SIGKILL)
        await tab.client.close()  # type: ignore[attr-defined]

    with ServeProcess(home) as server:
        within(90, lambda: asyncio.run(kill_mid_session()), "the tab")
        wait_for(lambda: [s for s, _ in session_rows(home)] == ["interrupted"], 30, "the app ended the session")


def test_the_server_names_the_driver_the_app_accepts() -> None:
    from mobility_coach.serve.web_server import SERVED_DRIVER, app_command
    from mobility_coach.tui import served_driver
    from mobility_coach.tui.preflight import WEB_DRIVERS

    assert SERVED_DRIVER == served_driver.SERVED_DRIVER and SERVED_DRIVER in WEB_DRIVERS
    assert f"TEXTUAL_DRIVER={SERVED_DRIVER}" in app_command("desk-break")


def test_serve_unit_starts_the_server_at_login_with_this_home(tmp_path: Path) -> None:
    result = run_cli(["serve", "unit"], tmp_path / "home")
    assert result.returncode == 0
    assert "Description=mobility-coach in a browser tab" in result.stdout
    assert '-m" "mobility_coach" serve\n' in result.stdout or result.stdout.count(" serve\n") == 1
    assert f'Environment="MOBILITY_COACH_HOME={tmp_path / "home"}"' in result.stdout


def test_the_address_with_its_token_is_kept_for_us_alone(tmp_path: Path) -> None:
    """The file other faces read the address from is 0600 in a 0700 folder (made so if they
    were looser), and is not trusted once either is open to others."""
    home = tmp_path / "home"
    folder = home / "data" / "serve"
    folder.mkdir(mode=0o755, parents=True)
    folder.chmod(0o755)
    (folder / "serve.lock").write_text("")
    (folder / "serve.lock").chmod(0o644)
    with ServeProcess(home) as server:
        assert (folder.stat().st_mode & 0o777, (folder / "serve.lock").stat().st_mode & 0o777) == (0o700, 0o600)
        running = running_server(home / "data")
        assert running is not None and running.url == server.url
        for loose, mode in [(folder / "serve.lock", 0o644), (folder, 0o750)]:
            loose.chmod(mode)
            assert running_server(home / "data") is None, loose
            loose.chmod(0o700 if loose == folder else 0o600)
        assert running_server(home / "data") == running


def test_a_lock_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data" / "serve").mkdir(mode=0o700, parents=True)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (home / "data" / "serve" / "serve.lock").symlink_to(target)
    result = run_cli(["serve", "--port", "0"], home)
    assert result.returncode == 1 and "is a symbolic link" in result.stderr
    assert target.read_text() == "keep me"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        *[("127.0.0.1", True), ("127.3.4.5", True), ("localhost", True), ("::1", True), ("[::1]", True)],
        *[("0.0.0.0", False), ("192.168.1.5", False), ("localhost.attacker.example", False), ("", False)],
    ],
)
def test_which_names_are_this_computer_only(host: str, loopback: bool) -> None:
    from mobility_coach.serve.web_server import host_name, is_loopback

    assert is_loopback(host) is loopback
    assert is_loopback(host_name(f"{host}:8716" if host else "")) is loopback
