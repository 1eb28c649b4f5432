"""The linked-data pages: every IRI the graph mints, requested by its path, returns its
description.

``/{kind}/{id}`` (``/project/kubic``), ``/event/{id}/figure/{figure}`` and ``/graph/{name}``
answer HTML to browsers and Turtle, JSON-LD, N-Triples or RDF/XML to RDF clients, chosen by
``Accept``, by a suffix (``/project/kubic.ttl``) or by ``?format=``. Every answer carries
``Vary: Accept``, ``Link: rel="alternate"`` to the other formats, an ``ETag`` (the build's
content hash and the variant) and ``Cache-Control``; an unknown IRI is a 404.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api import caching, errors, urls
from api.descriptions import Presenter, describe, short_name
from api.graph import Published, PublishedDep
from api.negotiation import (
    HTML,
    JSONLD,
    NTRIPLES,
    RDFXML,
    TURTLE,
    Format,
    NotAcceptable,
    negotiate,
)
from api.rendering import language, render
from kg.namespaces import data_prefixes
from kg.reconcile.text import fold
from kg.records import KINDS, KINDS_BY_NAME
from kg.store.describe import serialize_triples

router = APIRouter(tags=["linked data"])

FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
PageParam = Annotated[int, Query(ge=1, description="Page of the incoming links (100 a page).")]


def split_suffix(path: str) -> tuple[str, Format | None]:
    """``/project/kubic.ttl`` → (``/project/kubic``, Turtle); 404 for an unknown suffix.
    Identifiers never hold a dot (``kg.iris.SLUG``), so a dot always starts a suffix."""
    head, _, last = path.rpartition("/")
    if "." not in last:
        return path, None
    name, ext = last.rsplit(".", 1)
    fmt = next((f for f in FORMATS if ext.lower() in (f.extension, f.key)), None)
    if fmt is None or not name:
        raise errors.not_found(f"No format with the suffix .{ext} (known: "
                               + ", ".join("." + f.extension for f in FORMATS) + ").")
    return f"{head}/{name}", fmt


def choose(request: Request, suffix: Format | None, table: tuple[Format, ...] = FORMATS) -> Format:
    """The suffix's format, else ``?format=``, else the Accept header (406 when none fits)."""
    if suffix is not None:
        return suffix
    try:
        return negotiate(request.headers.get("accept"), table,
                         format_param=request.query_params.get("format"))
    except NotAcceptable as exc:
        raise errors.not_acceptable(exc.acceptable) from None


def link_header(path: str, fmt: Format, table: tuple[Format, ...] = FORMATS,
                extra: list[str] = ()) -> str:
    links = [f'<{urls.alternate(path, f.extension)}>; rel="alternate"; type="{f.media_type}"'
             for f in table if f is not fmt]
    links.insert(0, f'<{path}>; rel="canonical"')
    return ", ".join([*links, *extra])


def jsonld_script(body: bytes) -> str:
    """JSON-LD safe inside ``<script>``: no ``<``, ``>`` or ``&`` left to end the element."""
    text = json.dumps(json.loads(body or b"[]"), ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def rdf_response(body: bytes, fmt: Format, headers: dict) -> Response:
    return Response(body, media_type=fmt.content_type, headers=headers)


def resource(request: Request, published: Published, path: str, page: int = 1, *,
             incoming_limit: int = 1000) -> Response:
    """The description of the resource whose IRI has this path, in the negotiated format
    (as RDF: its statements, then at most ``incoming_limit`` statements pointing at it)."""
    path, suffix = split_suffix(path)
    graph = published.graph
    iri = urls.iri_for_path(path, graph.base)
    if not graph.exists(iri):
        raise errors.not_found(f"The graph has nothing about <{iri}>.")
    fmt = choose(request, suffix)
    lang = language(request) if fmt is HTML else None
    tag = caching.build_tag(request, fmt.key, lang, page if page > 1 else None)
    extra = []
    view = None
    if fmt is HTML:
        view = describe(graph, iri, lang, page)
        if view.next_page:
            extra.append(f'<{urls.with_query(path, page=view.next_page)}>; rel="next"')
        if view.previous_page:
            extra.append(f'<{urls.with_query(path, page=view.previous_page)}>; rel="prev"')
    headers = {"Link": link_header(path, fmt, extra=extra),
               "Content-Location": urls.alternate(path, fmt.extension)}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    if fmt is HTML:
        script = jsonld_script(graph.serialize(iri, "jsonld", incoming_limit=0))
        api_url = None
        if view.kind:
            api_url = urls.api_item(KINDS_BY_NAME[view.kind].plural, iri.rsplit("/", 1)[-1])
        response = render(request, "resource.html", {
            "view": view, "jsonld": script, "formats": [f for f in FORMATS if f is not HTML],
            "short_name": short_name, "api_url": api_url}, headers=headers)
    else:
        body = graph.serialize(iri, fmt.key, data_prefixes(graph.base),
                               incoming_limit=incoming_limit)
        response = rdf_response(body, fmt, headers)
    return caching.apply(response, tag)


def _entity_route(kind: str):
    def entity(request: Request, ident: str, published: PublishedDep, page: PageParam = 1):
        return resource(request, published, f"/{kind}/{ident}", page)

    entity.__name__ = f"{kind}_page"
    entity.__doc__ = f"The description of one {kind} (HTML or RDF, negotiated)."
    return entity


for _kind in KINDS:
    router.add_api_route(f"/{_kind.name}/{{ident}}", _entity_route(_kind.name),
                         methods=["GET", "HEAD"], include_in_schema=False)


@router.api_route("/event/{event}/figure/{figure}", methods=["GET", "HEAD"],
                  include_in_schema=False)
def figure_page(request: Request, event: str, figure: str, published: PublishedDep,
                page: PageParam = 1):
    """One of an event's figures."""
    return resource(request, published, f"/event/{event}/figure/{figure}", page)


@router.api_route("/graph/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
def graph_page(request: Request, name: str, published: PublishedDep):
    """A named graph: its content as RDF, or a page listing what it describes."""
    path, suffix = split_suffix(f"/graph/{name}")
    graph = published.graph
    iri = urls.iri_for_path(path, graph.base)
    if not graph.has_graph(iri):
        raise errors.not_found(f"The store has no named graph <{iri}>.")
    fmt = choose(request, suffix)
    lang = language(request) if fmt is HTML else None
    tag = caching.build_tag(request, fmt.key, lang)
    headers = {"Link": link_header(path, fmt),
               "Content-Location": urls.alternate(path, fmt.extension)}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    if fmt is HTML:
        show = Presenter(graph, lang)
        subjects = [show.iri_value(s) for s in graph.graph_subjects(iri)]
        subjects.sort(key=lambda v: fold(v.text))
        triples = (published.manifest.get("graphs") or {}).get(iri)
        response = render(request, "graph.html", {
            "iri": iri, "path": path, "subjects": subjects, "triples": triples,
            "formats": [f for f in FORMATS if f is not HTML],
            "store_url": urls.with_query(urls.STORE, graph=iri)}, headers=headers)
    else:
        body = serialize_triples(graph.graph_triples(iri), fmt.key, data_prefixes(graph.base))
        response = rdf_response(body, fmt, headers)
    return caching.apply(response, tag)
