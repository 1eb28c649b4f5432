"""The dumps of a build: Turtle, N-Triples, JSON-LD (the union of the graphs) and TriG (one
named graph per source). Byte-identical for the same input: quads are sorted and the
prefixes fixed (``kg.namespaces.data_prefixes``).
"""

from __future__ import annotations

from pathlib import Path

from kg.namespaces import data_prefixes
from kg.store.serializer import Sorted, dump

FILES = {"ttl": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld", "trig": "graph.trig"}


def write(dataset: Sorted, directory: Path, base: str) -> dict[str, str]:
    """Write every dump into ``directory``; returns {format: file name}."""
    directory.mkdir(parents=True, exist_ok=True)
    prefixes = data_prefixes(base)
    for ext, name in FILES.items():
        (directory / name).write_bytes(dump(dataset, ext, prefixes))
    return dict(FILES)
