"""Whole graphs in and out of a store: the operations of the SPARQL 1.1 Graph Store Protocol.

A graph is named by its IRI, or ``None`` for the store's default graph. Formats are the keys of
``kg.store.query.GRAPH_FORMATS``. Writes parse the whole input first, so a bad document changes
nothing.
"""

from __future__ import annotations

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple, parse, serialize

from kg.namespaces import PREFIXES
from kg.store.query import GRAPH_FORMATS, Answer, QuerySyntaxError, syntax_error

QUAD_FORMATS = ("trig", "nquads")


class GraphNotFound(LookupError):
    pass


def _name(graph: str | None):
    if graph is None:
        return DefaultGraph()
    try:
        return NamedNode(graph)
    except ValueError as exc:  # the client's ?graph= or a request URL that is no IRI: 400
        raise QuerySyntaxError(f"graph: {graph!r} is not an absolute IRI ({exc})") from None


def exists(store: Store, graph: str | None) -> bool:
    return graph is None or store.contains_named_graph(_name(graph))


def get(store: Store, graph: str | None, fmt: str) -> Answer:
    if not exists(store, graph):
        raise GraphNotFound(graph)
    name = _name(graph)
    if fmt in QUAD_FORMATS:
        # Store.dump would write the whole dataset in a quad format: write this graph alone
        triples = (Triple(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, None, None, name))
        body = serialize(triples, format=GRAPH_FORMATS[fmt])
    else:
        body = store.dump(format=GRAPH_FORMATS[fmt], from_graph=name,
                          prefixes=PREFIXES if fmt == "turtle" else None)
    return Answer("graph", fmt, body or b"")


def read(data: bytes, fmt: str, base_iri: str | None) -> list:
    """Parse a document into triples (its named graphs, if any, are refused)."""
    try:
        return [q.triple for q in parse(data, format=GRAPH_FORMATS[fmt], base_iri=base_iri,
                                        without_named_graphs=True, rename_blank_nodes=True)]
    except SyntaxError as exc:
        raise syntax_error(exc) from None


def put(store: Store, graph: str | None, documents: list[tuple[bytes, str]],
        base_iri: str | None) -> bool:
    """Replace a graph's content; True when the graph did not exist before."""
    triples = [t for data, fmt in documents for t in read(data, fmt, base_iri)]
    created = not exists(store, graph)
    name = _name(graph)
    if graph is not None and created:
        store.add_graph(name)
    else:
        store.clear_graph(name)
    store.extend(Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return created


def post(store: Store, graph: str | None, documents: list[tuple[bytes, str]],
         base_iri: str | None) -> bool:
    """Add to a graph; True when the graph did not exist before."""
    triples = [t for data, fmt in documents for t in read(data, fmt, base_iri)]
    created = not exists(store, graph)
    name = _name(graph)
    if graph is not None and created:
        store.add_graph(name)
    store.extend(Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return created


def delete(store: Store, graph: str | None) -> None:
    if not exists(store, graph):
        raise GraphNotFound(graph)
    if graph is None:
        store.clear_graph(DefaultGraph())
    else:
        store.remove_graph(NamedNode(graph))


def reserialize(data: bytes, source: str, target: str) -> bytes:
    """Turn a small document from one RDF format into another (e.g. a service description)."""
    quads = list(parse(data, format=GRAPH_FORMATS[source]))
    if target in QUAD_FORMATS:
        return serialize(quads, format=GRAPH_FORMATS[target])
    return serialize([q.triple for q in quads], format=GRAPH_FORMATS[target],
                     prefixes=PREFIXES if target == "turtle" else None)
