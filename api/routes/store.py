"""``/store``: the SPARQL 1.1 Graph Store Protocol.

A graph is named indirectly (``/store?graph=<IRI>``, ``/store?default``) or directly (the
request URL itself, ``/store/<anything>``). GET and HEAD read a graph in any RDF format
(negotiated); PUT, POST (Turtle, N-Triples, RDF/XML, JSON-LD…, or ``multipart/form-data`` of
such documents) and DELETE write, in writable mode only (403 otherwise). POST on ``/store``
itself creates a new graph and answers 201 with its IRI in ``Location``.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import errors, jobs, urls
from api.deps import require_write
from api.negotiation import GRAPHS, by_name, negotiate

router = APIRouter(tags=["graph store"])
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
WRITE = "Graph Store write"


def _graph(request: Request, direct: str | None) -> tuple[bool, str | None]:
    """``(named, iri)``: which graph the request addresses (``named`` False: none given)."""
    params = request.query_params
    has_default, graphs = "default" in params, params.getlist("graph")
    if direct:
        if has_default or graphs:
            raise errors.bad_request("A graph URL takes no ?default or ?graph parameter.")
        return True, urls.absolute(request, request.url.path)
    if has_default and graphs:
        raise errors.bad_request("Give ?default or ?graph=, not both.")
    if len(graphs) > 1:
        raise errors.bad_request("Give one ?graph= parameter.")
    if has_default:
        return True, None
    if graphs:
        if not graphs[0]:
            raise errors.bad_request("?graph= needs an absolute IRI.")
        return True, graphs[0]
    return False, None


async def _documents(request: Request) -> list[tuple[bytes, str]]:
    """The RDF documents of a PUT or POST body, each with its format key."""
    raw = request.headers.get("content-type", "")
    media = raw.split(";")[0].strip().lower()
    accepted = [f.media_type for f in GRAPHS] + ["multipart/form-data"]
    if media == "multipart/form-data":
        form = await request.form()
        docs = []
        for _, part in form.multi_items():
            if isinstance(part, str):
                raise errors.bad_request("Each multipart part must be a file with a content type.")
            ptype = (part.content_type or "").split(";")[0].strip().lower()
            fmt = by_name(ptype, GRAPHS)
            if fmt is None:
                raise errors.unsupported_media_type(ptype, accepted)
            docs.append((await part.read(), fmt.key))
        return docs
    fmt = by_name(media, GRAPHS) if media else None
    if fmt is None:
        raise errors.unsupported_media_type(media, accepted)
    return [(await request.body(), fmt.key)]


async def _read(request: Request, direct: str | None, head: bool):
    named, graph = _graph(request, direct)
    if not named:
        raise errors.bad_request("Name a graph: /store?default or /store?graph=<IRI>.")
    fmt = negotiate(request.headers.get("accept"), GRAPHS,
                    format_param=request.query_params.get("format"))
    answer = await jobs.run(request, "graph_get", {"graph": graph, "fmt": fmt.key},
                            jobs.time_limit(request, request.query_params.get("timeout")))
    headers = {"Vary": "Accept", "Content-Length": str(len(answer.body))}
    if head:
        return Response(status_code=200, media_type=fmt.content_type, headers=headers)
    return Response(answer.body, media_type=fmt.content_type, headers={"Vary": "Accept"})


async def _write(request: Request, direct: str | None, op: str):
    require_write(request, WRITE)
    named, graph = _graph(request, direct)
    if op == "graph_delete":
        if not named:
            raise errors.bad_request("Name the graph to delete: ?default or ?graph=<IRI>.")
        await jobs.run(request, op, {"graph": graph}, jobs.time_limit(request))
        return Response(status_code=204)
    docs = await _documents(request)
    location = None
    if not named:
        if op != "graph_post":
            raise errors.bad_request("Name the graph to replace: ?default or ?graph=<IRI>.")
        graph = location = urls.absolute(request, f"{urls.STORE}/{uuid.uuid4().hex}")
    created = await jobs.run(request, op, {
        "graph": graph, "documents": docs,
        "base_iri": graph or urls.absolute(request, request.url.path),
    }, jobs.time_limit(request))
    if location:
        return Response(status_code=201, headers={"Location": location})
    return Response(status_code=201 if created else 204)


def _parameter(name: str, description: str, **schema) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


# documented by hand: the routes read the raw request (``?default`` has no value, and a body
# may be any RDF format or a multipart form of them)
GRAPH_PARAMETERS = [
    _parameter("graph", "The IRI of the graph (or ?default for the default graph)"),
    _parameter("default", "The default graph (a bare flag: ?default)", allowEmptyValue=True,
               type="string"),
]
READ = {"parameters": [
    *GRAPH_PARAMETERS,
    _parameter("format", "RDF format, overriding Accept: turtle, nt, jsonld, rdfxml, trig, nq"),
    _parameter("timeout", "A shorter time limit, in seconds", type="number"),
], "responses": {"200": {"description": "The graph", "content": {
    f.media_type: {"schema": {"type": "string"}} for f in GRAPHS}}}}
BODY = {"content": {**{f.media_type: {"schema": {"type": "string"}} for f in GRAPHS},
                    "multipart/form-data": {"schema": {"type": "object"}}}}
WRITE_DOC = {"parameters": GRAPH_PARAMETERS, "requestBody": BODY}
DELETE_DOC = {"parameters": GRAPH_PARAMETERS}


def _direct(request: Request) -> str | None:
    return request.path_params.get("direct") or None


def _routes(path: str):
    @router.get(path, include_in_schema=path == urls.STORE, summary="A graph, in any RDF format",
                responses=errors.documented(400, 404, 406, 503), openapi_extra=READ,
                response_class=Response)
    async def get_graph(request: Request):
        return await _read(request, _direct(request), head=False)

    @router.head(path, include_in_schema=False)
    async def head_graph(request: Request):
        return await _read(request, _direct(request), head=True)

    @router.put(path, include_in_schema=path == urls.STORE, summary="Replace a graph (writable mode)",
                responses=errors.documented(400, 401, 403, 413, 415, 503), openapi_extra=WRITE_DOC)
    async def put_graph(request: Request):
        return await _write(request, _direct(request), "graph_put")

    @router.post(path, include_in_schema=path == urls.STORE,
                 summary="Add to a graph, or create one on /store (writable mode)",
                 responses=errors.documented(400, 401, 403, 413, 415, 503), openapi_extra=WRITE_DOC)
    async def post_graph(request: Request):
        return await _write(request, _direct(request), "graph_post")

    @router.delete(path, include_in_schema=path == urls.STORE,
                   summary="Delete a graph (writable mode)",
                   responses=errors.documented(400, 401, 403, 404, 503), openapi_extra=DELETE_DOC)
    async def delete_graph(request: Request):
        return await _write(request, _direct(request), "graph_delete")


_routes(urls.STORE)
_routes(urls.STORE + "/{direct:path}")
