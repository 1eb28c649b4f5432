"""``/sparql``: the SPARQL 1.1 Protocol (query and update), the service description, the query page.

- Query by GET (``?query=``), POST form (``query=``) or POST direct (``application/sparql-query``),
  with ``default-graph-uri``/``named-graph-uri``; results negotiated (``api/negotiation.py``),
  ``format=`` overriding Accept; ``timeout=`` (seconds) may lower the time limit.
- Update by POST form (``update=``) or direct (``application/sparql-update``), with
  ``using-graph-uri``/``using-named-graph-uri``; only in writable mode (403 otherwise).
- A bare GET answers the service description to RDF clients and the query page to browsers.

Queries run in the worker pool (``api/pool.py``): past the limit the client gets 503.

``lean`` answers the common case (a query by GET, POST form or POST direct, answered in a
non-HTML format, no CORS) as a plain ASGI function called before FastAPI's middleware,
routing and dependency solving (``api/main.py``), with the same code as the routes below;
anything else (HTML, updates, the service description, CORS requests, oversized requests)
goes on to the full app, which answers it as before.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from urllib.parse import parse_qs

from typing import Annotated

import logging
from functools import lru_cache

from fastapi import APIRouter, Query, Request
from starlette.datastructures import MultiDict, QueryParams
from starlette.responses import Response

from kg import sparql_text

from api import caching, errors, jobs, service_description, urls
from api.deps import require_write
from api.negotiation import GRAPHS, HTML, RESULTS, negotiate, try_negotiate
from api.rendering import language, render

router = APIRouter(tags=["sparql"])
log = logging.getLogger("kg.api")

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
RESULT_CHOICES = (*RESULTS, HTML)
GRAPH_CHOICES = (*GRAPHS, HTML)
EXAMPLE = """SELECT ?class (COUNT(?s) AS ?instances)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances)
LIMIT 20"""


def _content_type(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type", "")
    media, *params = [p.strip() for p in raw.split(";")]
    parsed = {}
    for p in params:
        name, _, value = p.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"').lower()
    return media.lower(), parsed


def _text(body: bytes, charset: str | None) -> str:
    if charset not in (None, "", "utf-8", "utf8"):
        raise errors.unsupported_media_type(f"charset={charset}", ["UTF-8"])
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.bad_request(f"The body is not valid UTF-8 ({exc.reason} at byte {exc.start}).")


def _form(body: bytes) -> MultiDict:
    try:
        pairs = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise errors.bad_request("The form body is not valid URL-encoded UTF-8.") from None
    return MultiDict([(k, v) for k, values in pairs.items() for v in values])


def _one(params: MultiDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise errors.bad_request(f"Give one {name} parameter, not {len(values)}.")
    return values[0] if values else None


QUERY_RESPONSES = {
    200: {"description": "Query results (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE); without "
          "a query, the service description (RDF) or the query page (HTML)",
          "content": {f.media_type: {} for f in (*RESULTS, *GRAPHS, HTML)},
          "headers": {"X-KG-Truncated": {"description": "true when the row cap cut the results",
                                         "schema": {"type": "string"}}}},
    **errors.documented(400, 406, 413, 503),
}
def _parameter(name: str, description: str, kind: str = "string", repeated: bool = False) -> dict:
    schema = {"type": "array", "items": {"type": kind}} if repeated else {"type": kind}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


POST_BODY = {"parameters": [
    _parameter("default-graph-uri", "Default graph(s) of a query sent as the body (repeatable)",
               repeated=True),
    _parameter("named-graph-uri", "Named graph(s) of a query sent as the body (repeatable)",
               repeated=True),
    _parameter("using-graph-uri", "USING graph(s) of an update sent as the body (repeatable)",
               repeated=True),
    _parameter("using-named-graph-uri", "USING NAMED graph(s) of an update sent as the body "
               "(repeatable)", repeated=True),
    _parameter("format", "Results format, overriding Accept (as for GET)"),
    _parameter("timeout", "A shorter time limit, in seconds", "number"),
], "requestBody": {"content": {
    FORM: {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "string"}, "named-graph-uri": {"type": "string"},
        "using-graph-uri": {"type": "string"}, "using-named-graph-uri": {"type": "string"}}}},
    QUERY: {"schema": {"type": "string"}},
    UPDATE: {"schema": {"type": "string"}},
}}}
Graphs = Annotated[list[str] | None, Query(description="Graph IRIs (repeatable)")]


@router.get(urls.SPARQL, summary="SPARQL 1.1 query, service description or query page",
            responses=QUERY_RESPONSES)
async def sparql_get(
    request: Request,
    query: Annotated[str | None, Query(description="A SPARQL 1.1 query")] = None,
    default_graph_uri: Annotated[list[str] | None, Query(
        alias="default-graph-uri", description="Default graph(s) of the query (repeatable)")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(
        alias="named-graph-uri", description="Named graph(s) of the query (repeatable)")] = None,
    format: Annotated[str | None, Query(
        description="Results format, overriding Accept: json, xml, csv, tsv, html, turtle, nt, "
                    "jsonld, rdfxml, trig, nq")] = None,
    timeout: Annotated[str | None, Query(
        description="A shorter time limit, in seconds")] = None,
    lang: Annotated[str | None, Query(description="Page language: fr or en")] = None,
):
    params = MultiDict(request.query_params.multi_items())
    if "update" in params:
        raise errors.bad_request("A SPARQL Update must be sent by POST.")
    query = _one(params, "query")
    if query is None:
        return await _describe(request, params)
    return await _query(request, query, params)


@router.post(urls.SPARQL, summary="SPARQL 1.1 query or update (form or direct body)",
             responses={**QUERY_RESPONSES, 204: {"description": "Update done"},
                        **errors.documented(400, 401, 403, 406, 413, 415, 503)},
             openapi_extra=POST_BODY)
async def sparql_post(request: Request):
    media, cparams = _content_type(request)
    body = await request.body()
    params = MultiDict(request.query_params.multi_items())
    if media == FORM:
        form = _form(body)
        merged = MultiDict([*params.multi_items(), *form.multi_items()])
        query, update = _one(form, "query"), _one(form, "update")
        if query is not None and update is not None:
            raise errors.bad_request("Send either query or update, not both.")
        if update is not None:
            return await _update(request, update, merged)
        if query is not None:
            return await _query(request, query, merged)
        raise errors.bad_request("The form has neither a query nor an update parameter.")
    if media == QUERY:
        return await _query(request, _text(body, cparams.get("charset")), params)
    if media == UPDATE:
        return await _update(request, _text(body, cparams.get("charset")), params)
    raise errors.unsupported_media_type(media, [FORM, QUERY, UPDATE])


def _check_service(request: Request, text: str) -> None:
    # LOAD fetches its URL like SERVICE does: both wait for the operator's consent
    if request.app.state.settings.allow_service:
        return
    lowered = text.lower()  # a cheap look first: most queries hold neither word at all
    if ("service" in lowered or "load" in lowered) and sparql_text.fetches_url(text):
        raise errors.service_refused()


def _formats(accept: str | None, fmt_param: str | None):
    """(results format, graph format) for an Accept header and a ``format`` parameter; either
    is None when nothing fits. The same few Accept headers come back again and again: short
    ones are remembered."""
    if (accept is None or len(accept) < 256) and (fmt_param is None or len(fmt_param) < 64):
        return _remembered_formats(accept, fmt_param)
    return _negotiated_formats(accept, fmt_param)


def _negotiated_formats(accept: str | None, fmt_param: str | None):
    return (try_negotiate(accept, RESULT_CHOICES, format_param=fmt_param),
            try_negotiate(accept, GRAPH_CHOICES, format_param=fmt_param))


_remembered_formats = lru_cache(maxsize=256)(_negotiated_formats)


async def _query(request: Request, query: str, params: MultiDict, vary_also: str = ""):
    """The answer to a query (``vary_also``: what to add to ``Vary``, for the lean path)."""
    settings = request.app.state.settings
    _check_service(request, query)
    result_fmt, graph_fmt = _formats(request.headers.get("accept"), params.get("format"))
    if result_fmt is None and graph_fmt is None:
        raise errors.not_acceptable([f.media_type for f in (*RESULTS, *GRAPHS, HTML)])
    limit = jobs.time_limit(request, params.get("timeout"))
    tag = _tag(request, query, params, result_fmt, graph_fmt)
    if (unchanged := caching.not_modified(request, tag)) is not None:
        if vary_also:
            unchanged.headers["Vary"] += vary_also
        return unchanged  # same query, same build: the client's copy is current
    job = {
        "query": query,
        "result_format": None if result_fmt is None else ("json" if result_fmt is HTML else result_fmt.key),
        "graph_format": None if graph_fmt is None else ("turtle" if graph_fmt is HTML else graph_fmt.key),
        "max_rows": settings.max_rows,
        "base_iri": settings.base_iri,
        "union_default_graph": settings.union_default_graph,
        "default_graphs": params.getlist("default-graph-uri"),
        "named_graphs": params.getlist("named-graph-uri"),
    }
    answer = jobs.run_bounded(request, job) or await jobs.run(request, "query", job, limit)
    fmt = graph_fmt if answer.kind == "graph" else result_fmt
    headers = {"Vary": "Accept", "X-KG-Rows": str(answer.rows),
               "X-KG-Truncated": "true" if answer.truncated else "false"}
    if tag:
        headers.update(caching.cache_headers(tag))
    if vary_also:
        headers["Vary"] += vary_also
    if fmt is HTML:
        return render(request, "sparql.html", _page(request, query, answer), headers=headers)
    return Response(answer.body, media_type=fmt.content_type, headers=headers)


def _tag(request: Request, query: str, params: MultiDict, result_fmt, graph_fmt) -> str | None:
    """An ETag for a GET query on the published build: a build never changes, so the same
    query in the same format gives the same answer until the next build."""
    if request.method != "GET" or request.app.state.settings.writable:
        return None
    manifest = request.app.state.stores.manifest()
    content_hash = manifest.get("content_hash") if manifest else None
    if not content_hash:
        return None
    variant = (query, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"),
               result_fmt and result_fmt.key, graph_fmt and graph_fmt.key,
               language(request) if HTML in (result_fmt, graph_fmt) else None)
    digest = hashlib.sha256(repr(variant).encode()).hexdigest()[:16]
    return _tag_start(content_hash) + digest + '"'


@lru_cache(maxsize=8)
def _tag_start(content_hash: str) -> str:
    """``caching.entity_tag(content_hash, "sparql", digest)`` up to the digest."""
    return caching.entity_tag(content_hash, "sparql")[:-1] + "-"


async def _update(request: Request, update: str, params: MultiDict):
    settings = request.app.state.settings
    require_write(request)
    _check_service(request, update)
    using = params.getlist("using-graph-uri")
    using_named = params.getlist("using-named-graph-uri")
    if (using or using_named) and sparql_text.names_dataset(update):
        raise errors.bad_request("The update has USING or WITH clauses and the request gives "
                                 "using-graph-uri/using-named-graph-uri: choose one.")
    limit = jobs.time_limit(request, params.get("timeout"))
    await jobs.run(request, "update", {
        "update": update, "base_iri": settings.base_iri,
        "using_graphs": using, "using_named_graphs": using_named,
    }, limit)
    return Response(status_code=204)


async def _named_graphs(request: Request) -> list[str]:
    manifest = request.app.state.stores.manifest()
    if manifest and not request.app.state.settings.writable and "graphs" in manifest:
        return sorted(manifest["graphs"])
    try:
        return await jobs.run(request, "graph_names", {}, min(5.0, jobs.time_limit(request)))
    except errors.ApiError:
        return []


async def _describe(request: Request, params: MultiDict):
    fmt = negotiate(request.headers.get("accept"), GRAPH_CHOICES, format_param=params.get("format"))
    if fmt is HTML:
        return render(request, "sparql.html", _page(request, None, None),
                      headers={"Vary": "Accept"})
    from kg.store.graph_store import reserialize  # the parent parses only this small document

    text = service_description.turtle(urls.absolute(request, urls.SPARQL),
                                      request.app.state.settings, await _named_graphs(request))
    body = text.encode() if fmt.key == "turtle" else reserialize(text.encode(), "turtle", fmt.key)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _page(request: Request, query: str | None, answer) -> dict:
    """What ``sparql.html`` shows: the form, and the results of ``answer`` if any."""
    ctx = {"query": query if query is not None else EXAMPLE, "answer": answer, "table": None,
           "boolean": None, "graph_text": None, "examples": _examples(request),
           "formats": (*RESULTS, *GRAPHS), "endpoint": urls.absolute(request, urls.SPARQL)}
    if answer is None:
        return ctx
    if answer.kind == "graph":
        ctx["graph_text"] = answer.body.decode("utf-8", "replace")
    else:
        doc = json.loads(answer.body)
        if "boolean" in doc:
            ctx["boolean"] = doc["boolean"]
        else:
            names = doc["head"]["vars"]
            ctx["table"] = {"vars": names, "rows": [[b.get(n) for n in names]
                                                    for b in doc["results"]["bindings"]]}
    return ctx


def _examples(request: Request) -> list[dict]:
    """The named queries (``queries/*.rq``) offered as examples, titled in the page's language.

    Queries with a required parameter are left out: run as they are, they would fail.
    """
    from kg import queries

    lang = language(request)
    try:
        catalogue = queries.registry(request.app.state.settings.queries_dir)
    except Exception:  # noqa: BLE001 - a broken query file must not break the query page
        return []
    out = []
    for name, q in sorted(catalogue.items()):
        if any(not p.optional for p in q.params):
            continue
        title = q.title.get(lang) or q.title.get("en") or next(iter(q.title.values()), name)
        out.append({"name": name, "title": title, "text": q.text})
    return out


# --- the lean path: queries answered before FastAPI's routing --------------------------------


async def lean(scope, receive, send):
    """Answer a query sent to ``/sparql`` as a plain ASGI call, or hand it on.

    Returns None when the request was answered, else the ``receive`` the full app must use
    (the same one, or one that replays a body already read). Only requests the routes above
    would answer with a query's results (or its error) are taken here; CORS requests (an
    ``Origin`` header), HTML answers, updates, bare GETs and requests near or over the size
    limit go on to the full app, whose middleware handles them.
    """
    settings = scope["app"].state.settings
    method = scope["method"]
    if method == "GET":
        if b"query=" not in scope["query_string"]:
            return receive
    elif method != "POST":
        return receive
    half = settings.max_request_bytes // 2
    size = len(scope["query_string"]) + len(scope.get("raw_path", b""))
    media = declared = None
    for name, value in scope["headers"]:
        size += len(name) + len(value)
        if name == b"origin":
            return receive  # CORS: the middleware of the full app adds its headers
        if name == b"content-type":
            media = value
        elif name == b"content-length":
            declared = value
    if size > half:
        return receive  # the size limit's middleware measures and refuses
    request = Request(scope, receive)
    if method == "GET":
        params = _query_params(scope["query_string"])
        if "update" in params or "query" not in params:
            return receive
        return await _lean_query(request, send, lambda: _one(params, "query"), params,
                                 lambda: receive)
    # POST: a form or a direct query, read here (and replayed if the full app must answer)
    if media is None or declared is None or not declared.isdigit() or int(declared) > half:
        return receive
    kind = media.decode("latin-1").partition(";")[0].strip().lower()
    if kind not in (FORM, QUERY):
        return receive
    chunks, seen = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: let the full app see it
            return _replay(chunks, False, message, receive)
        chunks.append(message.get("body", b""))
        seen += len(chunks[-1])
        if seen > half:
            return _replay(chunks, False, None, receive)
        if not message.get("more_body", False):
            break
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    request._body = body  # what ``await request.body()`` would have read
    hand_on = lambda: _replay([body], True, None, receive)  # noqa: E731
    params = MultiDict(request.query_params.multi_items())
    if kind == QUERY:
        charset = _content_type(request)[1].get("charset")
        return await _lean_query(request, send, lambda: _text(body, charset), params, hand_on)
    try:
        form = _form(body)
    except errors.ApiError:
        return hand_on()
    if "update" in form or "query" not in form:
        return hand_on()
    merged = MultiDict([*params.multi_items(), *form.multi_items()])
    return await _lean_query(request, send, lambda: _one(form, "query"), merged, hand_on)


async def _lean_query(request: Request, send, text, params, hand_on):
    """Answer one query (``text()`` gives it, or raises a client error); hand it on
    (``hand_on()`` gives the full app's ``receive``) when the answer is an HTML page."""
    try:
        result_fmt, graph_fmt = _formats(request.headers.get("accept"), params.get("format"))
        if HTML in (result_fmt, graph_fmt):
            return hand_on()
        # the CORS middleware of the full app adds Origin to Vary: so does the lean path
        response = await _query(request, text(), params, vary_also=", Origin")
    except Exception as exc:  # noqa: BLE001 - what the full app's handlers would answer
        if isinstance(exc, errors.ApiError):
            response = errors.response(request, exc)  # JSON, or the error page for a browser
        else:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            response = errors.response(request, errors.internal())
        vary = response.headers.get("vary")
        response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
    await response(request.scope, request.receive, send)
    return None


def _query_params(raw: bytes) -> MultiDict:
    """The parameters of a query string, as Starlette reads them (``parse_qsl``, UTF-8 with
    replacement), percent-decoded by the C escape decoder: a long query sent by GET is
    mostly ``%XX`` escapes, which ``urllib.parse.unquote`` decodes one by one in Python.

    >>> _query_params(b"query=ASK+%7B%7D&format=&x=%C3%A9").multi_items()
    [('query', 'ASK {}'), ('format', ''), ('x', 'é')]
    """
    if raw.isascii() and b"\\" not in raw:
        try:
            return MultiDict([(_unquote(name), _unquote(value))
                              for name, _, value in (p.partition(b"=") for p in raw.split(b"&") if p)])
        except ValueError:  # a malformed escape (``%zz``): urllib keeps it as it is
            pass
    return MultiDict(QueryParams(raw).multi_items())


def _unquote(part: bytes) -> str:
    return codecs.escape_decode(part.replace(b"+", b" ").replace(b"%", b"\\x"))[0].decode(
        "utf-8", "replace")


def _replay(chunks: list[bytes], complete: bool, pending, receive):
    """A ``receive`` that gives again the body already read (``complete`` or not), then the
    message read after it if any (``pending``), then what the client sends next."""
    messages = [{"type": "http.request", "body": b"".join(chunks), "more_body": not complete}]
    if pending is not None:
        messages.append(pending)

    async def replay():
        if messages:
            return messages.pop(0)
        return await receive()

    return replay
