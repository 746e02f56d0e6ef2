"""Polite HTTP GETs: a deadline on the whole request, retries with backoff, a rate limit.

Each request runs in a worker thread and the caller waits at most
``timeout`` seconds for all of it (connecting, headers and the whole body),
so a server that sends one byte a second cannot hold a run. 429 and 5xx
answers are retried with exponential backoff, honouring ``Retry-After``;
requests start at most ``rate`` times a second. Every failure becomes a
:class:`~goalgraph.errors.KoladaError` naming the URL.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from goalgraph.deadlines import DeadlinePassed, run_within
from goalgraph.errors import KoladaError
from goalgraph.i18n import message

__all__ = ["Politeness", "RateLimiter", "Requester"]


@dataclass(frozen=True)
class Politeness:
    """How patiently and how often to ask.

    :param timeout: seconds for one whole request, body included.
    :param max_retries: retries after a 429 or 5xx answer before giving up.
    :param backoff: seconds before the first retry; doubled for each further one.
    :param max_backoff: the longest wait between two tries.
    :param max_retry_after: the longest ``Retry-After`` honoured, in seconds.
    :param rate: at most this many requests a second.
    """

    timeout: float = 30.0
    max_retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_retry_after: float = 60.0
    rate: float = 5.0

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.rate <= 0:
            raise ValueError("timeout and rate must be positive")
        if self.max_retries < 0 or self.backoff < 0 or self.max_backoff < 0:
            raise ValueError("max_retries, backoff and max_backoff must not be negative")


class RateLimiter:
    """Spaces out calls to :meth:`wait` so that at most *rate* pass per second.

    >>> limiter = RateLimiter(1000.0)
    >>> start = time.monotonic(); limiter.wait(); limiter.wait(); limiter.wait()
    >>> time.monotonic() - start >= 0.002
    True
    """

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next call may start."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


@dataclass
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


class Requester:
    """GETs URLs with *client*, politely (see the module docstring)."""

    def __init__(self, client: httpx.Client, politeness: Politeness) -> None:
        self._client = client
        self.politeness = politeness
        self._limiter = RateLimiter(politeness.rate)

    def get(self, url: str) -> bytes:
        """The body of a successful answer to GET *url*.

        :raises KoladaError: on a network failure, a timeout, a cut-off body,
            a 4xx answer, or a 429/5xx answer that persists after every retry.
        """
        attempts = self.politeness.max_retries + 1
        for attempt in range(attempts):
            self._limiter.wait()
            answer = self._attempt(url)
            if 200 <= answer.status < 300:
                return answer.body
            if answer.status != 429 and not 500 <= answer.status < 600:
                raise KoladaError(
                    message("kolada.http_status", url=url, status=answer.status), url=url
                )
            if attempt + 1 < attempts:
                time.sleep(self._delay(attempt, answer.headers.get("Retry-After")))
        raise KoladaError(
            message("kolada.gave_up", url=url, status=answer.status, attempts=attempts), url=url
        )

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        polite = self.politeness
        if retry_after is not None:
            seconds = _retry_after_seconds(retry_after)
            if seconds is not None and math.isfinite(seconds):
                return min(max(seconds, 0.0), polite.max_retry_after)
        return float(min(polite.backoff * 2**attempt, polite.max_backoff))

    def _attempt(self, url: str) -> _Answer:
        timeout = self.politeness.timeout
        deadline = time.monotonic() + timeout
        try:
            return run_within(
                timeout,
                lambda abandoned: self._download(url, deadline, abandoned),
                name="goalgraph-kolada-get",
            )
        except DeadlinePassed:
            # the worker notices at its next chunk; its socket times out soon after anyway
            raise KoladaError(
                message("kolada.timeout", url=url, seconds=f"{timeout:g}"), url=url
            ) from None

    def _download(self, url: str, deadline: float, abandoned: threading.Event) -> _Answer:
        remaining = max(deadline - time.monotonic(), 0.001)
        try:
            with self._client.stream("GET", url, timeout=remaining) as response:
                chunks: list[bytes] = []
                for chunk in response.iter_bytes():
                    if abandoned.is_set():
                        break
                    chunks.append(chunk)
                body = b"".join(chunks)
                expected = response.headers.get("Content-Length")
                received = response.num_bytes_downloaded
                if expected is not None and expected.isdigit() and int(expected) != received:
                    raise KoladaError(
                        message(
                            "kolada.truncated", url=url, received=received, expected=int(expected)
                        ),
                        url=url,
                    )
                return _Answer(response.status_code, response.headers, body)
        except httpx.ConnectError as exc:
            raise KoladaError(message("kolada.unreachable", url=url, reason=exc), url=url) from exc
        except httpx.TimeoutException as exc:
            raise KoladaError(
                message("kolada.timeout", url=url, seconds=f"{self.politeness.timeout:g}"), url=url
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise KoladaError(message("kolada.broken", url=url, reason=exc), url=url) from exc
        except httpx.HTTPError as exc:
            raise KoladaError(message("kolada.unreachable", url=url, reason=exc), url=url) from exc


def _retry_after_seconds(value: str) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number, or an HTTP date."""
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()
