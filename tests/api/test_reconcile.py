"""``/reconcile`` in-process: OpenRefine-style batches find our entities from misspelt or
unaccented names, and every answer validates against the Reconciliation API 0.2 schemas."""

import json

import pytest
from fastapi.testclient import TestClient

from tests.reconcile.app import create
from tests.reconcile.schemas import assert_valid

# (name as a user types it, type or None, expected best candidate, expected `match`)
NAMES = [
    ("Onyxia", "SoftwareProject", "project/onyxia", True),
    ("onyxa", None, "project/onyxia", True),
    ("ONYXIA", None, "project/onyxia", True),
    ("Cunningham", None, "project/cunningham", True),
    ("Cunigham", "SoftwareProject", "project/cunningham", True),
    ("Kubic", "SoftwareProject", "project/kubic", True),
    ("Kubik", "SoftwareProject", "project/kubic", False),
    ("ralf", None, "project/ralph", False),
    ("Waren", None, "project/warren", True),
    ("Flop EDT", None, "project/flopedt", True),
    ("flop!edt", None, "project/flopedt", True),
    ("NDD secteur public", None, "project/noms-de-domaine", True),
    ("noms de domaine secteur public", None, "project/noms-de-domaine", False),
    ("Sites facile", None, "project/sites-faciles", True),
    ("site facile", "SoftwareProject", "project/sites-faciles", True),
    ("epoc", None, "project/epoc", True),
    ("postgres", "SoftwareProject", "project/postgresql", True),
    ("Kubernets", "SoftwareProject", "project/kubernetes", True),
    ("INSEE", "Organisation", "organisation/insee", True),
    ("Insee", None, "organisation/insee", True),
    ("Institut national de la statistique et des etudes economiques", None, "organisation/insee", True),
    ("Institut national statistique etudes economiques", None, "organisation/insee", True),
    ("institut nationale de la statistique", "Organisation", "organisation/insee", False),
    ("DINUM", "Organisation", "organisation/dinum", True),
    ("Direction interministerielle du numerique", None, "organisation/dinum", True),
    ("Direction interministerielle numerique", "Organisation", "organisation/dinum", True),
    ("France Universite Numerique", None, "organisation/fun", True),
    ("Franse universite numerique", "Organisation", "organisation/fun", True),
    ("INRIA", "Organisation", "organisation/inria", True),
    ("Institut national de recherche en informatique et automatique", None, "organisation/inria", True),
    ("Ministere de la culture", "Organisation", "organisation/ministere-culture", True),
    ("Minstere de la culture", None, "organisation/ministere-culture", True),
    ("ministère culture", None, "organisation/ministere-culture", True),
    ("ADULACT", None, "organisation/adullact", True),
    ("Universite du Mans", "Organisation", "organisation/le-mans-universite", True),
    ("le mans universite", None, "organisation/le-mans-universite", True),
    ("thiery forest", "Person", "person/thierry-forest", True),
    ("Jean Marc Hasenfratz", "Person", "person/jean-marc-hasenfratz", True),
    ("Benoît Rospars", None, "person/benoit-rospars", True),
    ("Codons", "Event", "event/garagethon-2024", True),
    ("garagethon bluehats", "Event", "event/garagethon-2024", False),
]
NOTHING = [("Ruby on Rails", None), ("Paris", "Person"), ("Kubic", "Person")]


@pytest.fixture(scope="module")
def client(fixture_settings):
    return TestClient(create(fixture_settings))


def _batch(client, queries: dict, method: str = "get") -> dict:
    payload = {"queries": json.dumps(queries)}
    r = client.get("/reconcile", params=payload) if method == "get" else client.post(
        "/reconcile", data=payload)
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    body = r.json()
    assert set(body) == set(queries)
    assert_valid("reconciliation-result-batch", body)
    for result in body.values():
        for c in result["result"]:
            assert {"id", "name", "score", "match", "type"} <= set(c)
    return body


def _query(text, type_):
    return {"query": text, **({"type": type_} if type_ else {})}


def test_manifest(client, fixture_settings):
    r = client.get("/reconcile")
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    m = r.json()
    assert_valid("manifest", m)
    assert m["versions"] == ["0.2"]
    assert m["identifierSpace"] == fixture_settings.base_iri
    assert m["schemaSpace"] == "https://w3id.org/bluehats-kg/ontology/"
    assert {t["id"] for t in m["defaultTypes"]} == {"SoftwareProject", "Organisation", "Person", "Event"}
    assert m["view"]["url"] == "http://testserver/{{id}}"
    assert set(m["suggest"]) == {"entity", "type", "property"}
    assert m["extend"]["propose_properties"]["service_path"] == "/reconcile/properties"


@pytest.mark.parametrize("method", ["get", "post"])
def test_names_as_users_type_them(client, method):
    queries = {f"q{i}": _query(text, t) for i, (text, t, _, _) in enumerate(NAMES)}
    body = _batch(client, queries, method)
    found = matched = 0
    for i, (text, _, expected, match) in enumerate(NAMES):
        best = body[f"q{i}"]["result"][0]
        assert best["id"] == expected, (text, body[f"q{i}"]["result"][:2])
        assert best["match"] is match, (text, best)
        found += 1
        matched += best["match"]
    assert found == len(NAMES) and matched == sum(m for *_, m in NAMES)


def test_no_match_for_unknown_names_or_wrong_types(client):
    body = _batch(client, {f"q{i}": _query(t, ty) for i, (t, ty) in enumerate(NOTHING)})
    for result in body.values():
        assert not any(c["match"] for c in result["result"])
        assert all(c["score"] < 85 for c in result["result"])


def test_type_strict_and_type_lists(client):
    body = _batch(client, {
        "any": {"query": "Kubic", "type": ["Person", "SoftwareProject"]},
        "all": {"query": "Kubic", "type": ["Person", "SoftwareProject"], "type_strict": "all"},
        "should": {"query": "Kubic", "type": "Person", "type_strict": "should"},
        "iri": {"query": "Kubic", "type": "https://w3id.org/bluehats-kg/ontology/SoftwareProject"},
    })
    assert body["any"]["result"][0]["id"] == "project/kubic"
    assert body["all"]["result"] == []
    should = body["should"]["result"][0]
    assert should["id"] == "project/kubic" and not should["match"]
    assert {"id": "type", "value": False} in should["features"]
    assert body["iri"]["result"][0]["match"]


def test_limit(client):
    body = _batch(client, {"q": {"query": "Institut", "limit": 1}, "z": {"query": "o", "limit": 0}})
    assert len(body["q"]["result"]) == 1 and body["z"]["result"] == []


def test_property_conditions(client):
    body = _batch(client, {
        # a misspelt name made certain by the repository (Wikidata's P-number works too)
        "repo": {"query": "Kubik", "properties": [
            {"pid": "repository", "v": "https://github.com/openfun/kubic.git"}]},
        "pid": {"query": "Kubik", "properties": [
            {"pid": "P1324", "v": "http://github.com/openfun/kubic/"}]},
        # the organisation, by identifier (a reconciled value) or by name
        "org": {"query": "Warren", "properties": [{"pid": "organisation", "v": {"id": "organisation/fun"}}]},
        "orgname": {"query": "Warren", "properties": [
            {"pid": "developer", "v": ["France Université Numérique"]}]},
        # a disagreeing website takes the match away
        "bad": {"query": "Onyxia", "properties": [{"pid": "website", "v": "https://example.org/"}]},
        # properties alone
        "siren": {"properties": [{"pid": "P1616", "v": 120027016}]},
    })
    for key in ("repo", "pid", "org", "orgname"):
        best = body[key]["result"][0]
        assert best["match"], (key, best)
        assert any(f["id"].startswith("property:") and f["value"] is True for f in best["features"])
    assert body["repo"]["result"][0]["id"] == "project/kubic"
    assert not body["bad"]["result"][0]["match"]
    assert [c["id"] for c in body["siren"]["result"]] == ["organisation/insee"]


@pytest.mark.parametrize("queries, fragment", [
    ("{not json", "queries: not JSON"),
    ("[]", "expected an object"),
    ('{"q": {"query": 3}}', "queries.q.query"),
    ('{"q": {"query": "x", "type_strict": "sometimes"}}', "type_strict"),
    ('{"q": {"query": "x", "limit": -1}}', "limit"),
    ('{"q": {"query": "x", "props": []}}', "unknown key"),
    ('{"q": {}}', "needs a 'query' or 'properties'"),
    ('{"q": {"query": "x", "properties": [{"pid": "website"}]}}', "properties[0]"),
])
def test_bad_batches_are_400_with_the_reason(client, queries, fragment):
    for r in (client.get("/reconcile", params={"queries": queries}),
              client.post("/reconcile", data={"queries": queries})):
        assert r.status_code == 400
        assert fragment in r.json()["error"]["message"]
        assert r.headers["access-control-allow-origin"] == "*"


def test_preflight_and_jsonp(client):
    r = client.options("/reconcile", headers={"Origin": "https://example.org",
                                              "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == "*"
    r = client.get("/reconcile", params={"callback": "cb_1"})
    assert r.headers["content-type"].startswith("application/javascript")
    assert r.text.startswith("cb_1(") and r.text.endswith(");")
    assert_valid("manifest", json.loads(r.text[5:-2]))
    assert client.get("/reconcile", params={"callback": "alert(1)//"}).status_code == 400


@pytest.mark.parametrize("prefix, type_, expected", [
    ("cun", None, "project/cunningham"),
    ("Minis", "Organisation", "organisation/ministere-culture"),
    ("statistique", None, "organisation/insee"),
    ("onixya", None, "project/onyxia"),  # no prefix hit: fuzzy names
    ("hasen", "Person", "person/jean-marc-hasenfratz"),
])
def test_suggest_entity(client, prefix, type_, expected):
    params = {"prefix": prefix, **({"type": type_} if type_ else {})}
    body = client.get("/reconcile/suggest/entity", params=params).json()
    assert_valid("suggest-entities-response", body)
    assert body["result"][0]["id"] == expected


def test_suggest_types_and_properties(client):
    types = client.get("/reconcile/suggest/type", params={"prefix": "proj"}).json()
    assert_valid("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["SoftwareProject"]
    assert len(client.get("/reconcile/suggest/type").json()["result"]) >= 4
    props = client.get("/reconcile/suggest/property", params={"prefix": "rep"}).json()
    assert_valid("suggest-properties-response", props)
    assert {"id": "repository", "name": "repository"} in props["result"]


def test_property_proposals(client):
    body = client.get("/reconcile/properties", params={"type": "SoftwareProject", "limit": 5}).json()
    assert_valid("data-extension-property-proposal", body)
    assert body["type"] == "SoftwareProject" and len(body["properties"]) == 5
    ids = [p["id"] for p in client.get("/reconcile/properties",
                                       params={"type": "Organisation"}).json()["properties"]]
    assert {"website", "siren", "shortName"} <= set(ids) and "repository" not in ids
    assert client.get("/reconcile/properties", params={"type": "Nope"}).status_code == 400


def test_data_extension(client):
    query = {"ids": ["project/onyxia", "https://w3id.org/bluehats-kg/project/kubic", "project/nope"],
             "properties": [{"id": "repository"}, {"id": "developer"}, {"id": "label"},
                            {"id": "name", "settings": {"limit": 1}}]}
    assert_valid("data-extension-query", query)
    for r in (client.get("/reconcile", params={"extend": json.dumps(query)}),
              client.post("/reconcile", data={"extend": json.dumps(query)})):
        assert r.status_code == 200, r.text
        body = r.json()
        assert_valid("data-extension-response", body)
        rows = body["rows"]
        assert rows["project/onyxia"]["repository"] == [{"str": "https://github.com/inseefrlab/onyxia"}]
        assert rows["project/onyxia"]["developer"] == [
            {"id": "organisation/insee",
             "name": "Institut national de la statistique et des études économiques"}]
        assert rows["https://w3id.org/bluehats-kg/project/kubic"]["label"] == [{"str": "Kubic"}]
        assert rows["project/nope"] == {"repository": [], "developer": [], "label": [], "name": []}
    bad = client.get("/reconcile", params={"extend": json.dumps({"ids": [], "properties": [{"id": "nope"}]})})
    assert bad.status_code == 400 and "unknown property" in bad.json()["error"]["message"]


def test_preview_and_flyout(client):
    r = client.get("/reconcile/preview", params={"id": "project/onyxia"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Onyxia" in r.text and 'href="http://testserver/project/onyxia"' in r.text
    assert "projet logiciel" in r.text and "software project" in r.text
    assert client.get("/reconcile/preview", params={"id": "project/nope"}).status_code == 404
    fly = client.get("/reconcile/flyout/entity", params={"id": "organisation/insee"}).json()
    assert fly["id"] == "organisation/insee"
    assert "Institut national de la statistique" in fly["html"]


def test_no_published_build_is_503(tmp_path):
    from kg.config import Settings

    empty = TestClient(create(Settings(var_dir=tmp_path)))
    r = empty.get("/reconcile")
    assert r.status_code == 503 and "kg build" in r.json()["error"]["message"]
