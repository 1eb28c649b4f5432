"""``/reconcile``: the Reconciliation Service API 0.2 (as OpenRefine speaks it) over our graph.

The documents come from ``kg.reconcile.service``; this module reads the HTTP parameters (query
string or form), adds CORS headers to every answer (and JSONP when ``callback`` is given) and
turns bad input into 400 with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute

from api import errors
from kg.config import Settings
from kg.reconcile import service
from kg.reconcile.candidates import EntityIndex, current_index
from kg.store import StoreMissing

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "*",
}
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,99}$")


class CORSRoute(APIRoute):
    """Every answer of the router, errors included (in the app's error shape,
    ``api.errors``), carries the CORS headers, whatever app mounts it."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def with_cors(request: Request) -> Response:
            try:
                response = await handler(request)
            except RequestValidationError as e:
                first = e.errors()[0] if e.errors() else {}
                where = ".".join(str(x) for x in first.get("loc", ()))
                response = _error(request, errors.bad_request(
                    f"{where}: {first.get('msg', 'invalid')}"))
            except service.BadRequest as e:
                response = _error(request, errors.bad_request(str(e)))
            except StoreMissing:
                response = _error(request, errors.store_missing())
            except errors.ApiError as e:
                response = _error(request, e)
            response.headers.update(CORS_HEADERS)
            return response

        return with_cors


def _error(request: Request, err: errors.ApiError) -> Response:
    return errors.response(request, err)


router = APIRouter(prefix="/reconcile", tags=["reconcile"], route_class=CORSRoute)


def get_index(request: Request) -> EntityIndex:
    """The index of the published build (``app.state.settings``, else the default settings)."""
    settings = getattr(request.app.state, "settings", None) or Settings()
    if getattr(settings, "endpoint", ""):  # a remote SPARQL server holds the graph
        return remote_index(request.app.state, settings.base_iri)
    return current_index(settings)


def remote_index(state, base_iri: str) -> EntityIndex:
    """The index of the graph on a remote server, read once per app (``kg serve --endpoint``)."""
    index = getattr(state, "remote_index", None)
    if index is None:
        index = state.remote_index = EntityIndex.from_store(state.stores.local(), base_iri)
    return index


Index = Annotated[EntityIndex, Depends(get_index)]


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _send(document: dict, callback: str | None = None) -> Response:
    if callback:
        if not _CALLBACK.match(callback):
            raise service.BadRequest("callback: not a JavaScript identifier")
        body = f"{callback}({json.dumps(document, ensure_ascii=False)});"
        return Response(body, media_type="application/javascript")
    return JSONResponse(document)


def _answer(index: EntityIndex, request: Request, queries, extend, callback) -> Response:
    if queries is not None:
        return _send(service.reconcile(index, service.parse_queries(queries)), callback)
    if extend is not None:
        return _send(service.extend(index, service.parse_extend(index, extend)), callback)
    return _send(service.manifest(index, _root(request)), callback)


@router.get("", summary="Manifest, or results of the `queries` / `extend` given")
def reconcile_get(
    index: Index,
    request: Request,
    queries: str | None = None,
    extend: str | None = None,
    callback: str | None = None,
) -> Response:
    return _answer(index, request, queries, extend, callback)


@router.post("", summary="Results of the `queries` / `extend` given as form fields")
def reconcile_post(
    index: Index,
    request: Request,
    queries: Annotated[str | None, Form()] = None,
    extend: Annotated[str | None, Form()] = None,
    callback: Annotated[str | None, Form()] = None,
) -> Response:
    return _answer(index, request, queries, extend, callback)


@router.get("/suggest/entity")
def suggest_entity(
    index: Index,
    prefix: str = "",
    type: str | None = None,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = service.DEFAULT_LIMIT,
    callback: str | None = None,
) -> Response:
    return _send(service.suggest_entities(index, prefix, type, cursor, limit), callback)


@router.get("/suggest/type")
def suggest_type(index: Index, prefix: str = "", callback: str | None = None) -> Response:
    return _send(service.suggest_types(index, prefix), callback)


@router.get("/suggest/property")
def suggest_property(
    index: Index, prefix: str = "", type: str | None = None, callback: str | None = None
) -> Response:
    return _send(service.suggest_properties(index, prefix, type), callback)


@router.get("/flyout/entity")
def flyout_entity(index: Index, request: Request, id: str, callback: str | None = None) -> Response:
    document = service.flyout(index, id, _root(request))
    if document is None:
        raise errors.not_found(f"No entity {id!r} in the graph.")
    return _send(document, callback)


@router.get("/preview", response_class=HTMLResponse)
def preview(index: Index, request: Request, id: str) -> Response:
    body = service.preview_html(index, id, _root(request))
    if body is None:
        raise errors.not_found(f"No entity {id!r} in the graph.")
    return HTMLResponse(f"<!doctype html>\n<html><head><meta charset=\"utf-8\"></head>"
                        f"<body>{body}</body></html>")


@router.get("/properties", summary="Property proposals")
@router.post("/properties", summary="Property proposals (form fields)")
def properties(
    index: Index,
    type: str | None = None,
    limit: Annotated[int | None, Query(ge=0)] = None,
    callback: str | None = None,
) -> Response:
    return _send(service.propose_properties(index, type, limit), callback)


@router.options("{path:path}", include_in_schema=False)
def preflight(path: str) -> Response:
    return Response(status_code=204)
