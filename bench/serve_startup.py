"""The app in a browser tab against the app in a terminal, in the same run: time from
start to the first frame, and resident memory with the first frame up.

    python bench/serve_startup.py [--runs 5]
    python bench/serve_startup.py --quick     # one run each: does the harness still run?

Terminal (the baseline): ``mobility-coach`` in an 80x24 pseudo-terminal, from launch to
the home screen's filter placeholder; then its resident memory.
Browser: Chromium is already running (as a user's browser is), then ``mobility-coach
serve`` starts; from that moment until the tab (opened as soon as the server prints its
address) shows the same placeholder in xterm's screen buffer. Then the resident memory of
the server and of the tab's app process (the browser's own is not counted: it is the
user's browser, open anyway). Prints the median and best of each.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from browser_harness import CATCH_TERMINAL, launch_chromium, wait_for_text
from pty_harness import PtyProcess

NEEDLE = "ype to filter routines"  # from its second letter: the first sits under the cursor
ADDRESS = re.compile(rb"served at (http://\S+)")


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
        return [int(child) for child in listing.read().split()]


def terminal_run(env: dict[str, str]) -> tuple[float, int]:
    app = PtyProcess([sys.executable, "-m", "mobility_coach"], env)
    try:
        seconds = app.read_until(NEEDLE.encode())
        return seconds, rss_kib(app.process.pid)
    finally:
        app.close()


def browser_run(browser: Any, env: dict[str, str]) -> tuple[float, float, int, int]:
    """Seconds from `serve` start to its address, and to the tab's first frame; the
    server's and the app's RSS."""
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.add_init_script(CATCH_TERMINAL)
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "mobility_coach", "serve", "--port", "0"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        output = b""
        while (found := ADDRESS.search(output)) is None:
            if server.poll() is not None or time.perf_counter() - started > 60:
                raise RuntimeError(f"serve printed no address: {output!r}")
            if select.select([server.stdout], [], [], 1.0)[0]:
                output += os.read(server.stdout.fileno(), 4096)
        listening = time.perf_counter() - started
        page.goto(found.group(1).decode())
        wait_for_text(page, NEEDLE, 60_000)
        seconds = time.perf_counter() - started
        (app,) = children(server.pid)  # one tab, one app process
        return listening, seconds, rss_kib(server.pid), rss_kib(app)
    finally:
        page.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
            for stream in (server.stdout, server.stderr):
                if stream is not None:
                    stream.close()


def line(name: str, values: list[float], unit: str, scale: float, baseline: float) -> str:
    median = statistics.median(values)
    return (
        f"  {name:44s} median {median * scale:7.0f} {unit}   best {min(values) * scale:7.0f} {unit}   "
        f"{median / baseline:5.2f}x terminal"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run each: the harness runs, no figure")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    from playwright.sync_api import Error, sync_playwright

    with tempfile.TemporaryDirectory() as home, sync_playwright() as playwright:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOBILITY_COACH")}
        env["MOBILITY_COACH_HOME"] = home
        try:
            browser = launch_chromium(playwright)
        except (Error, FileNotFoundError) as why:
            # Not a stale harness: this machine has no browser that starts. Say so, plainly.
            print(f"serve_startup: Chromium cannot start here, no browser figures: {str(why).splitlines()[0]}")
            print(f"terminal first frame: {terminal_run(env)[0] * 1000:.0f} ms")
            return
        terminal_times: list[float] = []
        terminal_rss: list[float] = []
        browser_times: list[float] = []
        address_times: list[float] = []
        server_rss: list[float] = []
        app_rss: list[float] = []
        terminal_run(env)  # warm the disk cache for both
        browser_run(browser, env)
        for _ in range(args.runs):  # interleaved, so both see the same machine
            seconds, rss = terminal_run(env)
            terminal_times.append(seconds)
            terminal_rss.append(rss)
            listening, seconds, server, app = browser_run(browser, env)
            address_times.append(listening)
            browser_times.append(seconds)
            server_rss.append(server)
            app_rss.append(app)
        browser.close()
    base_time, base_rss = statistics.median(terminal_times), statistics.median(terminal_rss)
    print(f"start to first frame, {args.runs} runs each (interleaved)")
    print(line("terminal: mobility-coach in an 80x24 pty", terminal_times, "ms", 1000, base_time))
    print(line("browser: serve start to its address", address_times, "ms", 1000, base_time))
    print(line("browser: serve start to the tab's frame", browser_times, "ms", 1000, base_time))
    print("resident memory with the first frame up")
    print(line("terminal: the app", terminal_rss, "KiB", 1, base_rss))
    print(line("browser: the server", server_rss, "KiB", 1, base_rss))
    print(line("browser: the tab's app process", app_rss, "KiB", 1, base_rss))
    total = [s + a for s, a in zip(server_rss, app_rss, strict=True)]
    print(line("browser: server + app (not Chromium)", total, "KiB", 1, base_rss))


if __name__ == "__main__":
    main()
