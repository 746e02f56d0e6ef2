"""The fast engine over literals as written: what the store's rewriting means for each check.

The store keeps ``"1.50"^^xsd:decimal`` as ``"1.5"`` and ``"300"^^xsd:byte``
as ``"300"^^xsd:integer`` (see :mod:`goalgraph.ledger`). A compiled check
runs on the stored literals, so for each check this module decides whether
its answer on them is the answer on the literals as written:

* ``sh:datatype`` is exact through the ``%%WELLFORMED ?v <datatype>%%``
  placeholder, resolved here from the ledger's ill-formed literals; where a
  rewrite on the check's property changed a datatype or hid an ill-formed
  literal (``"300"^^xsd:byte``), the stored literal is made to fail and each
  original behind it is judged again here (a check over one property only);
* a rewrite keeps the value, so class, node kind, datatype and value-range
  checks stay exact; text checks (pattern, length), term identity (``sh:in``,
  ``sh:hasValue``, a shape's literal constants) and SPARQL constraints do
  not, nor do counts where the store merged two written literals into one;
  such a check raises :class:`Unsupported` when one of its properties holds
  a rewritten literal, so ``engine="auto"`` runs pySHACL on the originals;
* a result's value is the literal as written (one result per original).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from goalgraph.graph import (
    DATA_GRAPH,
    VOCABULARY_GRAPH,
    GoalGraph,
    from_rdflib_term,
    to_rdflib_term,
)
from goalgraph.literals import well_formed
from goalgraph.validation._check import Check, Unsupported
from goalgraph.validation._raw import RawResult
from goalgraph.validation._shapes import SH

__all__ = ["WrittenLiterals"]

_GRAPHS = [DATA_GRAPH, VOCABULARY_GRAPH]
_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_TYPED_CONSTANT = re.compile(r'"((?:[^"\\]|\\.)*)"\^\^<([^>]*)>')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r"}
# SPARQL the compiler emits for checks that compare text or term identity
_TEXT = ("REGEX(", "STRLEN(", "STR(")
_COUNTING = ("sameTerm(", "COUNT(")
_VALUE_SAFE = {SH.ClassConstraintComponent, SH.NodeKindConstraintComponent}
# a constant right after <, <=, > or >= is only compared by value (SPARQL's operators):
# a well-formed constant the store rewrites keeps its value, so a bound stays exact
# (an operator stands after whitespace; the ">" closing an IRI does not)
_COMPARED = re.compile(r"\s[<>]=?\s*$")
# components a check may have when it is judged again on the originals
_RECHECKED = _VALUE_SAFE | {
    SH.DatatypeConstraintComponent,
    SH.MinCountConstraintComponent,
    SH.MaxCountConstraintComponent,  # merged triples decline it below
}


def _unescape(text: str) -> str:
    return re.sub(r"\\[\\\"nr]", lambda m: _UNESCAPE[m.group(0)], text)


class WrittenLiterals:
    """The ledger of a goal graph's data and vocabulary graphs, as the fast engine needs it."""

    def __init__(self, graph: GoalGraph, *, datatypes: Collection[str] | None = None) -> None:
        self.graph = graph
        #: datatype IRI -> its ill-formed literals (of *datatypes* only, if given: the
        #: datatypes the checks judge, so a remote store is asked about those alone)
        self.ill_formed: dict[str, list[ox.Literal]] = defaultdict(list)
        for literal in graph.literals.ill_formed(_GRAPHS, datatypes=datatypes):
            self.ill_formed[literal.datatype.value].append(literal)
        self.rewritten = graph.literals.rewritten(_GRAPHS)
        #: predicate IRI -> (a rewrite changed a datatype or hid an ill-formed literal,
        #: the store merged several written literals into one triple)
        self.exposed: dict[str, tuple[bool, bool]] = {}
        #: stored literals standing for a literal of another datatype or an ill-formed one
        self.unsafe_stored: set[ox.Literal] = set()
        # a national graph rewrites ~30,000 triples but only a few hundred distinct literals
        verdicts: dict[tuple[ox.Literal, ox.Literal], bool] = {}
        for (_, predicate, stored), originals in self.rewritten.items():
            changes = False
            for original in originals:
                pair = (original, stored)
                if pair not in verdicts:
                    verdicts[pair] = _changes_verdict(original, stored)
                changes = changes or verdicts[pair]
            if changes:
                self.unsafe_stored.add(stored)
            unsafe, merged = self.exposed.get(predicate.value, (False, False))
            self.exposed[predicate.value] = (unsafe or changes, merged or len(originals) > 1)
        self.stored_values = {stored for (_, _, stored) in self.rewritten}

    def condition(self, var: str, datatype: str, *, recheck: bool = False) -> str:
        """A SPARQL expression true when *var*, a literal of *datatype*, is well-formed.

        With *recheck*, also false for stored literals that stand for another
        datatype or an ill-formed literal, so that their originals are judged
        by :meth:`as_written`.
        """
        bad = sorted(self.ill_formed.get(datatype, ()), key=str)
        if recheck:
            bad += sorted(self.unsafe_stored, key=str)
        if not bad:
            return "true"
        return "!(" + " || ".join(f"sameTerm({var}, {literal})" for literal in bad) + ")"

    def screen(self, check: Check) -> bool:
        """Decline *check* if rewritten literals could change its answer; whether it
        needs its datatype results judged again on the originals (see :meth:`condition`).

        :raises Unsupported: naming the property and why.
        """
        text = check.query + " " + check.focus_query
        for match in _TYPED_CONSTANT.finditer(text):
            constant, datatype = match.groups()
            literal = ox.Literal(_unescape(constant), datatype=ox.NamedNode(datatype))
            stored = self.graph.literals.stored_form(literal)
            if stored == literal:
                continue
            compared = _COMPARED.search(text, 0, match.start()) is not None
            if compared and stored.datatype == literal.datatype:
                continue
            raise Unsupported(f"the literal {literal} in a shape, which the store rewrites")
        components = {c for c, _ in check.merged} or {check.component}
        judged_again = _RECHECKED | {component for component, _ in check.datatypes}
        if not self.exposed:
            return False
        touched = [self.exposed[iri] for iri in _IRI.findall(text) if iri in self.exposed]
        if not touched:
            return False
        if components <= _VALUE_SAFE:
            return False
        unsafe = any(u for u, _ in touched)
        merged = any(m for _, m in touched)
        recheck = unsafe and components <= judged_again and isinstance(check.path, URIRef)
        reason = None
        if check.component == SH.SPARQLConstraintComponent or check.prebound:
            reason = "a SPARQL constraint"  # or a SPARQL-based component's validator
        elif unsafe and not recheck:
            reason = "a literal whose datatype or well-formedness the store changed"
        elif any(f in text for f in _TEXT):
            reason = "the lexical form of a rewritten literal"
        elif merged and any(f in text for f in _COUNTING):
            reason = "literals the store merged into one"
        if reason is not None:
            raise Unsupported(f"{check.shape} over {reason}")
        return recheck

    def as_written(
        self, check: Check, results: list[RawResult], *, recheck: bool = False
    ) -> list[RawResult]:
        """*results* with each rewritten value replaced by the literals as written
        (with *recheck*, only the originals that fail the check's ``sh:datatype``).

        :raises Unsupported: if a rewritten value came through a path that is
            not one property (its triple, hence its originals, is not known).
        """
        if not self.stored_values:
            return results
        accepted = dict(check.datatypes)
        written: list[RawResult] = []
        for result in results:
            value = result.value
            stored = from_rdflib_term(value) if value is not None else None
            if not isinstance(stored, ox.Literal) or stored not in self.stored_values:
                written.append(result)
                continue
            focus = from_rdflib_term(result.focus)
            originals = None
            if isinstance(check.path, URIRef) and not isinstance(focus, ox.Literal):
                key = (focus, ox.NamedNode(str(check.path)), stored)
                # no entry: this triple's literal was written as the store keeps it
                originals = self.rewritten.get(key, (stored,))
            if originals is None:
                raise Unsupported(f"{check.shape}: a rewritten value reached through a path")
            if recheck and result.component in accepted:
                datatypes = accepted[result.component]
                originals = tuple(
                    o for o in originals if not any(_has_datatype(o, d) for d in datatypes)
                )
            for original in originals:
                node: Node = to_rdflib_term(original)
                written.append(result._replace(value=node))
        return written


def _has_datatype(literal: ox.Literal, datatype: str) -> bool:
    """``sh:datatype`` on one literal as written, as the compiled condition judges it."""
    return literal.datatype.value == datatype and well_formed(literal.value, datatype) is not False


def _changes_verdict(original: ox.Literal, stored: ox.Literal) -> bool:
    return original.datatype != stored.datatype or well_formed(
        original.value, original.datatype.value
    ) is not well_formed(stored.value, stored.datatype.value)
