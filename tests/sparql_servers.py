"""Two real SPARQL 1.1 servers of different makes on 127.0.0.1, for the remote-store tests.

* ``oxigraph``: the Oxigraph server from PyPI (``oxigraph serve``), Rust, a
  store of its own, Graph Store Protocol at ``/store``; its default graph is
  a graph of its own.
* ``rdflib``: ``rdflib-endpoint`` serving an rdflib ``Dataset`` through
  FastAPI/uvicorn (this file run as a script); its default graph is the union
  of all graphs.

Both are started with goalgraph's layout already in them (the layout
``goalgraph push`` writes): the vocabulary graph, and each source file's
triples in a named graph of their own. Run as a script, this file is the
rdflib server: ``python3 sparql_servers.py PORT DATASET.nq``.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from goalgraph import load
from goalgraph.graph import VOCABULARY_GRAPH

EXAMPLES = Path(__file__).parent.parent / "examples"
#: The three example kommuner as Turtle, each pushed as a source graph of its own.
EXAMPLE_FILES = tuple(
    EXAMPLES / name / f"{name}.ttl" for name in ("vetlanda", "vaggeryd", "norberg")
)
SOURCE_GRAPH = "https://w3id.org/goalgraph/graph/source/"
MAKES = ("oxigraph", "rdflib")


@dataclass
class SparqlServer:
    """A running server: its make, query URL, Graph Store URL (if any) and process."""

    make: str
    query_url: str
    store_url: str | None
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Stop the server and wait for it to end."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dataset(paths: Sequence[Path]) -> bytes:
    """N-Quads of goalgraph's layout: the vocabulary graph and one graph per source file."""
    quads: list[ox.Quad] = []
    for triple in load().triples(("vocabulary",)):
        quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, VOCABULARY_GRAPH))
    for path in paths:
        name = ox.NamedNode(SOURCE_GRAPH + hashlib.sha256(str(path).encode()).hexdigest()[:16])
        for triple in load(path).triples(("data",)):
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, name))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _wait(url: str, process: subprocess.Popen[bytes], *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the SPARQL server at {url} ended with code {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.post(url, data={"query": "ASK { }"}, timeout=2.0)
            if answer.status_code == 200:
                return
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the SPARQL server at {url} did not answer within {timeout} s")


def start(make: str, folder: Path, data: bytes, *, memory: bool = False) -> SparqlServer:
    """Start a server of *make* holding the N-Quads *data*; *folder* holds its files.

    With *memory*, Oxigraph keeps its data in memory (as the embedded store
    does) instead of on disk, and gets it through the Graph Store Protocol.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    folder.mkdir(parents=True, exist_ok=True)
    if make == "oxigraph" and memory:
        command = ["oxigraph", "serve", "--bind", f"127.0.0.1:{port}"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = SparqlServer(make, f"{base}/query", f"{base}/store", process)
        _wait(server.query_url, process)
        try:
            httpx.post(
                f"{base}/store",
                content=data,
                headers={"Content-Type": "application/n-quads"},
                timeout=1800,
            ).raise_for_status()
        except BaseException:
            server.stop()
            raise
        return server
    if make == "oxigraph":
        source = folder / "dataset.nq"
        source.write_bytes(data)
        location = str(folder / "db")
        # the bulk loader, before serving: much faster than a Graph Store upload
        subprocess.run(
            ["oxigraph", "load", "--location", location, "--file", str(source)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=600,
        )
        command = ["oxigraph", "serve", "--location", location, "--bind", f"127.0.0.1:{port}"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = SparqlServer(make, f"{base}/query", f"{base}/store", process)
        _wait(server.query_url, process)
        return server
    if make == "rdflib":
        source = folder / "dataset.nq"
        source.write_bytes(data)
        command = [sys.executable, __file__, str(port), str(source)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = SparqlServer(make, f"{base}/", None, process)
        _wait(server.query_url, process)
        return server
    raise ValueError(f"unknown server make {make!r}: use one of {MAKES}")


@contextlib.contextmanager
def running(
    make: str, folder: Path, data: bytes, *, memory: bool = False
) -> Iterator[SparqlServer]:
    """A server of *make* holding *data* for the body of a ``with`` block, stopped afterwards."""
    server = start(make, folder, data, memory=memory)
    try:
        yield server
    finally:
        server.stop()


def _serve_rdflib(port: int, source: Path) -> None:
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    graph = Dataset(default_union=True)
    graph.parse(source, format="nquads")
    app = SparqlEndpoint(graph=graph, path="/", enable_update=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    _serve_rdflib(int(sys.argv[1]), Path(sys.argv[2]))
