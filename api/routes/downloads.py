"""Downloads and the dataset's description: ``/-/dumps/<file>`` (the build's dumps, as
listed in its manifest), ``/.well-known/void`` and ``/dataset`` (VoID and DCAT: title,
licence, sources, statistics, distributions), HTML to browsers and RDF to machines."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, Response

from api import caching, errors, urls, wording  # noqa: F401  (wording: the pages' words)
from api.graph import Published, PublishedDep
from api.head import get_and_head
from api.negotiation import HTML
from api.rendering import language, render
from api.routes.resources import FORMATS, choose, link_header, rdf_response
from kg import iris, void
from kg.namespaces import BH, DCTERMS, data_prefixes
from kg.store.describe import serialize_triples

router = APIRouter(tags=["downloads"])
DUMP_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples",
              "jsonld": "application/ld+json", "trig": "application/trig",
              "nq": "application/n-quads"}


def dump_files(manifest: dict) -> dict[str, str]:
    """{file name: format} of the dumps the manifest lists."""
    return {path.rsplit("/", 1)[-1]: fmt for fmt, path in manifest.get("dumps", {}).items()}


def dump(request: Request, file: str, published: PublishedDep):
    """One of the build's dumps: ``graph.ttl``, ``graph.nt``, ``graph.jsonld`` (the union of
    the named graphs) or ``graph.trig`` (one named graph per source)."""
    files = dump_files(published.manifest)
    if file not in files:
        raise errors.not_found(f"No dump named {file} (dumps: {', '.join(sorted(files))}).")
    build_dir = request.app.state.stores.build_dir()
    path = build_dir / "dumps" / file
    if not path.is_file():
        raise errors.not_found(f"The dump {file} is missing from the build.")
    tag = caching.build_tag(request, "dump", files[file])
    cached = caching.not_modified(request, tag)
    if cached is not None:
        return cached
    media = DUMP_TYPES.get(files[file], "application/octet-stream")
    response = FileResponse(path, media_type=f"{media}; charset=utf-8", filename=file,
                            content_disposition_type="inline")
    # FileResponse's own ETag is made from the file's time and size: ours names the content
    response.headers["etag"] = tag or response.headers.get("etag", "")
    return caching.apply(response, tag)


def licence_context(settings, lang: str) -> dict:
    """What the home and dataset pages say of the licence: its link, or that none is declared."""
    licence = settings.dataset_licence
    return {"licence": licence, "licence_name": void.licence_name(licence),
            "no_licence": void.NO_LICENCE[lang]}


def endpoints(request: Request, manifest: dict) -> void.Endpoints:
    return void.Endpoints(
        sparql=urls.absolute(request, urls.SPARQL),
        dumps={fmt: urls.absolute(request, urls.dump(name))
               for name, fmt in dump_files(manifest).items()},
        home=urls.absolute(request, urls.HOME),
        void=urls.absolute(request, urls.VOID),
    )


def description(request: Request, published: Published) -> list:
    graph, manifest = published.graph, published.manifest
    if not manifest:
        raise errors.store_missing()
    sources = [s for s in graph.instances(BH + "SourceDocument") if s.startswith(graph.base)]
    return void.triples(manifest, sources, endpoints(request, manifest),
                        licence=request.app.state.settings.dataset_licence)


def well_known_void(request: Request, published: PublishedDep):
    """The dataset's VoID and DCAT description: title, licence, sources, SPARQL endpoint,
    dumps, and statistics (triples, entities, classes and named graphs). Turtle by default;
    JSON-LD, N-Triples, RDF/XML or an HTML page by ``Accept`` or ``format``."""
    return dataset_description(request, published, urls.VOID)


get_and_head(router, urls.DUMPS + "{file}", dump, summary="Download a dump of the whole graph",
             response_class=Response)
get_and_head(router, urls.VOID, well_known_void, summary="Dataset description (VoID, DCAT)",
             response_class=Response)


@router.api_route("/dataset", methods=["GET", "HEAD"], include_in_schema=False)
def dataset(request: Request, published: PublishedDep):
    return dataset_description(request, published, "/dataset")


@router.api_route("/dataset.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
def dataset_suffix(request: Request, ext: str, published: PublishedDep):
    return dataset_description(request, published, f"/dataset.{ext}")


def dataset_description(request: Request, published: Published, path: str) -> Response:
    suffix = None
    if path.startswith("/dataset."):
        ext = path.rsplit(".", 1)[1]
        suffix = next((f for f in FORMATS if ext in (f.extension, f.key)), None)
        if suffix is None:
            raise errors.not_found(f"No format with the suffix .{ext}.")
        path = "/dataset"
    # machines asking nothing get Turtle at the well-known address, as VoID clients expect
    table = FORMATS if path == "/dataset" else (*FORMATS[1:], HTML)
    fmt = choose(request, suffix, table)
    lang = language(request) if fmt is HTML else None
    tag = caching.build_tag(request, "void", fmt.key, lang)
    headers = {"Link": link_header("/dataset", fmt)}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    triples = description(request, published)
    if fmt is not HTML:
        body = serialize_triples(triples, fmt.key, {**data_prefixes(published.graph.base),
                                                    "void": void.VOID, "dcat": void.DCAT,
                                                    "foaf": void.FOAF})
        return caching.apply(rdf_response(body, fmt, headers), tag)
    graph, manifest = published.graph, published.manifest
    classes = sorted(((graph.label(c, lang) or c, urls.link(c, graph.base), n)
                      for c, n in manifest.get("classes", {}).items()), key=lambda x: -x[2])
    context = {
        "title": void.TITLE[lang], "intro": void.DESCRIPTION[lang],
        **licence_context(request.app.state.settings, lang), "manifest": manifest,
        "classes": classes,
        "graphs": [(urls.link(g, graph.base), g, n)
                   for g, n in sorted(manifest.get("graphs", {}).items())],
        "dumps": sorted(dump_files(manifest).items()),
        "sources": [(urls.link(s, graph.base), graph.label(s, lang) or s) for s in
                    sorted({t[2].value for t in triples if t[1].value == DCTERMS + "source"})],
        "turtle": serialize_triples(triples, "turtle", {
            **data_prefixes(graph.base), "void": void.VOID, "dcat": void.DCAT,
            "foaf": void.FOAF}).decode(),
        "formats": [f for f in FORMATS if f is not HTML],
        "dataset_iri": iris.dataset(graph.base),
    }
    return caching.apply(render(request, "dataset.html", context, headers=headers), tag)
