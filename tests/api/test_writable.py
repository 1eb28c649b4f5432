"""Writable mode: updates and queries on a working copy, the token, and the published build."""

from kg.store import current_build, open_read_only

UPDATE = {"content-type": "application/sparql-update"}
INSERT = b'INSERT DATA { GRAPH <http://example.org/g> { project:new rdfs:label "New" } }'
ASK = "ASK { project:new rdfs:label 'New' }"


def test_updates_apply_to_the_working_copy_only(fresh_var, app_for):
    c = app_for(fresh_var, writable=True)
    assert c.post("/sparql", content=INSERT, headers=UPDATE).status_code == 204
    assert c.get("/sparql", params={"query": ASK}).json()["boolean"] is True
    sd = c.get("/sparql", headers={"accept": "text/turtle"}).text
    assert "sd:SPARQL11Update" in sd and "<http://example.org/g>" in sd
    published = open_read_only(current_build(fresh_var) / "store")
    assert not published.query(ASK.replace("project:new", "<https://w3id.org/bluehats-kg/project/new>")
                               .replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>"))


def test_update_syntax_error_names_line_and_column(fresh_var, app_for):
    c = app_for(fresh_var, writable=True)
    r = c.post("/sparql", content=b"INSERT DATA {\n  <a> <b> }", headers=UPDATE)
    assert r.status_code == 400 and r.json()["error"]["line"] == 2


def test_the_token_guards_writes(fresh_var, app_for):
    c = app_for(fresh_var, writable=True, token="s3cret-token")
    r = c.post("/sparql", content=INSERT, headers=UPDATE)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = c.post("/sparql", content=INSERT, headers={**UPDATE, "authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = c.post("/sparql", content=INSERT, headers={**UPDATE, "authorization": "Bearer s3cret-token"})
    assert r.status_code == 204
    # reads need no token
    assert c.get("/sparql", params={"query": ASK}).json()["boolean"] is True
    assert "s3cret-token" not in c.get("/-/settings").text
