"""Class pages: ``/{kind}/`` (``/project/``, the folder of every project IRI) lists the instances
of the kind's class, sorted by label, a hundred a page (``?page=``, ``Link: rel="next"``)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api import caching, errors, urls, wording  # noqa: F401  (wording: the pages' words)
from api.graph import PublishedDep
from api.rendering import language, render
from kg.namespaces import BH
from kg.reconcile.text import fold
from kg.records import KINDS, Kind

router = APIRouter(tags=["linked data"])
PAGE_SIZE = 100


def paging_links(path_of, page: int, pages: int) -> list[str]:
    """``Link`` header values for the neighbours of ``page`` (``path_of(n)`` gives page n)."""
    links = []
    if page < pages:
        links.append(f'<{path_of(page + 1)}>; rel="next"')
    if page > 1:
        links.append(f'<{path_of(page - 1)}>; rel="prev"')
    links.append(f'<{path_of(1)}>; rel="first"')
    if pages > 1:
        links.append(f'<{path_of(pages)}>; rel="last"')
    return links


def class_page(request: Request, published, kind: Kind, page: int) -> Response:
    graph = published.graph
    lang = language(request)
    class_iri = BH + kind.cls
    tag = caching.build_tag(request, "class", lang, page)
    items = [(iri, label) for iri, label in graph.labelled_instances(class_iri, lang)
             if iri.startswith(graph.base)]
    pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    if page > pages:
        raise errors.not_found(f"Page {page} does not exist: the list has {pages} page(s).")
    headers = {"Link": ", ".join([
        *paging_links(lambda n: urls.class_page(kind.name, n), page, pages),
        f'<{urls.api_list(kind.plural)}>; rel="alternate"; type="application/json"',
        f'<{urls.api_csv(kind.plural)}>; rel="alternate"; type="text/csv"',
    ])}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    items.sort(key=lambda x: (fold(x[1] or x[0]), x[0]))
    shown = [{"href": urls.link(iri, graph.base), "label": label or iri}
             for iri, label in items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    context = {
        "title": graph.label(class_iri, lang) or kind.cls, "kind": kind, "items": shown,
        "total": len(items), "page": page, "pages": pages,
        "class_href": urls.ontology_term(kind.cls),
        "json": urls.api_list(kind.plural), "csv": urls.api_csv(kind.plural),
        "page_href": lambda n: urls.class_page(kind.name, n),
    }
    return caching.apply(render(request, "class.html", context, headers=headers), tag)


def _route(kind: Kind):
    def listing(request: Request, published: PublishedDep,
                page: Annotated[int, Query(ge=1)] = 1):
        return class_page(request, published, kind, page)

    listing.__name__ = f"{kind.plural}_page"
    return listing


for _kind in KINDS:
    router.add_api_route(f"/{_kind.name}/", _route(_kind), methods=["GET", "HEAD"],
                         include_in_schema=False)
