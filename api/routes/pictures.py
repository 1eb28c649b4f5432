"""Pictures of the graph over HTTP.

- ``/event/<id>/programme``: the programme grid of an event (also shown on the event's page);
- ``/event/<id>/programme.ics``: the programme as an iCalendar file;
- ``/<kind>/<id>/neighbourhood.svg``: the neighbourhood diagram of an entity (also inline on
  its page, with a text version);
- ``/ontology/diagram.svg``: the ontology diagram (also on ``/ontology/``);
- ``/-/figures``: the ecosystem in figures; ``/-/figures/<chart>.svg`` and ``.csv``.

Pages also get their pictures through ``pictures_for`` (a template global used by the partial
``pictures/_resource.html``), so the linked-data pages need one include line to show them.
"""

from __future__ import annotations

from datetime import datetime, timezone

from babel.dates import format_date
from fastapi import APIRouter, Request
from starlette.responses import Response

from kg import iris
from kg.namespaces import BH
from kg.records import KINDS, KINDS_BY_NAME

from api import caching, errors, urls
from api.graph import PublishedDep, published
from api.pictures import calendar, neighbourhood, ontology_diagram, results, svg, wording  # noqa: F401
from api.pictures.programme import Programme, programme
from api.rendering import language, render, templates
from api import i18n

router = APIRouter(tags=["pictures"])

EVENT = BH + "Event"
SVG = "image/svg+xml"
ICS = "text/calendar; charset=utf-8"


def _event_iri(graph, ident: str) -> str:
    iri = iris.entity(graph.base, "event", ident)
    if EVENT not in graph.types(iri):
        raise errors.not_found(f"The graph has no event <{iri}>.")
    return iri


def build_time(manifest: dict) -> datetime:
    """When the published build was made (its id starts with ``YYYYMMDDTHHMMSS``, UTC)."""
    try:
        return datetime.strptime(str(manifest.get("build_id", ""))[:15], "%Y%m%dT%H%M%S").replace(
            tzinfo=timezone.utc)
    except ValueError:
        return datetime(2024, 1, 1, tzinfo=timezone.utc)


def venue(graph, event: str, lang: str) -> tuple[str | None, list[str]]:
    """The event's venue (its label) and the rooms the graph knows inside it."""
    for term in graph.objects(event, BH + "venue"):
        if term.is_iri:
            rooms = sorted((graph.label(r, lang) or r for r in
                            graph.subjects(BH + "containedInPlace", term.value)), key=str.casefold)
            return graph.label(term.value, lang), rooms
    return None, []


def programme_context(graph, event: str, lang: str) -> dict:
    prog: Programme = programme(graph, event, lang)
    ident = event.rsplit("/", 1)[-1]
    place, rooms = venue(graph, event, lang)
    return {"programme": prog, "programme_page": f"/event/{ident}/programme",
            "programme_ics": f"/event/{ident}/programme.ics", "venue": place, "rooms": rooms,
            "event_title": graph.label(event, lang) or ident,
            "event_path": urls.local_path(event, graph.base)}


@router.api_route("/event/{ident}/programme", methods=["GET", "HEAD"], include_in_schema=False)
def programme_page(request: Request, ident: str, published: PublishedDep) -> Response:
    """The programme of an event as a grid (days × times × rooms)."""
    graph = published.graph
    event = _event_iri(graph, ident)
    lang = language(request)
    tag = caching.build_tag(request, "programme", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    context = programme_context(graph, event, lang)
    return caching.apply(render(request, "pictures/programme.html", context), tag)


@router.api_route("/event/{ident}/programme.ics", methods=["GET", "HEAD"],
                  summary="The programme of an event as iCalendar")
def programme_ics(request: Request, ident: str, published: PublishedDep) -> Response:
    """One VEVENT per session of the event, with its times in Europe/Paris, room, page and
    speakers (RFC 5545)."""
    graph = published.graph
    event = _event_iri(graph, ident)
    lang = language(request)
    tag = caching.build_tag(request, "ics", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    place, _ = venue(graph, event, lang)
    words = {k: i18n.text(f"programme.{k}", lang) for k in ("speakers", "projects", "as_given")}
    body = calendar.calendar(
        programme(graph, event, lang), name=graph.label(event, lang) or ident,
        site=str(request.base_url).rstrip("/"), stamp=build_time(published.manifest),
        location=place, words=words)
    headers = {"Content-Disposition": f'attachment; filename="{ident}.ics"'}
    return caching.apply(Response(body, media_type=ICS, headers=headers), tag)


# --- neighbourhoods ----------------------------------------------------------------------------


def neighbourhood_context(graph, iri: str, kind: str, lang: str) -> dict:
    words = lambda key, **values: i18n.text(key, lang, **values)  # noqa: E731
    hood = neighbourhood.model(graph, iri, lang)
    kind_label = graph.label(BH + KINDS_BY_NAME[kind].cls, lang)
    alt = neighbourhood.summary(hood, words)
    return {"hood": hood, "alt": alt, "kind_label": kind_label,
            "svg_url": urls.local_path(iri, graph.base) + "/neighbourhood.svg",
            "draw": lambda: neighbourhood.draw(hood, words, kind_label)}


def _neighbourhood_route(kind: str):
    def neighbourhood_svg(request: Request, ident: str, published: PublishedDep) -> Response:
        graph = published.graph
        iri = iris.entity(graph.base, kind, ident)
        if not graph.exists(iri):
            raise errors.not_found(f"The graph has nothing about <{iri}>.")
        lang = language(request)
        tag = caching.build_tag(request, "neighbourhood", lang)
        cached = caching.not_modified(request, tag)
        if cached is not None:
            return cached
        ctx = neighbourhood_context(graph, iri, kind, lang)
        body = svg.standalone(ctx["draw"](), alt=ctx["alt"])
        return caching.apply(Response(body, media_type=SVG,
                                      headers={"Content-Language": lang}), tag)

    neighbourhood_svg.__name__ = f"{kind}_neighbourhood_svg"
    neighbourhood_svg.__doc__ = (f"The neighbourhood of one {kind}: the entities one step away, "
                                 "grouped by relation, as SVG.")
    return neighbourhood_svg


for _kind in KINDS:
    router.add_api_route(f"/{_kind.name}/{{ident}}/neighbourhood.svg", _neighbourhood_route(_kind.name),
                         methods=["GET", "HEAD"], include_in_schema=False)


# --- the ontology ------------------------------------------------------------------------------


def ontology_context(request) -> dict:
    settings = request.app.state.settings
    lang = language(request)
    diagram = ontology_diagram.model(results.select(request, ontology_diagram.CLASSES),
                                     results.select(request, ontology_diagram.PROPERTIES),
                                     lang, settings.base_iri)
    alt = i18n.text("ontology_diagram.alt", lang, classes=len(diagram.classes),
                    properties=diagram.property_count)
    return {"diagram": diagram, "alt": alt, "svg_url": ONTOLOGY_SVG,
            "draw": lambda: ontology_diagram.draw(diagram)}


ONTOLOGY_SVG = urls.ONTOLOGY_PATH + "diagram.svg"


@router.api_route(ONTOLOGY_SVG, methods=["GET", "HEAD"], include_in_schema=False)
def ontology_svg(request: Request) -> Response:
    """The ontology's classes and the properties between them, with their alignments, as SVG."""
    lang = language(request)
    tag = caching.build_tag(request, "ontology-diagram", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    ctx = ontology_context(request)
    body = svg.standalone(ctx["draw"](), alt=ctx["alt"])
    return caching.apply(Response(body, media_type=SVG, headers={"Content-Language": lang}), tag)


def ontology_diagram_for(request) -> dict:
    """What the partial ``pictures/_ontology.html`` shows on the ontology's page."""
    ctx = ontology_context(request)
    if not ctx["diagram"].classes:
        return {}
    ctx["svg"] = svg.inline(ctx["draw"](), alt=ctx["alt"], ident="ontology-diagram-title")
    return ctx


templates.env.globals["ontology_diagram_for"] = ontology_diagram_for


# --- pictures on the linked-data pages ---------------------------------------------------------


def pictures_for(request, view) -> dict:
    """What the partial ``pictures/_resource.html`` shows on the page of ``view`` (a
    ``api.descriptions.ResourceView``): an event's programme, any entity's neighbourhood."""
    if view is None or not getattr(view, "kind", None):
        return {}
    graph = published(request).graph
    lang = language(request)
    out: dict = {}
    if view.kind == "event" and EVENT in graph.types(view.iri):
        ctx = programme_context(graph, view.iri, lang)
        if ctx["programme"].count:
            out.update(ctx)
    if view.kind in KINDS_BY_NAME:
        ctx = neighbourhood_context(graph, view.iri, view.kind, lang)
        if ctx["hood"].groups:
            ctx["svg"] = svg.inline(ctx["draw"](), alt=ctx["alt"], ident="neighbourhood-title")
            out["neighbourhood"] = ctx
    return out


templates.env.globals["pictures_for"] = pictures_for


def day_label(day, lang: str) -> str:
    """A day written out for the reader: « mardi 9 janvier 2024 », "Tuesday, January 9, 2024"."""
    return format_date(day, format="full", locale=lang)


templates.env.filters["day_label"] = day_label
