"""The one deadline the network paths share."""

from __future__ import annotations

import threading

import pytest

from goalgraph.deadlines import DeadlinePassed, run_within


def test_the_work_s_result_comes_back() -> None:
    """Work that finishes in time returns its value."""
    assert run_within(5, lambda abandoned: "answer", name="t") == "answer"


def test_the_work_s_own_error_is_raised_unchanged() -> None:
    """An error inside the work reaches the caller as it was raised."""

    def fail(abandoned: threading.Event) -> None:
        raise TimeoutError("the socket's own timeout")

    with pytest.raises(TimeoutError, match="socket's own"):
        run_within(5, fail, name="t")


def test_a_late_worker_is_told_it_was_abandoned() -> None:
    """After the deadline the caller gets DeadlinePassed and the worker's event is set."""
    seen: list[threading.Event] = []
    release = threading.Event()

    def slow(abandoned: threading.Event) -> None:
        seen.append(abandoned)
        release.wait(5)

    with pytest.raises(DeadlinePassed):
        run_within(0.05, slow, name="t")
    assert seen and seen[0].is_set()
    release.set()
