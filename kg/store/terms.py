"""Between rdflib terms (the mapping, SHACL) and pyoxigraph terms (the store, dumps)."""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(node):
    """One rdflib term as a pyoxigraph term."""
    if isinstance(node, rdflib.URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return Literal(str(node), language=node.language)
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return Literal(str(node), datatype=NamedNode(str(node.datatype)))
        return Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(node):
    """One pyoxigraph term as an rdflib term."""
    if isinstance(node, NamedNode):
        return rdflib.URIRef(node.value)
    if isinstance(node, BlankNode):
        return rdflib.BNode(node.value)
    if isinstance(node, Literal):
        if node.language:
            return rdflib.Literal(node.value, lang=node.language)
        dt = node.datatype.value
        if dt == _XSD_STRING:
            return rdflib.Literal(node.value)
        return rdflib.Literal(node.value, datatype=rdflib.URIRef(dt), normalize=False)
    raise TypeError(f"not an RDF term: {node!r}")


def quads_to_oxigraph(quads: Iterable[tuple]) -> list[Quad]:
    """(s, p, o, g) rdflib tuples as pyoxigraph quads (g None: the default graph)."""
    out = []
    for s, p, o, g in quads:
        graph = DefaultGraph() if g is None else to_oxigraph(g)
        out.append(Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph))
    return out
