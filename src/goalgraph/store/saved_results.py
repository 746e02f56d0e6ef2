"""A store on disk keeps its validation results, so ``validate --store`` need not run the checks.

Like RDF4J's ShaclSail, which validates at commit time, a store keeps the
raw results of its last validation (:class:`~goalgraph.validation._raw.RawResult`,
the terms of each ``sh:ValidationResult``), not the rendered report: labels,
kommun, organisation and messages are read from the store and the shapes in
the language asked for, each time.

The results are saved in the generation they belong to
(``generation-NNNNNN/validation/<key>.json``), so a change of the store,
which always makes a new generation, can never meet old results. The key
covers everything else the results depend on: the generation and the digest
of its registry (sources, load times, literals as written, vocabulary), the
digest of the shapes files' content in order, the engine asked for,
goalgraph's version and the digest of the code that computes results
(the validation package, the literal rules, this module). Any difference:
the checks run, and their results are saved.

Results are written only by a process that holds the store's write lock
(a ``load`` holds it while it re-checks; a ``validate --store`` takes it for
the moment of writing, if nobody else holds it) and only for the current
generation. A process that opened the store while another one writes reads
saved results but never writes them.

Blank shape nodes (a ``sh:property [ … ]``) get new ids each time the
shapes are parsed, so a saved result names such a node by a fingerprint
of where it sits in the shapes graph; a fingerprint that is not unique
keeps the results from being saved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib import BNode, URIRef
from rdflib.term import Node

from goalgraph.graph import from_rdflib_term, to_rdflib_term

if TYPE_CHECKING:
    from goalgraph.store.disk import StoredGraph
    from goalgraph.validation._raw import RawResult
    from goalgraph.validation._validate import EngineRun

__all__ = ["FOLDER", "recheck", "results_key", "stored_results"]

#: The folder of a generation that holds its saved results.
FOLDER = "validation"
_FORMAT = 1


def _code_digest() -> str:
    """The digest of the source of everything that decides a raw result."""
    import goalgraph
    import goalgraph.validation

    package = Path(goalgraph.__file__).parent
    files = sorted(Path(goalgraph.validation.__file__).parent.glob("*.py"))
    files += [package / name for name in ("literals.py", "ledger.py", "graph.py")]
    files.append(Path(__file__))
    digest = hashlib.sha256(goalgraph.__version__.encode())
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def results_key(graph: StoredGraph, files: Sequence[str | Path], engine: str) -> str:
    """The key of the results of validating *graph* with the shapes *files* by *engine*.

    :raises LoadError: if a shapes file cannot be read (naming it).

    >>> import tempfile
    >>> from goalgraph.store.disk import load_sources, open_store
    >>> from goalgraph.validation._shapes import builtin_shapes_files
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> _ = load_sources(folder, "examples/vetlanda/vetlanda.ttl")
    >>> files = builtin_shapes_files()
    >>> key = results_key(open_store(folder), files, "auto")
    >>> key == results_key(open_store(folder), files, "fast")
    False
    """
    from goalgraph.errors import LoadError
    from goalgraph.i18n import message

    digest = hashlib.sha256()
    registry = graph.generation / "sources.json"
    parts = [
        f"format {_FORMAT}",
        graph.generation.name,
        hashlib.sha256(registry.read_bytes()).hexdigest(),
        engine,
        _code_digest(),
    ]
    for part in parts:
        digest.update(part.encode() + b"\0")
    for file in files:
        try:
            digest.update(hashlib.sha256(Path(file).read_bytes()).digest())
        except OSError as exc:
            raise LoadError(message("load.unreadable", path=file, reason=exc)) from exc
    return digest.hexdigest()


# --- blank shape nodes ----------------------------------------------------------


def _fingerprints(shapes: rdflib.Graph) -> dict[Node, str | None]:
    """A name for each blank node of *shapes* that is the same in every parse of the same text.

    It is the digest of the node's own triples (blank objects by their
    fingerprint) and of the triples pointing to it. ``None`` marks a node
    whose fingerprint another node shares.
    """
    outgoing: dict[Node, str] = {}
    visiting: set[Node] = set()

    def own(node: Node) -> str:
        if not isinstance(node, BNode):
            return _text(node)
        if node in visiting:  # a cycle: its names depend on where it is entered, so they
            return "_:cycle"  # may differ between parses (a record then never matches)
        if node not in outgoing:
            visiting.add(node)
            parts = sorted(f"{p} {own(o)}" for p, o in shapes.predicate_objects(node))
            visiting.discard(node)
            outgoing[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return outgoing[node]

    blanks = {n for n in shapes.all_nodes() if isinstance(n, BNode)}
    named: dict[Node, str] = {}
    try:
        for node in blanks:
            parents = sorted(f"{own(s)} {p}" for s, p in shapes.subject_predicates(node))
            named[node] = hashlib.sha256(
                (own(node) + "|" + "\n".join(parents)).encode()
            ).hexdigest()
    except RecursionError:  # a list too long to walk: no blank node can be named again
        return dict.fromkeys(blanks)
    counts: dict[str, int] = {}
    for value in named.values():
        counts[value] = counts.get(value, 0) + 1
    return {node: (value if counts[value] == 1 else None) for node, value in named.items()}


def _text(node: Node) -> str:
    from goalgraph.validation._raw import term_key

    return term_key(node)


# --- terms as JSON -----------------------------------------------------------


def _term(node: Node | None, names: dict[Node, str | None]) -> Any:
    if node is None:
        return None
    if isinstance(node, BNode) and node in names:  # a node of the shapes graph
        name = names[node]
        if name is None:
            raise _Unsaveable
        return ["shape", name]
    term = from_rdflib_term(node)
    if isinstance(term, ox.NamedNode):
        return ["iri", term.value]
    if isinstance(term, ox.BlankNode):
        return ["blank", term.value]
    if isinstance(term, ox.Literal):
        return ["literal", term.value, term.datatype.value, term.language]
    raise _Unsaveable


def _node(value: Any, nodes: dict[str, Node]) -> Node:
    kind = value[0]
    if kind == "shape":
        return nodes[value[1]]
    if kind == "iri":
        return URIRef(value[1])
    if kind == "blank":
        return BNode(value[1])
    if kind == "literal":
        if value[3]:
            return to_rdflib_term(ox.Literal(value[1], language=value[3]))
        return to_rdflib_term(ox.Literal(value[1], datatype=ox.NamedNode(value[2])))
    raise ValueError(kind)


def _path(path: Any, names: dict[Node, str | None]) -> Any:
    if path is None:
        return None
    if isinstance(path, Node):  # before str: an IRI is a str too
        return _term(path, names)
    if isinstance(path, str):  # the operator of a path expression ("seq", "inverse"…)
        return ["op", path]
    if isinstance(path, tuple):
        return ["tuple", [_path(part, names) for part in path]]
    raise _Unsaveable


def _path_back(value: Any, nodes: dict[str, Node]) -> Any:
    if value is None:
        return None
    if value[0] == "op":
        return value[1]
    if value[0] == "tuple":
        return tuple(_path_back(part, nodes) for part in value[1])
    return _node(value, nodes)


def _optional(value: Any, nodes: dict[str, Node]) -> Node | None:
    return None if value is None else _node(value, nodes)


class _Unsaveable(Exception):
    """A result names something a saved record cannot name again exactly."""


def _encoded(raw: Sequence[RawResult], shapes: rdflib.Graph) -> list[list[Any]]:
    names = _fingerprints(shapes)
    rows = []
    for item in raw:
        rows.append(
            [
                _term(item.focus, names),
                str(item.component),
                _term(item.shape, names),
                _term(item.value, names),
                _path(item.path, names),
                str(item.severity),
                _term(item.constraint, names),
            ]
        )
    return rows


def _decoded(rows: Iterable[list[Any]], shapes: rdflib.Graph) -> list[RawResult]:
    from goalgraph.validation._raw import RawResult

    nodes = {name: node for node, name in _fingerprints(shapes).items() if name is not None}
    results = []
    for focus, component, shape, value, path, severity, constraint in rows:
        results.append(
            RawResult(
                focus=_node(focus, nodes),
                component=URIRef(component),
                shape=_node(shape, nodes),
                value=_optional(value, nodes),
                path=_path_back(path, nodes),
                severity=URIRef(severity),
                constraint=_optional(constraint, nodes),
            )
        )
    return results


# --- reading and writing -----------------------------------------------------------


def _file(generation: Path, key: str) -> Path:
    return generation / FOLDER / f"{key}.json"


def _saved(graph: StoredGraph, shapes: rdflib.Graph, key: str) -> EngineRun | None:
    """The run saved in *graph*'s generation under *key*; ``None`` if none.

    A record that cannot be read back exactly (damaged, or naming a shape node
    the shapes do not have) counts as none: the checks then run again.
    """
    try:
        record = json.loads(_file(graph.generation, key).read_text(encoding="utf-8"))
        from goalgraph.validation._validate import EngineRun

        if record.get("key") != key:
            return None
        pyshacl_shapes = tuple(str(shape) for shape in record.get("pyshacl_shapes", ()))
        return EngineRun(_decoded(record["results"], shapes), str(record["engine"]), pyshacl_shapes)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _saved_records(generation: Path) -> list[dict[str, Any]]:
    """What each record saved in *generation* was made with: its shapes files and engine.

    A ``load`` re-checks the new generation with these (records that cannot be
    read are left out).
    """
    records = []
    for path in sorted((generation / FOLDER).glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            records.append({"shapes": list(record["shapes"]), "engine": str(record["asked"])})
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return records


def _write(
    graph: StoredGraph,
    key: str,
    shapes: rdflib.Graph,
    files: Sequence[str | Path],
    asked: str,
    run: EngineRun,
) -> bool:
    """Write the record of *run* into *graph*'s generation; ``False`` if it cannot be written."""
    from goalgraph.errors import OutputError
    from goalgraph.graph import write_atomically

    try:
        rows = _encoded(run.results, shapes)
    except _Unsaveable:
        return False
    record = {
        "key": key,
        "asked": asked,
        "engine": run.engine,
        "pyshacl_shapes": list(run.pyshacl_shapes),
        "shapes": [str(Path(f).resolve()) for f in files],
        "results": rows,
    }
    try:
        (graph.generation / FOLDER).mkdir(exist_ok=True)
        write_atomically(_file(graph.generation, key), json.dumps(record, ensure_ascii=False))
    except (OSError, OutputError):
        return False  # a store on a read-only disk: the results are simply not kept
    return True


def stored_results(
    graph: StoredGraph,
    shapes: rdflib.Graph,
    files: Sequence[str | Path],
    engine: str,
    *,
    recheck: bool = False,
    locked: bool = False,
) -> EngineRun:
    """The run validating *graph*: the saved one if its key matches, else a new one.

    Fresh results are saved if this process may write them: *locked* (the
    caller holds the store's write lock), or the lock is free now and
    *graph*'s generation is still the current one.

    :param recheck: run the checks even if results are saved (and save them again).
    :raises LoadError: if a shapes file cannot be read.
    :raises GoalGraphError: if *engine* cannot run the shapes (see ``run_engine``).

    >>> import tempfile
    >>> from goalgraph.store.disk import load_sources, open_store
    >>> from goalgraph.validation._shapes import builtin_shapes_files, load_shapes
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> _ = load_sources(folder, "examples/vetlanda/vetlanda.ttl")
    >>> files = builtin_shapes_files()
    >>> run = stored_results(open_store(folder), load_shapes(files), files, "auto")
    >>> [p.stem for p in (open_store(folder).generation / FOLDER).glob("*.json")] == [
    ...     results_key(open_store(folder), files, "auto")]
    True
    """
    from goalgraph.validation._validate import run_engine

    key = results_key(graph, files, engine)
    if not recheck:
        found = _saved(graph, shapes, key)
        if found is not None:
            return found
    run = run_engine(graph, shapes, engine)  # type: ignore[arg-type]  # checked there
    if locked:
        _write(graph, key, shapes, files, engine, run)
    else:
        from goalgraph.store.disk import writing_current

        with writing_current(graph) as allowed:
            if allowed:
                _write(graph, key, shapes, files, engine, run)
    return run


def recheck(graph: StoredGraph, previous: Path) -> None:
    """Validate *graph* (a store's new generation) as its *previous* generation was, and save.

    Called by a ``load`` or ``unload`` that holds the write lock, once the new
    generation is current. The change is made already: a re-check that cannot
    run (a shapes file gone or broken) leaves the new generation without saved
    results, and the next ``validate --store`` computes them.

    :raises: nothing of its own: a re-check that fails is left out.

    >>> import tempfile, goalgraph
    >>> from goalgraph.store.disk import load_sources, open_store
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> _ = load_sources(folder, "examples/vetlanda/vetlanda.ttl")
    >>> _ = goalgraph.validate(open_store(folder))          # saves results
    >>> _ = load_sources(folder, "examples/norberg/csv", recheck=True)  # calls recheck
    >>> len(list((open_store(folder).generation / FOLDER).glob("*.json")))
    1
    """
    import logging

    from goalgraph.errors import GoalGraphError
    from goalgraph.validation._shapes import load_shapes

    logger = logging.getLogger("rdflib.term")  # one warning per ill-typed literal otherwise
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        for record in _saved_records(previous):
            files = record["shapes"]
            try:
                shapes = load_shapes(files)
                stored_results(graph, shapes, files, record["engine"], recheck=True, locked=True)
            except GoalGraphError:
                continue
    finally:
        logger.setLevel(level)
