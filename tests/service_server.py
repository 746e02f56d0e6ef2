"""The goalgraph service running for real: uvicorn on 127.0.0.1, a free port, in a thread."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import uvicorn

from goalgraph.contract import schema
from goalgraph.service import ServiceState, create_app

EXAMPLES = Path(__file__).parent.parent / "examples"
VETLANDA = EXAMPLES / "vetlanda" / "vetlanda.ttl"
GG = "https://w3id.org/goalgraph/ontology#"
GOAL = "https://w3id.org/goalgraph/id/0685/goal/"


@contextlib.contextmanager
def running(state: ServiceState) -> Iterator[tuple[str, socket.socket]]:
    """The service answering from *state*: its base URL and socket, until the block ends."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(state), log_level="critical", lifespan="off", access_log=False)
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="test-service", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the service did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", listener
    finally:
        server.should_exit = True
        thread.join(20)
        listener.close()


def contract_client(url: str, *, timeout: float) -> httpx.Client:
    """A client of *url* failing any refusal whose body the service-error schema rejects."""
    return httpx.Client(base_url=url, timeout=timeout, event_hooks={"response": [check_refusal]})


def check_refusal(response: httpx.Response) -> None:
    """Raise AssertionError if *response* is a JSON refusal not valid against service-error.

    :raises AssertionError: naming the status, code and what the schema rejects.
    """
    if response.status_code < 400:
        return
    response.read()
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    problems = [error.message for error in _SERVICE_ERROR.iter_errors(body)]
    assert not problems, (response.status_code, body, problems)
    assert body["error"]["status"] == response.status_code, body


_SERVICE_ERROR = jsonschema.Draft202012Validator(schema("service-error"))
