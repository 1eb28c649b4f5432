"""Hostile values in parameters cannot change a query: named-query parameters, REST filters,
search, and the protocol's graph IRIs (values full of quotes, braces, ``#``, newlines and
SPARQL keywords)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.api.conftest import settings_for

QUERIES = Path(__file__).parent / "fixtures" / "queries"

HOSTILE = [
    '" } UNION { ?project ?p ?o } #',
    "' } UNION { ?project ?p ?o } #",
    '"""\n} ; DROP ALL ; SELECT * WHERE { ?project ?p ?o } #',
    "Kubic\" . ?project ?p ?o . FILTER(\"1\"=\"1",
    "}}}{{{ # ? $x <http://example.org/> SERVICE <http://127.0.0.1:9/> {} LOAD",
    "\\u0022) || true || (\\u0022",
    "Kubic\n#",
    "\x00\x01\u202e",
]


@pytest.fixture(scope="module")
def named(var_dir):
    """An app whose named queries include ``by-label`` (a string parameter)."""
    with TestClient(create_app(settings_for(var_dir, queries_dir=QUERIES, query_workers=1)),
                    raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("value", HOSTILE)
def test_a_named_query_parameter_is_a_value_not_query_text(named, value):
    r = named.get("/api/queries/by-label", params={"name": value, "format": "json"})
    assert r.status_code in (200, 400), r.text[:300]
    if r.status_code == 200:
        assert r.json()["results"]["bindings"] == []  # matched as a literal: no label is that


def test_a_named_query_parameter_matches_a_label_with_quotes_and_a_newline(named):
    """The control: bound as a term, the exact label (quotes, newline and all) is found."""
    for label, found in (("Kubic", 1), ('Sites faciles, "quoted"\nline', 1), ("Kubic ", 0)):
        r = named.get("/api/queries/by-label", params={"name": label, "format": "json"})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == found, label


# regression (organisation): a value that is not an IRI made Graph.exists raise, answered 500
@pytest.mark.parametrize("path", ["/api/projects", "/api/organisations", "/api/people",
                                  "/api/events", "/api/sessions", "/search"])
@pytest.mark.parametrize("value", HOSTILE)
def test_rest_filters_and_search_take_hostile_values(named, path, value):
    for name in ("keyword", "organisation", "event", "day", "q", "kind", "topic"):
        r = named.get(path, params={name: value, "format": "json"})
        assert r.status_code in (200, 400, 404), (path, name, r.status_code, r.text[:300])
        if r.status_code == 200 and name != "q" and path != "/search":
            assert r.json().get("total", 0) == 0 or name not in ("keyword",), (path, name)


@pytest.mark.parametrize("params", [
    {"query": "ASK {}", "default-graph-uri": ""},
    {"query": "ASK {}", "named-graph-uri": "not an iri"},
    {"query": "ASK {}", "default-graph-uri": "http://x/> } SERVICE <http://127.0.0.1:9/"},
])
def test_an_invalid_dataset_iri_is_a_400_not_a_500(named, params):
    """Regression: the worker's ValueError came back as 500."""
    r = named.get("/sparql", params=params)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_query"
    assert "-graph-uri" in r.json()["error"]["message"]


def test_using_graph_uri_cannot_inject_update_text(fresh_var, app_for):
    """Regression: using-graph-uri was pasted into the update after the SERVICE/LOAD check."""
    c = app_for(fresh_var, writable=True)
    injected = ("http://x/> WHERE { ?s ?p ?o } ; LOAD <http://127.0.0.1:9/x> ; "
                "INSERT { <a:b> <a:c> <a:d> } USING <http://y/")
    r = c.post("/sparql", params={"using-graph-uri": injected},
               content=b"DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
               headers={"content-type": "application/sparql-update"})
    assert r.status_code == 400 and "using-graph-uri" in r.json()["error"]["message"]
    assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize("path, status", [
    # regression: negotiate() raised NotAcceptable out of the route, answered 500
    ("/store?default&format=bogus", 406),
    ("/sparql?format=bogus", 406),
    # regression: Graph.types() on a path that makes no IRI raised ValueError, answered 500
    ("/event/%22/programme", 404),
    ("/event/%22/programme.ics", 404),
])
def test_bad_path_or_format_values_are_4xx_not_500(named, path, status):
    r = named.get(path)
    assert r.status_code == status, r.text[:300]
    assert r.json()["error"]["status"] == status
