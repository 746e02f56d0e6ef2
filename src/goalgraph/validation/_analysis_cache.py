"""A cache on disk of what the SHACL-SPARQL analysis found for each query text.

Deciding whether a constraint's query may run set-wise needs rdflib's SPARQL
parser and algebra: over a second for goalgraph's nine built-in constraints,
in every CLI run. The answer depends only on the query text, the pre-bound
variables and the analysing code, so it is kept in
``$GOALGRAPH_CACHE_DIR`` (else ``$XDG_CACHE_HOME/goalgraph``, else
``~/.cache/goalgraph``) as ``sparql-analysis.json``, keyed by a hash of all
three. Only successful analyses are kept: a query that breaks a restriction
is analysed (and refused) again each time. A cache that cannot be read or
written is treated as empty; the analysis then simply runs.

Several processes may share the file (parallel test workers, a service beside
CLI runs): it is replaced whole through a rename, so a reader never sees half
of it, and a writer merges the entries on disk into its own just before, so
it keeps what other processes stored (two writes racing may still drop an
entry, which is then simply analysed again).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import NamedTuple, TypeAlias

from goalgraph.errors import OutputError

__all__ = ["CACHE_ENV", "Analysis", "AnalysisCache", "Anchors"]

#: What every solution of a query says of ``$this``: alternatives (one of them holds for
#: each solution), each a tuple of facts ``("s", p)`` (``$this`` is a subject of ``p``) or
#: ``("a", c)`` (``$this`` is a SHACL instance of ``c``).
Anchors: TypeAlias = tuple[tuple[tuple[str, str], ...], ...]


class Analysis(NamedTuple):
    """A SHACL-SPARQL query's analysis as the cache keeps it."""

    projected: tuple[str, ...]
    setwise: bool
    anchors: Anchors


CACHE_ENV = "GOALGRAPH_CACHE_DIR"
_FILE = "sparql-analysis.json"


def _cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "goalgraph"


class AnalysisCache:
    """Analyses of query texts: ``(projected variables, set-wise)`` by key.

    >>> import tempfile
    >>> cache = AnalysisCache(Path(tempfile.mkdtemp()) / "a.json", code=b"v1")
    >>> key = cache.key("SELECT $this WHERE { $this ?p ?o }", frozenset({"this"}))
    >>> cache.get(key) is None
    True
    >>> cache.put(key, ("this",), True)
    >>> AnalysisCache(cache.path, code=b"v1").get(key)
    (('this',), True)
    """

    def __init__(self, path: Path | None = None, *, code: bytes) -> None:
        self.path = path if path is not None else _cache_dir() / _FILE
        self.code = hashlib.sha256(code).hexdigest()
        self._entries: dict[str, list[object]] | None = None

    def key(self, text: str, prebound: frozenset[str]) -> str:
        """The key of *text* analysed with *prebound* by this version of the code."""
        digest = hashlib.sha256()
        for part in (self.code, text, ",".join(sorted(prebound))):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def _read(self) -> dict[str, list[object]]:
        """The entries in the file now; an unreadable or malformed file has none."""
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _load(self) -> dict[str, list[object]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def get(self, key: str) -> Analysis | None:
        """The analysis stored under *key*, if any (and well-formed)."""
        entry = self._load().get(key)
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], list)
            and all(isinstance(v, str) for v in entry[0])
            and isinstance(entry[1], bool)
            and isinstance(entry[2], list)
            and all(
                isinstance(alternative, list)
                and all(
                    isinstance(atom, list)
                    and len(atom) == 2
                    and all(isinstance(part, str) for part in atom)
                    for atom in alternative
                )
                for alternative in entry[2]
            )
        ):
            anchors = tuple(tuple((kind, iri) for kind, iri in alt) for alt in entry[2])
            return Analysis(tuple(entry[0]), entry[1], anchors)
        return None

    def put(
        self, key: str, projected: tuple[str, ...], setwise: bool, anchors: Anchors = ()
    ) -> None:
        """Store an analysis and write the cache file (atomically; failures are ignored).

        The file is read again right before it is replaced, and what other
        processes stored meanwhile is kept beside this cache's entries.
        """
        from goalgraph.destinations import write_atomically

        entries = self._load()
        entries[key] = [
            list(projected),
            setwise,
            [[list(atom) for atom in alternative] for alternative in anchors],
        ]
        merged = {**self._read(), **entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(merged))
        except (OSError, OutputError):
            return  # a read-only home: the analysis runs again next time
        self._entries = merged
