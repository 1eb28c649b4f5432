"""The REST layer, named queries, the dataset description and the dumps (in-process)."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest
import rdflib

from kg.manifest import read
from tests.api.web import BASE, app_settings, client_for, crowd_app, mini_app  # noqa: F401

BH = rdflib.Namespace("https://w3id.org/bluehats-kg/ontology/")


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("path, expected", [
    ("/api/projects", ["onyxia", "python"]),
    ("/api/projects?event=codons", ["onyxia"]),
    ("/api/projects?organisation=dinum", []),
    ("/api/projects?keyword=ONYX", ["onyxia"]),
    ("/api/projects?keyword=datascience", ["onyxia"]),  # a keyword, not a name
    ("/api/projects?person=alice", []),
    ("/api/sessions", ["atelier-onyxia"]),
    ("/api/sessions?organisation=dinum", ["atelier-onyxia"]),  # the speaker's affiliation
    ("/api/sessions?day=2024-01-09", ["atelier-onyxia"]),
    ("/api/sessions?day=2024-01-10", []),
    ("/api/sessions?event=codons&day=2024-01-09&project=onyxia", ["atelier-onyxia"]),
    ("/api/sessions?kind=workshop", ["atelier-onyxia"]),
    ("/api/sessions?person=alice", ["atelier-onyxia"]),
    ("/api/people?organisation=dinum", ["alice"]),
    ("/api/people?organisation=" + BASE + "organisation/dinum", ["alice"]),
    ("/api/people?event=codons", ["alice"]),
    ("/api/people?project=onyxia", ["alice"]),
    ("/api/organisations?event=codons", ["dinum"]),
    ("/api/events?day=2024-01-10", ["codons"]),
    ("/api/events?day=2024-01-11", []),
    ("/api/events?organisation=dinum", ["codons"]),
    ("/api/places", ["ltp"]),
    ("/api/sources", ["report"]),
])
def test_filters(mini_app, path, expected):
    assert ids(mini_app.get(path)) == expected


@pytest.mark.parametrize("path, status", [
    ("/api/projects/onyxia", 200),
    ("/api/project/onyxia", 200),  # the singular kind too
    ("/api/people/alice", 200),
    ("/api/projects/nope", 404),
    ("/api/sessions?day=2024-02-30", 400),
    ("/api/sessions?day=tomorrow", 400),
    ("/api/people?day=2024-01-09", 400),  # not a filter of people
    ("/api/people?organisation=nowhere", 400),
    ("/api/sessions?kind=banquet", 400),
    ("/api/projects?page=0", 400),
    ("/api/projects?per_page=501", 400),
    ("/api/projects?keyword=%20", 400),
    ("/api/projects.csv", 200),
    ("/api/queries", 200),
    ("/api/queries/nope", 404),
    ("/.well-known/void", 200),
    ("/dataset", 200),
    ("/dataset.ttl", 200),
    ("/-/dumps/graph.ttl", 200),
    ("/-/dumps/manifest.json", 404),
    ("/-/dumps/..%2Fmanifest.json", 404),
    ("/openapi.json", 200),
])
def test_statuses(mini_app, path, status):
    r = mini_app.get(path)
    assert r.status_code == status, r.text[:300]
    if status >= 400:
        assert set(r.json()["error"]) >= {"status", "code", "message"}


def test_pagination(crowd_app):
    first = crowd_app.get("/api/people?per_page=100")
    body = first.json()
    assert body["total"] == 250 and body["pages"] == 3 and len(body["items"]) == 100
    assert body["next"] == "/api/people?per_page=100&page=2"
    assert '</api/people?per_page=100&page=2>; rel="next"' in first.headers["link"]
    seen = [i["id"] for i in body["items"]]
    url = body["next"]
    while url:
        page = crowd_app.get(url).json()
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 250 and seen == sorted(seen)


def test_entity_json_is_json_ld_of_the_graph(mini_app):
    r = mini_app.get("/api/projects/onyxia")
    body = r.json()
    assert body["id"] == "onyxia" and body["label"] == "Onyxia"
    assert body["repository"] == ["https://github.com/InseeFrLab/onyxia"]
    assert body["programming_languages"][0]["href"] == "/project/python"
    assert body["keywords"] == {"en": ["cloud"], "fr": ["cloud", "datascience"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_api = rdflib.Graph().parse(data=r.text, format="json-ld")
    turtle = mini_app.get("/project/onyxia.ttl").text
    from_page = rdflib.Graph().parse(data=turtle, format="turtle")
    onyxia = rdflib.URIRef(BASE + "project/onyxia")
    ours = {(p, o) for p, o in from_page.predicate_objects(onyxia) if str(p).startswith(str(BH))}
    assert ours and ours == {(p, o) for p, o in from_api.predicate_objects(onyxia)
                             if str(p).startswith(str(BH))}


def test_csv_tables(mini_app):
    r = mini_app.get("/api/sessions.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["id"] for row in rows] == ["atelier-onyxia"]
    row = rows[0]
    assert row["iri"] == BASE + "session/atelier-onyxia"
    assert row["start"] == "2024-01-09T14:00:00+01:00"
    assert row["speakers"] == BASE + "person/alice"
    people = list(csv.DictReader(io.StringIO(mini_app.get("/api/people.csv?organisation=dinum").text)))
    assert [p["id"] for p in people] == ["alice"]


def test_named_query_catalogue_and_run(mini_app):
    catalogue = mini_app.get("/api/queries").json()["queries"]
    (q,) = [q for q in catalogue if q["name"] == "projects-in"]
    assert q["parameters"] == [{"name": "language", "type": "iri", "optional": True,
                                "description": "only projects in this language"}]
    assert q["title"]["fr"] == "Projets écrits dans un langage"
    all_rows = mini_app.get("/api/queries/projects-in").json()["results"]["bindings"]
    assert [b["name"]["value"] for b in all_rows] == ["Onyxia"]
    python = mini_app.get("/api/queries/projects-in", params={"language": "project:python"})
    assert python.headers["content-type"].startswith("application/sparql-results+json")
    assert len(python.json()["results"]["bindings"]) == 1
    nothing = mini_app.get("/api/queries/projects-in", params={"language": BASE + "project/cobol"})
    assert nothing.json()["results"]["bindings"] == []
    as_csv = mini_app.get("/api/queries/projects-in", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0] == "project,name,language"
    for bad in ({"language": "not an iri"}, {"colour": "blue"}):
        r = mini_app.get("/api/queries/projects-in", params=bad)
        assert r.status_code == 400 and "parameter" in r.json()["error"]["message"]


def test_named_query_parameters_are_terms_not_text(mini, tmp_path):
    (tmp_path / "by-name.rq").write_text(
        "# title: By name\n# param: name string - an exact name\n"
        "PREFIX bh: <https://w3id.org/bluehats-kg/ontology/>\n"
        "SELECT ?s ?name WHERE { ?s bh:name ?name }\n", encoding="utf-8")
    with client_for(app_settings(mini.settings, queries_dir=tmp_path)) as c:
        def names(value):
            r = c.get("/api/queries/by-name", params={"name": value})
            assert r.status_code == 200, r.text
            return [b["s"]["value"] for b in r.json()["results"]["bindings"]]

        assert names("Alice") == [BASE + "person/alice"]
        assert names('Alice" } UNION { ?s ?p ?name } #') == []  # a literal, never query text
        assert c.get("/api/queries/by-name").status_code == 400  # required


def test_void_describes_the_build(mini_app, mini):
    manifest = read(mini.path)
    r = mini_app.get("/.well-known/void")
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    ds = rdflib.URIRef(BASE + "dataset")
    assert int(g.value(ds, VOID.triples)) == manifest["triples"]
    assert int(g.value(ds, VOID.entities)) == manifest["entities"]
    assert g.value(ds, DCT.license) is None  # none claimed unless the publisher sets one
    rights = {r.language: str(r) for r in g.objects(ds, DCT.rights)}
    assert set(rights) == {"fr", "en"} and "No licence is declared" in rights["en"]
    assert g.value(ds, DCT.source) == rdflib.URIRef(BASE + "source/report")
    assert str(g.value(ds, VOID.sparqlEndpoint)).endswith("/sparql")
    dumps = sorted(str(u) for u in g.objects(ds, VOID.dataDump))
    assert len(dumps) == len(manifest["dumps"])
    for url in dumps:
        assert url.startswith("http://testserver/-/dumps/")
        name = url.rsplit("/", 1)[-1]
        got = mini_app.get("/-/dumps/" + name)
        assert got.status_code == 200
        assert got.content == (mini.path / "dumps" / name).read_bytes()
    partitions = {str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities))
                  for p in g.objects(ds, VOID.classPartition)}
    assert partitions == manifest["classes"]
    page = mini_app.get("/.well-known/void", headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "void:Dataset" in page.text
    ld = mini_app.get("/dataset.jsonld")
    assert ld.headers["content-type"].startswith("application/ld+json")
    json.loads(ld.text)


def test_dump_etag(mini_app):
    r = mini_app.get("/-/dumps/graph.nt")
    assert r.headers["content-type"].startswith("application/n-triples")
    again = mini_app.get("/-/dumps/graph.nt", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304


def test_openapi_documents_the_rest_layer(mini_app):
    spec = mini_app.get("/openapi.json").json()
    for path in ("/api/projects", "/api/organisations", "/api/people", "/api/events",
                 "/api/sessions", "/api/projects/{ident}", "/api/sessions.csv", "/api/queries",
                 "/api/queries/{name}", "/.well-known/void", "/search"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/sessions"]["get"]["parameters"]}
    assert {"keyword", "organisation", "event", "day", "page", "per_page"} <= params


@pytest.mark.parametrize("path, params, media", [
    ("/api/queries/projects-in.csv", {}, "text/csv"),
    ("/api/queries/projects-in.json", {}, "application/sparql-results+json"),
    ("/api/queries/projects-in.tsv", {}, "text/tab-separated-values"),
    ("/api/queries/projects-in.srx", {}, "application/sparql-results+xml"),
    ("/api/queries/projects-in.csv", {"format": "json"}, "text/csv"),  # the suffix wins
    ("/api/queries/projects-in", {"format": "csv"}, "text/csv"),
])
def test_named_query_format_by_suffix(mini_app, path, params, media):
    r = mini_app.get(path, params={"language": "project:python", **params},
                     headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert "Onyxia" in r.text
    links = r.headers["link"]  # the other formats, by suffix, with the same parameters
    assert f'type="{media}"' not in links
    others = {"csv", "json", "tsv", "xml"} - {path.rsplit(".", 1)[-1] if "." in path else "csv"}
    others -= {"xml"} if path.endswith(".srx") else set()
    for suffix in others:
        assert f"/api/queries/projects-in.{suffix}?language=project%3Apython>" in links


@pytest.mark.parametrize("path", ["/api/queries/projects-in.exe", "/api/queries/.csv",
                                  "/api/queries/nope.csv"])
def test_named_query_unknown_suffix_or_name_is_404(mini_app, path):
    r = mini_app.get(path)
    assert r.status_code == 404
    assert r.json()["error"]["message"]


def test_named_query_suffixes_over_http(serve, mini):
    import httpx

    server = serve(mini.settings.var_dir, queries_dir=mini.settings.queries_dir)
    catalogue = httpx.get(server.url + "/api/queries").json()["queries"]
    (q,) = [q for q in catalogue if q["name"] == "projects-in"]
    as_csv = httpx.get(server.url + q["csv"])
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["name"] for r in rows] == ["Onyxia"]
    as_json = httpx.get(server.url + q["json"], headers={"accept": "text/csv"})
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    names = [b["name"]["value"] for b in as_json.json()["results"]["bindings"]]
    assert names == [r["name"] for r in rows]
    assert httpx.get(server.url + "/api/queries/projects-in.nope").status_code == 404


@pytest.mark.parametrize("path, headers, media", [
    ("/api/people.json", {"accept": "text/csv"}, "application/json"),
    ("/api/people.csv", {"accept": "application/json"}, "text/csv"),
    ("/api/people?format=csv", {}, "text/csv"),
    ("/api/people?format=json", {"accept": "text/csv"}, "application/json"),
    ("/api/people", {"accept": "text/csv"}, "text/csv"),
    ("/api/people", {"accept": "text/csv;q=0.5, application/json"}, "application/json"),
    ("/api/people", {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, "application/json"),
])
def test_list_format_by_suffix_parameter_or_accept(mini_app, path, headers, media):
    sep = "&" if "?" in path else "?"
    r = mini_app.get(path + sep + "organisation=dinum", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    if media == "text/csv":
        assert [row["id"] for row in csv.DictReader(io.StringIO(r.text))] == ["alice"]
    else:
        assert [item["id"] for item in r.json()["items"]] == ["alice"]


def test_a_broken_named_query_stops_the_server_at_start(mini, tmp_path):
    """Not a 500 on first use: uvicorn refuses to start, and says which file and parameter."""
    from tests.servers import uvicorn_server

    (tmp_path / "unselected.rq").write_text(
        "# title: Unselected\n# param: day date - a day\nSELECT ?s WHERE { ?s ?p ?day }\n",
        encoding="utf-8")
    env = {"KG_VAR_DIR": str(mini.settings.var_dir), "KG_BASE_IRI": BASE,
           "KG_QUERIES_DIR": str(tmp_path), "KG_QUERY_WORKERS": "1"}
    starting = uvicorn_server("api.main:create_app_from_env", env=env, log_dir=tmp_path)
    with pytest.raises(RuntimeError) as caught, starting:
        pass
    assert "unselected.rq: parameter 'day'" in str(caught.value)


def test_openapi_operation_ids_are_unique_and_generated_without_warning(mini):
    from api.main import create_app

    app = create_app(app_settings(mini.settings))  # a fresh app: its document is not cached yet
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = app.openapi()
    assert [str(w.message) for w in caught if not issubclass(w.category, ImportWarning)] == []
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) > 40
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
    assert "/event/{ident}/programme.ics" in spec["paths"]
    assert set(spec["paths"]["/reconcile/properties"]) == {"get", "post"}


def test_the_dataset_licence_is_a_setting(mini):
    licence = "https://spdx.org/licenses/etalab-2.0"
    with client_for(app_settings(mini.settings, dataset_licence=licence)) as c:
        g = rdflib.Graph().parse(data=c.get("/.well-known/void").text, format="turtle")
        DCT = rdflib.Namespace("http://purl.org/dc/terms/")
        ds = rdflib.URIRef(BASE + "dataset")
        assert g.value(ds, DCT.license) == rdflib.URIRef(licence)
        assert g.value(ds, DCT.rights) is None
        dumps = list(g.objects(ds, rdflib.URIRef("http://www.w3.org/ns/dcat#distribution")))
        assert sum(1 for d in dumps if g.value(d, DCT.license) == rdflib.URIRef(licence)) >= 1
        for path in ("/", "/dataset"):
            page = c.get(path, headers={"accept": "text/html"})
            assert f'href="{licence}" rel="license external"' in page.text
            assert "Licence Ouverte / Open Licence 2.0" in page.text
    with client_for(app_settings(mini.settings)) as c:
        for path in ("/", "/dataset"):
            page = c.get(path, headers={"accept": "text/html", "accept-language": "fr"})
            assert 'rel="license' not in page.text
            assert "Aucune licence n&#39;est déclarée" in page.text or \
                "Aucune licence n'est déclarée" in page.text
