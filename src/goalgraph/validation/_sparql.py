"""SHACL-SPARQL constraints (https://www.w3.org/TR/shacl/#sparql-constraints) for the fast engine.

A constraint's own SELECT runs once, as a sub-query joined with every focus
node, so ``$this`` is handled set-wise; queries whose meaning a join would
change (sub-queries, solution modifiers, prefixes of their own) run once per
focus node with ``$this`` substituted, as pySHACL does.
"""

from __future__ import annotations

import re

import rdflib
from rdflib import URIRef
from rdflib.term import Node

from goalgraph.validation._check import Check, Unsupported
from goalgraph.validation._shapes import SH, PathExpr, path_text

__all__ = ["compile_sparql", "minus_for_not_exists"]


def compile_sparql(
    graph: rdflib.Graph,
    shape: Node,
    constraint: Node,
    focus: str,
    path: PathExpr | None,
    severity: URIRef,
) -> Check:
    """Compile the SPARQL constraint *constraint* of *shape* into a check.

    :raises Unsupported: for constraints without ``sh:select`` or using
        ``$shapesGraph`` / ``$currentShape``.
    """
    select = graph.value(constraint, SH.select)
    if select is None:
        raise Unsupported("sh:sparql without sh:select")
    text = str(select)
    if "$shapesGraph" in text or "$currentShape" in text:
        raise Unsupported("$shapesGraph / $currentShape in SPARQL constraints")
    if path is not None:
        text = text.replace("$PATH", path_text(path))
    prefixes = []
    for holder in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(holder, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes.append(f"PREFIX {prefix}: <{namespace}>")
    header = "\n".join(sorted(set(prefixes)))
    bare = re.sub(r'"""[\s\S]*?"""|"[^"\n]*"|#[^\n]*', " ", text)
    projection = re.search(
        r"SELECT\s+(DISTINCT\s+|REDUCED\s+)?(.*?)\s*(WHERE|\{)", bare, re.I | re.S
    )
    projected = projection.group(2) if projection else ""
    setwise = (
        len(re.findall(r"\bSELECT\b", bare, re.I)) == 1
        and not re.search(r"\b(PREFIX|BASE|LIMIT|OFFSET|ORDER|GROUP|HAVING|SERVICE)\b", bare, re.I)
        and re.search(r"[?$]this\b", projected) is not None
    )
    value_var = "value" if re.search(r"[?$]value\b", projected) else None
    if setwise:
        text = minus_for_not_exists(text)
        query = f"{header}\nSELECT * WHERE {{ {focus} {{ {text} }} }}"
        return Check(
            query, shape, SH.SPARQLConstraintComponent, severity, path, constraint, value_var
        )
    return Check(
        f"{header}\n{text}",
        shape,
        SH.SPARQLConstraintComponent,
        severity,
        path,
        constraint,
        value_var,
        per_focus=True,
        focus_query=f"SELECT ?this WHERE {{ {focus} }}",
    )


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}", re.I)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def minus_for_not_exists(text: str) -> str:
    """Rewrite ``FILTER NOT EXISTS { bgp }`` as ``MINUS { bgp }`` where both mean the same.

    SHACL forbids MINUS in SPARQL constraints, but on pyoxigraph NOT EXISTS
    over a path is quadratic. The two agree when the query has no OPTIONAL
    or UNION (so outer variables are always bound), the block is flat, it
    shares a variable with the rest of the query, and its own FILTERs only
    use variables of its own triple patterns.
    """
    if re.search(r"\b(OPTIONAL|UNION)\b", text, re.I):
        return text

    def rewrite(match: re.Match[str]) -> str:
        body = match.group(1)
        outside = text[: match.start()] + text[match.end() :]
        inner_vars = set(_VARIABLE.findall(body))
        if not inner_vars & set(_VARIABLE.findall(outside)):
            return match.group(0)
        triples = re.sub(
            r"FILTER\s*\((?:[^()]|\([^()]*(?:\([^()]*\))*[^()]*\))*\)", " ", body, flags=re.I
        )
        if not set(_VARIABLE.findall(body)) <= set(_VARIABLE.findall(triples)):
            return match.group(0)
        return "MINUS {" + body + "}"

    return _NOT_EXISTS.sub(rewrite, text)
