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
from kg.store.serializer import nquads

FILE = "manifest.json"
RDF_TYPE = RDF + "type"


def content_hash(quads: list) -> str:
    return "sha256:" + hashlib.sha256(nquads(quads)).hexdigest()


def describe(
    quads: list,
    *,
    build_id: str,
    base_iri: str,
    dumps: dict[str, str],
    inputs: dict[str, str] | None = None,
) -> dict:
    triples = {q.triple for q in quads}
    graphs = Counter(q.graph_name.value for q in quads)
    typed: dict[str, set[str]] = {}
    for t in triples:
        if t.predicate.value == RDF_TYPE:
            typed.setdefault(t.object.value, set()).add(str(t.subject))
    return {
        "build_id": build_id,
        "base_iri": base_iri,
        "triples": len(triples),
        "quads": len(set(quads)),
        "entities": len({str(t.subject) for t in triples}),
        "properties": len({t.predicate.value for t in triples}),
        "distinct_objects": len({str(t.object) for t in triples}),
        "graphs": dict(sorted(graphs.items())),
        "classes": {c: len(s) for c, s in sorted(typed.items())},
        "content_hash": content_hash(quads),
        "dumps": dumps,
        "inputs": dict(sorted((inputs or {}).items())),
    }


def write(manifest: dict, build_dir: Path) -> Path:
    path = build_dir / FILE
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read(build_dir: Path) -> dict:
    return json.loads((build_dir / FILE).read_text(encoding="utf-8"))
