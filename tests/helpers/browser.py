"""Headless Chromium for the HTML tests: one browser, driven through the DevTools protocol over a pipe.

Standard library only (no Selenium or Playwright): Chromium's ``--remote-debugging-pipe`` reads
JSON commands on file descriptor 3 and writes replies and events on 4, each terminated by a NUL
byte. ``Browser.open`` loads a page with a given screen size and returns a ``Page`` that measures
it: JavaScript results and the bytes every request transferred.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *arguments):
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve ``directory`` over HTTP on a free local port (so the browser transfers files as a reader's
    would, uncompressed); returns the base address and the server (``shutdown()`` it)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


@dataclass
class Page:
    """A loaded page: its session in the browser and the bytes each request transferred."""

    browser: Browser
    session: str
    transferred: dict[str, int] = field(default_factory=dict)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises are awaited)."""
        reply = self.browser.send(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(f"JavaScript failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15.0) -> bool:
        """Poll until ``expression`` is truthy; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.1)
        return False

    def total_bytes(self) -> int:
        """Bytes transferred so far (headers and bodies of every finished request)."""
        self.browser.collect(self)
        return sum(self.transferred.values())


class Browser:
    """One headless Chromium for a whole test module; ``close()`` ends it."""

    def __init__(self, executable: str):
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_child, self._to_child = os.pipe()
        self._from_child, from_child = os.pipe()

        def pipes_as_3_and_4():
            read, write = os.dup(to_child), os.dup(from_child)  # duplicates are inheritable at 3 and 4
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=pipes_as_3_and_4,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
        )  # closing would close 3 and 4
        # (Python's own descriptors are not inherited anyway)
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._last_id = 0
        self._events: list[dict] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.send(f"{domain}.enable", self.session)
        self.send("Network.setCacheDisabled", self.session, cacheDisabled=True)

    def send(self, method: str, session: str | None = None, timeout: float = 60.0, **params) -> dict:
        """Send one command and wait for its reply (events that arrive meanwhile are kept)."""
        self._last_id += 1
        message = {
            "id": self._last_id,
            "method": method,
            "params": params,
            **({"sessionId": session} if session else {}),
        }
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self._events.append(reply)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            if select.select([self._from_child], [], [], left)[0]:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium closed its pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def collect(self, page: Page) -> None:
        """Move the network events received so far into ``page.transferred`` (request id -> bytes)."""
        try:
            while True:
                self._events.append(self._read(time.monotonic() + 0.05))
        except TimeoutError:
            pass
        for event in self._events:
            if event.get("method") == "Network.loadingFinished":
                page.transferred[event["params"]["requestId"]] = int(event["params"]["encodedDataLength"])
        self._events.clear()

    def open(self, url: str, width: int, height: int, mobile: bool) -> Page:
        """Load ``url`` fresh (no cache) on a screen of ``width`` x ``height`` CSS pixels (``mobile``:
        a phone's viewport rules) and wait for its load event."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            self.session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self._events.clear()
        page = Page(self, self.session)
        self.send("Page.navigate", self.session, url=url)
        deadline = time.monotonic() + 60
        while not any(event.get("method") == "Page.loadEventFired" for event in self._events):
            self._events.append(self._read(deadline))
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError, EOFError):
            self.process.kill()
        self.process.wait(timeout=10)
        for descriptor in (self._to_child, self._from_child):
            os.close(descriptor)
        shutil.rmtree(self.profile, ignore_errors=True)
