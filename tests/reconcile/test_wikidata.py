"""The Wikidata client against a real ``oxigraph serve`` loaded with the Wikidata-shaped
fixture (no test reaches the internet)."""

import pytest

from kg.reconcile.wikidata import (
    WDQS,
    EndpointError,
    WikidataClient,
    search_query,
    url_variants,
    user_agent,
)
from tests.servers import free_port


@pytest.fixture(scope="module")
def client(wikidata_endpoint):
    return WikidataClient(wikidata_endpoint)


def test_user_agent_follows_wikimedia_policy():
    agent = user_agent("https://example.org/contact")
    # <client name>/<version> (<contact information>) <library>/<version>
    assert agent.startswith("bluehats-kg/0.1.0 (https://example.org/contact; ")
    assert "SPARQLWrapper/" in agent
    assert WikidataClient().endpoint == WDQS and WikidataClient().is_wdqs


def test_url_variants():
    forms = url_variants("https://www.insee.fr")
    assert {"https://www.insee.fr/", "http://insee.fr", "https://insee.fr/"} <= set(forms)
    assert "https://github.com/openfun/kubic.git" in url_variants("https://github.com/openfun/kubic")


def test_exact_identifiers(client):
    sites = client.by_identifiers("P856", ["https://insee.fr", "https://nowhere.example/"], urls=True)
    assert dict(sites) == {"https://insee.fr": {"Q156616"}}
    repos = client.by_identifiers(
        "P1324", ["https://gerrit.wikimedia.org/r/p/mediawiki/extensions/Wikibase"], urls=True)
    assert list(repos.values()) == [{"Q16354758"}]  # Wikidata writes it with .git
    siren = client.by_identifiers("P1616", ["120027016", 'a "quoted" value'], urls=False)
    assert dict(siren) == {"120027016": {"Q156616"}}


def test_labels_are_typed(client):
    orgs = client.by_labels(["Inria", "INSEE", "Paris", "Python"], ("Q43229",))
    assert dict(orgs) == {"Inria": {"Q1146208"}, "INSEE": {"Q156616"}}
    people = client.by_labels(["Paris Jackson", "paris"], ("Q5",))
    assert dict(people) == {"Paris Jackson": {"Q7137312"}}
    software = client.by_labels(["python", "kubernetes"], ("Q7397", "Q9143"))
    assert dict(software) == {"python": {"Q28865"}, "kubernetes": {"Q22661306"}}


def test_scan_labels(client):
    scanned = client.scan_labels(("Q43229",))
    assert ("Q1146208", "Institut national de recherche en informatique et en automatique") in scanned
    assert not any(q in {"Q90", "Q7137312", "Q28865"} for q, _ in scanned)


def test_describe(client):
    items = client.describe(["Q156616", "Q16639197"], ("Q43229", "Q7397"))
    insee = items["Q156616"]
    assert insee.labels == {"en": "INSEE",
                            "fr": "Institut national de la statistique et des études économiques"}
    assert insee.instance_of == {"Q327333"} and insee.classes == {"Q43229"}
    assert insee.values["P1616"] == {"120027016"}
    assert insee.values["P856"] == {"https://www.insee.fr/"}
    assert items["Q16639197"].classes == {"Q7397"}
    entity = insee.entity("organisation")
    assert entity.props["siren"] == ("120027016",) and "INSEE" in entity.labels


def test_unreachable_endpoint_is_a_clear_error():
    dead = WikidataClient(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(EndpointError, match="cannot query"):
        dead.select("ASK {}")


def test_refused_query_is_a_clear_error(client):
    with pytest.raises(EndpointError, match="refused"):
        client.select("SELECT * WHERE { this is not SPARQL }")


def test_search_query_is_valid_sparql():
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(search_query('Ministère de la "Culture"', ("Q43229",)))
