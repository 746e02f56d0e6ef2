"""``goalgraph serve``: the graph held in memory behind a local HTTP service.

Other tools (a goal-management system, an editor, a CI job) ask the service
instead of starting goalgraph for every check: it loads the data once, then
answers SPARQL queries, full and incremental validation, trace, coverage and
status over HTTP with JSON (docs/service.md).

:func:`create_app` builds the FastAPI application from a :class:`ServiceState`
(the graph, its Validator and the lock); ``goalgraph serve`` runs it with uvicorn.
"""

from __future__ import annotations

from goalgraph.service.app import create_app
from goalgraph.service.state import ServiceState

__all__ = ["ServiceState", "create_app"]
