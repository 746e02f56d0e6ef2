"""goalgraph: a knowledge graph and rules engine for Swedish municipal goal governance.

>>> import goalgraph
>>> graph = goalgraph.load()
>>> graph.count("vocabulary") > 0
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from goalgraph.dependents import impact
from goalgraph.endpoint import Endpoint
from goalgraph.errors import (
    ChangeError,
    EndpointError,
    GoalGraphError,
    KoladaError,
    LoadError,
    OutputError,
    PushError,
    QueryError,
    ReasonerUnavailable,
    ReportError,
    ShapesError,
    SpreadsheetError,
    StoreError,
    UnknownTermError,
    ValidationFailed,
)
from goalgraph.followup import Comparison, StatusReport, compare, status
from goalgraph.gaps import coverage
from goalgraph.graph import GoalGraph
from goalgraph.loading import load
from goalgraph.namespace import GG, REF, SDG
from goalgraph.query_library import run_query
from goalgraph.reasoning import check_consistency, infer
from goalgraph.report import write_report
from goalgraph.store.disk import open_store as open
from goalgraph.structure import hubs, orphans
from goalgraph.traceability import trace
from goalgraph.validation import (
    Severity,
    ValidationDelta,
    ValidationReport,
    Validator,
    validate,
)

try:
    __version__ = version("goalgraph")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = [
    "GG",
    "REF",
    "SDG",
    "ChangeError",
    "Comparison",
    "Endpoint",
    "EndpointError",
    "GoalGraph",
    "GoalGraphError",
    "KoladaError",
    "LoadError",
    "OutputError",
    "PushError",
    "QueryError",
    "ReasonerUnavailable",
    "ReportError",
    "Severity",
    "ShapesError",
    "SpreadsheetError",
    "StatusReport",
    "StoreError",
    "UnknownTermError",
    "ValidationDelta",
    "ValidationFailed",
    "ValidationReport",
    "Validator",
    "__version__",
    "check_consistency",
    "compare",
    "coverage",
    "hubs",
    "impact",
    "infer",
    "load",
    "open",
    "orphans",
    "run_query",
    "status",
    "trace",
    "validate",
    "write_report",
]
