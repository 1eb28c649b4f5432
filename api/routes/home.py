"""``/``: the home page presents the dataset: title, licence, counts, entry points, a search box,
example queries and downloads. All of it comes from the published build (its manifest and
graph) and from the named queries (``queries/*.rq``)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import caching, errors, urls, wording  # noqa: F401  (wording: the pages' words)
from api.graph import published
from api.rendering import language, render
from api.routes.downloads import licence_context
from kg import iris, queries, void
from kg.namespaces import BH
from kg.records import KINDS

router = APIRouter(tags=["linked data"])
log = logging.getLogger("kg.api")


def named_queries(settings) -> list:
    """The named queries, or none when their folder cannot be read (the page still works)."""
    try:
        return list(queries.registry(settings.queries_dir).values())
    except Exception:
        log.exception("named queries unreadable")
        return []


def localized(values: dict[str, str], lang: str) -> str:
    return values.get(lang) or values.get("en") or next(iter(values.values()), "")


@router.api_route(urls.HOME, methods=["GET", "HEAD"], include_in_schema=False)
def home(request: Request) -> Response:
    lang = language(request)
    settings = request.app.state.settings
    try:
        current = published(request)
    except errors.ApiError:
        return render(request, "home.html", {"built": False, "title": void.TITLE[lang]},
                      status_code=503)
    tag = caching.build_tag(request, "home", lang)
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    graph, manifest = current.graph, current.manifest
    classes = manifest.get("classes", {})
    kinds = [
        {"kind": k.name, "label": graph.label(BH + k.cls, lang) or k.cls,
         "count": classes.get(BH + k.cls, 0), "href": urls.class_page(k.name),
         "api": urls.api_list(k.plural), "csv": urls.api_csv(k.plural)}
        for k in KINDS
    ]
    events = []
    for event in graph.instances(BH + "Event"):
        if not event.startswith(settings.base_iri):
            continue
        start = graph.objects(event, BH + "startDate")
        events.append({"href": urls.link(event, settings.base_iri),
                       "label": graph.label(event, lang) or event,
                       "start": start[0].value if start else ""})
    events.sort(key=lambda e: (e["start"], e["label"]), reverse=True)
    examples = [
        {"title": localized(q.title, lang), "description": localized(q.description, lang),
         "sparql": urls.with_query(urls.SPARQL, query=q.text, format="html"),
         "json": urls.api_query(q.name + ".json"), "csv": urls.api_query(q.name + ".csv"),
         "params": q.params}
        for q in named_queries(settings)
    ]
    dumps = [{"format": fmt, "href": urls.dump(path.rsplit("/", 1)[-1])}
             for fmt, path in sorted(manifest.get("dumps", {}).items())]
    context = {
        "built": True,
        "title": void.TITLE[lang], "intro": void.DESCRIPTION[lang],
        **licence_context(settings, lang),
        "manifest": manifest, "kinds": kinds, "events": events[:20],
        "more_events": len(events) > 20, "examples": examples, "dumps": dumps,
        "dataset": urls.link(iris.dataset(settings.base_iri), settings.base_iri),
    }
    return caching.apply(render(request, "home.html", context), tag)
