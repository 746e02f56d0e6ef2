"""A headless Chromium driven over the DevTools protocol, for tests of the HTML report.

The browser runs with a temporary profile, listens for DevTools on 127.0.0.1
only, and resolves no host name (``--host-resolver-rules``), so a page under
test cannot reach the network even by mistake; every request it *tries* is
still recorded (``Network.requestWillBeSent``), as is every console message,
log entry and uncaught exception.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

__all__ = ["Browser", "PageLoad", "chromium_path"]

_TIMEOUT = 30.0


def chromium_path() -> str | None:
    """The Chromium executable: ``$CHROMIUM`` or ``chromium`` on the PATH, if any."""
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@dataclass
class PageLoad:
    """What happened while one page loaded: requests tried, console and log messages, errors."""

    url: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    session: str = ""

    @property
    def other_requests(self) -> list[str]:
        """Requests for anything but the page itself."""
        return [r for r in self.requests if r != self.url]


class Browser:
    """One headless Chromium process; :meth:`load` opens pages in fresh tabs.

    :param executable: the Chromium binary.
    :raises RuntimeError: if Chromium does not start or open its DevTools port in time.
    """

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.TemporaryDirectory(
            prefix="goalgraph-chromium-", ignore_cleanup_errors=True
        )
        args = [
            executable,
            "--headless",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={self.profile.name}",
            "about:blank",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        # A session of its own, so that close() ends Chromium's helper processes too.
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + _TIMEOUT
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"Chromium did not open its DevTools port ({executable})")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        # Chromium checks the Origin header of DevTools connections; send none.
        self.socket = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=_TIMEOUT, suppress_origin=True
        )
        self._next = 0
        self._events: list[dict[str, Any]] = []

    # --- protocol -------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send one DevTools command and wait for its result (events are queued meanwhile)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + _TIMEOUT
        while time.monotonic() < deadline:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)
        raise TimeoutError(method)

    def _wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + _TIMEOUT
        while time.monotonic() < deadline:
            for event in self._events:
                if event.get("method") == method and event.get("sessionId") == session:
                    return
            self._events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)

    # --- pages ------------------------------------------------------------------

    def load(self, path: Path, *, width: int = 1280, height: int = 900) -> PageLoad:
        """Open *path* in a new tab at *width* × *height* and wait until it has loaded."""
        url = path.resolve().as_uri()
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        self._events.clear()
        self.call("Page.navigate", {"url": url}, session=session)
        self._wait_for("Page.loadEventFired", session)
        # Let late messages (CSP reports, lazy loads) arrive before judging the page.
        self.call("Runtime.evaluate", {"expression": "1", "awaitPromise": True}, session=session)
        load = PageLoad(url=url, session=session)
        for event in self._events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                load.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled":
                texts = [str(a.get("value", a.get("description", ""))) for a in params["args"]]
                load.console.append(f"{params['type']}: {' '.join(texts)}")
            elif method == "Runtime.exceptionThrown":
                load.errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded":
                entry = params["entry"]
                load.console.append(f"{entry['level']}: {entry.get('text', '')}")
        return load

    def evaluate(self, load: PageLoad, expression: str) -> Any:
        """The value of a JavaScript *expression* in the loaded page (for reading the DOM)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True},
            session=load.session,
        )
        return result["result"].get("value")

    def screenshot(self, load: PageLoad, *, full_page: bool = False) -> bytes:
        """A PNG of the viewport, or of the whole page."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.call("Page.getLayoutMetrics", session=load.session)["cssContentSize"]
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": size["width"],
                "height": size["height"],
                "scale": 1,
            }
        data = self.call("Page.captureScreenshot", params, session=load.session)["data"]
        return base64.b64decode(data)

    def pdf(self, load: PageLoad) -> bytes:
        """The page printed to PDF with its own ``@page`` size (A4 in the report)."""
        data = self.call(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True},
            session=load.session,
        )["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        """Stop Chromium and its helper processes, and remove its profile."""
        sock = getattr(self, "socket", None)
        if sock is not None:
            sock.close()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)  # the group Chromium leads: its helpers
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        # Helpers may still be writing the profile for a moment after the main process ends.
        deadline = time.monotonic() + 5
        while Path(self.profile.name).exists() and time.monotonic() < deadline:
            shutil.rmtree(self.profile.name, ignore_errors=True)
            time.sleep(0.05)
        self.profile.cleanup()
