"""Named SPARQL queries for analysts, and running them safely anywhere.

The library is the folder of ``.rq`` files that :func:`goalgraph.resources.queries_dir`
returns. Each file opens with ``#`` comment lines::

    # en: Goals per kommun: how many goals of each kind every kommun has.
    # sv: Mål per kommun: hur många mål av varje slag varje kommun har.
    # param: kommun (literal, optional) — kommun code, e.g. "0685"

A parameter's kind is ``literal``, ``integer`` or ``iri`` (a full IRI or a
prefixed name such as ``sdg:11.3``). Values are bound as RDF terms, never
pasted into the query text: on the embedded store through pyoxigraph
substitutions, on a remote endpoint through a ``VALUES`` block of escaped
terms (:mod:`goalgraph.endpoint`). An optional parameter that is not given
leaves its variable free. Query files declare their own prefixes, so the same
text runs unchanged on any SPARQL 1.1 endpoint.

Two rules keep both ways of binding equivalent: every parameter variable is
in the SELECT clause, and it is used in the outermost group (not only inside
OPTIONAL or a sub-query).

>>> [q.name for q in queries()][:2]
['challenges-and-goals', 'goal-trace']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from goalgraph.errors import QueryError, UnknownTermError
from goalgraph.federation import services, within_deadline
from goalgraph.graph import PREFIXES, GoalGraph
from goalgraph.i18n import default_lang, message
from goalgraph.resources import queries_dir

if TYPE_CHECKING:
    import pandas as pd

    from goalgraph.endpoint import Endpoint

__all__ = [
    "NamedQuery",
    "QueryParam",
    "bind",
    "named_query",
    "queries",
    "run_query",
    "unmatched",
]

ParamKind = Literal["literal", "integer", "iri"]
_PARAM = re.compile(
    r"^#\s*param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*[—–-]+\s*(?P<text>.*)$"
)
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query, as its header declares it."""

    name: str
    kind: ParamKind
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query of the library: its name, text, descriptions and parameters."""

    name: str
    path: Path
    text: str
    descriptions: dict[str, str] = field(default_factory=dict)
    params: tuple[QueryParam, ...] = ()

    def description(self, lang: str | None = None) -> str:
        """What the query answers, in *lang* (sv or en)."""
        chosen = lang if lang in ("sv", "en") else default_lang()
        return self.descriptions.get(chosen) or next(iter(self.descriptions.values()), "")


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    descriptions: dict[str, str] = {}
    params: list[QueryParam] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if match := _PARAM.match(line):
            spec = [s.strip() for s in match["spec"].split(",")]
            kind: ParamKind = "literal"
            if spec[0] in ("integer", "iri"):
                kind = "integer" if spec[0] == "integer" else "iri"
            params.append(
                QueryParam(
                    match["name"],
                    kind,
                    "optional" not in spec,
                    match["text"].strip(),
                )
            )
        elif m := re.match(r"^#\s*(sv|en):\s*(.*)$", line):
            descriptions[m[1]] = m[2].strip()
        elif not descriptions:
            descriptions["en"] = line.lstrip("# ").strip()
    return NamedQuery(path.stem, path, text, descriptions, tuple(params))


def queries() -> list[NamedQuery]:
    """Every named query of the library, sorted by name.

    :raises OSError: if the library folder cannot be read.

    >>> any(q.name == "sdg-coverage" for q in queries())
    True
    """
    return [_parse(p) for p in sorted(queries_dir().glob("*.rq"))]


def named_query(name: str | Path) -> NamedQuery:
    """The library query called *name*, or the ``.rq`` file at path *name*.

    :raises UnknownTermError: if there is no such query; the error lists the names.

    >>> named_query("goals-per-kommun").params[0].name
    'kommun'
    """
    path = Path(name)
    if path.suffix == ".rq" and path.is_file():
        return _parse(path)
    candidate = queries_dir() / f"{name}.rq"
    if str(name) and "/" not in str(name) and candidate.is_file():
        return _parse(candidate)
    names = [q.name for q in queries()]
    raise UnknownTermError(
        message("analysis.unknown_query", name=str(name), names=", ".join(names)),
        term=str(name),
        candidates=names,
    )


def bind(
    query: NamedQuery, params: Mapping[str, str] | None = None
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Turn textual parameter values into RDF terms, checking them against the header.

    :raises QueryError: for an unknown or missing parameter, a non-integer
        ``integer`` value or a malformed IRI.

    >>> bind(named_query("goals-per-kommun"), {"kommun": "0685"})["kommun"].value
    '0685'
    """
    given = dict(params or {})
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise QueryError(
            message(
                "analysis.unknown_param",
                query=query.name,
                param=", ".join(unknown),
                known=", ".join(declared) or "-",
            )
        )
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.params:
        if param.name not in given:
            if param.required:
                raise QueryError(
                    message(
                        "analysis.missing_param",
                        query=query.name,
                        param=param.name,
                        description=param.description,
                    )
                )
            continue
        value = given[param.name]
        if param.kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise QueryError(
                    message("analysis.bad_param", param=param.name, value=value, kind=param.kind)
                )
            terms[param.name] = ox.Literal(value.strip(), datatype=_XSD_INTEGER)
        elif param.kind == "iri":
            terms[param.name] = _iri(param.name, value)
        else:
            terms[param.name] = ox.Literal(value)
    return terms


def _iri(name: str, value: str) -> ox.NamedNode:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise QueryError(
            message("analysis.bad_param", param=name, value=value, kind="iri")
        ) from exc


# Whether a parameter's value occurs anywhere in the graph: as a node, or as a literal's text.
_OCCURS = {
    "iri": "SELECT ?value WHERE { { ?value ?p ?o } UNION { ?s ?p ?value } } LIMIT 1",
    "text": "SELECT ?value WHERE { ?s ?p ?o FILTER(STR(?o) = STR(?value)) } LIMIT 1",
}


def unmatched(
    graph: GoalGraph, query: str | Path | NamedQuery, params: Mapping[str, str] | None = None
) -> list[str]:
    """The parameters of *params* whose value occurs nowhere in *graph*'s data or reference data.

    Such a parameter cannot match anything, so an empty answer means the
    value is wrong (a mistyped code or id), not that nothing qualifies.

    :raises UnknownTermError: if *query* is not in the library and not a file.
    :raises QueryError: if a parameter is missing, unknown or malformed.

    >>> from goalgraph import load
    >>> unmatched(load(), "goals-for-sdg-target", {"target": "99.9"})
    ['target']
    >>> unmatched(load(), "goals-for-sdg-target", {"target": "11.7"})
    []
    """
    named = query if isinstance(query, NamedQuery) else named_query(query)
    found = []
    for name, term in bind(named, params).items():
        ask = _OCCURS["iri" if isinstance(term, ox.NamedNode) else "text"]
        if not graph.select(ask, bindings={"value": term}, graphs=("data", "vocabulary")):
            found.append(name)
    return found


def _value(term: object) -> str | None:
    if term is None:
        return None
    return str(getattr(term, "value", term))


def run_query(
    source: GoalGraph | Endpoint,
    query: str | Path | NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    allow_service: bool = False,
    timeout: float = 30.0,
) -> pd.DataFrame:
    """Run a named query (or ``.rq`` file) on a goal graph or a SPARQL endpoint.

    Returns one row per solution, one column per SELECT variable, values as
    their lexical form (IRIs as text, numbers as text), unbound as ``None``.
    A ``SERVICE`` clause is refused unless *allow_service* (see
    :mod:`goalgraph.federation`), and an allowed query with services must finish
    within *timeout* seconds. An endpoint runs the query as it is on its
    ``default_graphs`` (or its own default dataset), through the same remote
    store as every other remote read, so its answer gets the same checks.

    :raises UnknownTermError: if *query* is not in the library and not a file.
    :raises QueryError: if a parameter is missing, unknown or malformed, the
        query fails, or it has a SERVICE clause and *allow_service* is false.
    :raises EndpointError: if a remote endpoint, or a service the query calls,
        cannot be reached or answers badly.
    :raises ResultsCut: if an endpoint cut its answer at a row limit.

    >>> from goalgraph import load
    >>> run_query(load(), "goals-per-kommun").empty
    True
    """
    import pandas as pd

    named = query if isinstance(query, NamedQuery) else named_query(query)
    terms = bind(named, params)
    graph = source if isinstance(source, GoalGraph) else _as_is(source)

    def evaluate() -> tuple[list[str], list[list[str | None]]]:
        result = graph.query(named.text, bindings=terms, allow_service=allow_service)
        solution = None
        try:
            if not isinstance(result, ox.QuerySolutions):
                raise QueryError(message("analysis.not_select", query=named.name))
            names = [v.value for v in result.variables]
            table = []
            for solution in result:
                table.append([_value(solution[v]) for v in names])
            return names, table
        finally:
            # pyoxigraph's results may only be dropped by the thread that made them; an
            # error's traceback (collected by any thread) must not keep them alive
            del result, solution

    if allow_service and services(named.text):
        variables, rows = within_deadline(named.text, evaluate, seconds=timeout)
    else:
        variables, rows = evaluate()
    return pd.DataFrame(rows, columns=variables, dtype=object)


def _as_is(endpoint: Endpoint) -> GoalGraph:
    """*endpoint* as a remote graph that runs queries as they are on its default graphs.

    Its answers then get the remote store's checks, the same for every way a query
    reaches a server: the deadline, the size limit, each term, and the row cap.
    """
    from goalgraph.store.remote import RemoteGraph

    return RemoteGraph(endpoint, as_is=True)
