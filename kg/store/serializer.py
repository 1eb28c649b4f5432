"""RDF serialisations that are byte-identical for the same quads: sorted, fixed prefixes.

A ``Sorted`` dataset is deduplicated and ordered once (by graph, subject, predicate, object,
each compared in its N-Triples form); every dump, the content hash and the manifest's counts
are read from it. Blank nodes must already carry stable names (the ontology's are relabelled
from their content when it is read, see ``kg/ontology.py``); data records have none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, Triple, parse, serialize

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


# --- large builds: the same bytes, from files, in bounded memory ------------------------------
#
# A build of imported corpora holds millions of quads: they are never all in Python. The store
# is dumped as N-Quads, sorted by ``sort`` (GNU coreutils, an external merge sort: bounded
# memory, temporary files beside the output) under ``LC_ALL=C`` (byte order, which is the code
# point order ``Sorted`` uses), and every dump is written from the sorted files, piece by piece.
# For the same quads the bytes are those of ``Sorted`` (tests/kg/test_dumps.py checks it).

SORT_MEMORY = "256M"  # sort's buffer; beyond it, it merges temporary files
CHUNK = 20_000  # lines parsed at a time when re-reading a sorted file


def sort_file(source: Path, target: Path, *, unique: bool = True) -> None:
    """``LC_ALL=C sort [-u]``: lines in byte order, in bounded memory."""
    env = {**os.environ, "LC_ALL": "C"}
    args = ["sort", "-S", SORT_MEMORY, "-T", str(target.parent), "-o", str(target), str(source)]
    if unique:
        args.insert(1, "-u")
    subprocess.run(args, check=True, env=env)


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        yield from f


def _parsed(lines: Iterable[bytes], fmt: RdfFormat) -> Iterator:
    """Terms of N-Triples/N-Quads lines, parsed ``CHUNK`` lines at a time."""
    chunk: list[bytes] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= CHUNK:
            yield from parse(b"".join(chunk), format=fmt)
            chunk = []
    if chunk:
        yield from parse(b"".join(chunk), format=fmt)


def _graph_of(line: bytes) -> tuple[bytes, bytes]:
    """(``s p o``, ``g``) of a canonical N-Quads line (a graph name holds no space)."""
    body, _, graph = line[:-3].rpartition(b" ")
    return body, graph


class SortedFiles:
    """The counterpart of ``Sorted`` for a dataset too large for memory: the canonical N-Quads
    (``nquads_path``) and the union graph's N-Triples (``ntriples_path``), both sorted and
    without duplicates, made from an N-Quads file in any order (e.g. a store's dump)."""

    def __init__(self, raw_nquads: Path, workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.nquads_path = workdir / "canonical.nq"
        sort_file(raw_nquads, self.nquads_path)
        raw_nt = workdir / "union.raw.nt"
        with raw_nt.open("wb") as out:
            for line in _lines(self.nquads_path):
                out.write(_graph_of(line)[0] + b" .\n")
        self.ntriples_path = workdir / "union.nt"
        sort_file(raw_nt, self.ntriples_path)
        raw_nt.unlink()

    def quads(self) -> Iterator[Quad]:
        """The quads ordered by graph, subject, predicate, object (as ``Sorted.quads``)."""
        by_graph = self.workdir / "by-graph.txt"
        with by_graph.open("wb") as out:
            for line in _lines(self.nquads_path):
                out.write(_graph_of(line)[1] + b"\t" + line)
        ordered = self.workdir / "by-graph.sorted.txt"
        sort_file(by_graph, ordered, unique=False)
        by_graph.unlink()
        try:
            yield from _parsed((ln.split(b"\t", 1)[1] for ln in _lines(ordered)), RdfFormat.N_QUADS)
        finally:
            ordered.unlink(missing_ok=True)

    def triples(self) -> Iterator[Triple]:
        return _parsed(_lines(self.ntriples_path), RdfFormat.N_TRIPLES)

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def dump_file(dataset: SortedFiles, ext: str, prefixes: dict[str, str], target: Path) -> None:
    """One serialisation written to ``target``: the same bytes ``dump`` gives for ``Sorted``."""
    if ext == "nq":
        shutil.copyfile(dataset.nquads_path, target)
        return
    if ext == "nt":
        shutil.copyfile(dataset.ntriples_path, target)
        return
    if ext == "jsonld":
        serialize(dataset.triples(), output=str(target), format=FORMATS[ext])
        return
    items = dataset.quads() if ext == "trig" else dataset.triples()
    body = target.with_name(target.name + ".body")
    serialize(items, output=str(body), format=FORMATS[ext], prefixes=prefixes)
    with body.open("rb") as src, target.open("wb") as out:
        header = []
        line = src.readline()
        while line.startswith(b"@prefix "):
            header.append(line)
            line = src.readline()
        out.write(b"".join(sorted(header)))
        out.write(line)
        shutil.copyfileobj(src, out, 1 << 20)
    body.unlink()
