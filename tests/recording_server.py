"""A threaded HTTP server on a free port of 127.0.0.1 that records every request it gets.

The test servers that stand in for the network (the misbehaving endpoint of
``bad_servers.py``, the proxy canary of ``bad_inputs.py``) differ only in how they
answer; the port, the thread, the record of requests and the shutdown are here::

    with RecordingServer(lambda handler: handler.send_error(404)) as server:
        ...  # requests to server.url
    server.requests  # ["GET /x", ...]
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from typing import Any, Self

__all__ = ["Answer", "RecordingServer"]

#: Writes the answer to one request, already recorded (the handler's ``path``, ``wfile``, …).
Answer = Callable[[http.server.BaseHTTPRequestHandler], None]


class RecordingServer:
    """Records each request as ``"METHOD /path?query"`` and answers it with *answer*.

    Every method is recorded and answered alike (a proxy may be asked to ``CONNECT``).
    *protocol_version* ``"HTTP/1.1"`` keeps connections open between requests and
    lets an answer send its headers before its body. On leaving the ``with`` block,
    :attr:`stopping` is set (for answers that wait or drip to end early), then the
    server is shut down and its port closed.
    """

    def __init__(self, answer: Answer, *, protocol_version: str = "HTTP/1.0") -> None:
        self._requests: list[str] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self) -> None:
                with owner._lock:
                    owner._requests.append(f"{self.command} {self.path}")
                answer(self)

            do_GET = do_POST = do_PUT = do_HEAD = do_CONNECT = do_OPTIONS = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        Handler.protocol_version = protocol_version
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[str]:
        """Every request seen so far, as ``"METHOD /path?query"``."""
        with self._lock:
            return list(self._requests)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
