"""The materialised schema.org and Wikidata triples, against a hand-written expectation."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg import mapping, ontology
from kg.alignment import Alignment
from tests.builds import FIXTURES, MINI
from tests.kg.test_mapping import BASE, explain, mini_records

SCHEMA = "https://schema.org/"
BH = "https://w3id.org/bluehats-kg/ontology/"


def added():
    quads = mapping.quads(mini_records(), BASE)
    return quads, Alignment(ontology.load(MINI / "ontology").graph).materialise(quads)


def test_alignment_adds_exactly_the_expected_triples():
    _, new = added()
    got = Graph()
    for s, p, o, _g in new:
        got.add((s, p, o))
    want = Graph().parse(FIXTURES / "alignment" / "mini-added.ttl", format="turtle")
    assert isomorphic(got, want), explain(got, want)


def test_added_triples_stay_in_the_graph_they_come_from():
    _, new = added()
    assert {str(g) for *_, g in new} == {BASE + "graph/report"}


def test_added_triples_are_new():
    quads, new = added()
    assert not set(quads) & set(new)


def alignment_of(turtle: str) -> Alignment:
    prologue = (
        f"@prefix bh: <{BH}> . @prefix schema: <{SCHEMA}> . "
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . "
    )
    return Alignment(Graph().parse(data=prologue + turtle, format="turtle"))


def test_subproperty_chains_are_followed():
    a = alignment_of("bh:a rdfs:subPropertyOf bh:b . bh:b rdfs:subPropertyOf schema:c .")
    s, o, g = URIRef("http://x/s"), URIRef("http://x/o"), URIRef("http://x/g")
    new = a.materialise([(s, URIRef(BH + "a"), o, g)])
    assert {str(p) for _, p, _, _ in new} == {BH + "b", SCHEMA + "c"}


def test_inverse_is_read_in_both_directions():
    a = alignment_of("schema:subEvent owl:inverseOf schema:superEvent .")
    s, o, g = URIRef("http://x/s"), URIRef("http://x/o"), URIRef("http://x/g")
    assert a.materialise([(s, URIRef(SCHEMA + "superEvent"), o, g)]) == [
        (o, URIRef(SCHEMA + "subEvent"), s, g)
    ]
