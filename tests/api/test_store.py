"""The Graph Store Protocol at /store: reads in read-only mode, writes in writable mode."""

import pytest

ORGS = "https://w3id.org/bluehats-kg/graph/organisations"
TTL = {"content-type": "text/turtle; charset=utf-8"}


@pytest.mark.parametrize("accept, ctype, marker", [
    ("text/turtle", "text/turtle", "bh:Organisation"),
    ("application/n-triples", "application/n-triples", "<https://w3id.org/bluehats-kg/ontology/Organisation>"),
    ("application/ld+json", "application/ld+json", '"@id"'),
    ("application/rdf+xml", "application/rdf+xml", "rdf:RDF"),
    ("application/trig", "application/trig", "bluehats-kg/organisation/dinum"),
    ("application/n-quads", "application/n-quads", "<https://w3id.org/bluehats-kg/organisation/dinum>"),
])
def test_get_a_named_graph_in_every_format(client, accept, ctype, marker):
    r = client.get("/store", params={"graph": ORGS}, headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(ctype)
    assert marker in r.text
    assert "project/kubic" not in r.text  # only that graph


@pytest.mark.parametrize("method, params, status", [
    ("GET", {"graph": "https://w3id.org/bluehats-kg/graph/nothing"}, 404),
    ("HEAD", {"graph": ORGS}, 200),
    ("HEAD", {"graph": "https://w3id.org/bluehats-kg/graph/nothing"}, 404),
    ("GET", {"default": ""}, 200),
    ("GET", {}, 400),
    ("GET", {"default": "", "graph": ORGS}, 400),
    ("PUT", {"graph": ORGS}, 403),
    ("POST", {"graph": ORGS}, 403),
    ("POST", {}, 403),
    ("DELETE", {"graph": ORGS}, 403),
])
def test_read_only_graph_store(client, method, params, status):
    r = client.request(method, "/store", params=params, headers=TTL, content=b"<a:b> <a:c> <a:d> .")
    assert r.status_code == status
    if status == 403:
        assert r.json()["error"]["code"] == "read_only"
    if method == "HEAD" and status == 200:
        assert int(r.headers["content-length"]) > 0 and r.content == b""


def test_writable_graph_store(fresh_var, app_for):
    c = app_for(fresh_var, writable=True)
    g = "http://example.org/g1"
    r = c.put("/store", params={"graph": g}, headers=TTL,
              content=b'<http://example.org/s> <http://example.org/p> "one" .')
    assert r.status_code == 201
    r = c.post("/store", params={"graph": g}, headers={"content-type": "application/n-triples"},
               content=b'<http://example.org/s> <http://example.org/p> "two" .\n')
    assert r.status_code == 204
    r = c.get("/store", params={"graph": g, "format": "nt"})
    assert sorted(r.text.strip().splitlines()) == [
        '<http://example.org/s> <http://example.org/p> "one" .',
        '<http://example.org/s> <http://example.org/p> "two" .']
    # a bad document changes nothing and names the place
    r = c.put("/store", params={"graph": g}, headers=TTL, content=b"<http://example.org/s> <p> .")
    assert r.status_code == 400 and r.json()["error"]["line"] == 1
    assert len(c.get("/store", params={"graph": g, "format": "nt"}).text.strip().splitlines()) == 2
    # the published build was not touched: the working copy is elsewhere
    assert c.get("/-/health").json()["store"].endswith("writable/store")
    created = c.post("/store", headers=TTL, content=b"[] <http://example.org/p> 1 .")
    assert created.status_code == 201 and created.headers["location"].startswith("http://testserver/store/")
    assert c.get("/store", params={"graph": created.headers["location"]}).status_code == 200
    assert c.delete("/store", params={"graph": g}).status_code == 204
    assert c.delete("/store", params={"graph": g}).status_code == 404
    r = c.put("/store", params={"graph": g}, headers={"content-type": "application/pdf"}, content=b"x")
    assert r.status_code == 415


def test_openapi_documents_the_parameters(client):
    paths = client.get("/openapi.json").json()["paths"]
    names = lambda op: {p["name"] for p in op.get("parameters", [])}  # noqa: E731
    assert {"graph", "default", "format", "timeout"} <= names(paths["/store"]["get"])
    assert {"graph", "default"} <= names(paths["/store"]["put"])
    assert "text/turtle" in paths["/store"]["put"]["requestBody"]["content"]
    assert "text/turtle" in paths["/store"]["get"]["responses"]["200"]["content"]
