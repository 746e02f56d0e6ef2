"""A goal graph kept on disk: load once, read many times without parsing again.

A store is a folder. Each source file's triples sit in a named graph of
their own (see :mod:`goalgraph.store.source_graphs`), and the data graph
every read function sees is kept equal to the union of those graphs, so
``validate``, ``trace``, ``coverage``… run on a store exactly as on files.
The vocabulary graph is stored too, and where each spreadsheet item came
from (:attr:`goalgraph.GoalGraph.sources`), so findings still name rows.

Changes never touch what readers see. A change is made on a copy of the
current *generation* (a RocksDB checkpoint: hard links, cheap) and becomes
current only once everything has been written, by replacing the marker file
``goalgraph-store.json`` in one rename. So a ``load`` is all or nothing, and
another process can read the store while one writes: it reads the
generation that was current when it opened the store, which is never written
again. One writer at a time: a lock file says who is writing.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp()) / "store"
>>> [s.path.name for s in load_sources(folder, "examples/vetlanda/vetlanda.ttl")]
['vetlanda.ttl']
>>> graph = open_store(folder)
>>> len(graph) > 0
True
>>> graph.add([])
Traceback (most recent call last):
...
goalgraph.errors.StoreError: ...
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from goalgraph import resources
from goalgraph.errors import GoalGraphError, StoreError, UnknownTermError
from goalgraph.graph import DATA_GRAPH, VOCABULARY_GRAPH, GoalGraph, GraphName, write_atomically
from goalgraph.i18n import message
from goalgraph.ledger import LiteralLedger
from goalgraph.positions import parser_problem, place
from goalgraph.sources import SourceRow
from goalgraph.store.kept_literals import data_ledger, recorded
from goalgraph.store.source_graphs import Source, expand_sources, source_graph

__all__ = [
    "StoredGraph",
    "StoredSource",
    "load_sources",
    "open_store",
    "stored_sources",
    "unload_sources",
    "writing_current",
]

MARKER = "goalgraph-store.json"
_FORMAT = "goalgraph-store"
_VERSION = 1
_LOCK = ".lock"
_DATABASE = "oxigraph"
_REGISTRY = "sources.json"
_PLACEHOLDER = "<urn:goalgraph:source>"


@dataclass(frozen=True)
class StoredSource:
    """One source held by a store: its path, named graph, size and when it was loaded."""

    path: Path
    graph: str
    triples: int
    loaded: str
    spreadsheet: bool

    def to_json(self) -> dict[str, Any]:
        """This source as plain JSON values (rows are kept beside it, not here)."""
        return {
            "path": str(self.path),
            "graph": self.graph,
            "triples": self.triples,
            "loaded": self.loaded,
            "spreadsheet": self.spreadsheet,
        }


class StoredGraph(GoalGraph):
    """A goal graph read from a store on disk; it cannot be changed, only read.

    Change a store with :func:`load_sources` and :func:`unload_sources`.
    *literals*: the data graph's ledger as the store kept it (else the store is scanned).
    """

    def __init__(
        self,
        store: ox.Store,
        *,
        folder: Path,
        sources: Sequence[StoredSource],
        literals: LiteralLedger | None = None,
        generation: Path | None = None,
    ):
        super().__init__(store, literals=literals)
        self.folder = folder
        #: The generation this graph reads (it never changes; its saved results sit in it).
        self.generation = generation if generation is not None else folder
        #: The sources the store holds, in the order they were loaded.
        self.stored: list[StoredSource] = list(sources)

    def __repr__(self) -> str:
        return f"StoredGraph({str(self.folder)!r})"

    def _refuse(self) -> StoreError:
        return StoreError(message("store.read_only", path=self.folder))

    def add(self, triples: Iterable[ox.Triple], *, graph: GraphName = "data") -> None:
        """Refused: a stored graph is read-only.

        :raises StoreError: always.
        """
        raise self._refuse()

    def add_rdflib(self, source: rdflib.Graph, *, graph: GraphName = "data") -> None:
        """Refused: a stored graph is read-only.

        :raises StoreError: always.
        """
        raise self._refuse()

    def clear(self, graph: GraphName) -> None:
        """Refused: a stored graph is read-only.

        :raises StoreError: always.
        """
        raise self._refuse()


# --- reading --------------------------------------------------------------


def _marker(folder: Path) -> dict[str, Any]:
    """The store's marker file, checked; raises if *folder* is not a store."""
    if not folder.exists():
        raise StoreError(message("store.missing", path=folder))
    if not folder.is_dir():
        raise _not_a_store(folder, "why_not_a_folder")
    path = folder / MARKER
    if not path.is_file():
        raise _not_a_store(folder, "why_no_marker", name=MARKER)
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(
            message("store.not_a_store", path=folder, why=_unread(MARKER, exc))
        ) from exc
    if not (
        isinstance(marker, dict)
        and marker.get("format") == _FORMAT
        and marker.get("version") == _VERSION
        and re.fullmatch(r"generation-\d{6}", str(marker.get("current")))
        and (folder / marker["current"] / _DATABASE).is_dir()
    ):
        raise _not_a_store(folder, "why_not_ours", name=MARKER)
    return marker


def _not_a_store(folder: Path, why: str, *, name: str = "") -> StoreError:
    """The error for a *folder* that is not a store, *why* (a ``store.why_*`` message)."""
    reason = message(f"store.{why}", name=name)
    return StoreError(message("store.not_a_store", path=folder, why=reason))


def _unread(name: str, error: Exception) -> str:
    """Why the JSON file *name* of a store cannot be read, its place in the user's words."""
    found = parser_problem(error)
    where = place(found.line, found.column)
    return f"{name}, {where}: {found.detail}" if where else f"{name}: {found.detail}"


def _registry(generation: Path | None) -> dict[str, Any]:
    """The sources and the vocabulary digest of one generation (empty for a new store)."""
    if generation is None:
        return {"vocabulary": None, "sources": []}
    try:
        registry = json.loads((generation / _REGISTRY).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(
            message("store.not_a_store", path=generation.parent, why=_unread(_REGISTRY, exc))
        ) from exc
    keys = {"path", "graph", "triples", "loaded", "spreadsheet"}
    if not (
        isinstance(registry, dict)
        and isinstance(registry.get("sources"), list)
        and all(isinstance(e, dict) and keys <= e.keys() for e in registry["sources"])
    ):
        raise _not_a_store(generation.parent, "why_not_ours", name=_REGISTRY)
    return registry


def _stored(entry: dict[str, Any]) -> StoredSource:
    return StoredSource(
        Path(entry["path"]),
        entry["graph"],
        int(entry["triples"]),
        entry["loaded"],
        bool(entry["spreadsheet"]),
    )


def _vocabulary_digest() -> str:
    digest = hashlib.sha256()
    for path in resources.vocabulary_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def open_store(path: str | Path) -> StoredGraph:
    """Open the store in folder *path* for reading, without parsing anything.

    Every read function (``validate``, ``trace``, ``coverage``, the named
    queries…) takes the result as it takes a graph loaded from files, with
    the same results. The graph shows the store as it was when opened; a
    ``load`` running meanwhile in another process does not change it.

    :raises StoreError: if *path* is missing, not a store, holds the
        vocabulary of another goalgraph version, or cannot be opened.

    >>> open_store("no/such/store")
    Traceback (most recent call last):
    ...
    goalgraph.errors.StoreError: ...
    """
    folder = Path(path)
    marker = _marker(folder)
    generation = folder / marker["current"]
    registry = _registry(generation)
    if registry.get("vocabulary") != _vocabulary_digest():
        raise StoreError(message("store.stale_vocabulary", path=folder))
    try:
        database = ox.Store.read_only(str(generation / _DATABASE))
    except OSError as exc:
        raise StoreError(message("store.unreadable", path=folder, reason=exc)) from exc
    graph = StoredGraph(
        database,
        folder=folder,
        sources=[_stored(e) for e in registry["sources"]],
        literals=data_ledger(database, registry["sources"]),
        generation=generation,
    )
    for entry in registry["sources"]:
        for iri, (file, sheet, row, columns) in entry.get("rows", {}).items():
            graph.sources[iri] = SourceRow(file, sheet, row, columns)
    return graph


def stored_sources(path: str | Path) -> list[StoredSource]:
    """The sources the store in *path* holds, in the order they were loaded.

    :raises StoreError: if *path* is missing or not a store.

    >>> import tempfile
    >>> stored_sources(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    goalgraph.errors.StoreError: ...
    """
    folder = Path(path)
    return [_stored(e) for e in _registry(folder / _marker(folder)["current"])["sources"]]


# --- writing --------------------------------------------------------------


@contextlib.contextmanager
def _writer(folder: Path) -> Iterator[Path | None]:
    """Hold the store's write lock; yields the current generation (None for a new store)."""
    import fcntl  # POSIX only; imported here so that reading a store works everywhere

    if folder.exists() and not folder.is_dir():
        raise _not_a_store(folder, "why_not_a_folder")
    current: Path | None = None
    # a folder holding only what a failed first load left (the lock file, a generation
    # never made current) is still empty
    if folder.is_dir() and any(
        p.name != _LOCK and not p.name.startswith("generation-") for p in folder.iterdir()
    ):
        current = folder / _marker(folder)["current"]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / _LOCK).open("a+", encoding="utf-8")
    except OSError as exc:
        raise StoreError(message("store.write_failed", path=folder, reason=exc)) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise StoreError(message("store.locked", path=folder, holder=holder)) from exc
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
            handle.flush()
            if current is None and (folder / MARKER).is_file():
                current = folder / _marker(folder)["current"]  # created while we waited
            elif current is not None:
                current = folder / _marker(folder)["current"]  # may have moved on meanwhile
            yield current
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def writing_current(graph: StoredGraph) -> Iterator[bool]:
    """Hold the store's write lock if it is free; yields whether *graph* may write its generation.

    ``True`` only if no other process is writing and *graph*'s generation is
    still the current one (so no writer can delete it meanwhile); a graph
    opened while another process loads yields ``False`` and writes nothing.

    :raises: nothing of its own: a lock that cannot be taken yields ``False``.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> _ = load_sources(folder, "examples/vetlanda/vetlanda.ttl")
    >>> with writing_current(open_store(folder)) as allowed:
    ...     allowed
    True
    """
    with contextlib.ExitStack() as stack:
        try:
            current = stack.enter_context(_writer(graph.folder))
        except StoreError:
            current = None
        yield current is not None and current == graph.generation


def _update(database: ox.Store, name: str, graph: str) -> None:
    text = (resources.store_queries_dir() / name).read_text(encoding="utf-8")
    database.update(text.replace(_PLACEHOLDER, f"<{graph}>"))


def _count(database: ox.Store, graph: str) -> int:
    result = database.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(result)["n"].value)


def _fill(database: ox.Store, source: Source) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """Parse *source* into its named graph and the data graph; returns its spreadsheet rows
    and its literals as written (:func:`~goalgraph.store.kept_literals.recorded`).

    Both graphs get the very same parsed terms, so a blank node has one id in
    both and unloading the source later finds its triples in the data graph.
    ``bulk_extend`` is not a transaction, which is safe here: the generation
    being written is private until it is made current.
    """
    rows: dict[str, SourceRow] = {}
    if source.spreadsheet:
        from goalgraph.spreadsheet import convert

        triples = convert(source.path, rows=rows)
    else:
        from goalgraph.loading import parse_file

        triples = parse_file(source.path)
    for graph in (source.graph, DATA_GRAPH):
        database.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return {iri: [r.file, r.sheet, r.row, dict(r.columns)] for iri, r in rows.items()}, recorded(
        triples
    )


def _discard(generation: Path, exc: BaseException) -> None:
    """Delete an unfinished *generation* after *exc*.

    The frames of *exc*'s traceback still hold the open database (a parser
    failed inside ``_fill``), and RocksDB writes into its folder until it is
    closed, so the folder would outlive ``rmtree``: the frames are cleared first.
    """
    import gc
    import traceback

    traceback.clear_frames(exc.__traceback__)
    gc.collect()  # a reference cycle may still hold the database
    shutil.rmtree(generation, ignore_errors=True)


def _change(
    folder: Path,
    *,
    add: Sequence[Source] = (),
    remove: Iterable[str] = (),
    recheck: bool = False,
) -> list[StoredSource]:
    """Make a new generation with *remove* dropped and *add* (re)loaded, then make it current.

    Returns the sources of the new generation. On any error the new generation
    is deleted and the store stays as it was. With *recheck*, validation
    results saved for the previous generation are computed again for the new
    one (same shapes files, same engine) while the lock is still held.
    """
    with _writer(folder) as current:
        registry = _registry(current)
        number = int(current.name.rsplit("-", 1)[1]) + 1 if current is not None else 1
        generation = folder / f"generation-{number:06d}"
        shutil.rmtree(generation, ignore_errors=True)  # left by a writer that was killed
        try:
            entries = _write_generation(folder, current, generation, registry, add, remove)
            write_atomically(
                folder / MARKER,
                json.dumps({"format": _FORMAT, "version": _VERSION, "current": generation.name}),
            )
        except GoalGraphError as exc:
            _discard(generation, exc)
            raise
        except OSError as exc:  # a full disk, a RocksDB error: nothing was made current
            _discard(generation, exc)
            raise StoreError(message("store.write_failed", path=folder, reason=exc)) from exc
        except BaseException as exc:
            _discard(generation, exc)
            raise
        if recheck and current is not None:
            from goalgraph.store.saved_results import recheck as saved_again

            saved_again(open_store(folder), current)
        # Readers may still be on the previous generation; older ones have none left.
        for old in folder.glob("generation-*"):
            if old not in (generation, current):
                shutil.rmtree(old, ignore_errors=True)
        return [_stored(e) for e in entries]


def _write_generation(
    folder: Path,
    current: Path | None,
    generation: Path,
    registry: dict[str, Any],
    add: Sequence[Source],
    remove: Iterable[str],
) -> list[dict[str, Any]]:
    generation.mkdir()
    if current is not None:
        ox.Store.read_only(str(current / _DATABASE)).backup(str(generation / _DATABASE))
    database = ox.Store(str(generation / _DATABASE))
    try:
        entries = {e["graph"]: e for e in registry["sources"]}
        digest = _vocabulary_digest()
        if registry.get("vocabulary") != digest:
            from goalgraph.loading import parse_file

            database.clear_graph(VOCABULARY_GRAPH)
            for path in resources.vocabulary_files():
                database.bulk_extend(
                    ox.Quad(t.subject, t.predicate, t.object, VOCABULARY_GRAPH)
                    for t in parse_file(path)
                )
        for graph in remove:
            _update(database, "remove-source.ru", graph)
            del entries[graph]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for source in add:
            graph = source.graph.value
            if graph in entries:
                _update(database, "remove-source.ru", graph)
            rows, literals = _fill(database, source)
            stored = StoredSource(
                source.path.resolve(), graph, _count(database, graph), now, source.spreadsheet
            )
            entries.pop(graph, None)
            entries[graph] = {**stored.to_json(), "rows": rows, "literals": literals}
        database.flush()
    finally:
        del database  # closes RocksDB before the generation is used or deleted
    ordered = list(entries.values())
    write_atomically(
        generation / _REGISTRY,
        json.dumps({"vocabulary": digest, "sources": ordered}, ensure_ascii=False),
    )
    return ordered


def load_sources(
    path: str | Path, *sources: str | Path, recheck: bool = False
) -> list[StoredSource]:
    """Load *sources* into the store in folder *path*, creating it if needed; all or nothing.

    Each source file (a folder of RDF files gives one source per file; a CSV
    folder, workbook or YAML import file is one source) replaces what the
    store held for it before. With no sources, only the store's vocabulary
    is brought up to this goalgraph version. With *recheck*, validation results
    the store kept (:mod:`goalgraph.store.saved_results`) are computed again
    for the new content before the lock is released.

    :returns: the sources the store holds afterwards.
    :raises LoadError: if a source cannot be read or parsed; the store is unchanged.
    :raises StoreError: if *path* is a folder that is not a store, or another
        process is writing to the store.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> [(s.path.name, s.spreadsheet) for s in load_sources(folder, "examples/norberg/csv")]
    [('csv', True)]
    """
    return _change(Path(path), add=expand_sources(*sources), recheck=recheck)


def unload_sources(
    path: str | Path, *sources: str | Path, recheck: bool = False
) -> list[StoredSource]:
    """Remove *sources* (paths, folders of them, or source graph IRIs) from the store in *path*.

    *recheck*: as for :func:`load_sources`.

    :returns: the sources the store holds afterwards.
    :raises UnknownTermError: if a source is not in the store; nothing is removed.
    :raises StoreError: if *path* is not a store or another process is writing to it.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> _ = load_sources(folder, "examples/vetlanda/vetlanda.ttl", "examples/norberg/csv")
    >>> [s.path.name for s in unload_sources(folder, "examples/vetlanda")]
    ['csv']
    """
    folder = Path(path)
    held = stored_sources(folder)
    chosen: dict[str, None] = {}
    for given in sources:
        text = str(given)
        resolved = Path(given).resolve()
        matches = [
            s.graph
            for s in held
            if text in (s.graph, source_graph(resolved).value)
            or s.path == resolved
            or resolved in s.path.parents
        ]
        if not matches:
            known = ", ".join(str(s.path) for s in held) or message("store.nothing")
            raise UnknownTermError(
                message("store.unknown_source", source=given, path=folder, known=known),
                term=text,
                candidates=[str(s.path) for s in held],
            )
        chosen.update(dict.fromkeys(matches))
    return _change(folder, remove=list(chosen), recheck=recheck)
