"""Errors: named constructors, one stable JSON shape, and an HTML page for browsers.

Every error the app sends has the shape::

    {"error": {"status": 400, "code": "bad_query", "message": "…", …details}}

(details such as ``line``/``column`` of a syntax error, ``acceptable`` media types of a 406,
``limit`` of a 503 or 413). A client that prefers HTML (a browser) gets ``error.html`` instead,
in its language, with the same status.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from api.negotiation import NotAcceptable, prefers_html

log = logging.getLogger("kg.api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, headers: dict | None = None,
                 **details):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.details = details

    def body(self) -> dict:
        return {"error": {"status": self.status, "code": self.code, "message": self.message,
                          **self.details}}


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # line, column, acceptable, limit…
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    """The JSON shape of every error (browsers get the same as an HTML page)."""

    error: ErrorDetail


_DESCRIPTIONS = {
    400: "Bad request: a query that does not parse (with line and column), SERVICE refused, "
         "bad parameters", 401: "A write without the server's bearer token",
    403: "A write on a read-only server", 404: "Not found", 405: "Method not allowed",
    406: "No acceptable format (the error lists them)", 413: "Request too large",
    415: "Unsupported content type", 503: "Time limit reached (the query was stopped), "
    "workers busy, or no graph built yet",
}


def documented(*statuses: int) -> dict:
    """OpenAPI ``responses`` for the errors a route may answer."""
    return {s: {"model": ErrorBody, "description": _DESCRIPTIONS.get(s, "Error")} for s in statuses}


# --- named errors (one per cause; routes raise these) ---------------------------------------

def bad_request(message: str, **details) -> ApiError:
    return ApiError(400, "bad_request", message, **details)


def bad_query(message: str, line: int | None = None, column: int | None = None) -> ApiError:
    details = {k: v for k, v in (("line", line), ("column", column)) if v is not None}
    return ApiError(400, "bad_query", message, **details)


def bad_rdf(message: str, line: int | None = None, column: int | None = None) -> ApiError:
    details = {k: v for k, v in (("line", line), ("column", column)) if v is not None}
    return ApiError(400, "bad_rdf", message, **details)


def service_refused() -> ApiError:
    return ApiError(400, "service_refused",
                    "SERVICE (federated query) and LOAD are disabled on this server: they "
                    "would make the server fetch URLs. An operator can enable it with KG_ALLOW_SERVICE=true.")


def unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", "This write needs the server's bearer token "
                    "(Authorization: Bearer …).", headers={"WWW-Authenticate": "Bearer"})


def loopback_only() -> ApiError:
    return ApiError(403, "loopback_only", "This server has no bearer token set, so it accepts "
                    "writes from its own machine (loopback) only.")


def read_only(what: str = "SPARQL Update") -> ApiError:
    return ApiError(403, "read_only",
                    f"This server is read-only: {what} is refused. Run `kg serve --writable` "
                    "on a local copy to modify the graph.")


def not_found(message: str = "Not found.") -> ApiError:
    return ApiError(404, "not_found", message)


def method_not_allowed(allowed: list[str]) -> ApiError:
    return ApiError(405, "method_not_allowed", f"Use {', '.join(allowed)}.",
                    headers={"Allow": ", ".join(allowed)}, allowed=allowed)


def not_acceptable(acceptable: list[str]) -> ApiError:
    return ApiError(406, "not_acceptable",
                    "None of the requested formats can be produced. Acceptable: "
                    + ", ".join(acceptable) + ".", acceptable=acceptable)


def payload_too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large",
                    f"The request is larger than the server accepts ({limit} bytes).",
                    limit=limit)


def unsupported_media_type(got: str, expected: list[str]) -> ApiError:
    return ApiError(415, "unsupported_media_type",
                    f"Unsupported content type {got or '(none)'}; expected one of "
                    + ", ".join(expected) + ".", expected=expected)


def query_timeout(limit: float, elapsed: float | None = None) -> ApiError:
    details = {"limit": limit}
    if elapsed is not None:
        details["stopped_after"] = round(elapsed, 3)  # seconds, from the start of the job
    return ApiError(503, "query_timeout",
                    f"The query ran past its time limit of {limit:g} s and was stopped. "
                    "Simplify it or add a LIMIT.", headers={"Retry-After": "1"}, **details)


def busy(limit: float) -> ApiError:
    return ApiError(503, "busy", f"Every query worker stayed busy for {limit:g} s; try again.",
                    headers={"Retry-After": "2"}, limit=limit)


def worker_lost() -> ApiError:
    return ApiError(503, "worker_lost", "The query worker stopped unexpectedly; the pool has "
                    "replaced it. Try again.", headers={"Retry-After": "1"})


def store_missing() -> ApiError:
    return ApiError(503, "store_missing", "No graph has been built yet (run `kg build`).")


def internal(message: str = "Internal error.") -> ApiError:
    return ApiError(500, "internal", message)


# --- responses ---------------------------------------------------------------------------

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
          413: "payload_too_large", 415: "unsupported_media_type"}


def response(request: Request, err: ApiError) -> Response:
    headers = {**err.headers, "Vary": "Accept", "Cache-Control": "no-store"}
    if prefers_html(request.headers.get("accept")):
        from api.rendering import render  # templates load lazily: JSON clients never pay

        return render(request, "error.html", {"error": err}, status_code=err.status,
                      headers=headers)
    return JSONResponse(err.body(), status_code=err.status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = _CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return response(request, ApiError(exc.status_code, code, message,
                                          headers=dict(exc.headers or {})))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        problems = [{"where": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                    for e in exc.errors()]
        return response(request, ApiError(400, "bad_request", "Invalid parameters.",
                                          problems=problems))

    @app.exception_handler(NotAcceptable)
    async def _not_acceptable(request: Request, exc: NotAcceptable):
        # negotiate() raises it wherever a route lets it through (?format=bogus on /store)
        return response(request, not_acceptable(exc.acceptable))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return response(request, internal())
