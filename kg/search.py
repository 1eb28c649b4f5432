"""Finding entities by name: labels and other names, case- and accent-insensitively.

The index is built once per build from the store (every ``rdfs:label``, ``skos:prefLabel``,
``bh:altName``, ``bh:shortName`` of a resource under the base IRI) and kept in memory: a few
strings per entity. Names are compared in ``kg.reconcile.text.fold`` form, so « Économie »,
"economie" and "ECONOMIE" are the same word.

>>> index = SearchIndex([("https://x/project/a", "Écoles numériques"), ("https://x/project/b", "Onyxia")])
>>> [hit.iri for hit in index.search("ecole")]
['https://x/project/a']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.namespaces import BH, RDFS, SKOS
from kg.reconcile.text import fold

NAME_PREDICATES = (RDFS + "label", SKOS + "prefLabel", BH + "altName", BH + "shortName",
                   SKOS + "altLabel")


@dataclass(frozen=True)
class Hit:
    iri: str
    matched: str  # the name that matched, as written
    rank: int  # 0 exact, 1 starts with the query, 2 a word starts with it, 3 contains it


class SearchIndex:
    def __init__(self, names: Iterable[tuple[str, str]]):
        seen: set[tuple[str, str]] = set()
        self.entries: list[tuple[str, str, str]] = []  # (folded name, iri, name)
        for iri, name in names:
            if (iri, name) in seen:
                continue
            seen.add((iri, name))
            folded = fold(name)
            if folded:
                self.entries.append((folded, iri, name))
        self.entries.sort()

    @classmethod
    def from_graph(cls, graph, base_iri: str) -> SearchIndex:
        """Every name of every resource of ``graph`` (a ``kg.store.describe.Graph``) minted
        under ``base_iri`` (ontology terms left out)."""
        names = []
        for predicate in NAME_PREDICATES:
            for subject, obj in graph.with_predicate(predicate):
                if subject.startswith(base_iri) and not subject.startswith(BH) and obj.kind == "literal":
                    names.append((subject, obj.value))
        return cls(names)

    def search(self, query: str, limit: int | None = None) -> list[Hit]:
        """Entities with a name containing every word of ``query``, best matches first (one hit
        per entity, the best-matching name)."""
        q = fold(query)
        if not q:
            return []
        words = q.split()
        best: dict[str, Hit] = {}
        for folded, iri, name in self.entries:
            if not all(w in folded for w in words):
                continue
            if folded == q:
                rank = 0
            elif folded.startswith(q):
                rank = 1
            elif all(any(t.startswith(w) for t in folded.split()) for w in words):
                rank = 2
            else:
                rank = 3
            hit = best.get(iri)
            if hit is None or (rank, len(name)) < (hit.rank, len(hit.matched)):
                best[iri] = Hit(iri, name, rank)
        hits = sorted(best.values(), key=lambda h: (h.rank, fold(h.matched), h.iri))
        return hits[:limit] if limit else hits
