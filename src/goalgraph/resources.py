"""Locate the files goalgraph ships: the only module that knows where they are.

The ontology, reference data and shapes live at the top of the source tree
(``ontology/``, ``shapes/``) and are copied into the wheel as
``goalgraph/ontology`` and ``goalgraph/shapes``. Files that belong to the
package itself (named SPARQL queries, message catalogues, templates) live
inside ``src/goalgraph``. Both layouts resolve through :func:`data_dir`.

>>> (ontology_dir() / "goalgraph.ttl").is_file()
True
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = [
    "ONTOLOGY_IRI",
    "data_dir",
    "followup_dir",
    "kolada_dir",
    "ontology_dir",
    "ontology_file",
    "package_dir",
    "queries_dir",
    "reference_files",
    "report_dir",
    "schema_file",
    "schemas_dir",
    "shapes_dir",
    "shapes_files",
    "store_queries_dir",
    "vocabulary_files",
]

ONTOLOGY_IRI = "https://w3id.org/goalgraph/ontology"


@cache
def package_dir() -> Path:
    """The directory of the installed ``goalgraph`` package."""
    return Path(str(files("goalgraph")))


@cache
def data_dir(name: str) -> Path:
    """The shipped top-level data folder *name* (``ontology`` or ``shapes``).

    Looks inside the installed package first (a wheel), then at the root of a
    source checkout (editable install or running from ``src/``).

    :raises FileNotFoundError: if the folder is in neither place.
    """
    inside = package_dir() / name
    if inside.is_dir():
        return inside
    checkout = package_dir().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"goalgraph data folder {name!r} not found in {inside} or {checkout}; reinstall goalgraph"
    )


def kolada_dir() -> Path:
    """The Kolada client's packaged files: ``queries/*.rq`` over the user's indicators."""
    return package_dir() / "kolada"


def followup_dir() -> Path:
    """The follow-up package's files: ``method.toml`` (thresholds) and ``queries/*.rq``."""
    return package_dir() / "followup"


def ontology_dir() -> Path:
    """The folder holding the ontology and, under ``reference/``, the reference data."""
    return data_dir("ontology")


def shapes_dir() -> Path:
    """The folder holding the built-in SHACL shapes."""
    return data_dir("shapes")


def ontology_file() -> Path:
    """The OWL ontology in Turtle."""
    return ontology_dir() / "goalgraph.ttl"


def reference_files() -> list[Path]:
    """The reference data files (Agenda 2030, concept schemes, RUS, kommuner), sorted."""
    return sorted((ontology_dir() / "reference").rglob("*.ttl"))


def vocabulary_files() -> list[Path]:
    """The ontology followed by every reference data file."""
    return [ontology_file(), *reference_files()]


def shapes_files() -> list[Path]:
    """The built-in SHACL shapes files, sorted."""
    return sorted(shapes_dir().glob("*.ttl"))


def queries_dir() -> Path:
    """The folder holding the named SPARQL queries (``*.rq``) of the analysis library."""
    return package_dir() / "queries"


def report_dir() -> Path:
    """The report's packaged files: ``templates/``, ``charts/`` (Vega-Lite) and ``queries/``."""
    return package_dir() / "report"


def schemas_dir() -> Path:
    """The JSON Schemas of goalgraph's JSON documents (``<name>.schema.json``)."""
    return package_dir() / "schemas"


def schema_file(name: str) -> Path:
    """The JSON Schema of the documents called *name* (``validation``, ``error``, ...).

    >>> schema_file("validation").name
    'validation.schema.json'
    """
    return schemas_dir() / f"{name}.schema.json"


def store_queries_dir() -> Path:
    """The SPARQL a store runs: the updates (``*.ru``) that keep a store's data graph the union
    of its sources, and the queries (``*.rq``) a remote store answers for the literal ledger."""
    return package_dir() / "store" / "queries"
