"""The service's HTTP API: a FastAPI application over one :class:`ServiceState`.

Every answer is JSON (the SPARQL endpoint answers in the format asked for),
every refusal the JSON error of :mod:`goalgraph.service.errors`, never a
traceback. The OpenAPI description is at ``/openapi.json``, a page to try it
at ``/docs``. Endpoints that compute run in FastAPI's worker threads, so
requests are answered concurrently; see :mod:`goalgraph.service.state` for
the lock.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from goalgraph.errors import GoalGraphError
from goalgraph.i18n import Lang, message
from goalgraph.limits import limit
from goalgraph.positions import parser_problem, place
from goalgraph.service.bodies import BodyLimit
from goalgraph.service.errors import RequestRefused, refusal_for
from goalgraph.service.state import ServiceState

__all__ = ["ChangeBody", "create_app"]

_JSON = "application/json"
_LANG_HELP = "Language of labels and messages: sv or en (default: the service's)."
_SPARQL_BODY: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"query": {"type": "string"}},
                    "required": ["query"],
                }
            },
        }
    }
}
_SPARQL_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT/ASK: SPARQL results (JSON, XML, CSV, TSV); "
        "CONSTRUCT/DESCRIBE: Turtle, N-Triples or RDF/XML, as Accept asks.",
        "content": {
            "application/sparql-results+json": {},
            "application/sparql-results+xml": {},
            "text/csv": {},
            "text/turtle": {},
        },
    }
}


class ChangeBody(BaseModel):
    """A change: triples to add and to remove, as RDF text; removed ones go first."""

    model_config = ConfigDict(extra="forbid")
    added: str = Field("", description="Triples to add (Turtle or N-Triples).")
    removed: str = Field("", description="Triples to remove (Turtle or N-Triples).")
    format: Literal["turtle", "n-triples"] = Field("turtle", description="Their syntax.")


def create_app(state: ServiceState) -> FastAPI:
    """The FastAPI application answering from *state*.

    >>> from goalgraph.service.state import ServiceState
    >>> app = create_app(ServiceState.from_sources(["examples/vetlanda/vetlanda.ttl"]))
    >>> sorted({r.path for r in app.routes if r.path.startswith("/s")})
    ['/sparql', '/status']
    """
    from goalgraph import __version__

    app = FastAPI(
        title="goalgraph",
        version=__version__,
        summary="Consistency checks, SPARQL and analysis of goal data held in memory.",
        description="See docs/service.md.",
    )
    app.add_middleware(BodyLimit, limit=limit("request_size").value)

    def refused(error: RequestRefused) -> Response:
        return Response(
            json.dumps(error.body(), ensure_ascii=False), status_code=error.status, media_type=_JSON
        )

    def as_json(text: str) -> Response:
        return Response(text, media_type=_JSON)

    @app.exception_handler(GoalGraphError)
    async def _goalgraph_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, GoalGraphError)
        return refused(refusal_for(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            {"where": ".".join(str(p) for p in error.get("loc", ())), "problem": error.get("msg")}
            for error in exc.errors()
        ]
        malformed = any(error.get("type") == "json_invalid" for error in exc.errors())
        text = "; ".join(f"{p['where']}: {p['problem']}" for p in problems)
        if malformed:
            return refused(
                RequestRefused(400, "malformed_json", _bad_json(await request.body(), text))
            )
        return refused(
            RequestRefused(
                422, "invalid_request", message("serve.invalid", problem=text), problems=problems
            )
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        if code is None:
            return refused(RequestRefused(exc.status_code, "http_error", str(exc.detail)))
        text = message(f"serve.{code}", method=request.method, path=request.url.path)
        return refused(RequestRefused(exc.status_code, code, text))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # a fault of goalgraph, not of the request: said so, without a traceback
        return refused(
            RequestRefused(
                500, "internal_error", message("serve.internal", kind=type(exc).__name__)
            )
        )

    @app.get("/health", summary="Is the service up, and what does it hold")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "triples": state.triples(),
            "store": str(state.store) if state.store else None,
            "lang": state.lang,
        }

    async def answer_sparql(request: Request) -> Response:
        from goalgraph.service.sparql import query_of

        body = await request.body() if request.method == "POST" else b""
        params = {name: request.query_params.getlist(name) for name in request.query_params}
        text = query_of(request.method, params, request.headers.get("content-type"), body)
        answer, media = await run_in_threadpool(
            state.queries.answer, text, request.headers.get("accept")
        )
        return Response(answer, media_type=media)

    @app.get(
        "/sparql",
        summary="SPARQL 1.1 query endpoint (read-only), query in the URL",
        responses=_SPARQL_ANSWERS,
    )
    async def sparql_get(
        request: Request,
        query: Annotated[str | None, Query(description="The SPARQL query.")] = None,
    ) -> Response:
        return await answer_sparql(request)

    @app.post(
        "/sparql",
        summary="SPARQL 1.1 query endpoint (read-only), query in the body",
        responses=_SPARQL_ANSWERS,
        openapi_extra=_SPARQL_BODY,
    )
    async def sparql_post(request: Request) -> Response:
        return await answer_sparql(request)

    @app.post(
        "/validate",
        summary="The validation report (as validate --format json), or its findings on some items",
    )
    def validate(
        lang: Annotated[Lang | None, Query(description=_LANG_HELP)] = None,
        focus: Annotated[
            list[str] | None,
            Query(
                description="Only the findings about this item: its id (e.g. KFN-1), title or "
                "IRI, as /trace takes a goal; repeatable (as validate --focus)."
            ),
        ] = None,
    ) -> Response:
        if focus:
            return as_json(state.focused_report(focus, lang=lang).to_json())
        return as_json(state.answers.report(state.report(lang=lang)))

    @app.post(
        "/validate/changes",
        summary="Apply a change and get what it changed in the report (new and resolved findings)",
    )
    def changes(
        change: Annotated[ChangeBody, Body()],
        lang: Annotated[Lang | None, Query(description=_LANG_HELP)] = None,
        report: Annotated[
            bool, Query(description="Include the full report after the change (default true).")
        ] = True,
    ) -> Response:
        from goalgraph.service.changes import parse_change

        parsed = parse_change(change.model_dump())
        delta = state.apply(parsed.added, parsed.removed, lang=lang)
        return as_json(state.answers.delta(delta, report=report))

    @app.get("/trace", summary="Every path from a goal up and out (as trace --format json)")
    def trace(
        goal: Annotated[str, Query(description="The goal: IRI, local id (e.g. KFN-1) or title.")],
        kommun: Annotated[
            str | None, Query(description="Its kommun's code, if ids repeat.")
        ] = None,
        lang: Annotated[Lang | None, Query(description=_LANG_HELP)] = None,
    ) -> Response:
        from goalgraph.traceability import trace as trace_goal

        with state.reading():
            text = trace_goal(state.graph, goal, kommun=kommun).to_json(lang or state.lang)
        return as_json(text)

    @app.get(
        "/coverage", summary="Goals × SDGs, targets, … and the gaps (as coverage --format json)"
    )
    def coverage(
        by: Annotated[
            Literal["sdg", "target", "rus", "perspective", "challenge", "riktning"],
            Query(description="What to cover."),
        ] = "sdg",
        kommun: Annotated[str | None, Query(description="Only this kommun (code).")] = None,
        kind: Annotated[
            list[str] | None, Query(description="Only goals of these classes, e.g. CommitteeGoal.")
        ] = None,
        lang: Annotated[Lang | None, Query(description=_LANG_HELP)] = None,
    ) -> Response:
        from goalgraph.gaps import coverage as coverage_of

        kinds = tuple(kind) if kind else None
        with state.reading():
            report = coverage_of(
                state.graph, by, kommun=kommun, kinds=kinds, lang=lang or state.lang
            )
        return as_json(report.to_json())

    @app.get("/status", summary="Progress of nyckeltal and goals (as status --format json)")
    def status(
        year: Annotated[int | None, Query(description="Judge values up to this year.")] = None,
        kommun: Annotated[str | None, Query(description="Only this kommun (code).")] = None,
        at: Annotated[str | None, Query(description="A reporting point, e.g. DR-2019-08.")] = None,
        rule: Annotated[
            Literal["worst", "share", "mean-score"], Query(description="How goals combine.")
        ] = "worst",
        lang: Annotated[Lang | None, Query(description=_LANG_HELP)] = None,
    ) -> Response:
        from goalgraph.followup import status as status_of

        with state.reading():
            report = status_of(
                state.graph, year=year, at=at, kommun=kommun, rule=rule, lang=lang or state.lang
            )
        return as_json(report.to_json())

    return app


def _bad_json(body: bytes, fallback: str) -> str:
    """Why *body* is not JSON, with the place in the user's words (rad 2, kolumn 3)."""
    try:
        json.loads(body)
    except ValueError as exc:  # a JSONDecodeError has a place; bytes that are not UTF-8 do not
        found = parser_problem(exc)
        if found.line is not None:
            where = place(found.line, found.column)
            return message("serve.bad_json_at", place=where, detail=found.detail)
    return message("serve.bad_json", problem=fallback)
