"""Between rdflib and pyoxigraph terms: every kind of term, both ways, shared objects once."""

from __future__ import annotations

import rdflib

from kg.store import BlankNode, DefaultGraph, Literal, NamedNode, Quad
from kg.store.terms import quads_to_oxigraph, to_oxigraph, to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    rdflib.URIRef("https://example.org/a"),
    rdflib.BNode("b0"),
    rdflib.Literal("texte"),
    rdflib.Literal("texte", lang="fr"),
    rdflib.Literal("+01", datatype=rdflib.URIRef(XSD + "integer"), normalize=False),
    rdflib.Literal("2024-01-09", datatype=rdflib.URIRef(XSD + "date")),
]


def test_every_kind_of_term_goes_both_ways():
    for term in TERMS:
        assert to_rdflib(to_oxigraph(term)) == term
    assert to_oxigraph(TERMS[4]) == Literal("+01", datatype=NamedNode(XSD + "integer"))
    # an explicit xsd:string is the plain string it means in RDF 1.1
    assert to_oxigraph(rdflib.Literal("x", datatype=rdflib.URIRef(XSD + "string"))) == Literal("x")


def test_quads_share_conversions_yet_keep_every_term():
    s, p = rdflib.URIRef("https://example.org/s"), rdflib.URIRef("https://example.org/p")
    g = rdflib.URIRef("https://example.org/g")
    quads = [(s, p, term, g) for term in TERMS] + [
        # equal but distinct objects, and the default graph
        (rdflib.URIRef(str(s)), p, rdflib.Literal("texte"), None),
        (s, p, rdflib.BNode("b1"), None),
    ]
    converted = quads_to_oxigraph(quads)
    assert converted == [
        Quad(NamedNode(str(s)), NamedNode(str(p)), to_oxigraph(t), NamedNode(str(g))) for t in TERMS
    ] + [
        Quad(NamedNode(str(s)), NamedNode(str(p)), Literal("texte"), DefaultGraph()),
        Quad(NamedNode(str(s)), NamedNode(str(p)), BlankNode("b1"), DefaultGraph()),
    ]
