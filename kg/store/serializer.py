"""RDF serialisations that are byte-identical for the same quads: sorted, fixed prefixes.

A ``Sorted`` dataset is deduplicated and ordered once (by graph, subject, predicate, object,
each compared in its N-Triples form); every dump, the content hash and the manifest's counts
are read from it. Blank nodes must already carry stable names (the ontology's are relabelled
from their content when it is read, see ``kg/ontology.py``); data records have none.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from pyoxigraph import Quad, RdfFormat, Triple, serialize

FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "trig": RdfFormat.TRIG,
}


class Sorted:
    """Quads without duplicates, in a fixed order, with their terms in N-Triples form."""

    def __init__(self, quads: Iterable[Quad]):
        keyed = {}
        for q in quads:
            key = (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
            keyed.setdefault(key, q)
        self.keys = sorted(keyed)  # (graph, subject, predicate, object) strings
        self.quads = [keyed[k] for k in self.keys]

    @cached_property
    def triple_keys(self) -> list[tuple[str, str, str]]:
        """The union of the graphs: unique (subject, predicate, object) strings, sorted."""
        return sorted({k[1:] for k in self.keys})

    @cached_property
    def triples(self) -> list[Triple]:
        first = {}
        for k, q in zip(self.keys, self.quads):
            first.setdefault(k[1:], q)
        return [first[k].triple for k in self.triple_keys]

    @cached_property
    def nquads(self) -> bytes:
        """Canonical N-Quads, one quad per line, the lines sorted as strings: the input of the
        content hash (``LC_ALL=C sort`` of any N-Quads dump of the build gives these bytes)."""
        lines = sorted(f"{s} {p} {o} {g} .\n" for g, s, p, o in self.keys)
        return "".join(lines).encode("utf-8")

    @cached_property
    def ntriples(self) -> bytes:
        return "".join(f"{s} {p} {o} .\n" for s, p, o in self.triple_keys).encode("utf-8")


def nquads(quads: Iterable[Quad]) -> bytes:
    """Canonical, sorted N-Quads of ``quads`` (duplicates removed)."""
    return Sorted(quads).nquads


def dump(dataset: Sorted, ext: str, prefixes: dict[str, str]) -> bytes:
    """One serialisation: a dataset for ``nq``/``trig``, the union graph for the others."""
    if ext == "nq":
        return dataset.nquads
    if ext == "nt":
        return dataset.ntriples
    if ext == "jsonld":
        return serialize(dataset.triples, format=FORMATS[ext])
    items = dataset.quads if ext == "trig" else dataset.triples
    return _sorted_header(serialize(items, format=FORMATS[ext], prefixes=prefixes))


def _sorted_header(body: bytes) -> bytes:
    """Put the ``@prefix`` lines in a fixed order, whatever order the serialiser chose."""
    lines = body.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join([*sorted(lines[:n]), *lines[n:]])
