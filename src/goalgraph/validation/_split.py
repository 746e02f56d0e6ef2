"""A validation split between the engines (``engine="auto"``).

The fast engine runs every targeted shape it can run exactly; the targeted
shapes it declines (a SHACL feature it does not compile, a literal the store
rewrote under a text check, a blank focus node to pre-bind) are validated by
pySHACL alone, through its ``use_shapes``. The results of a targeted shape
depend only on that shape and the shapes it references, so the union is the
report pySHACL gives for all the shapes, at the fast engine's speed for all but
the declined ones: one user shape the fast engine cannot run no longer makes a
national graph wait for pySHACL on every built-in shape.

The run is not split, and pySHACL validates everything, when the declined
shapes cannot be named to pySHACL (blank nodes), when nothing would be left for
the fast engine, when the shapes graph has SHACL-AF rules, entailment or
functions (they change the data, or the queries, of every shape), or when a
declined shape reaches a targeted one (both engines would validate it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import rdflib
from rdflib import RDF, URIRef
from rdflib.term import Node

from goalgraph.graph import GoalGraph
from goalgraph.validation._check import Unsupported
from goalgraph.validation._compile import compiled_by_shape
from goalgraph.validation._fast import results_per_check
from goalgraph.validation._pyshacl import run_pyshacl
from goalgraph.validation._raw import RawResult
from goalgraph.validation._shapes import SH

__all__ = ["SplitRun", "split_run"]

# SHACL-AF features that change the data graph for every shape, or define functions a
# shape's SPARQL may call: a run with them is not split
_WHOLE_PREDICATES = (SH.rule, SH.entailment)
_WHOLE_TYPES = (SH.SPARQLFunction, SH.Function, SH.SPARQLRule, SH.TripleRule)
# the parameters whose values are shapes, one or a list of them
_REFERENCES = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_LISTS = (SH["and"], SH["or"], SH.xone)


@dataclass(frozen=True)
class SplitRun:
    """The raw results of a split run, and the targeted shapes pySHACL ran with why the
    fast engine declined each (none: the fast engine ran everything)."""

    results: list[RawResult]
    declined: dict[URIRef, Unsupported]


def split_run(graph: GoalGraph, shapes: rdflib.Graph) -> SplitRun:
    """Validate *graph* against *shapes*: the fast engine where it can, pySHACL for the
    targeted shapes it declines.

    :raises Unsupported: if the run cannot be split (see the module's docstring); the
        caller then runs pySHACL on everything.
    """
    parts = compiled_by_shape(shapes)
    checks, owners = [], []
    refused: dict[Node, Unsupported] = {}
    for shape, compiled in parts:
        if isinstance(compiled, Unsupported):
            refused[shape] = compiled
        else:
            checks.extend(compiled)
            owners.extend([shape] * len(compiled))
    declined: dict[int, Unsupported] = {}
    per_check = results_per_check(graph, checks, declined=declined)
    for index, reason in declined.items():
        refused.setdefault(owners[index], reason)
    if not refused:
        return SplitRun([r for found in per_check for r in found], {})
    _check_splittable(shapes, refused, {shape for shape, _ in parts})
    kept = [
        result
        for owner, found in zip(owners, per_check, strict=True)
        if owner not in refused
        for result in found
    ]
    named = {s: reason for s, reason in refused.items() if isinstance(s, URIRef)}
    # pySHACL leaves out every shape with an IRI that use_shapes does not list, also when
    # a listed shape references it (sh:node ex:Inner): list those too (they have no targets)
    referenced = {s for s in _referenced(shapes, named) if isinstance(s, URIRef)}
    others = run_pyshacl(graph, shapes, only=sorted(set(named) | referenced))
    return SplitRun(kept + others, dict(sorted(named.items())))


def _check_splittable(
    shapes: rdflib.Graph, refused: dict[Node, Unsupported], targeted: set[Node]
) -> None:
    """Raise the first reason in *refused* if the run cannot be split."""
    first = next(iter(refused.values()))
    if set(refused) == targeted or any(not isinstance(shape, URIRef) for shape in refused):
        raise first
    if any(any(shapes.triples((None, p, None))) for p in _WHOLE_PREDICATES):
        raise first
    if any(any(shapes.subjects(RDF.type, kind)) for kind in _WHOLE_TYPES):
        raise first
    # a targeted shape reached from a declined one would be validated by both engines
    if (_referenced(shapes, refused) - set(refused)) & targeted:
        raise first


def _referenced(shapes: rdflib.Graph, roots: Iterable[Node]) -> set[Node]:
    """The shapes reached from *roots* through shape-expecting parameters (not the roots)."""
    seen: set[Node] = set()
    todo = list(roots)
    while todo:
        shape = todo.pop()
        found = [o for p in _REFERENCES for o in shapes.objects(shape, p)]
        lists = [items for p in _LISTS for items in shapes.objects(shape, p)]
        found += [item for items in lists for item in shapes.items(items)]
        for node in found:
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen
