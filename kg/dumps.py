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


def write(dataset: Sorted | SortedFiles, directory: Path, base: str) -> dict[str, str]:
    """Write every dump into ``directory``; returns {format: file name}. A dataset on disk
    (``SortedFiles``) is written one dump at a time, in bounded memory."""
    directory.mkdir(parents=True, exist_ok=True)
    prefixes = data_prefixes(base)
    for ext, name in FILES.items():
        if isinstance(dataset, SortedFiles):
            dump_file(dataset, ext, prefixes, directory / name)
        else:
            (directory / name).write_bytes(dump(dataset, ext, prefixes))
    return dict(FILES)
