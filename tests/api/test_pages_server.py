"""The linked-data pages over HTTP: a real uvicorn server on a loopback port, and every
entity of the built graph (the real one when ``data/`` exists) dereferenced by its path."""

from __future__ import annotations

import httpx
import rdflib

from kg.namespaces import BH
from kg.records import KINDS
from tests.api.web import BROWSER, built_app, mini_app  # noqa: F401


def test_served_by_uvicorn_on_any_port(serve, mini):
    server = serve(mini.settings.var_dir, queries_dir=mini.settings.queries_dir)
    base = server.url  # http://127.0.0.1:<port>: not the base IRI's host
    r = httpx.get(base + "/project/onyxia", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (rdflib.URIRef(mini.settings.base_iri + "project/onyxia"), None, None) in g
    html = httpx.get(base + "/project/onyxia", headers={"accept": BROWSER})
    assert html.status_code == 200 and 'href="/project/python"' in html.text
    head = httpx.head(base + "/project/onyxia.ttl")
    assert head.status_code == 200 and head.headers["etag"] == r.headers["etag"]
    again = httpx.get(base + "/project/onyxia", headers={"accept": "text/turtle",
                                                          "if-none-match": r.headers["etag"]})
    assert again.status_code == 304
    assert httpx.get(base + "/project/nothing-here").status_code == 404
    assert httpx.get(base + "/", headers={"accept": BROWSER}).status_code == 200


def entity_iris(built) -> list[str]:
    from kg.store import open_read_only
    from kg.store.describe import Graph

    graph = Graph(open_read_only(built.path / "store"), built.settings.base_iri)
    out = []
    for kind in KINDS:
        out += [i for i in graph.instances(BH + kind.cls) if i.startswith(built.settings.base_iri)]
    del graph
    return sorted(set(out))


def test_every_entity_dereferences(built_app, built):
    iris = entity_iris(built)
    assert iris
    base = built.settings.base_iri
    for iri in iris:
        path = "/" + iri[len(base):]
        html = built_app.get(path, headers={"accept": BROWSER})
        assert html.status_code == 200, path
        ttl = built_app.get(path, headers={"accept": "text/turtle"})
        assert ttl.status_code == 200, path
        g = rdflib.Graph().parse(data=ttl.text, format="turtle")
        assert (rdflib.URIRef(iri), rdflib.RDF.type, None) in g, path
