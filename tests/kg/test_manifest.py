"""The manifest: VoID-ready counts and a content hash that follows the quads, not their order."""

from __future__ import annotations

from kg.manifest import content_hash, describe
from kg.store import NamedNode, Quad
from kg.store.serializer import Sorted

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
G1, G2 = NamedNode("http://x/g1"), NamedNode("http://x/g2")
A, B = NamedNode("http://x/a"), NamedNode("http://x/b")
C = NamedNode("http://x/C")
P = NamedNode("http://x/p")

QUADS = [
    Quad(A, RDF_TYPE, C, G1),
    Quad(B, RDF_TYPE, C, G1),
    Quad(A, P, B, G1),
    Quad(A, P, B, G2),  # the same triple in a second graph
]


def test_counts():
    m = describe(Sorted(QUADS), build_id="b", base_iri="http://x/", dumps={"ttl": "dumps/graph.ttl"})
    assert m["triples"] == 3 and m["quads"] == 4
    assert m["graphs"] == {"http://x/g1": 3, "http://x/g2": 1}
    assert m["classes"] == {"http://x/C": 2}
    assert (m["entities"], m["properties"], m["distinct_objects"]) == (2, 2, 2)
    assert m["content_hash"] == content_hash(Sorted(QUADS))


def test_content_hash_ignores_order_and_duplicates_but_not_graphs():
    def digest(quads):
        return content_hash(Sorted(quads))

    assert digest(QUADS) == digest([*reversed(QUADS), QUADS[0]])
    moved = [*QUADS[:3], Quad(A, P, B, G1)]
    assert digest(moved) != digest(QUADS)
