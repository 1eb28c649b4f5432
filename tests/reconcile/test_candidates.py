from kg.reconcile.candidates import current_index
from kg.reconcile.scoring import Condition, Query


def test_index_holds_entities_with_names_types_and_properties(index):
    onyxia = index.get("project/onyxia")
    assert onyxia.iri == "https://w3id.org/bluehats-kg/project/onyxia"
    assert index.get(onyxia.iri) is onyxia
    assert onyxia.classes == {"SoftwareProject"}
    assert set(onyxia.labels()) == {"Onyxia", "ONYXIA"}
    entity = index.entity("project/onyxia")
    assert entity.props["repository"] == ("https://github.com/inseefrlab/onyxia",)
    # the developer is known by its id and by every name of it
    assert {"organisation/insee", "INSEE"} <= set(entity.props["organisation"])
    assert index.type_name("SoftwareProject", "fr") == "projet logiciel"


def test_graph_terms_that_are_not_entities_are_left_out(index):
    assert index.get("graph/test-fixture") is None
    assert all(rid.split("/")[0] in {"project", "organisation", "person", "event", "place",
                                      "session", "topic"} for rid in index.records)


def test_search_by_property_alone(index):
    hits = index.search(Query("", conditions=(Condition("siren", ("120027016",)),)))
    assert [s.entity.id for s in hits] == ["organisation/insee"]


def test_search_by_type_full_iri(index):
    hits = index.search(Query("Paris", ("https://w3id.org/bluehats-kg/ontology/Organisation",)))
    assert all("Organisation" in s.entity.types for s in hits)


def test_current_index_is_cached_per_build(fixture_settings):
    assert current_index(fixture_settings) is current_index(fixture_settings)
