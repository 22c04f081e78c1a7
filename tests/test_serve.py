"""`rnn-tui serve` for real: the server on a free loopback port, the page in headless Chromium.

Chromium loads the page, runs textual-serve's xterm.js, which opens the
websocket that starts the app.  xterm.js draws on a canvas, so the test
reads what the app sent to the page (recorded by a script Chromium runs
before the page's own) and saves a screenshot beside it.  Needs Debian's
`chromium` (.ci/run installs it); skipped, saying why, without it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

# records every byte the page receives on a websocket, before textual-serve's script runs
RECORDER = """
window.__received = [];
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new Native(...args);
  socket.addEventListener("message", async (event) => {
    const data = event.data;
    if (typeof data === "string") { window.__received.push(new TextEncoder().encode(data)); }
    else if (data instanceof Blob) { window.__received.push(new Uint8Array(await data.arrayBuffer())); }
    else { window.__received.push(new Uint8Array(data)); }
  });
  return socket;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, Native);
"""
RECEIVED_TEXT = """(() => {
  const parts = window.__received || [];
  let n = 0; for (const p of parts) n += p.length;
  const all = new Uint8Array(n); let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return new TextDecoder("utf-8", {fatal: false}).decode(all);
})()"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else "server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {seconds} s")


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of sockets listening on port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":       # 0A: LISTEN
                found.add(address)
    return found


def rnn_tui(*args: str, home: Path) -> subprocess.Popen:
    env = dict(os.environ, RNN_TUI_HOME=str(home))
    return subprocess.Popen([sys.executable, "-m", "rnn_tui", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


async def drive_chromium(debug_port: int, url: str, shot: Path, want: list[str], seconds: float) -> str:
    """Open url in the browser behind debug_port; return the text the page received once it holds want."""
    import aiohttp

    with urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/list", timeout=10) as r:
        target = next(t for t in json.load(r) if t["type"] == "page")
    async with aiohttp.ClientSession() as session, session.ws_connect(target["webSocketDebuggerUrl"],
                                                                        max_msg_size=0) as cdp:
        ids = iter(range(1, 10_000))

        async def call(method: str, **params):
            n = next(ids)
            await cdp.send_json({"id": n, "method": method, "params": params})
            while True:
                reply = await cdp.receive_json()
                if reply.get("id") == n:
                    assert "error" not in reply, reply
                    return reply.get("result", {})

        await call("Page.enable")
        await call("Page.addScriptToEvaluateOnNewDocument", source=RECORDER)
        await call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        await call("Page.navigate", url=url)
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            result = await call("Runtime.evaluate", expression=RECEIVED_TEXT, returnByValue=True)
            text = result.get("result", {}).get("value") or ""
            if all(w in text for w in want):
                await asyncio.sleep(1.0)                 # let xterm.js paint before the picture
                picture = await call("Page.captureScreenshot", format="png")
                shot.write_bytes(base64.b64decode(picture["data"]))
                return text
        return text


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)")
def test_serve_draws_the_lesson_list_in_a_browser(tmp_path):
    """The home screen with the lesson list reaches a real browser; the server listens on loopback only."""
    from rnn_tui.lessons import load_all

    titles = [lesson.title for lesson in load_all()[:3]]
    port, debug_port = free_port(), free_port()
    server = rnn_tui("serve", "--port", str(port), home=tmp_path / "home")
    browser = None
    try:
        wait_for_port(port, server, 30)
        if sys.platform.startswith("linux"):
            assert listening_addresses(port) == {"0100007F"}          # 127.0.0.1, and nothing else
        browser = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                                    "--no-first-run", f"--user-data-dir={tmp_path / 'chromium'}",
                                    f"--remote-debugging-port={debug_port}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(debug_port, browser, 30)
        shot = tmp_path / "serve.png"
        text = asyncio.run(drive_chromium(debug_port, f"http://127.0.0.1:{port}/", shot,
                                          ["Lessons", *titles], 90))
        for title in ["Lessons", *titles]:
            assert title in text, f"{title!r} never reached the page"
        assert shot.stat().st_size > 10_000                            # a painted page, not a blank one
        if os.environ.get("RNN_TUI_KEEP_SHOT"):
            shutil.copy(shot, os.environ["RNN_TUI_KEEP_SHOT"])
    finally:
        for process in (browser, server):
            if process is not None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def test_serve_refuses_a_port_in_use(tmp_path):
    """A port already taken is a one-line error and exit status 2, not a traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = rnn_tui("serve", "--port", str(port), home=tmp_path)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 2
    assert err.startswith("rnn-tui serve: error: cannot listen on 127.0.0.1:") and err.count("\n") == 1
