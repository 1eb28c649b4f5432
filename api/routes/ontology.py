"""``/ontology/``: the ontology's documentation. The index lists every class, property and
concept scheme; ``/ontology/<Term>`` documents one class or property (label, comment,
hierarchy, domain and range, alignments with schema.org, Wikidata and publiccode.yml) and any
other term of the namespace (kind concepts, schemes) gets the ordinary resource page.

Ontology IRIs (``https://w3id.org/bluehats-kg/ontology/…``) dereference here whatever the
deployment's base IRI; RDF clients get the term's statements (or, on the index, the whole
ontology graph) in the negotiated format.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import caching, urls, wording  # noqa: F401  (wording: the pages' words)
from api.graph import PublishedDep
from api.negotiation import HTML
from api.ontology_docs import Documentation
from api.rendering import language, render
from api.routes.resources import FORMATS, choose, link_header, rdf_response, resource, split_suffix
from kg import iris
from kg.namespaces import BH, data_prefixes
from kg.records import KINDS
from kg.store.describe import serialize_triples

router = APIRouter(tags=["linked data"])
KIND_OF_CLASS = {BH + k.cls: k.name for k in KINDS}


@router.api_route(urls.ONTOLOGY_PATH, methods=["GET", "HEAD"], include_in_schema=False)
def ontology_index(request: Request, published: PublishedDep) -> Response:
    graph = published.graph
    fmt = choose(request, None)
    lang = language(request) if fmt is HTML else None
    tag = caching.build_tag(request, "ontology", fmt.key, lang)
    ontology_graph = iris.graph(graph.base, "ontology")
    path = urls.link(ontology_graph, graph.base)
    headers = {"Link": link_header(path, HTML if fmt is HTML else fmt)}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    if fmt is not HTML:
        body = serialize_triples(graph.graph_triples(ontology_graph), fmt.key,
                                 data_prefixes(graph.base))
        return caching.apply(rdf_response(body, fmt, headers), tag)
    docs = Documentation(graph, lang, published.manifest.get("classes"))
    context = {"header": docs.header(), "groups": docs.index(), "graph_path": path,
               "formats": [f for f in FORMATS if f is not HTML], "class_pages": {
                   iri: urls.class_page(kind) for iri, kind in KIND_OF_CLASS.items()}}
    return caching.apply(render(request, "ontology.html", context, headers=headers), tag)


@router.api_route(urls.ONTOLOGY_PATH + "{term:path}", methods=["GET", "HEAD"],
                  include_in_schema=False)
def ontology_term(request: Request, term: str, published: PublishedDep) -> Response:
    graph = published.graph
    path, suffix = split_suffix(urls.ONTOLOGY_PATH + term)
    iri = urls.iri_for_path(path, graph.base)
    fmt = choose(request, suffix)
    docs = Documentation(graph, language(request), published.manifest.get("classes"))
    doc = docs.term(iri) if fmt is HTML else None
    if fmt is not HTML or doc is None or doc.kind not in ("class", "property", "scheme"):
        return resource(request, published, urls.ONTOLOGY_PATH + term, incoming_limit=0)
    lang = language(request)
    tag = caching.build_tag(request, fmt.key, lang)
    headers = {"Link": link_header(path, fmt)}
    cached = caching.not_modified(request, tag, headers)
    if cached is not None:
        return cached
    context = {"doc": doc, "path": path, "formats": [f for f in FORMATS if f is not HTML],
               "class_page": urls.class_page(KIND_OF_CLASS[iri]) if iri in KIND_OF_CLASS else None}
    return caching.apply(render(request, "ontology_term.html", context, headers=headers), tag)
