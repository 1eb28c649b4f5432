"""Named queries over HTTP: ``/api/queries`` (the catalogue of ``queries/*.rq``) and
``/api/queries/<name>?param=value`` (results as SPARQL JSON, CSV, TSV or XML; Turtle or JSON-LD
for a CONSTRUCT), the format chosen by a suffix (``/api/queries/programme.csv``, as Datasette
does), else by ``format=``, else by the Accept header.

Parameters are checked against their declared type and bound as RDF terms
(``kg.queries.NamedQuery.bind``, pyoxigraph ``substitutions``), never pasted into the query
text. The query runs in the killable worker pool, under the server's time limit and row cap,
like any SPARQL query.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from api import caching, errors, jobs, urls
from api.head import get_and_head
from api.negotiation import CSV, GRAPHS, JSON, TSV, XML, Format, try_negotiate
from kg import queries
from kg.namespaces import data_prefixes


@asynccontextmanager
async def check_at_start(app):
    """The server refuses to start on a broken named query (``kg.queries.registry`` names the
    file and the parameter), rather than answering 500 on its first use."""
    queries.registry(app.state.settings.queries_dir)
    yield


router = APIRouter(prefix=urls.API_QUERIES, tags=["named queries"], lifespan=check_at_start)
RESERVED = ("format", "timeout", "lang")
RESULT_TABLE = (JSON, CSV, TSV, XML)


def catalogue(settings) -> dict[str, queries.NamedQuery]:
    try:
        return queries.registry(settings.queries_dir)
    except queries.HeaderError as exc:
        raise errors.internal(f"A named query file is broken: {exc}") from None


def describe(q: queries.NamedQuery) -> dict:
    return {
        "name": q.name, "title": q.title, "description": q.description,
        "parameters": [{"name": p.name, "type": p.type, "optional": p.optional,
                        "description": p.description} for p in q.params],
        "url": urls.api_query(q.name), "csv": urls.api_query(q.name + ".csv"),
        "json": urls.api_query(q.name + ".json"),
        "sparql": urls.with_query(urls.SPARQL, query=q.text, format="html"),
        "text": q.text,
    }


@router.get("", summary="The catalogue of named queries")
def query_catalogue(request: Request):
    """Every named query with its title and description (French and English), its typed
    parameters and the URLs of its results."""
    tag = caching.build_tag(request, "queries")
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    items = [describe(q) for q in catalogue(request.app.state.settings).values()]
    return caching.apply(JSONResponse({"queries": items}), tag)


def split_suffix(name: str) -> tuple[str, str | None]:
    """``programme.csv`` → (``programme``, ``csv``); 404 for a suffix that names no format.
    Query names never hold a dot (``kg.queries.NAME``), so a dot always starts a suffix.

    >>> split_suffix("programme.csv"), split_suffix("programme")
    (('programme', 'csv'), ('programme', None))
    """
    if "." not in name:
        return name, None
    name, ext = name.rsplit(".", 1)
    ext = ext.lower()
    known = [f for f in (*RESULT_TABLE, *GRAPHS) if ext in (f.key, f.extension, *f.aliases)
             and "/" not in ext]
    if not known or not name:
        suffixes = sorted({"." + f.extension for f in (*RESULT_TABLE, *GRAPHS)} | {".json"})
        raise errors.not_found(f"No format with the suffix .{ext} (known: {', '.join(suffixes)}).")
    return name, ext


def alternates(request: Request, name: str, table: tuple[Format, ...], chosen: Format) -> str:
    """``Link: rel="alternate"`` to the same results in the other formats, by suffix."""
    kept = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "format"])
    kept = "?" + kept if kept else ""
    return ", ".join(f'<{urls.api_query(name + "." + suffix_of(f))}{kept}>; rel="alternate"; '
                     f'type="{f.media_type}"' for f in table if f is not chosen)


def suffix_of(fmt: Format) -> str:
    """The suffix links use: the short name for a result table (.json, .csv), else the
    extension (.ttl, .jsonld)."""
    return fmt.key if fmt in RESULT_TABLE else fmt.extension


def run_named_query(request: Request, name: str):
    """Run the named query ``name``; its parameters are given as query-string parameters
    (``/api/queries/sessions-per-day?day=2024-01-09``), checked against their type (iri,
    string, date, integer, decimal, boolean) and bound as RDF terms. A suffix
    (``/api/queries/sessions-per-day.csv``: .json, .csv, .tsv, .xml; .ttl or .jsonld for a
    CONSTRUCT) or else ``format`` (the same names) overrides the Accept header; ``timeout``
    (seconds) may lower the time limit."""
    settings = request.app.state.settings
    name, suffix = split_suffix(name)
    found = catalogue(settings).get(name)
    if found is None:
        raise errors.not_found(f"No named query '{name}' (see {urls.API_QUERIES}).")
    params = request.query_params
    repeated = sorted({k for k in params if len(params.getlist(k)) > 1})
    if repeated:
        raise errors.bad_request(f"Give each parameter once: {', '.join(repeated)}.")
    values = {k: v for k, v in params.items() if k not in RESERVED}
    try:
        bound = found.bind(values, data_prefixes(settings.base_iri))
    except queries.ParamError as exc:
        raise errors.bad_request(str(exc)) from None
    accept, fmt_param = request.headers.get("accept"), suffix or params.get("format")
    result_fmt = try_negotiate(accept, RESULT_TABLE, format_param=fmt_param)
    graph_fmt = try_negotiate(accept, GRAPHS, format_param=fmt_param)
    if result_fmt is None and graph_fmt is None:
        raise errors.not_acceptable([f.media_type for f in (*RESULT_TABLE, *GRAPHS)])
    tag = caching.build_tag(request, "query", (result_fmt or graph_fmt).key)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    limit = jobs.time_limit(request, params.get("timeout"))
    answer = jobs.run_sync(request, "query", {
        "query": found.text,
        "result_format": None if result_fmt is None else result_fmt.key,
        "graph_format": None if graph_fmt is None else graph_fmt.key,
        "max_rows": settings.max_rows,
        "base_iri": settings.base_iri,
        "union_default_graph": settings.union_default_graph,
        "substitutions": bound,
    }, limit)
    fmt, table = (graph_fmt, GRAPHS) if answer.kind == "graph" else (result_fmt, RESULT_TABLE)
    if fmt is None:  # the request named only formats of the other form of query
        raise errors.not_acceptable([f.media_type for f in table])
    headers = {"X-KG-Rows": str(answer.rows),
               "X-KG-Truncated": "true" if answer.truncated else "false",
               "Link": alternates(request, name, table, fmt)}
    return caching.apply(Response(answer.body, media_type=fmt.content_type, headers=headers), tag)


get_and_head(router, "/{name}", run_named_query, summary="Run a named query",
             description="`/api/queries/{name}` or, with a suffix naming the format, "
                         "`/api/queries/{name}.csv` (also .json, .tsv, .xml; .ttl, .jsonld for "
                         "a CONSTRUCT).",
             response_class=Response,
             responses={200: {"content": {"application/sparql-results+json": {},
                                          "text/csv": {}}}})
