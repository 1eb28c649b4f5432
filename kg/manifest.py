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
from kg.store.serializer import Sorted

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


def write(manifest: dict, build_dir: Path) -> Path:
    path = build_dir / FILE
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read(build_dir: Path) -> dict:
    return json.loads((build_dir / FILE).read_text(encoding="utf-8"))
