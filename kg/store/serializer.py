"""RDF serialisations that are byte-identical for the same quads: sorted, fixed prefixes.

Blank nodes must already carry stable names (the ontology's are relabelled from their
content when it is read, see ``kg/ontology.py``); data records have none.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Quad, RdfFormat, Triple, serialize

FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "trig": RdfFormat.TRIG,
}
DATASET_FORMATS = ("nq", "trig")


def _key(q: Quad | Triple) -> tuple[str, ...]:
    if isinstance(q, Quad):
        return str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)
    return str(q.subject), str(q.predicate), str(q.object)


def sorted_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Unique quads ordered by graph, subject, predicate, object."""
    return sorted(set(quads), key=_key)


def sorted_triples(quads: Iterable[Quad]) -> list[Triple]:
    """The union of the graphs: unique triples ordered by subject, predicate, object."""
    return sorted({q.triple for q in quads}, key=_key)


def nquads(quads: Iterable[Quad]) -> bytes:
    """Canonical N-Quads, one quad per line, sorted: the input of the content hash."""
    lines = sorted({str(q) + " .\n" for q in quads})
    return "".join(lines).encode("utf-8")


def dump(quads: Iterable[Quad], ext: str, prefixes: dict[str, str]) -> bytes:
    """One serialisation: a dataset for ``nq``/``trig``, the union graph for the others."""
    fmt = FORMATS[ext]
    if ext == "nq":
        return nquads(quads)
    items = sorted_quads(quads) if ext in DATASET_FORMATS else sorted_triples(quads)
    if ext == "nt":
        return "".join(str(t) + " .\n" for t in items).encode("utf-8")
    if ext == "jsonld":
        return serialize(items, format=fmt)
    return _sorted_header(serialize(items, format=fmt, prefixes=prefixes))


def _sorted_header(body: bytes) -> bytes:
    """Put the ``@prefix`` lines in a fixed order, whatever order the serialiser chose."""
    lines = body.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join([*sorted(lines[:n]), *lines[n:]])
