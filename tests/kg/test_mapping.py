"""The mapping (record → triples) against hand-written expected Turtle, by graph isomorphism."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg import mapping, ontology
from kg.sources import read
from kg.validation import check
from tests.builds import FIXTURES, MINI

BASE = "https://w3id.org/bluehats-kg/"


def mini_records():
    onto = ontology.load(MINI / "ontology")
    documents, syntax = read(MINI / "data")
    records, problems = check(documents, onto.concepts())
    assert not syntax and not problems
    return records


def expected(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def as_graph(quads, graph: str) -> Graph:
    g = Graph()
    for s, p, o, gr in quads:
        if str(gr) == graph:
            g.add((s, p, o))
    return g


def explain(got: Graph, want: Graph) -> str:
    _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
    return f"unexpected: {sorted(only_got)[:10]}\nmissing: {sorted(only_want)[:10]}"


def test_mini_data_maps_to_the_expected_graph():
    quads = mapping.quads(mini_records(), BASE)
    assert {str(q[3]) for q in quads} == {BASE + "graph/report"}
    got = as_graph(quads, BASE + "graph/report")
    want = expected("mapping/mini.ttl")
    assert isomorphic(got, want), explain(got, want)


def test_base_iri_is_a_setting():
    quads = mapping.quads(mini_records(), "http://example.org/kg/")
    subjects = {str(q[0]) for q in quads}
    assert "http://example.org/kg/project/onyxia" in subjects
    assert not any(s.startswith(BASE) for s in subjects)
    assert {str(q[3]) for q in quads} == {"http://example.org/kg/graph/report"}


def test_language_tags_and_plain_text():
    quads = mapping.quads(mini_records(), BASE)
    labels = {
        o for s, p, o, _ in quads if str(s) == BASE + "event/codons" and str(p).endswith("#label")
    }
    assert labels == {
        Literal("Garagethon « Codons ! »", lang="fr"),
        Literal("Codons! garagethon", lang="en"),
    }
    names = {
        o for s, p, o, _ in quads if str(s) == BASE + "person/alice" and str(p).endswith("/name")
    }
    assert names == {Literal("Alice")}


def test_mapping_is_pure_and_stable():
    records = mini_records()
    assert mapping.quads(records, BASE) == mapping.quads(records, BASE)
