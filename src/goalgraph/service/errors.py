"""What a request did wrong (or what the service could not do), as an HTTP status and JSON body.

Every refusal the service sends has the same body, so a client reads one shape
(valid against ``service-error.schema.json``, see :mod:`goalgraph.contract`)::

    {"$schema": "https://w3id.org/goalgraph/schema/service-error/1",
     "error": {"code": "bad_change", "status": 400, "message": "…", …details}}

``code`` is stable (a client may branch on it), ``message`` is for people (sv or
en, as the service was started), and the details name what was wrong: the
``line`` of a malformed change, the ``triple`` a change could not remove, the
``limit`` a body went over.

>>> error = RequestRefused(413, "too_large", "too big", limit=10)
>>> error.body()["error"]
{'code': 'too_large', 'status': 413, 'message': 'too big', 'limit': 10}
"""

from __future__ import annotations

from typing import Any

from goalgraph.contract import stamped
from goalgraph.errors import (
    GoalGraphError,
    LoadError,
    QueryError,
    RemoteUnavailable,
    StoreError,
    UnknownTermError,
)

__all__ = ["RequestRefused", "refusal_for"]


class RequestRefused(GoalGraphError, ValueError):
    """A request the service refuses: its HTTP *status*, a stable *code*, a message, details.

    Nothing has changed when it is raised.
    """

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        """The JSON body of the refusal: ``{"$schema", "error": {code, status, message, …}}``.

        >>> RequestRefused(400, "no_query", "no query").body()["$schema"]
        'https://w3id.org/goalgraph/schema/service-error/1'
        """
        error = {"code": self.code, "status": self.status, "message": self.message}
        return stamped("service-error", {"error": error | self.details})


# The most specific class first: a subclass is matched before the class it extends.
_STATUS: tuple[tuple[type[GoalGraphError], int, str], ...] = (
    (UnknownTermError, 404, "unknown_term"),
    (QueryError, 400, "bad_query"),
    (LoadError, 400, "bad_input"),
    (StoreError, 503, "store_unavailable"),
    (RemoteUnavailable, 501, "not_available"),
)


def refusal_for(error: GoalGraphError) -> RequestRefused:
    """The refusal to send for a GoalGraphError a library function raised on a request's input.

    >>> refusal_for(UnknownTermError("no goal X", term="X")).status
    404
    >>> refusal_for(QueryError("bad")).code
    'bad_query'
    """
    if isinstance(error, RequestRefused):
        return error
    for kind, status, code in _STATUS:
        if isinstance(error, kind):
            details: dict[str, Any] = {}
            if isinstance(error, UnknownTermError):
                details["term"] = error.term
                if error.candidates:
                    details["candidates"] = error.candidates
            if isinstance(error, LoadError) and error.line is not None:
                details["line"] = error.line
            return RequestRefused(status, code, str(error), **details)
    return RequestRefused(400, "refused", str(error))
