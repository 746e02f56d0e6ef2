"""Local misbehaving HTTP servers on 127.0.0.1: what a hostile or broken endpoint answers.

One threaded server answers by path (GET or POST, any query string), and records
every request it gets, so a test can also prove that nothing was fetched::

    /ok                a well-formed SPARQL JSON result (one row: ?x = <http://example.org/a>)
    /drip              200, Content-Length 100, then one byte a second
    /drip-headers      the status line and headers, one byte a second
    /silent            accepts the connection and never answers
    /malformed         200 application/sparql-results+json, but not JSON
    /no-head           JSON without "head"
    /no-bindings       JSON with "head" but without "results"/"bindings"
    /wrong-shape       a JSON list instead of an object
    /bad-iri           a binding of type uri whose value is no IRI
    /bad-lang          a literal with a malformed language tag
    /bad-type          a binding of an unknown type
    /cut-off           Content-Length 1000, 40 bytes sent, then the connection closes
    /unauthorized      401 with a WWW-Authenticate header
    /error             500 with a Java stack trace as its body
    /xml-bomb          200 application/sparql-results+xml: an entity ("billion laughs") bomb
    /html              200 text/html, a login page
    /context.jsonld    a JSON-LD context (so a test can see whether anything fetched it)
    /owl               an ontology in RDF/XML (for owl:imports)
    anything else      404

The session fixture ``bad_server`` gives its base URL (no trailing slash);
``bad_http`` gives the :class:`BadServer` itself, with :attr:`BadServer.requests`.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from recording_server import RecordingServer

__all__ = ["BadServer", "bad_http", "bad_server"]

_SPARQL_JSON = "application/sparql-results+json"
_ROW = {"x": {"type": "uri", "value": "http://example.org/a"}}
_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/>'
    + '</head><results><result><binding name="x"><literal>&lol9;</literal></binding>'
    + "</result></results></sparql>\n"
)
_STACK = (
    'java.lang.NullPointerException: Cannot invoke "Object.toString()"\n'
    "\tat org.example.sparql.QueryEngine.run(QueryEngine.java:42)\n" * 40
)


def _json(document: Any) -> tuple[int, str, bytes]:
    return 200, _SPARQL_JSON, json.dumps(document).encode()


#: Path → (status, content type, body) for the answers that are sent in one go.
_ANSWERS: dict[str, tuple[int, str, bytes]] = {
    "/ok": _json({"head": {"vars": ["x"]}, "results": {"bindings": [_ROW]}}),
    "/malformed": (200, _SPARQL_JSON, b'{"head": {"vars": ["x"]}, "results": {"bindings": [{'),
    "/no-head": _json({"results": {"bindings": [_ROW]}}),
    "/no-bindings": _json({"head": {"vars": ["x"]}}),
    "/wrong-shape": _json([{"x": "a"}]),
    "/bad-iri": _json(
        {
            "head": {"vars": ["x"]},
            "results": {"bindings": [{"x": {"type": "uri", "value": "not an iri <at all>"}}]},
        }
    ),
    "/bad-lang": _json(
        {
            "head": {"vars": ["x"]},
            "results": {
                "bindings": [{"x": {"type": "literal", "value": "hej", "xml:lang": "sv SE!"}}]
            },
        }
    ),
    "/bad-type": _json(
        {
            "head": {"vars": ["x"]},
            "results": {"bindings": [{"x": {"type": "quantum", "value": "?"}}]},
        }
    ),
    "/error": (500, "text/plain", _STACK.encode()),
    "/xml-bomb": (200, "application/sparql-results+xml", _BOMB.encode()),
    "/html": (200, "text/html", b"<html><body><form>Log in</form></body></html>"),
    "/context.jsonld": (
        200,
        "application/ld+json",
        b'{"@context": {"sh": "http://www.w3.org/ns/shacl#"}}',
    ),
    "/owl": (
        200,
        "application/rdf+xml",
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:owl="http://www.w3.org/2002/07/owl#"><owl:Ontology rdf:about=""/></rdf:RDF>',
    ),
}


class BadServer(RecordingServer):
    """A threaded HTTP server on a free port of 127.0.0.1 answering as the module says."""

    def __init__(self) -> None:
        super().__init__(self._answer, protocol_version="HTTP/1.1")

    def _answer(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        if length:
            handler.rfile.read(length)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._respond(handler, handler.path.split("?", 1)[0])  # unless the client gave up

    def _respond(self, handler: http.server.BaseHTTPRequestHandler, path: str) -> None:
        out = handler.wfile
        if path in _ANSWERS:
            status, content_type, body = _ANSWERS[path]
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            out.write(body)
        elif path == "/drip":
            handler.send_response(200)
            handler.send_header("Content-Type", _SPARQL_JSON)
            handler.send_header("Content-Length", "100")
            handler.end_headers()
            self._drip(out, b"{" + b" " * 99)
        elif path == "/drip-headers":
            self._drip(out, b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X" * 100)
        elif path == "/silent":
            self.stopping.wait(100)
        elif path == "/cut-off":
            handler.send_response(200)
            handler.send_header("Content-Type", _SPARQL_JSON)
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            out.write(b'{"head": {"vars": ["x"]}, "results": {')
            out.flush()
            handler.close_connection = True
        elif path == "/unauthorized":
            body = b"Authentication required"
            handler.send_response(401)
            handler.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            out.write(body)
        else:
            handler.send_error(404)

    def _drip(self, out: Any, data: bytes) -> None:
        """Send *data* one byte a second (the client must give up long before the end)."""
        for byte in data:
            if self.stopping.is_set():
                return
            out.write(bytes([byte]))
            out.flush()
            time.sleep(1.0)


@pytest.fixture(scope="session")
def bad_http() -> Iterator[BadServer]:
    """One misbehaving server for the whole session; stopped at its end."""
    with BadServer() as server:
        yield server


@pytest.fixture(scope="session")
def bad_server(bad_http: BadServer) -> str:
    """The base URL of the misbehaving server, e.g. ``http://127.0.0.1:40123``."""
    return bad_http.url
