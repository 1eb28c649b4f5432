"""The dumps of a build: Turtle, N-Triples, JSON-LD (the union of the graphs) and TriG (one
named graph per source). Byte-identical for the same input: quads are sorted and the
prefixes fixed (``kg.namespaces.data_prefixes``). ``write`` serialises a dataset held in
memory (``Sorted``), ``write_files`` one too large for it (``SortedFiles``): same bytes.
"""

from __future__ import annotations

from pathlib import Path

from kg.namespaces import data_prefixes
from kg.store.serializer import Sorted, SortedFiles, dump, dump_file

FILES = {"ttl": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld", "trig": "graph.trig"}


def write(dataset: Sorted, directory: Path, base: str) -> dict[str, str]:
    """Write every dump into ``directory``; returns {format: file name}."""
    directory.mkdir(parents=True, exist_ok=True)
    prefixes = data_prefixes(base)
    for ext, name in FILES.items():
        (directory / name).write_bytes(dump(dataset, ext, prefixes))
    return dict(FILES)


def write_files(dataset: SortedFiles, directory: Path, base: str) -> dict[str, str]:
    """``write`` for a dataset on disk, one dump at a time, in bounded memory."""
    directory.mkdir(parents=True, exist_ok=True)
    prefixes = data_prefixes(base)
    for ext, name in FILES.items():
        dump_file(dataset, ext, prefixes, directory / name)
    return dict(FILES)
