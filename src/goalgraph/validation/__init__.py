"""Validation of goal data against goalgraph's SHACL shapes.

Two engines give the same results: ``fast`` compiles the shapes to SPARQL
and runs them on the embedded pyoxigraph store; ``pyshacl`` is the
reference. ``validate`` returns a :class:`ValidationReport`; it raises only
when you call :meth:`ValidationReport.raise_for_violations`.

>>> from goalgraph import load
>>> validate(load()).conforms
True
"""

from goalgraph.validation._incremental import ValidationDelta, Validator
from goalgraph.validation._report import Severity, ValidationReport, ValidationResult
from goalgraph.validation._shapes import builtin_shapes_files
from goalgraph.validation._validate import Engine, validate

__all__ = [
    "Engine",
    "Severity",
    "ValidationDelta",
    "ValidationReport",
    "ValidationResult",
    "Validator",
    "builtin_shapes_files",
    "validate",
]
