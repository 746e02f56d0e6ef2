"""A read-write lock with deadlines: many readers at once, one writer alone, nobody forever.

The service answers reads (queries, reports) concurrently and applies changes
one at a time, each alone, so that no reader sees half a change. A writer that
waits blocks new readers (else a steady stream of reads would starve it), and
every wait has a deadline: a request that cannot get the lock in time is
answered "busy" instead of hanging.

>>> lock = ReadWriteLock()
>>> with lock.reading(timeout=1):
...     with lock.reading(timeout=1):
...         "two readers"
'two readers'
>>> with lock.writing(timeout=1):
...     "one writer"
'one writer'
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["LockTimeout", "ReadWriteLock"]


class LockTimeout(Exception):
    """The lock could not be had within the deadline (the caller says what was busy)."""


class ReadWriteLock:
    """Readers share the lock; a writer holds it alone and goes before readers that come later."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    def _wait(self, free: Callable[[], bool], timeout: float) -> None:
        """Wait, holding the condition, until *free* is true; at most *timeout* seconds.

        :raises LockTimeout: if *free* is still false after *timeout* seconds.
        """
        if not self._condition.wait_for(free, timeout):
            raise LockTimeout

    @contextmanager
    def reading(self, *, timeout: float) -> Iterator[None]:
        """Hold the lock as one of many readers for the ``with`` block.

        :raises LockTimeout: if a writer holds (or waits for) the lock for *timeout* seconds.

        >>> lock = ReadWriteLock()
        >>> with lock.writing(timeout=1), lock.reading(timeout=0.01):
        ...     pass
        Traceback (most recent call last):
        goalgraph.service.locks.LockTimeout
        """
        with self._condition:
            self._wait(lambda: not (self._writing or self._writers_waiting), timeout)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if self._readers == 0:
                    self._condition.notify_all()

    @contextmanager
    def writing(self, *, timeout: float) -> Iterator[None]:
        """Hold the lock alone for the ``with`` block.

        :raises LockTimeout: if readers or another writer hold it for *timeout* seconds.

        >>> lock = ReadWriteLock()
        >>> with lock.reading(timeout=1), lock.writing(timeout=0.01):
        ...     pass
        Traceback (most recent call last):
        goalgraph.service.locks.LockTimeout
        """
        with self._condition:
            self._writers_waiting += 1
            try:
                self._wait(lambda: not (self._writing or self._readers), timeout)
            finally:
                self._writers_waiting -= 1
                # readers held back by this writer may go again if it gave up
                self._condition.notify_all()
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()
