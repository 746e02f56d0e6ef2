"""The fast engine's compiler: SHACL shapes to SPARQL queries for the pyoxigraph store.

Each constraint of a shape with targets becomes one SELECT query that returns
its violations for all focus nodes at once (SHACL Core, section 4 of the
spec: https://www.w3.org/TR/shacl/#core-components). ``sh:or``, ``sh:and``,
``sh:not`` and ``sh:node`` are compiled through a "does not conform"
pattern of the nested shape. Targets are in ``_targets``; closed shapes,
``sh:xone``, qualified value shapes, property pairs and ``sh:uniqueLang`` in
``_core_compiler`` (the base class of the compiler). SHACL-SPARQL constraints
(https://www.w3.org/TR/shacl/#sparql-constraints) run their own SELECT as a
sub-query joined with the focus nodes, so ``$this`` is handled set-wise;
queries for which that join is not equivalent to pre-binding (sub-queries,
solution modifiers) run once per focus node instead.

Absence is tested with ``MINUS`` rather than ``FILTER NOT EXISTS``: on
pyoxigraph the latter is quadratic over property paths.

Anything not covered raises :class:`Unsupported`; ``engine="auto"`` then
falls back to pySHACL. Results equal pySHACL's (tests compare them) except
where pySHACL departs from the spec (it lets some incomparable values pass
``sh:lessThan`` and the range constraints, which SPARQL's operators reject).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

import rdflib
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from goalgraph.validation._check import (
    Check,
    Member,
    Tabled,
    TabledOr,
    TableTargets,
    Unsupported,
    ValueTest,
)
from goalgraph.validation._core_compiler import CoreCompiler, Violation
from goalgraph.validation._core_compiler import sparql_term as _term
from goalgraph.validation._core_paths import nullable, value_pattern
from goalgraph.validation._core_property_pairs import ORDER_OPERATORS, PAIR_COMPONENTS
from goalgraph.validation._core_shape_based import QUALIFIED_COMPONENTS
from goalgraph.validation._core_value_range import RANGE_COMPONENTS, range_condition
from goalgraph.validation._shapes import SH, PathExpr, path_expr, path_text
from goalgraph.validation._sparql import compile_sparql
from goalgraph.validation._sparql_components import component_checks, components_of
from goalgraph.validation._targets import focus_pattern, table_targets, targeted_shapes
from goalgraph.validation._targets import instances as _instances
from goalgraph.validation._unique import tabled_unique

__all__ = ["Check", "Unsupported", "compile_shapes", "compiled_by_shape"]

# Parameters that never produce results by themselves.
_IGNORED = {
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.path,
    SH.flags,
    SH.defaultValue,
    SH.declare,
    SH.prefixes,
    # a shape that is its own SPARQL constraint (sh:sparql) holds its query
    SH.select,
    SH.ask,
    SH.qualifiedValueShapesDisjoint,
    SH.qualifiedValueShape,
    SH.ignoredProperties,
}

_MERGEABLE = {
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.pattern,
    SH.minLength,
    SH.maxLength,
    SH.languageIn,
    *RANGE_COMPONENTS,
}

_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}

_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH.closed: SH.ClosedConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    **RANGE_COMPONENTS,
    **PAIR_COMPONENTS,
    **QUALIFIED_COMPONENTS,
}

# Components with one result per pair or language tag, not per value node.
_PER_PAIR = {SH.uniqueLang, *ORDER_OPERATORS}


class _Nesting(NamedTuple):
    """The focus chains of a shape nested in property shapes through ``sh:property``."""

    #: A pattern binding ``?this`` once per chain of value nodes from a targeted focus node.
    chain: str
    #: The variables of the outer focus nodes along each chain.
    keys: tuple[str, ...]


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plain(term: Node) -> bool:
    """An IRI, a string or a language string: a term whose identity the store never
    rewrites, and that rdflib keeps as written."""
    return isinstance(term, URIRef) or (
        isinstance(term, Literal) and (bool(term.language) or term.datatype in (None, XSD.string))
    )


class _Compiler(CoreCompiler):
    def active(self, shape: Node) -> bool:
        return not any(v == Literal(True) for v in self.g.objects(shape, SH.deactivated))

    def path_of(self, shape: Node) -> PathExpr | None:
        node = self.g.value(shape, SH.path)
        if node is None:
            return None
        try:
            return path_expr(self.g, node)
        except ValueError as exc:
            raise Unsupported(str(exc)) from exc

    # --- constraints --------------------------------------------------------

    def constraints(self, shape: Node) -> Iterator[tuple[Node, Node]]:
        for predicate, value in sorted(self.g.predicate_objects(shape), key=str):
            if predicate in _IGNORED or predicate == RDF.type:
                continue
            if predicate in _COMPONENT or predicate in (SH.property, SH.sparql):
                yield predicate, value
            elif str(predicate).startswith(str(SH)):
                raise Unsupported(f"{predicate} on {shape}")

    def condition(self, shape: Node, param: Node, value: Node, v: str) -> str | None:
        """A FILTER expression true when the value node *v* meets a value-type constraint."""
        if param == SH.datatype:
            # well-formedness is known from the graph's literal ledger, resolved at run time
            # (see _fast): the store itself checks the lexical forms of too few datatypes
            condition = f"isLiteral({v}) && DATATYPE({v}) = {_term(value)}"
            if isinstance(value, URIRef):
                condition += f" && %%WELLFORMED {v} {_term(value)}%%"
            return condition
        if param == SH.nodeKind:
            if value not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {value}")
            return _NODE_KINDS[value].format(v=v)
        if param == SH["in"]:
            allowed = " || ".join(f"sameTerm({v}, {_term(i)})" for i in self.items(value))
            return f"({allowed or 'false'})"
        if param == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            args = _string(str(value)) + (f", {_string(str(flags))}" if flags is not None else "")
            return f"(!isBlank({v}) && REGEX(STR({v}), {args}))"
        if param in (SH.minLength, SH.maxLength):
            op = ">=" if param == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)})"  # type: ignore[call-overload]
        if param in RANGE_COMPONENTS:
            if not isinstance(value, Literal):
                raise Unsupported(f"{param} {value}: not a literal")
            return range_condition(param, _term(value), v)
        if param == SH.languageIn:
            tags = " || ".join(
                f"LANGMATCHES(LANG({v}), {_string(str(t))})" for t in self.items(value)
            )
            return f"(isLiteral({v}) && ({tags or 'false'}))"
        return None

    def result_pattern(
        self, shape: Node, param: Node, value: Node, focus: str, fvar: str, path: PathExpr | None
    ) -> Violation:
        """The violations of one constraint of *shape* for the focus nodes bound by *focus*."""
        if param == SH.property:
            # on a property shape: each value node must conform to the nested shape
            return Violation(*self.violation(shape, SH.node, value, focus, fvar, path))
        found = self.core_pattern(shape, param, value, focus, fvar, path)
        if found is not None:
            return found
        return Violation(*self.violation(shape, param, value, focus, fvar, path))

    def violation(
        self, shape: Node, param: Node, value: Node, focus: str, fvar: str, path: PathExpr | None
    ) -> tuple[str, str | None]:
        """A pattern binding *fvar* (and the returned value variable) for each violation."""
        values, vvar = self.value_nodes(focus, fvar, path)
        if param == SH["class"]:
            return f"{values} MINUS {{ {_instances(vvar, value)} }}", vvar
        condition = self.condition(shape, param, value, vvar)
        if condition is not None:
            return f"{values} FILTER(!({condition}))", vvar
        if param in (SH.minCount, SH.maxCount):
            if path is None:
                raise Unsupported(f"{param} on a node shape")
            count = int(value)  # type: ignore[call-overload]
            ovar = self.var("o")
            link = f"{fvar} {path_text(path)} {ovar} ."
            counted = value_pattern(focus, fvar, path, ovar)
            if param == SH.minCount:
                if count <= 0 or (count == 1 and nullable(path)):
                    return "", None
                if count == 1:
                    return f"{focus} MINUS {{ {link} }}", None
                return (
                    f"{focus} MINUS {{ SELECT {fvar} WHERE {{ {counted} }} GROUP BY {fvar} "
                    f"HAVING (COUNT(DISTINCT {ovar}) >= {count}) }}"
                ), None
            if count == 1:
                # a self-join is twice as fast as GROUP BY on pyoxigraph
                other = self.var("o")
                return (
                    f"{{ SELECT DISTINCT {fvar} WHERE {{ {focus} {link} "
                    f"{fvar} {path_text(path)} {other} . FILTER(!sameTerm({ovar}, {other})) }} }}"
                ), None
            return (
                f"{{ SELECT {fvar} WHERE {{ {counted} }} GROUP BY {fvar} "
                f"HAVING (COUNT(DISTINCT {ovar}) > {count}) }}"
            ), None
        if param == SH.hasValue:
            if path is None:
                return f"{focus} FILTER(!sameTerm({fvar}, {_term(value)}))", None
            itself = f"FILTER(!sameTerm({fvar}, {_term(value)})) " if nullable(path) else ""
            return f"{focus} {itself}MINUS {{ {fvar} {path_text(path)} {_term(value)} . }}", None
        if param in (SH.node, SH["not"], SH["or"]):
            want = "conform" if param == SH["not"] else "fail"
            members = self.items(value) if param == SH["or"] else [value]
            chained: str | None = values
            for member in members:
                chained = self.simple(member, chained, vvar, want) if chained else None
            if chained is not None:
                return chained, vvar
        candidates = f"{{ SELECT DISTINCT {vvar} WHERE {{ {values} }} }}"
        if param == SH.node:
            return f"{values} {self.failing(value, candidates, vvar)}", vvar
        if param == SH["not"]:
            return f"{values} MINUS {self.failing(value, candidates, vvar)}", vvar
        if param == SH["and"]:
            union = " UNION ".join(self.failing(s, candidates, vvar) for s in self.items(value))
            return f"{values} {{ {union or 'VALUES ' + vvar + ' { }'} }}", vvar
        if param == SH["or"]:
            members = self.items(value)
            if not members:
                return values, vvar
            return f"{values} " + " ".join(self.failing(s, candidates, vvar) for s in members), vvar
        raise Unsupported(f"{param} in a nested shape")

    def simple(self, shape: Node, pattern: str, x: str, want: str) -> str | None:
        """*pattern* restricted to the *x* that fail (or conform to) *shape*, without
        a sub-query; ``None`` when the shape is not simple enough for that.

        Chaining these keeps ``sh:or`` of single-constraint shapes to one pass.
        """
        if not self.active(shape):
            return pattern if want == "conform" else None
        constraints = list(self.nested_constraints(shape))
        if want == "conform":
            for owner, param, value, path in constraints:
                restricted = self.simple_constraint(owner, param, value, path, pattern, x, want)
                if restricted is None:
                    return None
                pattern = restricted
            return pattern
        if len(constraints) != 1:
            return None
        owner, param, value, path = constraints[0]
        return self.simple_constraint(owner, param, value, path, pattern, x, want)

    def simple_constraint(
        self,
        shape: Node,
        param: Node,
        value: Node,
        path: PathExpr | None,
        pattern: str,
        x: str,
        want: str,
    ) -> str | None:
        fail = want == "fail"
        if path is not None:
            if nullable(path):
                return None
            if param == SH.minCount and int(value) == 1:  # type: ignore[call-overload]
                link = f"{x} {path_text(path)} {self.var('o')} ."
            elif param == SH.hasValue:
                link = f"{x} {path_text(path)} {_term(value)} ."
            else:
                return None
            return f"{pattern} MINUS {{ {link} }}" if fail else f"{pattern} {link}"
        if param == SH["class"]:
            inst = _instances(x, value)
            return f"{pattern} MINUS {{ {inst} }}" if fail else f"{pattern} {inst}"
        if param == SH.hasValue:
            condition: str | None = f"sameTerm({x}, {_term(value)})"
        else:
            condition = self.condition(shape, param, value, x)
        if condition is not None:
            return f"{pattern} FILTER({'!' if fail else ''}({condition}))"
        if param in (SH["not"], SH.node):
            flipped = ("conform" if fail else "fail") if param == SH["not"] else want
            return self.simple(value, pattern, x, flipped)
        if param == SH["or"] and fail:
            for member in self.items(value):
                restricted = self.simple(member, pattern, x, "fail")
                if restricted is None:
                    return None
                pattern = restricted
            return pattern
        if param == SH["and"] and not fail:
            for member in self.items(value):
                restricted = self.simple(member, pattern, x, "conform")
                if restricted is None:
                    return None
                pattern = restricted
            return pattern
        return None

    def failing(self, shape: Node, candidates: str, xvar: str) -> str:
        """A group binding *xvar* to the candidates that do not conform to *shape*."""
        parts = []
        if self.active(shape):
            for owner, param, value, path in self.nested_constraints(shape):
                pattern = self.result_pattern(owner, param, value, candidates, xvar, path).pattern
                if pattern:
                    parts.append(f"{{ SELECT DISTINCT {xvar} WHERE {{ {pattern} }} }}")
        if not parts:
            return f"{{ VALUES {xvar} {{ }} }}"
        return "{ " + " UNION ".join(parts) + " }"

    def nested_constraints(self, shape: Node) -> Iterator[tuple[Node, Node, Node, PathExpr | None]]:
        path = self.path_of(shape)
        if components_of(self.g, shape):
            raise Unsupported(f"a SPARQL-based constraint component in the nested shape {shape}")
        for param, value in self.constraints(shape):
            if param == SH.sparql:
                raise Unsupported("sh:sparql in a nested shape")
            if param == SH.property and path is None:
                if self.active(value):
                    yield from self.nested_constraints(value)
                continue
            yield shape, param, value, path

    # --- checks of a targeted shape ------------------------------------------

    def checks(
        self,
        shape: Node,
        focus: str,
        nesting: _Nesting | None = None,
        targets: TableTargets | None = None,
    ) -> Iterator[Check]:
        """The checks of *shape* for the focus nodes bound to ``?this`` by *focus*.

        *nesting* is set for a shape reached through ``sh:property`` of a
        property shape: its results repeat once per path from a targeted focus.
        *targets*, if set, are the targets that bind *focus* (they make a property
        check answerable from the load's tables).
        """
        if nesting is None:
            yield from self.unnested_checks(shape, focus, nesting, targets)
            return
        repeat = f"SELECT ?this (COUNT(*) AS ?n) WHERE {{ {nesting.chain} }} GROUP BY ?this"
        for check in self.unnested_checks(shape, focus, nesting, None):
            yield check if check.repeat_query else replace(check, repeat_query=repeat)

    def unnested_checks(
        self, shape: Node, focus: str, nesting: _Nesting | None, targets: TableTargets | None
    ) -> Iterator[Check]:
        if not self.active(shape):
            return
        path = self.path_of(shape)
        severity = self.g.value(shape, SH.severity) or SH.Violation
        for check in component_checks(self.g, shape, focus, path, severity, targets):  # type: ignore[arg-type]
            yield replace(check, tabled=tabled_unique(self.g, check, targets))
        constraints = list(self.constraints(shape))
        if path is not None:
            merged = self.merged(shape, constraints, focus, path, severity)  # type: ignore[arg-type]
            if merged is not None:
                yield replace(merged, tabled=self.tabled(targets, path, merged.merged_params))
                done = {p for p, _ in merged.merged_params}
                constraints = [(p, v) for p, v in constraints if p not in done]
        for param, value in constraints:
            if param == SH.property:
                if path is None:
                    yield from self.checks(value, focus, nesting, targets)
                else:
                    inner = self.nested(focus, nesting, path)
                    yield from self.checks(
                        value, f"{{ SELECT DISTINCT ?this WHERE {{ {inner.chain} }} }}", inner
                    )
            elif param == SH.sparql:
                if self.active(value):
                    yield compile_sparql(self.g, shape, value, focus, path, severity, targets)  # type: ignore[arg-type]
            else:
                found = self.result_pattern(shape, param, value, focus, "?this", path)
                if not found.pattern:
                    continue
                vvar = found.value
                variables = [v for v in (vvar, found.path) if v and v != "?this"]
                distinct = "" if param in _PER_PAIR else "DISTINCT "
                accepted = self.accepted_datatypes(param, value)
                yield Check(
                    query=f"SELECT {distinct}{' '.join(['?this', *variables])} "
                    f"WHERE {{ {found.pattern} }}",
                    shape=shape,
                    component=_COMPONENT[param],
                    severity=severity,  # type: ignore[arg-type]
                    path=path,
                    value_var=vvar[1:] if vvar else None,
                    path_var=found.path[1:] if found.path else None,
                    datatypes=((_COMPONENT[param], accepted),) if accepted else (),
                    tabled=self.tabled(targets, path, ((param, value),)),
                )

    def tabled(
        self,
        targets: TableTargets | None,
        path: PathExpr | None,
        params: tuple[tuple[Node, Node], ...],
    ) -> Tabled | TabledOr | None:
        """The check of *params* on one property over the focus nodes of *targets* in the
        form the load's tables answer (``_tabled``), or of a node shape's ``sh:or`` of
        simple members; ``None`` if a constraint is not of that kind."""
        if targets is None:
            return None
        if path is None and len(params) == 1 and params[0][0] == SH["or"]:
            members = self.or_members(params[0][1])
            if members is None:
                return None
            return TabledOr(targets, members)
        if not isinstance(path, URIRef):
            return None
        counts: dict[Node, int] = {}
        tests: list[ValueTest] = []
        for param, value in params:
            if param in (SH.minCount, SH.maxCount):
                if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
                    return None
                counts[param] = int(value)
                continue
            test = self.value_test(param, value)
            if test is None:
                return None
            tests.append(test)
        return Tabled(
            targets,
            str(path),
            counts.get(SH.minCount),
            counts.get(SH.maxCount),
            tuple(tests),
        )

    def or_members(self, members: Node) -> tuple[Member, ...] | None:
        """The shapes of the ``sh:or`` list *members* as :class:`Member` tests, or ``None``
        if one is anything else (or has a SPARQL-based constraint)."""
        found = []
        for member in self.items(members):
            if not self.active(member) or components_of(self.g, member):
                return None
            path = self.path_of(member)
            constraints = list(self.constraints(member))
            if constraints == [(SH.minCount, Literal(1))]:
                if isinstance(path, URIRef):
                    found.append(Member("has", (path,)))
                    continue
                if (
                    isinstance(path, tuple)
                    and path[0] == "seq"
                    and len(path[1]) == 2  # type: ignore[arg-type]
                    and all(isinstance(step, URIRef) for step in path[1])  # type: ignore[attr-defined]
                ):
                    found.append(Member("has2", tuple(path[1])))  # type: ignore[arg-type]
                    continue
                return None
            if path is None and len(constraints) == 1 and constraints[0][0] == SH["not"]:
                inner = constraints[0][1]
                inner_path = self.path_of(inner)
                inner_constraints = list(self.constraints(inner))
                if (
                    self.active(inner)
                    and not components_of(self.g, inner)
                    and isinstance(inner_path, URIRef)
                    and len(inner_constraints) == 1
                    and inner_constraints[0][0] == SH.hasValue
                    and _plain(inner_constraints[0][1])
                ):
                    found.append(Member("lacks", (inner_path, inner_constraints[0][1])))
                    continue
            return None
        return tuple(found) if found else None

    def value_test(self, param: Node, value: Node) -> ValueTest | None:
        """A class, datatype, ``sh:or`` of datatypes, ``sh:in`` or node kind as a test
        on values as written; ``None`` for anything else (or a literal in ``sh:in`` that
        rdflib may have rewritten: only strings and language strings are taken)."""
        component = _COMPONENT.get(param)
        if component is None:
            return None
        if param == SH["class"]:
            return ValueTest(component, "class", (value,)) if isinstance(value, URIRef) else None
        if param == SH.nodeKind:
            return ValueTest(component, "nodeKind", (value,)) if value in _NODE_KINDS else None
        if param == SH["in"]:
            items = tuple(self.items(value))
            return ValueTest(component, "in", items) if all(map(_plain, items)) else None
        accepted = self.accepted_datatypes(param, value)
        if accepted is None:
            return None
        return ValueTest(component, "datatypes", tuple(URIRef(d) for d in accepted))

    def nested(self, focus: str, nesting: _Nesting | None, path: PathExpr) -> _Nesting:
        """The chains of focus nodes of a shape nested with ``sh:property`` in a property
        shape: the outer shape's value nodes are the inner shape's focus nodes."""
        outer = self.var("up")
        chain, keys = (focus, ()) if nesting is None else (nesting.chain, nesting.keys)
        kept = " ".join(keys)
        outer_focus = f"{{ SELECT {kept} (?this AS {outer}) WHERE {{ {chain} }} }}"
        values = value_pattern(outer_focus, outer, path, "?this")
        return _Nesting(
            f"{{ SELECT DISTINCT {kept} {outer} ?this WHERE {{ {values} }} }}", (*keys, outer)
        )

    def accepted_datatypes(self, param: Node, value: Node) -> tuple[str, ...] | None:
        """The datatypes a ``sh:datatype`` or a ``sh:or`` of shapes that each have one
        ``sh:datatype`` and nothing else accepts; ``None`` for any other constraint."""
        if param == SH.datatype:
            return (str(value),) if isinstance(value, URIRef) else None
        if param != SH["or"]:
            return None
        members = self.node_members(value)
        if not members or any(
            len(found) != 1 or found[0][0] != SH.datatype or not isinstance(found[0][1], URIRef)
            for _, found in members
        ):
            return None
        return tuple(str(found[0][1]) for _, found in members)

    def node_members(self, members: Node) -> list[tuple[Node, list[tuple[Node, Node]]]] | None:
        """The shapes of the list *members* (an ``sh:or``) with their constraints; ``None``
        if one is deactivated or has a path (it is not a plain condition on the value)."""
        found = []
        for member in self.items(members):
            if not self.active(member) or self.path_of(member) is not None:
                return None
            found.append((member, list(self.constraints(member))))
        return found

    def or_condition(self, members: Node, v: str) -> str | None:
        """``sh:or`` of shapes with only value-type constraints as one FILTER expression."""
        alternatives = []
        for member, constraints in self.node_members(members) or ():
            conditions = []
            for param, value in constraints:
                condition = self.condition(member, param, value, v)
                if condition is None:
                    return None
                conditions.append(f"({condition})")
            alternatives.append(" && ".join(conditions) or "true")
        return "(" + " || ".join(f"({a})" for a in alternatives) + ")" if alternatives else None

    def merged(
        self,
        shape: Node,
        constraints: list[tuple[Node, Node]],
        focus: str,
        path: PathExpr,
        severity: URIRef,
    ) -> Check | None:
        """One query for all count and value-type constraints of a property shape.

        Each query over a large focus set (290 000 observations) costs a pass
        over it; merging minCount 1, maxCount 1, class and value conditions
        makes that one pass instead of three or four.
        """
        if nullable(path):
            return None
        mergeable = [
            (p, v)
            for p, v in constraints
            if p in _MERGEABLE or (p == SH["or"] and self.or_condition(v, "?v") is not None)
        ]
        if len(mergeable) < 2 or len(mergeable) != len({p for p, _ in mergeable}):
            return None
        for param, value in mergeable:
            if param in (SH.minCount, SH.maxCount) and int(value) != 1:  # type: ignore[call-overload]
                return None
        v, v2 = "?v", "?v2"
        link = path_text(path)
        lines = [focus, f"OPTIONAL {{ ?this {link} {v} . }}"]
        failing = []
        merged: list[tuple[URIRef, str]] = []
        datatypes: list[tuple[URIRef, tuple[str, ...]]] = []
        for index, (param, value) in enumerate(mergeable):
            component = _COMPONENT[param]
            accepted = self.accepted_datatypes(param, value)
            if accepted:
                datatypes.append((component, accepted))
            if param == SH.minCount:
                merged.append((component, ""))
                failing.append(f"!BOUND({v})")
            elif param == SH.maxCount:
                lines.append(f"OPTIONAL {{ ?this {link} {v2} . FILTER(!sameTerm({v}, {v2})) }}")
                merged.append((component, ""))
                failing.append(f"BOUND({v2})")
            else:
                ok = f"?ok{index}"
                if param == SH["class"]:
                    condition = f"EXISTS {{ {_instances(v, value)} }}"
                elif param == SH["or"]:
                    condition = self.or_condition(value, v)  # type: ignore[assignment]
                else:
                    condition = self.condition(shape, param, value, v)  # type: ignore[assignment]
                lines.append(f"BIND(COALESCE({condition}, false) AS {ok})")
                merged.append((component, ok[1:]))
                failing.append(f"(BOUND({v}) && !{ok})")
        lines.append(f"FILTER({' || '.join(failing)})")
        return Check(
            query=f"SELECT * WHERE {{ {' '.join(lines)} }}",
            shape=shape,
            component=SH.PropertyShape,
            severity=severity,
            path=path,
            merged=tuple(merged),
            merged_params=tuple(mergeable),
            datatypes=tuple(datatypes),
        )


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Compile every targeted shape of *shapes* into SPARQL checks.

    :raises Unsupported: if the shapes use a feature the fast engine lacks.

    >>> from goalgraph.validation._shapes import builtin_shapes_files, load_shapes
    >>> len(compile_shapes(load_shapes(builtin_shapes_files()))) > 20
    True
    """
    checks: list[Check] = []
    for _, compiled in compiled_by_shape(shapes):
        if isinstance(compiled, Unsupported):
            raise compiled
        checks.extend(compiled)
    return checks


def compiled_by_shape(shapes: rdflib.Graph) -> list[tuple[Node, list[Check] | Unsupported]]:
    """Each targeted shape of *shapes* with its compiled checks, or why it cannot be compiled.

    :raises Unsupported: if the shapes use a feature that concerns them all (SHACL-AF
        custom targets).

    >>> from goalgraph.validation._shapes import builtin_shapes_files, load_shapes
    >>> parts = compiled_by_shape(load_shapes(builtin_shapes_files()))
    >>> all(isinstance(checks, list) for _, checks in parts)
    True
    """
    compiler = _Compiler(shapes)
    parts: list[tuple[Node, list[Check] | Unsupported]] = []
    for shape in targeted_shapes(shapes):
        try:
            focus = focus_pattern(shapes, shape, "?this", compiler.var)
            targets = table_targets(shapes, shape)
            parts.append((shape, list(compiler.checks(shape, focus, targets=targets))))
        except Unsupported as exc:
            parts.append((shape, exc))
    return parts
