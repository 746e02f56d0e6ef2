"""The JSON contract: which schema each JSON document names, and the error document.

Every JSON document goalgraph writes (``validate``, ``trace``, ``coverage``,
``status``, ``compare`` and the one-table commands with ``--format json``, a
validation delta, an input error, a refusal of ``goalgraph serve``) is an
object whose ``"$schema"`` names the ``$id`` of the JSON Schema (2020-12) it is
valid against, e.g. ``https://w3id.org/goalgraph/schema/validation/1``. The
schemas ship in the package (:func:`goalgraph.resources.schema_file`) and in
``docs/schemas/``; ``docs/json.md`` describes them.

Versioning: a new field keeps the version (readers ignore fields they do not
know); removing, renaming or retyping a field, or a new value of an enumerated
field, makes the next version (``…/validation/2``).

>>> schema_id("validation")
'https://w3id.org/goalgraph/schema/validation/1'
>>> stamped("error", {"kind": "load_error"})["$schema"]
'https://w3id.org/goalgraph/schema/error/1'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

__all__ = ["SCHEMA_BASE", "VERSIONS", "error_document", "schema", "schema_id", "stamped"]

SCHEMA_BASE = "https://w3id.org/goalgraph/schema/"
#: The current major version of each document; see the module docstring for when it changes.
VERSIONS: Mapping[str, int] = {
    "comparison": 1,
    "coverage": 1,
    "delta": 1,
    "error": 1,
    "service-error": 1,
    "status": 1,
    "table": 1,
    "trace": 1,
    "validation": 1,
}


def schema_id(name: str) -> str:
    """The ``$id`` of the schema of the documents called *name*, with its current version.

    :raises KeyError: if goalgraph writes no JSON document called *name*.

    >>> schema_id("trace")
    'https://w3id.org/goalgraph/schema/trace/1'
    """
    return f"{SCHEMA_BASE}{name}/{VERSIONS[name]}"


@cache
def _schema_text(name: str) -> str:
    from goalgraph.resources import schema_file

    return schema_file(name).read_text(encoding="utf-8")


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the documents called *name*, as shipped in the package.

    :raises KeyError: if goalgraph writes no JSON document called *name*.

    >>> schema("error")["$id"] == schema_id("error")
    True
    """
    if name not in VERSIONS:  # a KeyError naming it, not a missing file
        raise KeyError(name)
    loaded: dict[str, Any] = json.loads(_schema_text(name))
    return loaded


def stamped(name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """*data* with ``"$schema"`` (the schema id of *name*) as its first key.

    :raises KeyError: if goalgraph writes no JSON document called *name*.

    >>> list(stamped("trace", {"goal": "g"}))
    ['$schema', 'goal']
    """
    return {"$schema": schema_id(name), **data}


def error_document(
    error: BaseException,
    *,
    exit_code: int = 2,
    lang: str | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    """The JSON error document for *error* (valid against ``error.schema.json``).

    ``kind`` is the error's class in snake_case (``load_error``), ``kinds`` that
    class and its goalgraph (or click) ancestors, so a reader can act on
    ``endpoint_error`` whichever subclass a later version raises. The file, line,
    URL, term and spreadsheet problems are given where the error knows them.

    :param message: the text to give instead of ``str(error)`` (click's usage errors).
    :param lang: the language the message is in (default: the current default).
    :raises: nothing.

    >>> from goalgraph.errors import LoadError
    >>> doc = error_document(LoadError("Syntaxfel", path="a.ttl", line=3))
    >>> doc["kind"], doc["kinds"], doc["file"], doc["line"], doc["exit_code"]
    ('load_error', ['load_error', 'goal_graph_error'], 'a.ttl', 3, 2)
    """
    from goalgraph.i18n import default_lang

    document: dict[str, Any] = {
        "kind": _snake(type(error).__name__),
        "kinds": [
            _snake(cls.__name__)
            for cls in type(error).__mro__
            if issubclass(cls, Exception) and cls.__module__ != "builtins"
        ],
        "message": message if message is not None else str(error),
        "lang": lang or default_lang(),
        "exit_code": exit_code,
    }
    for field, attribute in (("file", "path"), ("line", "line"), ("url", "url"), ("term", "term")):
        value = getattr(error, attribute, None)
        if isinstance(value, str | int) and not isinstance(value, bool):
            document[field] = value
    candidates = getattr(error, "candidates", None)
    if candidates:
        document["candidates"] = [str(candidate) for candidate in candidates]
    problems = getattr(error, "problems", None)
    if problems:
        document["problems"] = [
            {
                "file": p.path,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "message": p.message,
            }
            for p in problems
        ]
    return stamped("error", document)


def _snake(name: str) -> str:
    """``GoalGraphError`` → ``goal_graph_error``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
