"""The parts of goalgraph serve on their own: the lock, change parsing, the SPARQL protocol
and its limits, error mapping, and the command line."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from goalgraph.errors import LoadError, QueryError, UnknownTermError
from goalgraph.graph import GoalGraph
from goalgraph.service.changes import parse_change
from goalgraph.service.errors import RequestRefused, refusal_for
from goalgraph.service.locks import LockTimeout, ReadWriteLock
from goalgraph.service.sparql import QueryRunner, choose_format, query_of
from service_server import VETLANDA, check_refusal

# ~1 s of counting on the vocabulary alone, so that a short time limit can pass first
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a a skos:Concept . ?b a ?u . ?c a sdgo:Goal }"


# --- the lock ----------------------------------------------------------------


def test_readers_share_the_lock() -> None:
    """Two readers hold the lock at once."""
    lock = ReadWriteLock()
    with lock.reading(timeout=1), lock.reading(timeout=1):
        pass


def test_a_writer_waits_for_readers_and_gives_up_at_its_deadline() -> None:
    """A writer cannot enter while a reader holds the lock: LockTimeout after its timeout."""
    lock = ReadWriteLock()
    with lock.reading(timeout=1):
        started = time.monotonic()
        with pytest.raises(LockTimeout), lock.writing(timeout=0.05):
            pass
        assert time.monotonic() - started < 1
    with lock.writing(timeout=0.05):  # free again once the reader left
        pass


def test_a_reader_waits_for_a_writer_and_gives_up_at_its_deadline() -> None:
    """A reader cannot enter while a writer holds the lock; it enters once the writer leaves."""
    lock = ReadWriteLock()
    got: list[str] = []
    with lock.writing(timeout=1):
        started = time.monotonic()
        with pytest.raises(LockTimeout), lock.reading(timeout=0.05):
            pass
        assert 0.05 <= time.monotonic() - started < 1
        reader = threading.Thread(target=lambda: _read_into(lock, got))
        reader.start()
        time.sleep(0.05)
        assert got == []
    reader.join(5)
    assert got == ["reader"]


def test_a_waiting_writer_goes_before_later_readers() -> None:
    """While a writer waits, a new reader waits too; the writer gets the lock first."""
    lock = ReadWriteLock()
    order: list[str] = []
    first_reader = lock.reading(timeout=1)
    first_reader.__enter__()

    def write() -> None:
        with lock.writing(timeout=5):
            order.append("writer")

    def read() -> None:
        with lock.reading(timeout=5):
            order.append("reader")

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.05)
    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.05)
    assert order == []
    first_reader.__exit__(None, None, None)
    writer.join(5)
    reader.join(5)
    assert order == ["writer", "reader"]


def test_a_writer_that_gave_up_lets_held_back_readers_go() -> None:
    """A writer's timeout releases the readers that waited behind it."""
    lock = ReadWriteLock()
    got: list[str] = []
    with lock.reading(timeout=1):
        writer = threading.Thread(target=lambda: _try_write(lock))
        writer.start()
        time.sleep(0.02)
        reader = threading.Thread(target=lambda: _read_into(lock, got))
        reader.start()
        writer.join(5)
        reader.join(5)
    assert got == ["reader"]


def _try_write(lock: ReadWriteLock) -> None:
    try:
        with lock.writing(timeout=0.1):
            pass
    except LockTimeout:
        pass


def _read_into(lock: ReadWriteLock, got: list[str]) -> None:
    with lock.reading(timeout=2):
        got.append("reader")


# --- changes -----------------------------------------------------------------


def test_a_change_parses_both_fields_in_n_triples() -> None:
    """Added and removed triples are parsed from N-Triples."""
    change = parse_change(
        {
            "added": "<https://ex/a> <https://ex/p> <https://ex/b> .\n"
            '<https://ex/a> <https://ex/q> "x" .',
            "removed": "<https://ex/c> <https://ex/p> <https://ex/d> .",
            "format": "n-triples",
        }
    )
    assert (len(change.added), len(change.removed)) == (2, 1)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"added": "<https://ex/a> <https://ex/p> ."}, "bad_change"),
        ({"added": "<https://ex/a> <https://ex/p> <o> ."}, "bad_change"),
        (
            {"added": "<https://ex/a> <https://ex/p> <https://ex/b> .", "format": "xml"},
            "bad_change",
        ),
        ({"added": 3}, "bad_change"),
        ({"added": "", "removed": ""}, "empty_change"),
        ({"added": "<https://ex/a> <https://ex/p> <https://ex/b> .", "extra": 1}, "bad_change"),
        ({"removed": "_:x <https://ex/p> <https://ex/b> ."}, "bad_change"),
    ],
)
def test_a_bad_change_is_refused_with_400(body: dict[str, object], code: str) -> None:
    """Malformed text, a relative IRI, a format or field unknown, no triple, a blank node
    to remove: each a 400 with its code."""
    with pytest.raises(RequestRefused) as caught:
        parse_change(body)
    assert (caught.value.status, caught.value.code) == (400, code)


def test_a_change_never_fetches_what_it_names() -> None:
    """A prefix or base naming a URL is just text: parsing makes no request (no network here)."""
    change = parse_change(
        {"added": "@base <http://192.0.2.1/> .\n@prefix x: <http://192.0.2.1/x#> .\n<a> x:p x:b ."}
    )
    assert str(change.added[0].subject) == "<http://192.0.2.1/a>"


# --- the SPARQL protocol -----------------------------------------------------


def test_a_form_query_is_read_from_the_body() -> None:
    """A form-encoded POST gives its query field."""
    form = b"query=ASK+%7B%7D"
    assert query_of("POST", {}, "application/x-www-form-urlencoded", form) == "ASK {}"


@pytest.mark.parametrize(
    ("method", "params", "media", "body", "status"),
    [
        ("POST", {}, "application/sparql-update", b"CLEAR ALL", 400),
        ("POST", {}, "application/x-www-form-urlencoded", b"update=CLEAR+ALL", 400),
        ("GET", {"query": ["ASK {}", "ASK {}"]}, None, b"", 400),
        ("POST", {}, "application/sparql-query", b"\xff\xfe", 400),
        ("POST", {}, "text/plain", b"ASK {}", 415),
    ],
)
def test_requests_without_one_good_query_are_refused(
    method: str, params: dict[str, list[str]], media: str | None, body: bytes, status: int
) -> None:
    """Updates, two queries, a body that is not UTF-8, a body of another type: refused."""
    with pytest.raises(RequestRefused) as caught:
        query_of(method, params, media, body)
    assert caught.value.status == status


@pytest.mark.parametrize(
    ("accept", "rows", "media"),
    [
        (None, True, "application/sparql-results+json"),
        (None, False, "text/turtle"),
        ("*/*", False, "text/turtle"),
        ("text/*", True, "text/csv"),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.8",
            True,
            "application/sparql-results+xml",
        ),
        ("application/n-triples, text/turtle;q=0.1", False, "application/n-triples"),
    ],
)
def test_the_answer_format_follows_accept_and_its_q_values(
    accept: str | None, rows: bool, media: str
) -> None:
    """The most wanted type that can be given wins; wildcards get our first of their family."""
    assert choose_format(accept, rows=rows)[0] == media


_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "image/png",
    "text/html",
]


@given(
    st.lists(
        st.tuples(st.sampled_from(_TYPES), st.sampled_from([0, 0.1, 0.5, 0.9, 1])),
        min_size=1,
        max_size=5,
    )
)
def test_the_answer_format_is_the_first_most_wanted_type_that_can_be_given(
    wanted: list[tuple[str, float]],
) -> None:
    """For any Accept of concrete types: the first of the highest q among those we give,
    else 406."""
    accept = ", ".join(f"{media};q={q}" for media, q in wanted)
    ours = [(media, q) for media, q in wanted if q > 0 and media not in ("image/png", "text/html")]
    if not ours:
        with pytest.raises(RequestRefused):
            choose_format(accept, rows=True)
        return
    best = max(q for _, q in ours)
    first = next(media for media, q in ours if q == best)
    assert choose_format(accept, rows=True)[0] == first


def test_an_accept_with_only_refused_types_is_406() -> None:
    """Types with q=0 and types we cannot give leave nothing: 406."""
    with pytest.raises(RequestRefused) as caught:
        choose_format("application/sparql-results+json;q=0, image/png", rows=True)
    assert caught.value.status == 406


def test_a_query_over_the_time_limit_is_answered_503_and_frees_its_slot_later(
    vocabulary: GoalGraph,
) -> None:
    """A query still counting at its deadline gets 503 at once; meanwhile it keeps the only
    slot (busy), and gives it back when it ends."""
    runner = QueryRunner(
        vocabulary, lock=ReadWriteLock(), timeout=0.05, max_answer=10**6, at_once=1
    )
    with pytest.raises(RequestRefused) as caught:
        runner.answer(SLOW, None)
    assert (caught.value.status, caught.value.code) == (503, "query_timeout")
    with pytest.raises(RequestRefused) as busy:
        runner.answer("ASK {}", None)
    assert busy.value.code == "busy"
    deadline = time.monotonic() + 60
    runner.timeout = 10
    while True:
        try:
            assert runner.answer("ASK {}", None)[1] == "application/sparql-results+json"
            break
        except RequestRefused as exc:
            assert exc.code == "busy" and time.monotonic() < deadline
            time.sleep(0.05)


def test_an_answer_over_the_size_limit_is_refused(vocabulary: GoalGraph) -> None:
    """An answer larger than max_answer gets 400 answer_too_large, not a cut answer."""
    runner = QueryRunner(vocabulary, lock=ReadWriteLock(), timeout=10, max_answer=1024)
    with pytest.raises(RequestRefused) as caught:
        runner.answer("SELECT * WHERE { ?s ?p ?o }", None)
    assert (caught.value.status, caught.value.code) == (400, "answer_too_large")
    assert runner.answer("SELECT * WHERE { ?s ?p ?o } LIMIT 1", None)[0].startswith(b"{")


def test_a_query_waits_no_longer_than_its_time_limit_for_a_change(vocabulary: GoalGraph) -> None:
    """While a change holds the lock, a query gets 503 busy after the time limit."""
    lock = ReadWriteLock()
    runner = QueryRunner(vocabulary, lock=lock, timeout=0.1, max_answer=10**6)
    with lock.writing(timeout=1), pytest.raises(RequestRefused) as caught:
        runner.answer("ASK {}", None)
    assert caught.value.status == 503


# --- errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (UnknownTermError("no X", term="X", candidates=["Y"]), 404, {"term": "X"}),
        (QueryError("bad"), 400, {}),
        (LoadError("bad", path="a.ttl", line=3), 400, {"line": 3}),
    ],
)
def test_library_errors_become_refusals_with_their_details(
    error: Exception, status: int, detail: dict[str, object]
) -> None:
    """Each GoalGraphError maps to its status, with the term or line it knows."""
    refusal = refusal_for(error)  # type: ignore[arg-type]
    assert refusal.status == status
    assert detail.items() <= refusal.body()["error"].items()


def test_the_test_clients_check_passes_a_refusal_and_fails_one_missing_its_code() -> None:
    """check_refusal accepts a real refusal body and rejects one without its code."""
    good = RequestRefused(400, "bad_query", "Syntaxfel").body()
    check_refusal(httpx.Response(400, json=good))
    check_refusal(httpx.Response(200, json={"anything": 1}))
    del good["error"]["code"]
    with pytest.raises(AssertionError, match="'code' is a required property"):
        check_refusal(httpx.Response(400, json=good))
    with pytest.raises(AssertionError):  # the status in the body is the answer's
        check_refusal(httpx.Response(404, json=RequestRefused(400, "x", "y").body()))


# --- the command line --------------------------------------------------------


def test_serve_refuses_files_and_a_store_together(tmp_path: Path) -> None:
    """goalgraph serve with files and --store exits 2 explaining the choice."""
    from goalgraph.cli import app

    result = CliRunner().invoke(app, ["serve", str(VETLANDA), "--store", str(tmp_path)])
    assert result.exit_code == 2


def test_serve_warns_when_asked_to_listen_beyond_this_computer() -> None:
    """Only loopback addresses count as this computer."""
    from goalgraph.cli.serve import _loopback

    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost")
    assert not _loopback("0.0.0.0") and not _loopback("192.0.2.7") and not _loopback("example")


@pytest.mark.parametrize(
    ("host", "warned"), [("0.0.0.0", True), ("127.0.0.1", False), ("localhost", False)]
)
def test_serve_warns_before_listening_beyond_this_computer(
    host: str, warned: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--host 0.0.0.0 prints the no-authentication warning before serving; loopback does not."""
    import uvicorn

    from goalgraph.cli import app

    served: list[tuple[str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda _app, host, port, **_: served.append((host, port)))
    result = CliRunner().invoke(
        app, ["--lang", "en", "serve", str(VETLANDA), "--host", host, "--port", "8799"]
    )
    assert result.exit_code == 0, result.output
    assert served == [(host, 8799)]
    assert ("no authentication" in result.output) is warned


def test_serve_on_a_store_says_changes_stay_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --store the command says the store is copied and never written."""
    import uvicorn

    from goalgraph.cli import app
    from goalgraph.store.disk import load_sources

    load_sources(tmp_path / "store", VETLANDA)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    result = CliRunner().invoke(app, ["--lang", "en", "serve", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "not written to the store" in result.output


@pytest.mark.slow
def test_the_serve_command_answers_on_its_port_and_stops(tmp_path: Path) -> None:
    """`goalgraph serve FILE --port P` answers /health on 127.0.0.1:P and ends on SIGTERM."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    src = Path(__file__).parent.parent / "src"
    port_option = ["--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "goalgraph", "--lang", "en", "serve", str(VETLANDA), *port_option],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert answer.json()["status"] == "ok"
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "listening on http://127.0.0.1:" in stderr
    assert "Traceback" not in stderr
    # uvicorn shuts down, then ends by the signal it caught, as a process told to stop does
    assert process.returncode in (0, -signal.SIGTERM)


# --- the docstrings' examples ----------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "goalgraph.service.locks",
        "goalgraph.service.errors",
        "goalgraph.service.changes",
        "goalgraph.service.sparql",
        "goalgraph.service.state",
        "goalgraph.service.app",
    ],
)
def test_the_service_docstring_examples_pass(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every >>> example of the service's modules runs and prints what its docstring says."""
    import doctest
    import importlib

    monkeypatch.chdir(Path(__file__).parent.parent)
    results = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.ELLIPSIS, report=False
    )
    assert results.attempted > 0
    assert results.failed == 0
