"""The SPARQL 1.1 Protocol at /sparql, in-process (the fixture app caps results at 5 rows)."""

import json

import pytest

LABELS = "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l"
PROJECTS = "SELECT ?p WHERE { ?p a bh:Project } ORDER BY ?p LIMIT 3"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}


@pytest.mark.parametrize("method, params, body, headers, status, content_type", [
    # query by GET, POST form, POST direct
    ("GET", {"query": PROJECTS}, None, {}, 200, "application/sparql-results+json"),
    ("POST", {}, {"query": PROJECTS}, FORM, 200, "application/sparql-results+json"),
    ("POST", {}, PROJECTS, DIRECT, 200, "application/sparql-results+json"),
    # negotiation
    ("GET", {"query": PROJECTS}, None, {"accept": "application/sparql-results+xml"}, 200,
     "application/sparql-results+xml"),
    ("GET", {"query": PROJECTS}, None, {"accept": "text/csv"}, 200, "text/csv"),
    ("GET", {"query": PROJECTS}, None, {"accept": "text/tab-separated-values"}, 200,
     "text/tab-separated-values"),
    ("GET", {"query": PROJECTS, "format": "csv"}, None, {"accept": "application/sparql-results+xml"},
     200, "text/csv"),
    ("GET", {"query": "ASK { ?s a bh:Project }"}, None, {}, 200, "application/sparql-results+json"),
    ("GET", {"query": "CONSTRUCT WHERE { ?s a bh:Organisation }"}, None, {}, 200, "text/turtle"),
    ("GET", {"query": "CONSTRUCT WHERE { ?s a bh:Organisation }"}, None,
     {"accept": "application/n-triples"}, 200, "application/n-triples"),
    ("GET", {"query": "DESCRIBE <https://w3id.org/bluehats-kg/project/kubic>"}, None,
     {"accept": "application/ld+json"}, 200, "application/ld+json"),
    ("GET", {"query": "CONSTRUCT WHERE { ?s a bh:Organisation }", "format": "trig"}, None, {}, 200,
     "application/trig"),
    ("GET", {"query": "CONSTRUCT WHERE { ?s a bh:Organisation }", "format": "rdfxml"}, None, {},
     200, "application/rdf+xml"),
    ("GET", {"query": "CONSTRUCT WHERE { ?s a bh:Organisation }", "format": "nquads"}, None, {},
     200, "application/n-quads"),
    ("GET", {"query": PROJECTS}, None, {"accept": BROWSER}, 200, "text/html"),
    # errors
    ("GET", {"query": "SELECT * WHERE {"}, None, {}, 400, "application/json"),
    ("GET", {"query": PROJECTS}, None, {"accept": "text/turtle"}, 406, "application/json"),
    ("GET", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, None,
     {"accept": "application/sparql-results+json"}, 406, "application/json"),
    ("GET", {"query": PROJECTS}, None, {"accept": "image/png"}, 406, "application/json"),
    ("GET", {"update": "CLEAR ALL"}, None, {}, 400, "application/json"),
    ("POST", {}, {"update": "CLEAR ALL"}, FORM, 403, "application/json"),
    ("POST", {}, "CLEAR ALL", {"content-type": "application/sparql-update"}, 403, "application/json"),
    ("POST", {}, "ASK {}", {"content-type": "text/plain"}, 415, "application/json"),
    ("POST", {}, "ASK {}", {}, 415, "application/json"),
    ("POST", {}, "ASK {}", {"content-type": "application/sparql-query; charset=UTF-16"}, 415,
     "application/json"),
    ("POST", {}, "query=ASK%20%7B%7D&query=ASK%20%7B%7D", FORM, 400, "application/json"),
    ("POST", {}, "", FORM, 400, "application/json"),
    ("PUT", {"query": "ASK {}"}, None, {}, 405, "application/json"),
    ("GET", {"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, None, {},
     400, "application/json"),
    ("GET", {"query": PROJECTS, "timeout": "soon"}, None, {}, 400, "application/json"),
    ("GET", {"query": "SELECT * WHERE {"}, None, {"accept": BROWSER}, 400, "text/html"),
])
def test_protocol(client, method, params, body, headers, status, content_type):
    kwargs = {"params": params, "headers": headers}
    if isinstance(body, dict):
        kwargs["data"] = body
    elif body is not None:
        kwargs["content"] = body.encode("utf-8")
    r = client.request(method, "/sparql", **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].split(";")[0] == content_type
    if status == 200:
        assert "Accept" in r.headers["vary"]


def test_multiple_queries_by_get_are_refused(client):
    r = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert r.status_code == 400


def test_syntax_error_gives_the_parsers_line_and_column(client):
    r = client.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p }"})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "bad_query"
    assert error["line"] == 2 and error["column"] >= 15  # where pyoxigraph's parser stopped
    assert f"2:{error['column']}" in error["message"]


def test_not_acceptable_names_the_acceptable_types(client):
    r = client.get("/sparql", params={"query": PROJECTS}, headers={"accept": "text/turtle"})
    assert "application/sparql-results+json" in r.json()["error"]["acceptable"]


def test_results_are_the_stores(client):
    r = client.get("/sparql", params={"query": PROJECTS})
    values = [b["p"]["value"] for b in r.json()["results"]["bindings"]]
    assert values == ["https://w3id.org/bluehats-kg/project/catala",
                      "https://w3id.org/bluehats-kg/project/dsfr",
                      "https://w3id.org/bluehats-kg/project/grist"]
    assert r.json()["truncated"] is False
    assert r.headers["x-kg-truncated"] == "false"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_truncates_explicitly(client, fmt):
    r = client.get("/sparql", params={"query": LABELS, "format": fmt})
    assert r.status_code == 200
    assert r.headers["x-kg-truncated"] == "true"
    assert r.headers["x-kg-rows"] == "5"
    if fmt == "json":
        doc = r.json()
        assert doc["truncated"] is True and len(doc["results"]["bindings"]) == 5
    if fmt in ("csv", "tsv"):
        assert len(r.text.strip().splitlines()) == 6  # header + 5 rows


def test_csv_quotes_and_tsv_escapes(client):
    q = 'SELECT ?l WHERE { <https://w3id.org/bluehats-kg/project/sites-faciles> rdfs:label ?l }'
    csv = client.get("/sparql", params={"query": q, "format": "csv"}).text
    assert csv == 'l\r\n"Sites faciles, ""quoted""\nline"\r\n'
    tsv = client.get("/sparql", params={"query": q, "format": "tsv"}).text
    assert tsv == '?l\n"Sites faciles, \\"quoted\\"\\nline"\n'


def test_protocol_dataset_replaces_the_union(client):
    g = "https://w3id.org/bluehats-kg/graph/organisations"
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"
    def count(**params):
        r = client.get("/sparql", params={"query": q, **params})
        return int(r.json()["results"]["bindings"][0]["n"]["value"])
    assert count() == 11  # union of every graph
    assert count(**{"default-graph-uri": g}) == 4
    assert count(**{"named-graph-uri": g}) == 0  # named only: the default graph is empty


def test_service_is_refused_with_a_message(client):
    r = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"})
    assert r.json()["error"]["code"] == "service_refused"
    assert "SERVICE" in r.json()["error"]["message"]


def test_writes_are_refused_in_read_only_mode(client):
    r = client.post("/sparql", content=b"INSERT DATA { <http://a> <http://b> <http://c> }",
                    headers={"content-type": "application/sparql-update"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "read_only"
    assert "read-only" in r.json()["error"]["message"]


def test_service_description_for_rdf_clients(client):
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "<http://testserver/sparql>" in r.text
    assert "sd:UnionDefaultGraph" in r.text
    assert "<https://w3id.org/bluehats-kg/graph/organisations>" in r.text
    assert "SPARQL11Update" not in r.text
    for accept, ctype in [("application/ld+json", "application/ld+json"),
                          ("application/rdf+xml", "application/rdf+xml"),
                          ("application/n-triples", "application/n-triples")]:
        r = client.get("/sparql", headers={"accept": accept})
        assert r.headers["content-type"].startswith(ctype)
        assert "http://www.w3.org/ns/sparql-service-description#endpoint" in r.text \
            or "sparql-service-description#" in r.text


def test_query_page_for_browsers_works_without_javascript(client):
    client.cookies.clear()
    r = client.get("/sparql", headers={"accept": BROWSER, "accept-language": "en"})
    assert r.status_code == 200
    page = r.text
    assert '<html lang="en">' in page
    assert '<form method="get" action="/sparql">' in page
    assert '<label for="query">' in page and "<script" not in page
    assert 'hreflang="fr"' in page  # the visible language switch
    fr = client.get("/sparql", headers={"accept": BROWSER, "accept-language": "fr"}).text
    assert '<html lang="fr">' in fr and "Requête SPARQL" in fr


def test_results_table_links_our_iris_to_local_pages(client):
    r = client.get("/sparql", params={"query": PROJECTS, "format": "html"})
    assert '<a href="/project/catala">https://w3id.org/bluehats-kg/project/catala</a>' in r.text


def test_error_page_for_browsers(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE {", "lang": "en"},
                   headers={"accept": BROWSER})
    assert r.status_code == 400
    assert "Error 400" in r.text and "1:17" in r.text


def test_cors(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://elsewhere.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "X-KG-Truncated" in r.headers["access-control-expose-headers"]
    pre = client.options("/sparql", headers={
        "origin": "https://elsewhere.example", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


def test_request_size_limit(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    r = client.post("/sparql", content=big.encode(), headers=DIRECT)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


def test_system_pages(client):
    health = client.get("/-/health").json()
    remote = bool(client.app.state.settings.endpoint)  # no worker process: HTTP requests
    assert health["status"] == "ok" and health["query_workers"] == (0 if remote else 2)
    settings = {s["name"]: s for s in client.get("/-/settings").json()["settings"]}
    assert settings["max_rows"]["value"] == 5 and settings["max_rows"]["env"] == "KG_MAX_ROWS"
    assert json.dumps(settings)  # serialisable


def test_unknown_route_uses_the_error_shape(client):
    r = client.get("/-/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_query_page_offers_the_named_queries(client):
    client.cookies.clear()  # the language switch's cookie would win over Accept-Language
    fr = client.get("/sparql", headers={"accept": BROWSER, "accept-language": "fr"}).text
    assert "Les projets et leurs mainteneurs" in fr
    assert "One project" not in fr  # a required parameter: not runnable as an example
    en = client.get("/sparql", params={"lang": "en"}, headers={"accept": BROWSER}).text
    client.cookies.clear()
    assert "Projects and their maintainers" in en
    link = en.split('<h2 id="examples">')[1].split('href="')[1].split('"')[0]
    page = client.get(link.replace("&amp;", "&"), headers={"accept": BROWSER})
    assert page.status_code == 200 and '<a href="/project/catala">' in page.text


def test_get_results_are_cached_until_the_next_build(tmp_path, app_for):
    import json as _json

    from kg.store import RdfFormat, new_build_dir, open_writable, publish

    def publish_with_hash(var, content_hash):
        build = new_build_dir(var)
        store = open_writable(build / "store")
        store.load(b"<http://a> <http://b> <http://c> <http://g> .", format=RdfFormat.N_QUADS)
        store.flush()
        del store
        (build / "manifest.json").write_text(_json.dumps({"content_hash": content_hash}))
        publish(var, build)

    var = tmp_path / "var"
    publish_with_hash(var, "sha256:" + "1" * 64)
    c = app_for(var)
    r = c.get("/sparql", params={"query": PROJECTS})
    tag = r.headers["etag"]
    assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
    again = c.get("/sparql", params={"query": PROJECTS}, headers={"if-none-match": tag})
    assert again.status_code == 304
    other = c.get("/sparql", params={"query": PROJECTS, "format": "csv"}, headers={"if-none-match": tag})
    assert other.status_code == 200  # another variant
    posted = c.post("/sparql", content=PROJECTS.encode(), headers=DIRECT)
    assert "etag" not in posted.headers  # POST answers are not cached
    publish_with_hash(var, "sha256:" + "2" * 64)
    import time
    time.sleep(0.6)  # the app looks at var/current at most every 0.5 s
    assert c.get("/sparql", params={"query": PROJECTS}, headers={"if-none-match": tag}).status_code == 200


def test_openapi_documents_the_parameters(client):
    sparql = client.get("/openapi.json").json()["paths"]["/sparql"]
    names = lambda op: {p["name"] for p in op.get("parameters", [])}  # noqa: E731
    assert {"query", "default-graph-uri", "named-graph-uri", "format", "timeout"} <= names(sparql["get"])
    assert {"default-graph-uri", "using-graph-uri", "format", "timeout"} <= names(sparql["post"])
    assert {"application/sparql-query", "application/sparql-update",
            "application/x-www-form-urlencoded"} <= set(sparql["post"]["requestBody"]["content"])


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_bounded_lookups_answer_as_the_workers_do(var_dir, app_for, fmt):
    """A one-pattern SELECT runs in the server process (bounded_queries): same answer."""
    on, off = app_for(var_dir, max_rows=3), app_for(var_dir, max_rows=3, bounded_queries=False)
    for query in ("SELECT ?l WHERE { project:kubic rdfs:label ?l }",
                  "SELECT ?s ?l WHERE { ?s rdfs:label ?l }",  # cut at the row cap
                  "SELECT ?s WHERE { ?s rdfs:label ?l ; a ?t }"):  # not bounded: a worker
        a = on.get("/sparql", params={"query": query, "format": fmt})
        b = off.get("/sparql", params={"query": query, "format": fmt})
        assert a.status_code == b.status_code == 200
        assert (a.content, a.headers["x-kg-rows"], a.headers["x-kg-truncated"]) == \
            (b.content, b.headers["x-kg-rows"], b.headers["x-kg-truncated"])


@pytest.mark.parametrize("method, params, body, headers", [
    ("GET", {"query": PROJECTS}, None, {}),
    ("GET", {"query": PROJECTS, "format": "csv"}, None, {}),
    ("GET", {"query": "SELECT * WHERE {"}, None, {}),
    ("GET", {"query": PROJECTS}, None, {"accept": "text/turtle"}),
    ("POST", {}, {"query": PROJECTS}, FORM),
    ("POST", {}, PROJECTS, DIRECT),
    ("POST", {"format": "tsv"}, PROJECTS, DIRECT),
])
def test_the_lean_path_answers_as_the_full_app(client, method, params, body, headers):
    """A request with an Origin header goes through the full app (CORS): apart from the CORS
    headers, its answer is the lean path's."""
    kwargs = {"params": params}
    if isinstance(body, dict):
        kwargs["data"] = body
    elif body is not None:
        kwargs["content"] = body.encode()
    lean = client.request(method, "/sparql", headers=headers, **kwargs)
    full = client.request(method, "/sparql", headers={**headers, "origin": "https://x.example"},
                          **kwargs)
    assert (lean.status_code, lean.content) == (full.status_code, full.content)
    for name in ("content-type", "vary", "etag", "cache-control", "x-kg-rows", "x-kg-truncated"):
        assert lean.headers.get(name) == full.headers.get(name), name
    assert "access-control-allow-origin" in full.headers


def test_not_modified_on_the_lean_path_as_on_the_full_app(tmp_path, app_for):
    from kg.store import RdfFormat, new_build_dir, open_writable, publish

    var = tmp_path / "var"
    build = new_build_dir(var)
    store = open_writable(build / "store")
    store.load(b"<http://a> <http://b> <http://c> <http://g> .", format=RdfFormat.N_QUADS)
    store.flush()
    del store
    (build / "manifest.json").write_text(json.dumps({"content_hash": "sha256:" + "3" * 64}))
    publish(var, build)
    c = app_for(var)
    tag = c.get("/sparql", params={"query": PROJECTS}).headers["etag"]
    lean = c.get("/sparql", params={"query": PROJECTS}, headers={"if-none-match": tag})
    full = c.get("/sparql", params={"query": PROJECTS},
                 headers={"if-none-match": tag, "origin": "https://x.example"})
    assert lean.status_code == full.status_code == 304
    assert lean.headers["vary"] == full.headers["vary"] and lean.headers["etag"] == tag
