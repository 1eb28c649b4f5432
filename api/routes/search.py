"""``/search?q=``: entities found by name (labels, other names, acronyms), case- and
accent-insensitively (``kg.search``). HTML to browsers, JSON to programs (``Accept`` or
``format=json``); fifty results a page (``page``, ``Link: rel="next"``)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse, Response

from api import caching, urls, wording  # noqa: F401  (wording: the pages' words)
from api.graph import PublishedDep
from api.head import get_and_head
from api.negotiation import HTML, Format
from api.rendering import language, render
from api.routes.classes import paging_links
from api.routes.resources import choose
from kg.namespaces import BH

router = APIRouter(tags=["search"])
PAGE_SIZE = 50
JSON = Format("json", "application/json", "json", (), "JSON")


def search(request: Request, published: PublishedDep,
           q: Annotated[str, Query(max_length=200, description="Words of a name")] = "",
           page: Annotated[int, Query(ge=1)] = 1,
           format: Annotated[str | None, Query(description="html or json")] = None):
    """Entities whose name (label, other name, acronym) contains every word of ``q``, ignoring
    case and accents; exact names first, then names starting with ``q``."""
    fmt = choose(request, None, (HTML, JSON))
    lang = language(request)
    graph = published.graph
    hits = published.index.search(q) if q.strip() else []
    pages = max(1, math.ceil(len(hits) / PAGE_SIZE))
    page = min(page, pages)
    shown = hits[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    page_href = lambda n: urls.search(q, page=n if n > 1 else None)
    tag = caching.build_tag(request, "search", fmt.key, lang, q, page)
    headers = {"Link": ", ".join(paging_links(page_href, page, pages))} if hits else {}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    results = []
    for hit in shown:
        types = [t for t in graph.types(hit.iri) if t.startswith(BH)]
        label = graph.label(hit.iri, lang) or hit.matched
        results.append({
            "iri": hit.iri, "href": urls.link(hit.iri, graph.base), "label": label,
            "matched": hit.matched if hit.matched != label else None,
            "types": [graph.label(t, lang) or t[len(BH):] for t in types],
        })
    if fmt is JSON:
        body = {"query": q, "total": len(hits), "page": page, "pages": pages,
                "next": page_href(page + 1) if page < pages else None,
                "results": [{"@id": r["iri"], "label": r["label"], "matched": r["matched"],
                             "url": r["href"], "types": r["types"]} for r in results]}
        response: Response = JSONResponse(body, headers=headers)
    else:
        response = render(request, "search.html", {
            "q": q, "results": results, "total": len(hits), "page": page, "pages": pages,
            "page_href": page_href}, headers=headers)
    return caching.apply(response, tag)


get_and_head(router, urls.SEARCH, search, summary="Find entities by name")
