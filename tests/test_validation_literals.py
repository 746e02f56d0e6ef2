"""Validation judges literals as written, on both engines, whatever the store keeps."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalgraph import load
from goalgraph.errors import GoalGraphError
from goalgraph.graph import GoalGraph
from goalgraph.literals import XSD
from goalgraph.validation import validate
from goalgraph.validation._raw import RawResult, result_key
from goalgraph.validation._validate import run_engine, shapes_graph

DATA = Path(__file__).parent / "data" / "literals"
REWRITTEN = DATA / "rewritten.ttl"
EX = "https://example.org/"
GG = "https://w3id.org/goalgraph/ontology#"


def _found(graph: GoalGraph, shapes: Path, engine: str) -> set[tuple[str, str]]:
    report = validate(graph, shapes=shapes, engine=engine)  # type: ignore[arg-type]
    assert report.engine == ("pyshacl" if engine == "pyshacl" else "fast")
    return {(str(r.source_shape).rsplit("#", 1)[-1], r.value.n3()) for r in report}  # type: ignore[union-attr]


def _shapes(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"@prefix ex: <{EX}> .\n@prefix exsh: <{EX}shapes#> .\n{body}",
        encoding="utf-8",
    )
    return path


def _as_pyshacl(graph: GoalGraph, shapes: rdflib.Graph, engine: str) -> tuple[list[RawResult], str]:
    """*engine*'s raw results over *shapes* and the engine it used, once they are checked to
    be pySHACL's results."""
    found, used, _ = run_engine(graph, shapes, engine)  # type: ignore[arg-type]
    reference, _, _ = run_engine(graph, shapes, "pyshacl")
    assert sorted(map(result_key, found)) == sorted(map(result_key, reference))
    return found, used


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_ill_formed_literals_are_flagged_with_the_value_as_written(engine: str) -> None:
    """Ill-formed byte, date, dateTime and decimal fail sh:datatype, each reported as written.

    "300"^^xsd:byte, which the store keeps as "300"^^xsd:integer, is reported as
    the byte it was written as; "12"^^xsd:byte (kept as xsd:integer too) conforms.
    """
    graph = load(REWRITTEN, vocabulary=False)
    byte, date, date_time, decimal, double = (
        f"<{XSD}{t}>" for t in ("byte", "date", "dateTime", "decimal", "double")
    )
    assert _found(graph, DATA / "shapes.ttl", engine) == {
        ("byte", f'"300"^^{byte}'),
        ("byte", f'"c"^^{byte}'),
        ("date", f'"2019-04-31"^^{date}'),
        ("dateTime", f'"yesterday"^^{date_time}'),
        ("huge", f'"1e999999999"^^{decimal}'),
        ("huge", f'"1e999999999"^^{double}'),
    }


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_result_value_is_the_literal_as_written(tmp_path: Path, engine: str) -> None:
    """A rewritten literal failing a check is reported as "1.50", not as the stored "1.5"."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property exsh:integer .\n"
        "exsh:integer sh:path ex:decimal ; sh:datatype xsd:integer .\n",
    )
    graph = load(REWRITTEN, vocabulary=False)
    assert _found(graph, shapes, engine) == {("integer", f'"1.50"^^<{XSD}decimal>')}


def test_pattern_over_a_rewritten_literal_is_judged_as_written() -> None:
    """sh:pattern sees "1.50" as written: only the "1.5" written as such fails; fast declines."""
    graph = load(REWRITTEN, vocabulary=False)
    with pytest.raises(GoalGraphError, match="rewritten"):
        validate(graph, shapes=DATA / "pattern.ttl", engine="fast")
    expected = {("price", f'"1.5"^^<{XSD}decimal>')}
    assert _found(graph, DATA / "pattern.ttl", "pyshacl") == expected
    report = validate(graph, shapes=DATA / "pattern.ttl", engine="auto")
    assert report.engine == "pyshacl"
    assert {r.value.n3() for r in report} == {f'"1.5"^^<{XSD}decimal>'}  # type: ignore[union-attr]


def test_merged_literals_count_as_written(tmp_path: Path) -> None:
    """Written "1.5" and "1.50" of one subject are two values for sh:maxCount (auto: pySHACL)."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetSubjectsOf ex:decimal ; sh:property exsh:one .\n"
        "exsh:one sh:path ex:decimal ; sh:maxCount 1 .\n",
    )
    graph = load(REWRITTEN, vocabulary=False)
    with pytest.raises(GoalGraphError):
        validate(graph, shapes=shapes, engine="fast")
    report = validate(graph, shapes=shapes, engine="auto")
    assert [str(r.focus_node) for r in report] == [EX + "b"]


def test_shape_constant_the_store_would_rewrite_is_declined(tmp_path: Path) -> None:
    """sh:hasValue "1.50" would match a stored, written "1.5": fast declines, auto is right."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetNode ex:b ; sh:property exsh:v .\n"
        'exsh:v sh:path ex:other ; sh:hasValue "1.50"^^xsd:decimal .\n',
    )
    source = tmp_path / "data.ttl"
    source.write_text(f'<{EX}b> <{EX}other> "1.5"^^<{XSD}decimal> .\n', encoding="utf-8")
    graph = load(source, vocabulary=False)
    with pytest.raises(GoalGraphError, match="rewrites"):
        validate(graph, shapes=shapes, engine="fast")
    assert len(validate(graph, shapes=shapes, engine="auto")) == 1
    assert len(validate(graph, shapes=shapes, engine="pyshacl")) == 1


def test_shape_bound_the_store_would_rewrite_stays_on_the_fast_engine(tmp_path: Path) -> None:
    """sh:maxInclusive "1.50" compares values only: fast keeps it and agrees with pySHACL."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetNode ex:a, ex:b ; sh:property exsh:v .\n"
        'exsh:v sh:path ex:other ; sh:maxInclusive "1.50"^^xsd:decimal .\n',
    )
    source = tmp_path / "data.ttl"
    source.write_text(
        f'<{EX}a> <{EX}other> "1.5"^^<{XSD}decimal> .\n'
        f'<{EX}b> <{EX}other> "1.6"^^<{XSD}decimal> .\n',
        encoding="utf-8",
    )
    graph = load(source, vocabulary=False)
    fast = validate(graph, shapes=shapes, engine="fast")
    assert [str(r.focus_node) for r in fast] == [EX + "b"]
    assert [str(r.focus_node) for r in validate(graph, shapes=shapes, engine="pyshacl")] == [
        EX + "b"
    ]


def test_impossible_date_in_turtle_is_flagged_by_the_builtin_shapes(tmp_path: Path) -> None:
    """A decision dated 31 April in Turtle is a violation, as in the spreadsheet import."""
    source = tmp_path / "decision.ttl"
    source.write_text(
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
        f'<{EX}decision> gg:decisionDate "2019-04-31"^^<{XSD}date> .\n',
        encoding="utf-8",
    )
    report = validate(load(source), engine="fast")
    assert [str(r.source_shape).rsplit("#", 1)[-1] for r in report] == ["Decision-date"]
    assert str(report.results[0].value) == "2019-04-31"


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_huge_exponent_costs_nothing_anywhere(tmp_path: Path, engine: str) -> None:
    """ "1e999999999" as an observation value: validation, reports, rdflib and Turtle stay quick.

    rdflib printed such a decimal with a billion digits (gigabytes) before.
    """
    source = tmp_path / "huge.ttl"
    source.write_text(
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
        f'<{EX}o> a gg:Observation ; gg:refYear "2020"^^<{XSD}gYear> ;\n'
        f'    gg:value "1e999999999"^^<{XSD}decimal> , "1e999999999"^^<{XSD}double> .\n',
        encoding="utf-8",
    )
    start = time.perf_counter()
    graph = load(source)
    report = validate(graph, engine=engine)  # type: ignore[arg-type]
    text = report.to_json() + report.summary()
    rdf = graph.to_rdflib()
    turtle = graph.serialize() + rdf.serialize(format="turtle") + report.to_graph().serialize()
    assert time.perf_counter() - start < 60
    assert "1e999999999" in text and "1e999999999" in turtle
    # the decimal is ill-formed (no exponent in xsd:decimal); the double is a well-formed INF
    values = {r.value.n3() for r in report if r.value is not None}  # type: ignore[union-attr]
    assert values == {f'"1e999999999"^^<{XSD}decimal>'}


# --- property tests ------------------------------------------------------------------------

_TYPES = ["decimal", "integer", "byte", "unsignedByte", "boolean", "double", "date", "dateTime"]
_TYPES += ["time", "gYear", "duration", "hexBinary", "token", "string", "int", "long"]

# Candidate lexical forms: well-formed ones of every type, and near misses. Years stay in
# 1..9999 and times below 24:00, where rdflib (hence pySHACL) has Python values for them.
_LEXICAL = st.one_of(
    st.from_regex(r"[+-]?0{0,2}[0-9]{1,3}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,2})?", fullmatch=True),
    st.from_regex(
        r"(19|20)[0-9]{2}-(0[1-9]|1[0-3])-(0[1-9]|[1-3][0-9])(Z|\+0[01]:00)?", fullmatch=True
    ),
    st.from_regex(
        r"20[0-9]{2}-0[1-9]-[0-2][1-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\.[0-9]{1,3})?Z?",
        fullmatch=True,
    ),
    st.from_regex(r"[01][0-9]:[0-5][0-9]:[0-5][0-9](\.0{1,2})?", fullmatch=True),
    st.from_regex(r"-?P([0-9]Y)?([0-9]M)?(T[0-9]H)?", fullmatch=True),
    st.sampled_from(["true", "false", "1", "0", "yes", " 5", "INF", "NaN", "0A", "abc", "a  b"]),
)
_LITERALS = st.lists(
    st.tuples(_LEXICAL, st.sampled_from(_TYPES)), min_size=1, max_size=12, unique=True
)


def _graph_of(tmp_path: Path, literals: list[tuple[str, str]]) -> tuple[GoalGraph, Path]:
    """A Turtle file with every literal on one subject per datatype, and its goal graph."""
    triples = [
        ox.Triple(
            ox.NamedNode(f"{EX}s/{name}"),
            ox.NamedNode(f"{EX}p"),
            ox.Literal(lexical, datatype=ox.NamedNode(XSD + name)),
        )
        for lexical, name in literals
    ]
    source = tmp_path / "drawn.ttl"
    source.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b"")
    return load(source, vocabulary=False), source


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(literals=_LITERALS)
def test_any_literal_round_trips_as_written(
    tmp_path: Path, literals: list[tuple[str, str]]
) -> None:
    """Load → serialize and load → to_rdflib give back every lexical form and datatype."""
    graph, _ = _graph_of(tmp_path, literals)
    expected = {(lexical, XSD + name) for lexical, name in literals}
    nt = graph.serialize(format="n-triples").encode()
    parsed = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    assert {(q.object.value, q.object.datatype.value) for q in parsed} == expected  # type: ignore[union-attr]
    rdf = {(str(o), str(o.datatype or XSD + "string")) for o in graph.to_rdflib().objects()}  # type: ignore[attr-defined]
    assert rdf == expected


@pytest.mark.slow
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(literals=_LITERALS, datatype=st.sampled_from(_TYPES))
def test_fast_engine_equals_pyshacl_on_datatype_checks(
    tmp_path: Path, literals: list[tuple[str, str]], datatype: str
) -> None:
    """sh:datatype over drawn well- and ill-formed literals: fast (or its decline) == pySHACL."""
    graph, _ = _graph_of(tmp_path, literals)
    shapes = shapes_graph(
        _shapes(
            tmp_path,
            f"exsh:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property exsh:d .\n"
            f"exsh:d sh:path ex:p ; sh:datatype xsd:{datatype} .\n",
        )
    )
    _, used = _as_pyshacl(graph, shapes, "auto")
    assert used == "fast"


def test_huge_exponent_in_a_spreadsheet_value_is_a_clear_error(tmp_path: Path) -> None:
    """A YAML observation valued "1e999999999" is refused as no number, in well under a minute."""
    from goalgraph.errors import SpreadsheetError

    source = tmp_path / "observations.yaml"
    source.write_text(
        'metadata: {kommunkod: "0685"}\nnyckeltal: [{id: NT1, namn: Bibliotek}]\n'
        'observationer:\n  - {id: OBS1, nyckeltal: NT1, år: "2023", värde: "1e999999999"}\n'
        '  - {id: OBS2, nyckeltal: NT1, år: "2022", värde: "12,50"}\n',
        encoding="utf-8",
    )
    start = time.perf_counter()
    with pytest.raises(SpreadsheetError, match="1e999999999"):
        load(source)
    assert time.perf_counter() - start < 30
    source.write_text(source.read_text(encoding="utf-8").replace("1e999999999", "1e5"))
    graph = load(source, vocabulary=False).to_rdflib()
    values = {str(o) for o in graph.objects(None, rdflib.URIRef(GG + "value"))}
    assert values == {"100000", "12.50"}


def test_merged_count_and_datatype_check_judges_the_originals_again(tmp_path: Path) -> None:
    """minCount, maxCount and sh:datatype in one query still report "300"^^xsd:byte as written."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetSubjectsOf ex:byte ; sh:property exsh:b .\n"
        "exsh:b sh:path ex:byte ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:byte .\n",
    )
    fast, used = _as_pyshacl(load(REWRITTEN, vocabulary=False), shapes_graph(shapes), "fast")
    assert used == "fast"
    assert {r.value.n3() for r in fast if r.value is not None} == {  # type: ignore[union-attr]
        f'"300"^^<{XSD}byte>',
        f'"c"^^<{XSD}byte>',
    }


_NUMBERS = (
    'ex:a ex:n "5"^^xsd:int .\nex:b ex:n "05"^^xsd:integer .\nex:c ex:n "300"^^xsd:byte .\n'
    'ex:d ex:n "1.50"^^xsd:decimal .\nex:e ex:n "c"^^xsd:integer .\nex:f ex:n "7"^^xsd:integer .\n'
)


def _numbers(tmp_path: Path) -> GoalGraph:
    """A goal graph of *_NUMBERS*, without the vocabulary."""
    data = tmp_path / "numbers.ttl"
    data.write_text(
        f"@prefix ex: <{EX}> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n{_NUMBERS}",
        encoding="utf-8",
    )
    return load(data, vocabulary=False)


@pytest.mark.parametrize("counts", ["", "sh:minCount 1 ; sh:maxCount 1 ;"])
def test_or_of_datatypes_judges_rewritten_literals_as_written(tmp_path: Path, counts: str) -> None:
    """sh:or of sh:datatype shapes (alone or merged with counts) stays on the fast engine when
    the store rewrote a literal's datatype ("5"^^xsd:int), and gives pySHACL's results."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetSubjectsOf ex:n ; sh:property exsh:n .\n"
        f"exsh:n sh:path ex:n ; {counts}\n"
        "    sh:or ( [ sh:datatype xsd:decimal ] [ sh:datatype xsd:integer ] ) .\n",
    )
    fast, used = _as_pyshacl(_numbers(tmp_path), shapes_graph(shapes), "auto")
    assert used == "fast"
    assert {r.value.n3() for r in fast if r.value is not None} == {  # type: ignore[union-attr]
        f'"5"^^<{XSD}int>',
        f'"300"^^<{XSD}byte>',
        f'"c"^^<{XSD}integer>',
    }


def test_or_with_more_than_datatypes_over_a_rewritten_literal_is_declined(tmp_path: Path) -> None:
    """An sh:or member with more than one sh:datatype (here a bound too) is not judged again
    as written: the fast engine declines it, and auto gives pySHACL's results."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetSubjectsOf ex:n ; sh:property exsh:n .\n"
        "exsh:n sh:path ex:n ; sh:or ( [ sh:datatype xsd:decimal ; sh:minInclusive 0 ]\n"
        "    [ sh:datatype xsd:integer ] ) .\n",
    )
    graph = _numbers(tmp_path)
    with pytest.raises(GoalGraphError, match=r"https://example\.org/shapes#n"):
        validate(graph, shapes=shapes, engine="fast")
    _, used = _as_pyshacl(graph, shapes_graph(shapes), "auto")
    assert used == "pyshacl"


def test_observation_value_of_a_derived_integer_type_stays_on_the_fast_engine(
    tmp_path: Path,
) -> None:
    """An observation valued "5"^^xsd:int no longer sends a whole validation to pySHACL: the
    built-in shapes run on the fast engine, flag the value as written, and equal pySHACL."""
    source = tmp_path / "observation.ttl"
    source.write_text(
        "@prefix gg: <https://w3id.org/goalgraph/ontology#> .\n"
        f'<{EX}o> a gg:Observation ; gg:refYear "2020"^^<{XSD}gYear> ; gg:indicator <{EX}i> ;\n'
        f'    gg:value "5"^^<{XSD}int> .\n<{EX}i> a gg:Indicator .\n'
        f'<{EX}o2> a gg:Observation ; gg:refYear "2021"^^<{XSD}gYear> ; gg:indicator <{EX}i> ;\n'
        f'    gg:value "05"^^<{XSD}integer> .\n',
        encoding="utf-8",
    )
    graph = load(source)
    report = validate(graph, engine="auto")
    reference = validate(graph, engine="pyshacl")
    assert report.engine == "fast"
    assert sorted(r.id for r in report) == sorted(r.id for r in reference)
    values = {
        r.value.n3()  # type: ignore[union-attr]
        for r in report
        if str(r.source_shape).endswith("Observation-value")
    }
    assert values == {f'"5"^^<{XSD}int>'}


def test_auto_says_on_the_log_when_pyshacl_runs_instead(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """When the fast engine declines, auto warns on the goalgraph.validation logger, naming the
    reason and that pySHACL runs instead; when the fast engine runs, nothing is logged."""
    shapes = _shapes(
        tmp_path,
        "exsh:S a sh:NodeShape ; sh:targetSubjectsOf ex:byte ; sh:property exsh:b .\n"
        'exsh:b sh:path ex:byte ; sh:pattern "^3" .\n',
    )
    graph = load(REWRITTEN, vocabulary=False)
    with caplog.at_level("WARNING", logger="goalgraph.validation"):
        report = validate(graph, shapes=shapes, engine="auto", lang="en")
    assert report.engine == "pyshacl"
    [record] = [r for r in caplog.records if r.name == "goalgraph.validation"]
    assert "pySHACL kör dem i stället" in record.getMessage()  # sv, the default
    assert "shapes#b" in record.getMessage()
    caplog.clear()
    with caplog.at_level("WARNING", logger="goalgraph.validation"):
        report = validate(graph, shapes=_shapes(tmp_path, ""), engine="auto")
    assert report.engine == "fast"
    assert not [r for r in caplog.records if r.name == "goalgraph.validation"]
