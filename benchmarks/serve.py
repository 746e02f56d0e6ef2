"""Benchmark ``goalgraph serve``: requests per second of a one-goal check, beside in-process.

    python3 benchmarks/serve.py             # N = 290 (benchmarks/out/national-290.ttl)
    python3 benchmarks/serve.py --n 10 --requests 100

The synthetic national graph (``generate.py``) is loaded once into a service
running with uvicorn on 127.0.0.1 (a free port, in this process). A one-goal
check is a change touching one nämnd goal (remove its KF link) followed by its
revert, each posted to ``/validate/changes`` as N-Triples. The same changes
are applied in process through the service's own state (``Validator.apply``,
no HTTP) in the same run, alternating with the HTTP requests, so the ratio
HTTP / in-process is the overhead of the service (HTTP, JSON parsing, the
delta's JSON). Both with the delta's full report (the default answer) and
without it (``?report=false``). Every answer is checked: status 200, the
revert's delta resolving what the change made.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402
import uvicorn  # noqa: E402

from goalgraph.service import ServiceState, create_app  # noqa: E402

GG = "https://w3id.org/goalgraph/ontology#"
CODE = "0170"  # a kommun of the generated graph


def _start(state: ServiceState) -> tuple[str, uvicorn.Server, threading.Thread]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(create_app(state), log_level="warning", lifespan="off", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{listener.getsockname()[1]}", server, thread


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    """Run the benchmark and print requests/s and the HTTP / in-process ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=290, help="kommuner in the graph")
    parser.add_argument("--requests", type=int, default=40, help="changes of each kind timed")
    args = parser.parse_args()
    from run import graph_file

    started = time.perf_counter()
    state = ServiceState.from_sources([graph_file(args.n)], lang="sv", timeout=120)
    loaded = time.perf_counter() - started
    base = f"https://w3id.org/goalgraph/id/{CODE}/goal/"
    link = f"<{base}N1-1> <{GG}contributesToGoal> <{base}KF3> ."
    triple = next(iter(ox.parse(link.encode(), format=ox.RdfFormat.N_TRIPLES))).triple
    remove = {"removed": link, "format": "n-triples"}
    revert = {"added": link, "format": "n-triples"}
    url, server, thread = _start(state)
    print(
        f"N = {args.n}: {state.triples()} triples, loaded and validated in {loaded:.1f} s; "
        f"{len(state.report().results)} findings"
    )
    failed = False
    with httpx.Client(base_url=url, timeout=120) as client:

        def check(body: dict[str, str], params: dict[str, str]) -> None:
            nonlocal failed
            answer = client.post("/validate/changes", json=body, params=params)
            failed = failed or answer.status_code != 200
            if body is revert and answer.status_code == 200:
                failed = failed or not answer.json()["resolved"]

        rows = []
        for label, params in (("with report", {}), ("without report", {"report": "false"})):
            http, direct = [], []
            for _ in range(args.requests):
                http.append(_timed(lambda p=params: check(remove, p)))
                http.append(_timed(lambda p=params: check(revert, p)))
                direct.append(_timed(lambda: state.apply([], [triple])))
                direct.append(_timed(lambda: state.apply([triple], [])))
            rows.append((label, statistics.median(http), statistics.median(direct), sum(http)))
    server.should_exit = True
    thread.join(30)
    for label, http, direct, total in rows:
        print(
            f"one-goal check {label:15} HTTP {http * 1000:7.1f} ms (median), "
            f"{2 * args.requests / total:6.1f} requests/s; in-process {direct * 1000:7.1f} ms; "
            f"HTTP / in-process {http / direct:5.2f}"
        )
    if failed:
        print("a request FAILED or its delta was wrong")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
