"""A remote store's answers: each query's whole exchange within a deadline and the input size limit.

httpx's timeout bounds each read, not the whole answer, so a server dripping
its answer byte by byte could hold a read function for ever; and an answer
is an input like any file (:mod:`goalgraph.limits`). :func:`posted` runs
the request within :func:`goalgraph.deadlines.run_within`, and stops
reading past the size limit, as :class:`goalgraph.endpoint.Endpoint` does.

>>> import httpx
>>> with httpx.Client() as client:
...     posted(client, "http://127.0.0.1:1/query", {"query": "ASK {}"}, timeout=1)
Traceback (most recent call last):
...
httpx.ConnectError: ...
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from goalgraph.deadlines import DeadlinePassed, run_within
from goalgraph.endpoint import gathered
from goalgraph.errors import EndpointError
from goalgraph.i18n import message

if TYPE_CHECKING:
    import httpx

__all__ = ["Answer", "posted"]


@dataclass(frozen=True)
class Answer:
    """A server's whole answer: status, headers and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body as text (invalid UTF-8 replaced), for error messages."""
        return self.body.decode("utf-8", "replace")


def posted(
    client: httpx.Client,
    url: str,
    form: Mapping[str, str | Sequence[str]],
    *,
    timeout: float,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """POST *form* to *url* and read the whole answer within *timeout* seconds.

    A field with a list of values is sent once per value (``default-graph-uri``).

    :raises EndpointError: if the answer is not complete within *timeout*, or
        is larger than the input size limit (naming the URL and the limit).
    :raises httpx.HTTPError: if the server cannot be reached (the caller names it).
    """
    from goalgraph.limits import limit

    maximum = limit("input_size")  # read here: a bad setting is an error of this call

    def work(abandoned: threading.Event) -> Answer:
        with client.stream("POST", url, data=dict(form), headers=headers) as response:
            body = gathered(url, response.iter_bytes(), abandoned, maximum)
            return Answer(response.status_code, response.headers, body)

    try:
        return run_within(timeout, work, name="goalgraph-remote-store")
    except DeadlinePassed:
        raise EndpointError(message("network.timeout", url=url, seconds=f"{timeout:g}")) from None
