"""``/reconcile`` over the graph ``kg build`` makes of data/ (the ``built`` session fixture:
the real data when present, else the pipeline's mini data): OpenRefine-style batches of names
as people type them, every answer valid against the 0.2 schemas."""

import json

import pytest
from fastapi.testclient import TestClient

from tests.reconcile.app import create
from tests.reconcile.schemas import assert_valid

# (as typed, expected best candidate, match) — in the mini data and the real data alike
EVERYWHERE = [
    ("Onixya", "project/onyxia", False),
    ("onyxia", "project/onyxia", True),
    ("dinum", "organisation/dinum", True),
    ("Direction interministerielle du numerique", "organisation/dinum", True),
]
# names of the garagethon report, misspelt or without accents
REAL = [
    ("Cuningham", "project/cunningham", True),
    ("kubik", "project/kubic", False),
    ("Ministere de la culture", "organisation/ministere-culture", True),
    ("Universite du Mans", "organisation/universite-du-mans", True),
    ("France Universite Numerique", "organisation/france-universite-numerique", True),
    ("Insee", "organisation/insee", True),
    ("Flopedt", "project/flopedt", True),
    ("Postgre SQL", "project/postgresql", True),
    ("Adulact", "organisation/adullact", True),
    ("Thierry Forrest", "person/thierry-forest", True),
    ("Issues.gouv.fr", "project/issues-gouv-fr", True),
    ("NDD Secteur Public", "project/ndd-secteur-public", True),
    ("PAD Pretty Printer", "project/pad-pretty-printer", True),
    ("Reseau Canope", "organisation/reseau-canope", True),
]


@pytest.mark.parametrize("which", ["built", "mini"])
def test_names_against_the_built_graph(which, request):
    built = request.getfixturevalue(which)
    cases = EVERYWHERE + (REAL if built.real else [])
    client = TestClient(create(built.settings))
    queries = {f"q{i}": {"query": text, "limit": 3} for i, (text, _, _) in enumerate(cases)}
    r = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert r.status_code == 200, r.text
    body = r.json()
    assert_valid("reconciliation-result-batch", body)
    got = [(text, body[f"q{i}"]["result"][0]["id"], body[f"q{i}"]["result"][0]["match"])
           for i, (text, _, _) in enumerate(cases)]
    assert got == cases
    manifest = client.get("/reconcile").json()
    assert_valid("manifest", manifest)
    assert {t["id"] for t in manifest["defaultTypes"]} == {"SoftwareProject", "Organisation",
                                                            "Person", "Event"}
