"""Tests of tests/recording_server.py: the local HTTP server behind the bad server and canary."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import threading
import time

import pytest

from recording_server import RecordingServer


def _teapot(handler: http.server.BaseHTTPRequestHandler) -> None:
    body = b"short and stout"
    handler.send_response(418)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _ask(url: str, method: str, path: str) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("protocol", ["HTTP/1.0", "HTTP/1.1"])
def test_every_method_is_recorded_then_answered(protocol: str) -> None:
    """GET, POST and OPTIONS reach the answer, each recorded with its path and query."""
    with RecordingServer(_teapot, protocol_version=protocol) as server:
        answers = [_ask(server.url, method, "/x?y=1") for method in ("GET", "POST", "OPTIONS")]
        assert server.requests == ["GET /x?y=1", "POST /x?y=1", "OPTIONS /x?y=1"]
    assert answers == [(418, b"short and stout")] * 3


def test_the_port_is_closed_after_the_block() -> None:
    """Once the ``with`` block ends, a request to the server's port is refused."""
    with RecordingServer(_teapot) as server:
        assert _ask(server.url, "GET", "/")[0] == 418
    with pytest.raises(ConnectionRefusedError):
        _ask(server.url, "GET", "/")


def test_an_answer_that_waits_is_released_when_the_block_ends() -> None:
    """An answer waiting on ``stopping`` returns as soon as the server is stopped."""
    released: list[float] = []

    def wait(handler: http.server.BaseHTTPRequestHandler) -> None:
        server.stopping.wait(30)
        released.append(time.monotonic())

    server = RecordingServer(wait)
    with server:
        client = threading.Thread(target=lambda: _call_quietly(server.url), daemon=True)
        client.start()
        while not server.requests:
            time.sleep(0.01)
        stopped = time.monotonic()
    client.join(10)
    assert released and released[0] - stopped < 5


def _call_quietly(url: str) -> None:
    # the server closes the connection without an answer: expected here
    with contextlib.suppress(OSError, http.client.HTTPException):
        _ask(url, "GET", "/wait")
