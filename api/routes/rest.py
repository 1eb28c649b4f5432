"""The REST layer: ``/api/<kinds>`` (lists with filters and pages), ``/api/<kinds>/<id>`` (one
entity) and ``/api/<kinds>.csv`` (the whole table, for spreadsheets and DuckDB), for every record
kind: projects, organisations, people, events, sessions, places, topics, outcomes, sources.
As for the named queries, the format of a list is chosen by a suffix (``/api/projects.json``,
``/api/projects.csv``), else by ``format=json|csv``, else by the Accept header (JSON unless
CSV is preferred).

Records are shaped like the YAML they come from (``api/entities.py``) and carry a JSON-LD
``@context``, so the same JSON reads as RDF. Lists are sorted by label, fifty a page by default
(``page``, ``per_page``), with ``Link: rel="next"``; filters (``kg/listing.py``) combine with AND.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse, Response

from api import caching, errors, urls
from api.entities import Shaper, context, to_csv
from api.graph import Published, PublishedDep
from api.head import get_and_head
from api.negotiation import CSV, Format, try_negotiate
from api.rendering import language
from api.routes.classes import paging_links
from kg import iris
from kg.listing import FILTERS, BadFilter, entities
from kg.records import KINDS, Kind

router = APIRouter(prefix=urls.API, tags=["REST"])
FILTER_HELP = {
    "keyword": "Words found in a name, other name or keyword, or in the label of a topic of "
               "the entity (case and accents ignored).",
    "organisation": "An organisation (id such as `dinum`, or IRI) the entity is linked to: "
                    "developer of a project, affiliation of a person, speaker's affiliation or "
                    "subject of a session, organiser or participant of an event.",
    "event": "An event (id or IRI): sessions of it, projects presented at it, people and "
             "organisations taking part.",
    "day": "A day (YYYY-MM-DD): sessions starting that day, events covering it.",
    "project": "A project (id or IRI): sessions about it, its people and developers.",
    "person": "A person (id or IRI): sessions they spoke at, projects they develop, events.",
    "topic": "A topic (id or IRI) of the entity.",
    "kind": "The kind of entity (a concept of the kind's scheme, e.g. `workshop`).",
}
JSON_LD = "application/ld+json"
LIST_FORMATS = (Format("json", "application/json", "json", (JSON_LD, "jsonld")), CSV)


def _filters(**given: str | None) -> dict[str, str]:
    return {k: v for k, v in given.items() if v not in (None, "")}


def _json(request: Request, body: dict, headers: dict | None = None) -> Response:
    accept = request.headers.get("accept", "")
    media = JSON_LD if JSON_LD in accept else "application/json"
    return JSONResponse(body, media_type=media, headers=headers)


def _entities(request: Request, published: Published, kind: Kind, filters: dict[str, str]):
    try:
        return entities(published.graph, kind, language(request), filters)
    except BadFilter as exc:
        raise errors.bad_request(str(exc)) from None


def list_kind(request: Request, published: Published, kind: Kind, filters: dict[str, str],
              page: int, per_page: int) -> Response:
    lang = language(request)
    tag = caching.build_tag(request, "api", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    items = _entities(request, published, kind, filters)
    pages = max(1, math.ceil(len(items) / per_page))
    shaper = Shaper(published.graph, lang)

    def page_url(n: int) -> str:
        extra = {"per_page": per_page} if per_page != DEFAULT_PER_PAGE else {}
        return urls.api_list(kind.plural, **filters, **extra, page=n if n > 1 else None)

    body = {
        **context(kind),
        "total": len(items), "page": page, "pages": pages, "per_page": per_page,
        "filters": filters,
        "next": page_url(page + 1) if page < pages else None,
        "previous": page_url(page - 1) if 1 < page <= pages + 1 else None,
        "items": [shaper.entity(it.iri, kind)
                  for it in items[(page - 1) * per_page: page * per_page]],
    }
    headers = {"Link": ", ".join([
        *paging_links(page_url, page, pages),
        f'<{urls.api_csv(kind.plural)}>; rel="alternate"; type="text/csv"',
        f'<{urls.class_page(kind.name)}>; rel="alternate"; type="text/html"'])}
    return caching.apply(_json(request, body, headers), tag)


def one(request: Request, published: Published, kind: Kind, ident: str) -> Response:
    iri = iris.entity(published.graph.base, kind.name, ident)
    if not published.graph.exists(iri):
        raise errors.not_found(f"No {kind.name} '{ident}' in the graph.")
    lang = language(request)
    tag = caching.build_tag(request, "api", lang)
    headers = {"Link": f'<{urls.link(iri, published.graph.base)}>; rel="alternate"; '
                       f'type="text/html"'}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    body = {**context(kind), **Shaper(published.graph, lang).entity(iri, kind)}
    return caching.apply(_json(request, body, headers), tag)


def table(request: Request, published: Published, kind: Kind, filters: dict[str, str]) -> Response:
    lang = language(request)
    tag = caching.build_tag(request, "csv", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    items = _entities(request, published, kind, filters)
    shaper = Shaper(published.graph, lang)
    text = to_csv([shaper.entity(it.iri, kind) for it in items], kind)
    headers = {"Content-Disposition": f'inline; filename="{kind.plural}.csv"'}
    return caching.apply(Response(text, media_type="text/csv; charset=utf-8", headers=headers), tag)


DEFAULT_PER_PAGE = 50
Keyword = Annotated[str | None, Query(description=FILTER_HELP["keyword"], max_length=200)]
Organisation = Annotated[str | None, Query(description=FILTER_HELP["organisation"])]
Event = Annotated[str | None, Query(description=FILTER_HELP["event"])]
Day = Annotated[str | None, Query(description=FILTER_HELP["day"], examples=["2024-01-09"])]
Project = Annotated[str | None, Query(description=FILTER_HELP["project"])]
Person = Annotated[str | None, Query(description=FILTER_HELP["person"])]
Topic = Annotated[str | None, Query(description=FILTER_HELP["topic"])]
KindParam = Annotated[str | None, Query(alias="kind", description=FILTER_HELP["kind"])]
Page = Annotated[int, Query(ge=1, description="Page number (1 for the first).")]
PerPage = Annotated[int, Query(ge=1, le=500, description="Entities per page (at most 500).")]
ListFormat = Annotated[Literal["json", "csv"] | None, Query(
    alias="format", description="`csv`: the whole table, as `/api/<kinds>.csv` (overrides Accept).")]


def list_filters(keyword: Keyword = None, organisation: Organisation = None, event: Event = None,
                 day: Day = None, project: Project = None, person: Person = None,
                 topic: Topic = None, kind_: KindParam = None) -> dict[str, str]:
    """The filters of a list request (those given), shared by its JSON and CSV routes."""
    return _filters(keyword=keyword, organisation=organisation, event=event, day=day,
                    project=project, person=person, topic=topic, kind=kind_)


Filters = Annotated[dict[str, str], Depends(list_filters)]


def wants_csv(request: Request, format_: str | None) -> bool:
    """Whether a list request asks for the CSV table: ``format=csv``, or an Accept header that
    prefers ``text/csv`` to JSON (anything else, browsers included, gets JSON)."""
    return try_negotiate(request.headers.get("accept"), LIST_FORMATS, format_param=format_) is CSV


def _routes(kind: Kind) -> None:
    allowed = ", ".join(f"`{f}`" for f in FILTERS[kind.name])

    def list_route(request: Request, published: PublishedDep, filters: Filters,
                   format_: ListFormat = None, page: Page = 1,
                   per_page: PerPage = DEFAULT_PER_PAGE):
        if wants_csv(request, format_):
            return table(request, published, kind, filters)
        return list_kind(request, published, kind, filters, page, per_page)

    def json_route(request: Request, published: PublishedDep, filters: Filters, page: Page = 1,
                   per_page: PerPage = DEFAULT_PER_PAGE):
        return list_kind(request, published, kind, filters, page, per_page)

    def csv_route(request: Request, published: PublishedDep, filters: Filters):
        return table(request, published, kind, filters)

    def item_route(request: Request, ident: str, published: PublishedDep):
        return one(request, published, kind, ident)

    title = kind.plural.capitalize()
    get_and_head(
        router, f"/{kind.plural}.csv", csv_route, name=f"{kind.plural}_csv",
        summary=f"{title} as a CSV table",
        description=f"Every {kind.name} (filters as for the JSON list: {allowed}), one row each; "
                    "several values joined by ` | `, references as IRIs.",
        response_class=Response, responses={200: {"content": {"text/csv": {}}}})
    get_and_head(
        router, f"/{kind.plural}.json", json_route, name=f"{kind.plural}_json",
        summary=f"{title} as JSON", description=f"The JSON list of `/api/{kind.plural}`, "
                                                "whatever the Accept header.")
    get_and_head(
        router, f"/{kind.plural}", list_route, name=f"{kind.plural}_list",
        summary=f"List {kind.plural}",
        description=f"{title}, sorted by label, with a JSON-LD `@context`. Filters for "
                    f"{kind.plural}: {allowed}; another filter is a 400.")
    get_and_head(
        router, f"/{kind.plural}/{{ident}}", item_route, name=f"{kind.plural}_item", summary=f"One {kind.name}",
        description=f"The {kind.name} with this id (the last segment of its IRI "
                    f"`{{base}}{kind.name}/{{id}}`), keyed like its YAML record.")
    if kind.plural != kind.name:
        router.add_api_route(f"/{kind.name}/{{ident}}", item_route, methods=["GET", "HEAD"],
                             include_in_schema=False, name=f"{kind.name}_item")


for _kind in KINDS:
    _routes(_kind)
