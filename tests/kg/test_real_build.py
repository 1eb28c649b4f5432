"""The real data/ + ontology/ build, and the vocabularies it answers in (issue 2, section 3)."""

from __future__ import annotations

import json

import pytest

from kg.namespaces import data_prefixes
from kg.store import open_read_only
from kg.store.sparql import execute

SCHEMA = "https://schema.org/"
WDT = "http://www.wikidata.org/prop/direct/"

CLASSES = ["Event", "SoftwareSourceCode", "Person", "Organization", "Place"]
SCHEMA_PROPERTIES = [
    "name",
    "description",
    "startDate",
    "endDate",
    "superEvent",
    "subEvent",
    "location",
    "address",
    "organizer",
    "url",
    "codeRepository",
    "affiliation",
    "sameAs",
]
SCHEMA_EITHER = [("performer", "contributor"), ("keywords", "about"), ("affiliation", "memberOf")]
WIKIDATA_PROPERTIES = ["P1324", "P856", "P580", "P582", "P361", "P664", "P710", "P108", "P31"]


@pytest.fixture(scope="module")
def store(built):
    if not built.real:
        pytest.fail("data/ and ontology/ should hold the real data and ontology by now")
    return open_read_only(built.path / "store")


def count(store, query: str) -> int:
    body = execute(store, query, "json").body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_the_real_build_is_published(built):
    manifest = json.loads((built.path / "manifest.json").read_text())
    assert manifest["triples"] > 1000
    assert built.settings.base_iri + "graph/ontology" in manifest["graphs"]
    assert len(manifest["graphs"]) >= 2


@pytest.mark.parametrize("cls", CLASSES)
def test_schema_classes_are_materialised(store, cls):
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{SCHEMA}{cls}> }}") > 0


@pytest.mark.parametrize("prop", SCHEMA_PROPERTIES)
def test_schema_properties_are_materialised(store, prop):
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{SCHEMA}{prop}> ?o }}") > 0


@pytest.mark.parametrize("props", SCHEMA_EITHER, ids="/".join)
def test_one_of_the_schema_properties_is_materialised(store, props):
    values = " ".join(f"<{SCHEMA}{p}>" for p in props)
    assert (
        count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}") > 0
    )


@pytest.mark.parametrize("prop", WIKIDATA_PROPERTIES)
def test_wikidata_direct_properties_are_materialised(store, prop):
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{WDT}{prop}> ?o }}") > 0


def test_session_times_carry_the_paris_offset_and_event_days_are_dates(store):
    rows = json.loads(
        execute(
            store,
            """
        SELECT ?start WHERE { ?s a bh:Session ; schema:startDate ?start }""",
            "json",
            prefixes={"bh": "https://w3id.org/bluehats-kg/ontology/", "schema": SCHEMA},
        ).body
    )
    starts = [b["start"] for b in rows["results"]["bindings"]]
    assert starts and all(s["datatype"].endswith("#dateTime") for s in starts)
    assert all(s["value"].endswith("+01:00") for s in starts)
    days = json.loads(
        execute(
            store,
            f"""
        SELECT ?d WHERE {{ ?e a <https://w3id.org/bluehats-kg/ontology/Event> ;
                              <{SCHEMA}startDate> ?d }}""",
            "json",
        ).body
    )
    assert all(b["d"]["datatype"].endswith("#date") for b in days["results"]["bindings"])


def test_every_entity_has_a_label_and_provenance(store, built):
    prefixes = data_prefixes(built.settings.base_iri)
    rows = json.loads(
        execute(
            store,
            """
        SELECT ?s WHERE {
          GRAPH ?g { ?s a ?class }
          FILTER (?g != <%s> && STRSTARTS(STR(?class), STR(bh:)))
          FILTER NOT EXISTS { ?s rdfs:label ?label ; bh:source ?doc ; bh:sourceSection ?section ;
                                 prov:wasDerivedFrom ?doc }
        }"""
            % (built.settings.base_iri + "graph/ontology"),
            "json",
            prefixes=prefixes,
        ).body
    )
    assert rows["results"]["bindings"] == []


def test_every_topic_is_in_the_topics_scheme(store):
    p = "PREFIX bh: <https://w3id.org/bluehats-kg/ontology/> " \
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    assert count(store, p + "SELECT (COUNT(?t) AS ?n) { ?t a bh:Topic }") > 10
    assert count(store, p + "SELECT (COUNT(?t) AS ?n) { ?t a bh:Topic "
                 "FILTER NOT EXISTS { ?t skos:inScheme bh:topics } }") == 0
