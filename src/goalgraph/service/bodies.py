"""The request body limit: a body over it is refused with 413 before any endpoint reads it.

An ASGI middleware reads each request body up to the limit
(``GOALGRAPH_MAX_REQUEST_SIZE``, 10 MB by default, ``goalgraph serve
--max-request-size``) and hands it on whole; a declared ``Content-Length`` over
the limit is refused before a byte is read, a body sent in chunks as soon as it
passes the limit.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from goalgraph.i18n import message
from goalgraph.limits import format_size
from goalgraph.service.errors import RequestRefused

__all__ = ["BodyLimit"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: refuse (413, JSON error) any request whose body exceeds *limit* bytes."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send, int(declared))
            return
        parts: list[bytes] = []
        size = 0
        more = True
        while more:
            event = await receive()
            if event["type"] != "http.request":  # the client left: let the app see it
                await self.app(scope, _replay([], event, receive), send)
                return
            chunk = event.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send, size)
                return
            parts.append(chunk)
            more = event.get("more_body", False)
        await self.app(scope, _replay(parts, None, receive), send)

    async def _refuse(self, send: Send, size: int) -> None:
        refusal = RequestRefused(
            413,
            "request_too_large",
            message(
                "serve.too_large",
                size=format_size(size),
                limit=format_size(self.limit),
            ),
            limit=self.limit,
        )
        body = json.dumps(refusal.body(), ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(parts: list[bytes], last: Message | None, receive: Receive) -> Receive:
    """A receive channel: the body read already in one event, then the client's next events."""
    pending: list[Message] = [{"type": "http.request", "body": b"".join(parts), "more_body": False}]
    if last is not None:
        pending = [last]

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
