"""Nothing goalgraph reads reaches the network: user shapes, SERVICE clauses, owl:imports.

Each test points the would-be request at a local recording server
(tests/bad_servers.py), so a fetch shows up as a request instead of reaching the
internet, and checks that none arrived.
"""

from __future__ import annotations

import json
import shutil
import socket
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goalgraph import EndpointError, LoadError, QueryError, ReasonerUnavailable, load, validate
from goalgraph.cli import app
from goalgraph.federation import refuse_services, services
from goalgraph.query_library import NamedQuery, run_query
from goalgraph.reasoning import check_consistency
from goalgraph.validation._shapes import load_shapes

if TYPE_CHECKING:
    from bad_servers import BadServer

pytest_plugins = ["bad_servers"]

EXAMPLES = Path(__file__).parent.parent / "examples"
VETLANDA = EXAMPLES / "vetlanda" / "vetlanda.ttl"
SH = "http://www.w3.org/ns/shacl#"
GG = "https://w3id.org/goalgraph/ontology#"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def token() -> str:
    """A marker unique to one test, put into a URL so its requests can be told apart."""
    return uuid.uuid4().hex


def seen(server: BadServer, marker: str) -> list[str]:
    return [request for request in server.requests if marker in request]


# --- shapes ---------------------------------------------------------------------------------


def test_a_jsonld_shapes_file_with_a_remote_context_is_refused_unfetched(
    bad_http: BadServer, tmp_path: Path
) -> None:
    """A remote @context in user shapes is a LoadError naming the file; nothing is fetched."""
    marker = token()
    shapes = tmp_path / "remote.jsonld"
    document = {
        "@context": f"{bad_http.url}/context.jsonld?{marker}",
        "@id": "http://example.org/Shape",
        "@type": "sh:NodeShape",
    }
    shapes.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(LoadError, match=r"remote\.jsonld"):
        validate(load(VETLANDA), extra_shapes=[shapes])
    assert seen(bad_http, marker) == []


def test_an_rdfxml_shapes_file_with_an_entity_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """Billion laughs in RDF/XML shapes: a LoadError naming the file within seconds."""
    entities = "".join(f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    shapes = tmp_path / "bomb.rdf"
    shapes.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e0 "lol">{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:sh="http://www.w3.org/ns/shacl#">'
        '<sh:NodeShape rdf:about="http://example.org/S"><sh:name>&e9;</sh:name></sh:NodeShape>'
        "</rdf:RDF>",
        encoding="utf-8",
    )
    started = time.monotonic()
    with pytest.raises(LoadError, match=r"bomb\.rdf"):
        load_shapes([shapes])
    assert time.monotonic() - started < 5


def test_a_shapes_file_with_a_triple_term_is_refused(tmp_path: Path) -> None:
    """An RDF 1.2 triple term has no meaning in SHACL 1.0 shapes: a LoadError, not a crash."""
    shapes = tmp_path / "star.ttl"
    shapes.write_text(
        "@prefix : <http://example.org/> .\n:s :p <<( :a :b :c )>> .\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match=r"star\.ttl"):
        load_shapes([shapes])


def test_a_jsonld_shapes_file_with_an_embedded_context_is_applied(tmp_path: Path) -> None:
    """User shapes in JSON-LD (embedded context) are read offline and give their findings."""
    shapes = tmp_path / "own.jsonld"
    document = {
        "@context": {"sh": SH, "gg": GG},
        "@id": "http://example.org/EveryGoalHasANote",
        "@type": "sh:NodeShape",
        "sh:targetClass": {"@id": "gg:Vision"},
        "sh:property": {
            "sh:path": {"@id": "http://example.org/note"},
            "sh:minCount": 1,
            "sh:message": "needs a note",
        },
    }
    shapes.write_text(json.dumps(document), encoding="utf-8")
    report = validate(load(VETLANDA), extra_shapes=[shapes], engine="fast")
    assert any(result.message == "needs a note" for result in report)


def test_validate_with_remote_shapes_exits_2_without_a_traceback(
    bad_http: BadServer, tmp_path: Path
) -> None:
    """goalgraph validate --shapes remote.jsonld: exit 2, the file named, nothing fetched."""
    marker = token()
    shapes = tmp_path / "remote.jsonld"
    shapes.write_text(
        json.dumps({"@context": f"{bad_http.url}/context.jsonld?{marker}", "@id": "urn:x"}),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(VETLANDA), "--shapes", str(shapes)])
    assert result.exit_code == 2, result.output
    assert "remote.jsonld" in result.output and "Traceback" not in result.output
    assert seen(bad_http, marker) == []


# --- SERVICE --------------------------------------------------------------------------------


def test_a_query_with_service_is_refused_and_nothing_is_sent(bad_http: BadServer) -> None:
    """select() refuses SERVICE with a QueryError naming the service; the server sees nothing."""
    marker = token()
    query = f"SELECT ?x WHERE {{ SERVICE <{bad_http.url}/ok?{marker}> {{ ?x ?p ?o }} }}"
    with pytest.raises(QueryError, match=marker):
        load().select(query)
    assert seen(bad_http, marker) == []


def test_an_allowed_service_is_called(bad_http: BadServer) -> None:
    """With allow_service=True the SERVICE clause is evaluated and its rows come back."""
    marker = token()
    query = f"SELECT ?x WHERE {{ SERVICE <{bad_http.url}/ok?{marker}> {{ ?x ?p ?o }} }}"
    rows = load().select(query, allow_service=True)
    assert [row["x"] for row in rows] == [ox.NamedNode("http://example.org/a")]
    assert len(seen(bad_http, marker)) == 1


def test_an_allowed_service_on_a_closed_port_is_an_endpoint_error() -> None:
    """A SERVICE nobody answers: EndpointError naming it, from select() and run_query()."""
    url = f"http://127.0.0.1:{closed_port()}/sparql"
    query = f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}"
    with pytest.raises(EndpointError, match=url):
        load().select(query, allow_service=True)


def test_the_query_command_refuses_service_unless_allowed(tmp_path: Path) -> None:
    """goalgraph query FILE.rq: SERVICE refused (exit 2); with --allow-service a closed port
    is exit 2 with the service named, never a traceback."""
    url = f"http://127.0.0.1:{closed_port()}/sparql"
    query = tmp_path / "remote.rq"
    query.write_text(
        "# en: Everything a remote service knows.\n"
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}\n",
        encoding="utf-8",
    )
    refused = CliRunner().invoke(app, ["--lang", "en", "query", str(query), str(VETLANDA)])
    assert refused.exit_code == 2 and "--allow-service" in refused.output
    failed = CliRunner().invoke(
        app, ["--lang", "en", "query", str(query), str(VETLANDA), "--allow-service"]
    )
    assert failed.exit_code == 2, failed.output
    assert url in failed.output and "Traceback" not in failed.output


def test_run_query_refuses_service_in_an_rq_file(tmp_path: Path) -> None:
    """run_query on a goal graph refuses a .rq file with SERVICE unless allowed."""
    query = tmp_path / "q.rq"
    query.write_text("# x\nSELECT * { SERVICE <http://example.invalid/q> { ?s ?p ?o } }\n")
    with pytest.raises(QueryError, match=r"example\.invalid"):
        run_query(load(VETLANDA), query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://x/> { }" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://x/> { }",
        "SELECT * { <http://x/SERVICE> ?p ?o }",
        "PREFIX ex: <http://e/> SELECT ?service { ?service ex:SERVICE ?o }",
        "PREFIX service: <http://e/> SELECT * { ?s service:a ?o }",
    ],
)
def test_the_word_service_outside_the_keyword_is_not_refused(query: str) -> None:
    """SERVICE in a string, comment, IRI, prefixed name or variable is not a SERVICE clause."""
    assert services(query) == []
    refuse_services(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { service <http://x/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o .SERVICE SILENT <http://x/> { } }",
        "SELECT * { # a comment\rSERVICE <http://x/> { } }",
        "PREFIX ex: <http://e/> SELECT * { ?s ex:a\\# SERVICE ?where { } }",
        "SELECT * { FILTER(?a<?b) SERVICE<http://x/>{} }",
    ],
)
def test_every_spelling_of_the_keyword_is_found(query: str) -> None:
    """Lower case, SILENT, after a \\r-ended comment or an escaped #, without spaces: found."""
    assert services(query)
    with pytest.raises(QueryError):
        refuse_services(query)


def _string(noise: str) -> str:
    escaped = noise.replace("\\", "\\\\").replace('"', '\\"')
    return escaped.replace("\n", "\\n").replace("\r", "\\r")


_NOISE = st.text(alphabet="SERVICEservice <>{}#'\"\\\n\r?:/x ", max_size=30)


def _elements(port: int) -> st.SearchStrategy[tuple[str, bool]]:
    """Query elements, each flagged with whether it is a SERVICE clause."""
    service = st.builds(
        lambda word, gap: (f"{word}{gap}<http://127.0.0.1:{port}/q> {{ ?a ?b ?c }}", True),
        st.sampled_from(["SERVICE", "service", "SeRvIcE"]),
        st.sampled_from([" ", "\n", "\t", "\r", " #c\n", "#c\r"]),
    )
    harmless = st.one_of(
        st.just(("?s ?p ?o .", False)),
        st.builds(lambda n: (f"#{n.replace(chr(10), ' ').replace(chr(13), ' ')}\n", False), _NOISE),
        st.builds(lambda n: (f'FILTER(?o != "{_string(n)}")', False), _NOISE),
        st.just(("OPTIONAL { ?s ex:SERVICE ?service }", False)),
        st.just(("OPTIONAL { ?s <http://e/SERVICE> ?o }", False)),
        st.just(("OPTIONAL { ?s ex:a\\#SERVICE ?o }", False)),
        st.just(("OPTIONAL { ?s service:x ?o }", False)),
    )
    return st.one_of(service, harmless)


PORT = closed_port()


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(_elements(PORT), min_size=1, max_size=6), gaps=st.sampled_from([" ", "\n"]))
def test_a_query_reaches_a_service_exactly_when_one_is_found(
    parts: list[tuple[str, bool]], gaps: str
) -> None:
    """Differential check against pyoxigraph: it tries a connection iff services() finds one."""
    body = gaps.join(text for text, _ in parts)
    query = (
        "PREFIX ex: <http://e/> PREFIX service: <http://s/>\n"
        f"SELECT * WHERE {{ ?s ?p ?o .{gaps}{body}{gaps}}}"
    )
    expected = any(is_service for _, is_service in parts)
    assert bool(services(query)) == expected, query
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    try:
        list(store.query(query))  # type: ignore[arg-type]
        attempted = False
    except OSError:
        attempted = True
    assert attempted == expected, query


# --- owl:imports ----------------------------------------------------------------------------


def _importing(tmp_path: Path, iri: str) -> Path:
    data = tmp_path / "imports.ttl"
    data.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://example.org/mine> a owl:Ontology ; owl:imports <{iri}> .\n",
        encoding="utf-8",
    )
    return data


def test_consistency_refuses_an_import_it_cannot_resolve_offline(
    bad_http: BadServer, tmp_path: Path
) -> None:
    """owl:imports of an unknown ontology: ReasonerUnavailable naming it, nothing fetched."""
    marker = token()
    iri = f"{bad_http.url}/owl?{marker}"
    with pytest.raises(ReasonerUnavailable, match=marker):
        check_consistency(load(VETLANDA, _importing(tmp_path, iri)))
    assert seen(bad_http, marker) == []


def test_the_consistency_command_refuses_it_with_exit_2(tmp_path: Path) -> None:
    """goalgraph consistency on data importing a remote ontology: exit 2, the IRI named."""
    data = _importing(tmp_path, "http://example.invalid/other.owl")
    result = CliRunner().invoke(app, ["consistency", str(data)])
    assert result.exit_code == 2
    assert "http://example.invalid/other.owl" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_an_import_of_goalgraphs_own_ontology_is_resolved_offline(
    bad_http: BadServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """owl:imports of goalgraph's ontology is the packaged one: HermiT runs, nothing fetched."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, bad_http.url)  # any fetch would arrive there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    before = len(bad_http.requests)
    data = _importing(tmp_path, "https://w3id.org/goalgraph/ontology")
    report = check_consistency(load(VETLANDA, data))
    assert report.consistent
    assert bad_http.requests[before:] == []


def test_an_allowed_service_that_never_answers_is_cut_off(
    bad_http: BadServer, tmp_path: Path
) -> None:
    """run_query and goalgraph query --allow-service --timeout 1: a silent service ends in
    EndpointError naming it after the timeout, not in a hang."""
    url = f"{bad_http.url}/silent"
    query = tmp_path / "silent.rq"
    query.write_text(f"# x\nSELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}\n")
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"1\.5 s") as caught:
        run_query(load(VETLANDA), query, allow_service=True, timeout=1.5)
    assert url in str(caught.value)
    assert time.monotonic() - started < 5
    result = CliRunner().invoke(
        app,
        ["--lang", "en", "query", str(query), str(VETLANDA), "--allow-service", "--timeout", "1"],
    )
    assert result.exit_code == 2 and url in result.output and "1 s" in result.output


def test_an_allowed_service_inside_the_deadline_gives_its_rows(bad_http: BadServer) -> None:
    """The deadline does not change the answer of a service that answers in time."""
    query = f"# x\nSELECT ?x WHERE {{ SERVICE <{bad_http.url}/ok> {{ ?x ?p ?o }} }}\n"
    frame = run_query(load(), NamedQuery("ok", Path("ok.rq"), query), allow_service=True)
    assert frame["x"].tolist() == ["http://example.org/a"]
