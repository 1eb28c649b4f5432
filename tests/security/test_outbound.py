"""With ``SERVICE`` disabled (the default) the server makes no outbound request.

pyoxigraph really fetches the URL of a ``SERVICE`` clause (and of an update's ``LOAD``), so a
public endpoint that let them through would fetch any URL an anonymous client names, loopback
and the operator's internal network included. Each case sends a query aimed at a listener on
loopback; the listener must see no connection. The control case (``allow_service`` on) shows
that the listener does see the server when it is allowed to call out.
"""

from __future__ import annotations

import time

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.api.conftest import settings_for

FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update"}


def union_with_service(prefix: str, keyword: str = "SERVICE") -> str:
    """A query whose second branch calls the listener; ``prefix`` opens the first branch."""
    return ("SELECT * WHERE { { " + prefix + " } UNION { " + keyword
            + " <{url}> { ?a ?b ?c } } }")


# Queries that try to reach {url}. The first ones are plain; the rest hide the keyword from
# a lexical scanner while pyoxigraph still runs the SERVICE clause.
HOSTILE_QUERIES = {
    "plain": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "lower case": "select * where { service <{url}> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "no space before the IRI": "SELECT * WHERE { SERVICE<{url}>{ ?s ?p ?o } }",
    "bound by VALUES": "SELECT * WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }",
    "after a comment line": "# SERVICE is not used here\nSELECT * WHERE { ?x ?y ?z OPTIONAL { "
                            "SERVICE <{url}> { ?s ?p ?o } } }",
    "inside a subquery": "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "in EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?a ?b ?c } } }",
    "in CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "in ASK": "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    # regression: the scanner took "\#" in a prefixed name for the start of a comment
    "escaped hash in a prefixed name hides the rest of the line":
        union_with_service("?s bh:p\\#x ?o"),
    # regression: the scanner took "\'" in a prefixed name for the start of a string
    "escaped quote in a prefixed name opens a fake string":
        union_with_service("?s bh:p\\'x ?o") + " #'",
    # regression: the scanner did not know \u escapes in IRIs, so "#" after one became a comment
    "unicode escape in an IRI before a hash": union_with_service("<http://x/\\u0041#> ?p ?o"),
    "escaped quote in a string": union_with_service("?s ?p 'a\\''"),
    "long string": union_with_service("?s ?p '''a ' '' b'''"),
}


def _queries(listener) -> list[tuple[str, str]]:
    return [(name, q.replace("{url}", listener.url)) for name, q in HOSTILE_QUERIES.items()]


@pytest.fixture(scope="module")
def read_only(var_dir):
    """One read-only app (real worker pool) for the many cases below."""
    with TestClient(create_app(settings_for(var_dir, query_workers=1)),
                    raise_server_exceptions=False) as c:
        yield c


def _settle(listener) -> None:
    time.sleep(0.3)  # let the accept loop see a late connection


@pytest.mark.parametrize("name", list(HOSTILE_QUERIES))
def test_service_in_a_query_makes_no_connection(name, read_only, listener):
    c = read_only
    query = dict(_queries(listener))[name]
    answers = [
        c.get("/sparql", params={"query": query}),
        c.post("/sparql", data={"query": query}),
        c.post("/sparql", content=query.encode(), headers=DIRECT),
    ]
    _settle(listener)
    assert listener.connections == 0, f"{name}: the server connected to the listener"
    for r in answers:
        assert r.status_code == 400, (name, r.status_code, r.text[:200])
        assert r.json()["error"]["code"] == "service_refused"


def test_the_listener_sees_the_server_when_service_is_allowed(var_dir, app_for, listener):
    """The control: the same query does reach the listener once an operator allows SERVICE."""
    c = app_for(var_dir, allow_service=True, query_timeout=5)
    for _, query in _queries(listener)[:1] + _queries(listener)[-5:]:
        c.get("/sparql", params={"query": query})
    _settle(listener)
    assert listener.connections >= 6


@pytest.mark.parametrize("params", [
    {"query": "SELECT * FROM <{url}> WHERE { ?s ?p ?o }"},
    {"query": "SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }"},
    {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "{url}"},
    {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": "{url}"},
    {"query": "DESCRIBE <{url}>"},
])
def test_dataset_iris_are_names_not_urls_to_fetch(params, read_only, listener):
    c = read_only
    r = c.get("/sparql", params={k: v.replace("{url}", listener.url) for k, v in params.items()})
    _settle(listener)
    assert r.status_code == 200, r.text[:300]
    assert listener.connections == 0


def test_writable_mode_refuses_service_and_load_in_updates(fresh_var, app_for, listener):
    c = app_for(fresh_var, writable=True)
    updates = [
        f"INSERT {{ GRAPH <http://g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{listener.url}> "
        "{ ?s ?p ?o } }",
        # regression: LOAD fetched its URL although outbound requests are disabled
        f"LOAD <{listener.url}>",
        f"LOAD SILENT <{listener.url}> INTO GRAPH <http://g>",
        f"load silent <{listener.url}>",
    ]
    answers = [c.post("/sparql", content=u.encode(), headers=UPDATE) for u in updates]
    answers += [c.post("/sparql", data={"update": u}) for u in updates]
    _settle(listener)
    assert listener.connections == 0
    for r in answers:
        assert r.status_code == 400, r.text[:300]
        assert r.json()["error"]["code"] == "service_refused"


def test_uploaded_documents_fetch_nothing(fresh_var, app_for, listener):
    """A JSON-LD remote context or an XML external entity in a Graph Store upload."""
    c = app_for(fresh_var, writable=True)
    jsonld = ('{"@context": "%s", "@id": "http://example.org/a", "name": "x"}'
              % listener.url).encode()
    rdfxml = (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ext SYSTEM "{listener.url}">]>'
              '\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
              '<ex:p>&ext;</ex:p></rdf:Description></rdf:RDF>').encode()
    answers = [
        c.put("/store?graph=http://example.org/g1", content=jsonld,
              headers={"content-type": "application/ld+json"}),
        c.put("/store?graph=http://example.org/g2", content=rdfxml,
              headers={"content-type": "application/rdf+xml"}),
    ]
    _settle(listener)
    assert listener.connections == 0
    for r in answers:
        assert r.status_code < 500, r.text[:300]


def test_a_real_server_makes_no_outbound_request(var_dir, serve, listener):
    """The same checks over HTTP, against uvicorn with the default settings."""
    server = serve(var_dir, query_workers=1)
    with httpx.Client(base_url=server.url, timeout=20) as http:
        statuses = [http.get("/sparql", params={"query": q}).status_code
                    for _, q in _queries(listener)]
    _settle(listener)
    assert listener.connections == 0
    assert set(statuses) == {400}
