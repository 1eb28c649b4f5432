"""The manifest of a build: what it holds (VoID-ready counts) and its content hash.

The content hash is the SHA-256 of the sorted N-Quads of the whole dataset: it changes exactly
when a triple or its graph changes, and serves as the HTTP ``ETag``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from kg.namespaces import RDF
from kg.store.serializer import Sorted, SortedFiles, sort_file

FILE = "manifest.json"
RDF_TYPE = f"<{RDF}type>"


def content_hash(dataset: Sorted) -> str:
    return "sha256:" + hashlib.sha256(dataset.nquads).hexdigest()


def _iri(term: str) -> str:
    return term[1:-1] if term.startswith("<") else term


def describe(
    dataset: Sorted,
    *,
    build_id: str,
    base_iri: str,
    dumps: dict[str, str],
    inputs: dict[str, str] | None = None,
) -> dict:
    triples = dataset.triple_keys  # N-Triples forms, no duplicates
    graphs = Counter(_iri(g) for g, *_ in dataset.keys)
    typed: dict[str, set[str]] = {}
    for s, p, o in triples:
        if p == RDF_TYPE:
            typed.setdefault(_iri(o), set()).add(s)
    return {
        "build_id": build_id,
        "base_iri": base_iri,
        "triples": len(triples),
        "quads": len(dataset.keys),
        "entities": len({s for s, _, _ in triples}),
        "properties": len({p for _, p, _ in triples}),
        "distinct_objects": len({o for _, _, o in triples}),
        "graphs": dict(sorted(graphs.items())),
        "classes": {c: len(s) for c, s in sorted(typed.items())},
        "content_hash": content_hash(dataset),
        "dumps": dumps,
        "inputs": dict(sorted((inputs or {}).items())),
    }


def describe_files(
    dataset: SortedFiles,
    *,
    build_id: str,
    base_iri: str,
    dumps: dict[str, str],
    inputs: dict[str, str] | None = None,
) -> dict:
    """``describe`` for a dataset on disk: the same figures, read line by line from the
    sorted files (distinct objects counted by ``sort -u``)."""
    digest = hashlib.sha256()
    graphs: Counter = Counter()
    quads = 0
    with dataset.nquads_path.open("rb") as f:
        for line in f:
            digest.update(line)
            graphs[_iri(line[:-3].rpartition(b" ")[2].decode("utf-8"))] += 1
            quads += 1
    triples = entities = 0
    properties: set[str] = set()
    typed: Counter = Counter()
    previous = None
    rdf_type = RDF_TYPE.encode()
    objects = dataset.workdir / "objects.txt"
    with dataset.ntriples_path.open("rb") as f, objects.open("wb") as out:
        for line in f:
            s, p, rest = line.split(b" ", 2)
            o = rest[:-3]  # the union is deduplicated: (s, type, o) is one entity of class o
            triples += 1
            if s != previous:
                entities += 1
                previous = s
            properties.add(p)
            if p == rdf_type:
                typed[_iri(o.decode("utf-8"))] += 1
            out.write(o + b"\n")
    distinct = objects.with_suffix(".sorted")
    sort_file(objects, distinct)
    objects.unlink()
    with distinct.open("rb") as f:
        distinct_objects = sum(1 for _ in f)
    distinct.unlink()
    return {
        "build_id": build_id,
        "base_iri": base_iri,
        "triples": triples,
        "quads": quads,
        "entities": entities,
        "properties": len(properties),
        "distinct_objects": distinct_objects,
        "graphs": dict(sorted(graphs.items())),
        "classes": dict(sorted(typed.items())),
        "content_hash": "sha256:" + digest.hexdigest(),
        "dumps": dumps,
        "inputs": dict(sorted((inputs or {}).items())),
    }


def write(manifest: dict, build_dir: Path) -> Path:
    path = build_dir / FILE
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read(build_dir: Path) -> dict:
    return json.loads((build_dir / FILE).read_text(encoding="utf-8"))
