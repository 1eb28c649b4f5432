"""What the import needs to know of the graph's entities: their ids, names and which keys they
set.

The curated files (``data/**/*.yaml``, see ``kg/records.py``) are read as plain mappings; only
events, projects, organisations and people are looked at. Software projects imported earlier in
the build (publiccode.yml files, ``kg/imports.py``) are known the same way, from their quads.
The import never changes them: a page about one adds its facts under its IRI, in the page's own
graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from kg import iris, sources
from kg.bluehats_pages.names import NameIndex
from kg.namespaces import RDF

TYPE = URIRef(RDF + "type")
PROJECT = URIRef(iris.term("SoftwareProject"))
KEYS = {URIRef(iris.term(p)): k for p, k in (
    ("name", "name"), ("altName", "alt_names"), ("shortName", "short_name"),
    ("description", "description"),
)}
NAMED_KINDS = {"projects": "project", "organisations": "organisation", "people": "person"}
KINDS = {"events": "event", **NAMED_KINDS}


@dataclass
class Curated:
    records: dict[tuple[str, str], dict] = field(default_factory=dict)

    def has(self, kind: str, ident: str, key: str | None = None) -> bool:
        rec = self.records.get((kind, ident))
        return rec is not None and (key is None or rec.get(key) not in (None, "", []))

    def ids(self, kind: str) -> set[str]:
        return {i for k, i in self.records if k == kind}

    def names(self) -> NameIndex:
        """Every name, alternative name and short name of the curated projects, organisations
        and people."""
        index = NameIndex()
        for (kind, ident), rec in sorted(self.records.items()):
            if kind == "event":
                continue
            for value in _texts(rec.get("name")) + _texts(rec.get("alt_names")) + _texts(
                rec.get("short_name")
            ):
                index.add(value, kind, ident)
        return index


def _texts(value) -> list[str]:
    """The strings of a ``text``/``langtext`` value, single or many, in every language."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [str(v) for v in value.values() if v]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return [str(value)]


def from_roots(roots: Iterable[object]) -> Curated:
    """From the top-level mappings of the data files."""
    cur = Curated()
    for root in roots:
        if not isinstance(root, dict):
            continue
        for plural, kind in KINDS.items():
            for rec in root.get(plural) or []:
                if isinstance(rec, dict) and rec.get("id"):
                    cur.records[(kind, str(rec["id"]))] = dict(rec)
    return cur


def add_imported(cur: Curated, quads, base: str) -> None:
    """Add the software projects of earlier imports (rdflib quads) that are not curated."""
    prefix = base + "project/"
    projects = {str(s) for s, p, o, _ in quads if p == TYPE and o == PROJECT}
    found: dict[str, dict] = {}
    for s, p, o, _ in quads:
        subject = str(s)
        if subject not in projects or not subject.startswith(prefix):
            continue
        key = KEYS.get(p)
        if key:
            rec = found.setdefault(subject[len(prefix):], {"id": subject[len(prefix):]})
            rec.setdefault(key, []).append(str(o))
    for ident, rec in found.items():
        cur.records.setdefault(("project", ident), rec)


def read(data_dir: Path) -> Curated:
    """The curated records of ``data_dir``, as ``kg.sources`` reads them (without checking)."""
    documents, _ = sources.read(data_dir)
    return from_roots(d.root for d in documents)
