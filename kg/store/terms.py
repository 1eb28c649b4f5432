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
    """(s, p, o, g) rdflib tuples as pyoxigraph quads (g None: the default graph).

    A term object met again (the mapping shares its predicates, classes, subjects and graph
    names between quads) is converted once: it is looked up by identity, which costs nothing
    next to rdflib's hashing in Python; the cache holds the term itself, so its identity
    cannot be reused while the cache lives.
    """
    out = []
    seen: dict[int, tuple] = {id(None): (None, DefaultGraph())}
    get = seen.get
    for quad in quads:
        terms = []
        for node in quad:
            hit = get(id(node))
            if hit is None:
                hit = seen[id(node)] = (node, to_oxigraph(node))
            terms.append(hit[1])
        out.append(Quad(*terms))
    return out
