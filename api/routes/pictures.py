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

import threading
import weakref
from datetime import UTC, datetime

from babel.dates import format_date
from fastapi import APIRouter, Request
from starlette.responses import Response

from api import caching, errors, i18n, urls
from api.graph import PublishedDep, published
from api.head import get_and_head
from api.pictures import calendar, charts, neighbourhood, ontology_diagram, results, svg, wording  # noqa: F401
from api.pictures.programme import Programme, programme
from api.rendering import language, render, templates
from kg import iris, queries
from kg.namespaces import BH
from kg.records import KINDS, KINDS_BY_NAME

router = APIRouter(tags=["pictures"])

EVENT = BH + "Event"
SVG = "image/svg+xml"
# an SVG opened on its own is a document that could run scripts: ours need none
SVG_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
               "X-Content-Type-Options": "nosniff"}
ICS = "text/calendar; charset=utf-8"


# --- made once per build -------------------------------------------------------------------------
# A build never changes: each picture is drawn once per build and language (Graphviz takes tens
# of milliseconds), kept with the build's ``Graph`` and dropped with it.
_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MEMO_LOCK = threading.Lock()
MEMO_SIZE = 4096  # pictures kept per build (then the cache starts again)


def memo(graph, key: tuple, make):
    with _MEMO_LOCK:
        per_build = _MEMO.setdefault(graph, {})
        if key in per_build:
            return per_build[key]
    value = make()
    with _MEMO_LOCK:
        if len(per_build) >= MEMO_SIZE:
            per_build.clear()
        per_build[key] = value
    return value


def no_graphviz(exc: Exception) -> errors.ApiError:
    return errors.ApiError(503, "graphviz_missing", str(exc))


def _event_iri(graph, ident: str) -> str:
    iri = iris.entity(graph.base, "event", ident)
    if EVENT not in graph.types(iri):
        raise errors.not_found(f"The graph has no event <{iri}>.")
    return iri


def build_time(manifest: dict) -> datetime:
    """When the published build was made (its id starts with ``YYYYMMDDTHHMMSS``, UTC)."""
    try:
        return datetime.strptime(str(manifest.get("build_id", ""))[:15], "%Y%m%dT%H%M%S").replace(
            tzinfo=UTC)
    except ValueError:
        return datetime(2024, 1, 1, tzinfo=UTC)


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


get_and_head(router, "/event/{ident}/programme.ics", programme_ics,
             summary="The programme of an event as iCalendar")


# --- neighbourhoods ----------------------------------------------------------------------------


def neighbourhood_context(graph, iri: str, kind: str, lang: str) -> dict:
    """The neighbourhood of an entity: its model, its text alternative and its drawing."""
    def make() -> dict:
        words = lambda key, **values: i18n.text(key, lang, **values)
        hood = neighbourhood.model(graph, iri, lang)
        kind_label = graph.label(BH + KINDS_BY_NAME[kind].cls, lang)
        return {"hood": hood, "alt": neighbourhood.summary(hood, words), "kind_label": kind_label,
                "svg_url": urls.local_path(iri, graph.base) + "/neighbourhood.svg",
                "drawing": neighbourhood.draw(hood, words, kind_label) if hood.groups else None}
    return memo(graph, ("neighbourhood", iri, lang), make)


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
        try:
            ctx = neighbourhood_context(graph, iri, kind, lang)
        except svg.GraphvizMissing as exc:
            raise no_graphviz(exc) from None
        drawing = ctx["drawing"] or neighbourhood.draw(ctx["hood"], lambda k, **v: i18n.text(
            k, lang, **v), ctx["kind_label"])  # an entity alone: just itself
        body = svg.standalone(drawing, alt=ctx["alt"])
        return caching.apply(Response(body, media_type=SVG,
                                      headers={"Content-Language": lang, **SVG_HEADERS}), tag)

    neighbourhood_svg.__name__ = f"{kind}_neighbourhood_svg"
    neighbourhood_svg.__doc__ = (f"The neighbourhood of one {kind}: the entities one step away, "
                                 "grouped by relation, as SVG.")
    return neighbourhood_svg


for _kind in KINDS:
    router.add_api_route(f"/{_kind.name}/{{ident}}/neighbourhood.svg", _neighbourhood_route(_kind.name),
                         methods=["GET", "HEAD"], include_in_schema=False)


# --- the ontology ------------------------------------------------------------------------------


def ontology_context(request) -> dict:
    """The ontology diagram: its model, its text alternative and its drawing."""
    settings = request.app.state.settings
    lang = language(request)

    def make() -> dict:
        diagram = ontology_diagram.model(results.select(request, ontology_diagram.CLASSES),
                                         results.select(request, ontology_diagram.PROPERTIES),
                                         lang, settings.base_iri)
        alt = i18n.text("ontology_diagram.alt", lang, classes=len(diagram.classes),
                        properties=diagram.property_count)
        return {"diagram": diagram, "alt": alt, "svg_url": ONTOLOGY_SVG,
                "drawing": ontology_diagram.draw(diagram) if diagram.classes else None}
    return memo(published(request).graph, ("ontology", lang), make)


ONTOLOGY_SVG = urls.ONTOLOGY_PATH + "diagram.svg"


@router.api_route(ONTOLOGY_SVG, methods=["GET", "HEAD"], include_in_schema=False)
def ontology_svg(request: Request) -> Response:
    """The ontology's classes and the properties between them, with their alignments, as SVG."""
    lang = language(request)
    tag = caching.build_tag(request, "ontology-diagram", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    try:
        ctx = ontology_context(request)
    except svg.GraphvizMissing as exc:
        raise no_graphviz(exc) from None
    if ctx["drawing"] is None:
        raise errors.not_found("The graph holds no ontology classes to draw.")
    body = svg.standalone(ctx["drawing"], alt=ctx["alt"])
    return caching.apply(Response(body, media_type=SVG, headers={"Content-Language": lang, **SVG_HEADERS}), tag)


def ontology_diagram_for(request) -> dict:
    """What the partial ``pictures/_ontology.html`` shows on the ontology's page."""
    try:
        ctx = ontology_context(request)
    except svg.GraphvizMissing:
        return {}  # the page goes without its diagram
    if ctx["drawing"] is None:
        return {}
    return {**ctx, "svg": svg.inline(ctx["drawing"], alt=ctx["alt"], ident="ontology-diagram-title")}


templates.env.globals["ontology_diagram_for"] = ontology_diagram_for


# --- the ecosystem in figures -----------------------------------------------------------------

FIGURES = "/-/figures"


def _chart(name: str) -> charts.Chart:
    chart = charts.CHARTS_BY_NAME.get(name)
    if chart is None:
        known = ", ".join(c.name for c in charts.CHARTS)
        raise errors.not_found(f"No chart '{name}' (charts: {known}).")
    return chart


def _named_query(request, name: str) -> queries.NamedQuery:
    registry = queries.registry(request.app.state.settings.queries_dir)
    if name not in registry:
        raise errors.not_found(f"The named query '{name}' behind this chart is missing.")
    return registry[name]


def figure_of(request, chart: charts.Chart, lang: str) -> tuple[charts.Figure, results.Rows]:
    """The numbers of a chart (its named query run once per build and language)."""
    graph = published(request).graph
    text = _named_query(request, chart.query).text

    def make():
        rows = results.select(request, text)
        reader = charts.Reader(lang, lambda key, **v: i18n.text(key, lang, **v),
                               lambda iri: graph.label(iri, lang) or iri.rsplit("/", 1)[-1])
        figure = chart.numbers(rows.rows, reader)
        figure.category_header = chart.header[lang]
        return figure, rows
    return memo(graph, ("figure", chart.name, text, lang), make)


def figure_alt(chart: charts.Chart, figure: charts.Figure, lang: str) -> str:
    totals = figure.total()
    shown = [f"{c} : {n}" if lang == "fr" else f"{c}: {n}"
             for c, n in zip(figure.categories[:6], totals[:6])]
    if len(figure.categories) > 6:
        shown.append(i18n.text("figures.alt.more", lang, n=len(figure.categories) - 6))
    details = ", ".join(shown) or i18n.text("figures.empty", lang)
    return i18n.text("figures.alt", lang, title=chart.title[lang], details=details)


@router.api_route(FIGURES, methods=["GET", "HEAD"], include_in_schema=False)
def figures_page(request: Request) -> Response:
    """The ecosystem in figures: a chart per named query, with its numbers and its query."""
    lang = language(request)
    tag = caching.build_tag(request, "figures", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    items = []
    for chart in charts.CHARTS:
        figure, rows = figure_of(request, chart, lang)
        query = _named_query(request, chart.query)
        items.append({
            "chart": chart, "figure": figure, "title": chart.title[lang],
            "alt": figure_alt(chart, figure, lang), "truncated": rows.truncated,
            "hidden": len(figure.categories) - len(charts.top(figure, chart.limit).categories),
            "svg": urls.with_query(f"{FIGURES}/{chart.name}.svg", lang=lang),
            "csv": urls.with_query(f"{FIGURES}/{chart.name}.csv", lang=lang),
            "query_title": query.title.get(lang) or query.title.get("en"),
            "query_api": urls.api_query(chart.query),
            "query_sparql": urls.with_query(urls.SPARQL, query=query.text),
        })
    return caching.apply(render(request, "pictures/figures.html", {"items": items}), tag)


def _figure_file(request: Request, name: str, variant: str, answer) -> Response:
    """One figure as a file: ``answer(chart, figure, lang)`` makes the response, cached by
    the build, the figure and the language."""
    chart = _chart(name)
    lang = language(request)
    tag = caching.build_tag(request, variant, name, lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    figure, _ = figure_of(request, chart, lang)
    return caching.apply(answer(chart, figure, lang), tag)


@router.api_route(FIGURES + "/{name}.svg", methods=["GET", "HEAD"], include_in_schema=False)
def figure_svg(request: Request, name: str) -> Response:
    def svg(chart, figure, lang: str) -> Response:
        body = charts.draw(charts.top(figure, chart.limit), chart.kind, chart.title[lang])
        return Response(body, media_type=SVG, headers={"Content-Language": lang, **SVG_HEADERS})

    return _figure_file(request, name, "figure", svg)


@router.api_route(FIGURES + "/{name}.csv", methods=["GET", "HEAD"], include_in_schema=False)
def figure_csv(request: Request, name: str) -> Response:
    def table(chart, figure, lang: str) -> Response:
        headers = {"Content-Disposition": f'inline; filename="{name}.csv"',
                   "Content-Language": lang}
        return Response(charts.csv_text(figure), media_type="text/csv; charset=utf-8",
                        headers=headers)

    return _figure_file(request, name, "figure-csv", table)


# --- pictures on the linked-data pages ---------------------------------------------------------


def pictures_for(request, view) -> dict:
    """What the partial ``pictures/_resource.html`` shows on the page of ``view`` (a
    ``api.descriptions.ResourceView``): an event's programme, any entity's neighbourhood."""
    if view is None or not getattr(view, "kind", None) or getattr(view, "page", 1) > 1:
        return {}  # the next pages of a long page list its incoming links, nothing else
    graph = published(request).graph
    lang = language(request)
    out: dict = {}
    if view.kind == "event" and EVENT in graph.types(view.iri):
        ctx = programme_context(graph, view.iri, lang)
        if ctx["programme"].count:
            out.update(ctx)
    if view.kind in KINDS_BY_NAME:
        try:
            ctx = neighbourhood_context(graph, view.iri, view.kind, lang)
        except svg.GraphvizMissing:
            return out  # the page still works without its diagram (`dot` is not installed)
        if ctx["drawing"]:
            out["neighbourhood"] = {**ctx, "svg": svg.inline(ctx["drawing"], alt=ctx["alt"],
                                                             ident="neighbourhood-title")}
    return out


templates.env.globals["pictures_for"] = pictures_for


def day_label(day, lang: str) -> str:
    """A day written out for the reader: « mardi 9 janvier 2024 », "Tuesday, January 9, 2024"."""
    return format_date(day, format="full", locale=lang)


templates.env.filters["day_label"] = day_label
