"""Wait for blocking work at most a given time: the one deadline every network path uses.

Socket timeouts bound each read, not a whole answer: a server dripping one
byte a second never trips them. So the work runs in a daemon worker thread
and the caller waits at most the deadline. The worker is handed an
``abandoned`` event, set when the caller gives up, so that it can stop at its
next chunk; one blocked in a call that never returns lingers until that
call ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["DeadlinePassed", "run_within"]

T = TypeVar("T")


class DeadlinePassed(Exception):
    """The work did not finish within its deadline (each caller says what timed out)."""


def run_within(seconds: float, work: Callable[[threading.Event], T], *, name: str) -> T:
    """The result of ``work(abandoned)``, run in a worker thread named *name*.

    :raises DeadlinePassed: if *seconds* pass first (``abandoned`` is then set).
    :raises: whatever *work* raised, unchanged.

    >>> run_within(1, lambda abandoned: 42, name="example")
    42
    >>> import time
    >>> run_within(0.01, lambda abandoned: time.sleep(1), name="example")
    Traceback (most recent call last):
    goalgraph.deadlines.DeadlinePassed
    """
    outcome: list[T | BaseException] = []
    done = threading.Event()
    abandoned = threading.Event()

    def run() -> None:
        try:
            outcome.append(work(abandoned))
        except BaseException as exc:  # handed over to the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name=name, daemon=True).start()
    if not done.wait(seconds):
        abandoned.set()
        raise DeadlinePassed
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result
