"""Our graph's reconcilable entities, read once from a built store into an in-memory index.

An entity's identifier in reconciliation is its IRI relative to the base IRI (``project/kubic``),
so that ``identifierSpace + id`` is the IRI; type identifiers are our class local names
(``SoftwareProject``), so that ``schemaSpace + type`` is the class IRI. Full IRIs are accepted
wherever an identifier is read.

The graph is small (hundreds of entities): every query is scored against every entity of the
requested types, in Python, with ``kg.reconcile.scoring``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

from kg.namespaces import BH, OWL, RDF, RDFS, SKOS
from kg.reconcile.scoring import Condition, Entity, NameTable, Query, Scored, rank
from kg.records import KINDS, KINDS_BY_NAME
from kg.store import StoreMissing, current_build, open_read_only

# Predicates read into the index (bh: local names, plus rdfs:label).
NAME_PROPS = ("name", "altName", "shortName", "prefLabel")
URL_PROPS = ("website", "repository")
AGENT_PROPS = ("developer", "affiliation", "subOrganisationOf", "organiser", "facilitator")
OTHER_PROPS = ("siren", "description", "sameAs", "startDate", "licence", "programmingLanguage")
INDEXED = (*NAME_PROPS, *URL_PROPS, *AGENT_PROPS, *OTHER_PROPS)

# Property identifiers a client may use in conditions: ours, and Wikidata's for the same thing
# (our graph materialises the aligned wdt: triples, so a P-number means the same there).
CONDITION_ALIASES = {
    "website": "website",
    "P856": "website",
    "repository": "repository",
    "P1324": "repository",
    "siren": "siren",
    "P1616": "siren",
    "organisation": "organisation",
    "organization": "organisation",
    **{p: "organisation" for p in AGENT_PROPS},
    "P178": "organisation",
    "P108": "organisation",
    "P749": "organisation",
    "P664": "organisation",
}

LANG_ORDER = ("fr", "", "en")
RECORD_CLASSES = frozenset(k.cls for k in KINDS)  # the classes of kg/records.py's kinds
NAME_FLOOR = 50.0  # below this name similarity a candidate is noise, unless a property agrees


def _pick(values: list[tuple[str, str]], langs=LANG_ORDER) -> str:
    """The value in the first language of ``langs`` present, else the first one."""
    for lang in langs:
        for v, vl in values:
            if vl == lang:
                return v
    return values[0][0] if values else ""


@dataclass
class Record:
    """What the index holds about one entity of the graph."""

    iri: str
    id: str
    classes: set[str] = field(default_factory=set)  # bh: local names, superclasses included
    values: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    @property
    def kind(self) -> str:
        return self.id.split("/", 1)[0]

    def name(self, langs=LANG_ORDER) -> str:
        return _pick(self.values.get("label", []) or self.values.get("name", []), langs) or self.id

    def description(self, langs=LANG_ORDER) -> str:
        return _pick(self.values.get("description", []), langs)

    def labels(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for key in ("label", *NAME_PROPS):
            for v, _ in self.values.get(key, []):
                seen.setdefault(v, None)
        return tuple(seen)

    def urls(self, prop: str) -> tuple[str, ...]:
        return tuple(v for v, _ in self.values.get(prop, []))

    def wikidata(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.values.get("sameAs", []))


def entity_query(base: str) -> str:
    preds = " ".join(f"bh:{p}" for p in INDEXED)
    return (
        f"PREFIX bh: <{BH}>\nPREFIX rdfs: <{RDFS}>\nPREFIX rdf: <{RDF}>\n"
        f"SELECT ?e ?p ?o WHERE {{\n"
        f"  VALUES ?p {{ rdf:type rdfs:label {preds} }}\n"
        f"  ?e ?p ?o .\n"
        f"  FILTER(isIRI(?e) && STRSTARTS(STR(?e), {_str(base)}))\n"
        f"}}"
    )


CLASS_QUERY = f"""PREFIX rdfs: <{RDFS}>
PREFIX owl: <{OWL}>
PREFIX skos: <{SKOS}>
SELECT ?c ?super ?label WHERE {{
  {{ ?c rdfs:subClassOf+ ?super . FILTER(STRSTARTS(STR(?c), "{BH}") && STRSTARTS(STR(?super), "{BH}")) }}
  UNION
  {{ ?c rdfs:label ?label . FILTER(STRSTARTS(STR(?c), "{BH}")) }}
}}"""


def _str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class EntityIndex:
    """Our entities of the reconcilable classes, with their names, types and properties."""

    def __init__(self, records: dict[str, Record], base: str,
                 class_names: dict[str, dict[str, str]], store=None):
        self.base = base
        self.store = store  # for data extension: values read on demand
        self.records = records  # id -> Record
        self.class_names = class_names  # bh: term local name -> {lang: label}
        by_iri = {r.iri: r for r in records.values()}
        self._entities = {rid: self._entity(r, by_iri) for rid, r in records.items()}
        self._names = NameTable(self._entities.values())

    @classmethod
    def from_store(cls, store, base: str) -> EntityIndex:
        records: dict[str, Record] = {}
        for row in store.query(entity_query(base), use_default_graph_as_union=True):
            e, p, o = row["e"].value, row["p"].value, row["o"]
            rid = e[len(base):]
            rec = records.get(rid) or records.setdefault(rid, Record(e, rid))
            if p == RDF + "type":
                if o.value.startswith(BH):
                    rec.classes.add(o.value[len(BH):])
                continue
            key = "label" if p == RDFS + "label" else p[len(BH):]
            rec.values[key].append((o.value, getattr(o, "language", None) or ""))
        supers: dict[str, set[str]] = defaultdict(set)
        names: dict[str, dict[str, str]] = defaultdict(dict)
        for row in store.query(CLASS_QUERY, use_default_graph_as_union=True):
            c = row["c"].value[len(BH):]
            if row["super"] is not None:
                supers[c].add(row["super"].value[len(BH):])
            if row["label"] is not None:
                names[c][row["label"].language or ""] = row["label"].value
        kept = {}
        for rid, rec in records.items():
            for c in list(rec.classes):
                rec.classes |= supers.get(c, set())
            if rec.classes & RECORD_CLASSES and rec.kind in KINDS_BY_NAME:
                kept[rid] = rec
        return cls(kept, base, dict(names), store)

    # ------------------------------------------------------------------ lookups
    def local_id(self, ident: str) -> str:
        """``project/kubic`` from either that or the full IRI."""
        return ident.removeprefix(self.base)

    def get(self, ident: str) -> Record | None:
        return self.records.get(self.local_id(ident))

    def type_id(self, ident: str) -> str:
        """A class local name from either it, ``bh:X`` or the full IRI."""
        if ident.startswith(BH):
            return ident[len(BH):]
        if ident.startswith("bh:"):
            return ident[3:]
        return ident

    def type_name(self, local: str, lang: str = "en") -> str:
        names = self.class_names.get(local, {})
        return names.get(lang) or names.get("en") or names.get("") or local

    def types_of(self, rec: Record) -> list[str]:
        """The entity's most specific classes first (those not superclass of another)."""
        return sorted(rec.classes, key=lambda c: (c not in RECORD_CLASSES, c))

    def entity(self, ident: str) -> Entity | None:
        return self._entities.get(self.local_id(ident))

    # ------------------------------------------------------------------ search
    def search(self, query: Query) -> list[Scored]:
        """Candidates for ``query``, best first. Weak name resemblances are left out
        (``NAME_FLOOR``); a query with property values only keeps the candidates that agree
        on at least one of them."""
        q = Query(
            query.text,
            tuple(self.type_id(t) for t in query.types),
            query.type_strict,
            tuple(Condition(c.prop, tuple(self.local_id(v) for v in c.values))
                  for c in query.conditions),
        )
        out = []
        for s in rank(q, self._names):
            agrees = any(a.agrees for a in s.agreements)
            if (q.text and s.name_score >= NAME_FLOOR) or agrees:
                out.append(s)
        return out if query.limit is None else out[: max(0, query.limit)]

    def _entity(self, rec: Record, by_iri: dict[str, Record]) -> Entity:
        orgs: list[str] = []
        for p in AGENT_PROPS:
            for iri, _ in rec.values.get(p, []):
                other = by_iri.get(iri)
                orgs.append(iri.removeprefix(self.base))
                if other is not None:
                    orgs.extend(other.labels())
        props = {
            "website": rec.urls("website"),
            "repository": rec.urls("repository"),
            "siren": rec.urls("siren"),
            "organisation": tuple(orgs),
        }
        return Entity(
            rec.id,
            rec.name(),
            rec.labels(),
            frozenset(rec.classes),
            {k: v for k, v in props.items() if v},
            rec.description(),
        )


_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], EntityIndex] = {}


def current_index(settings) -> EntityIndex:
    """The index of the published build (``settings.var_dir/current``), read once per build:
    a new build switches ``current`` and the next call reads the new store."""
    build = current_build(settings.var_dir)
    if build is None:
        raise StoreMissing(f"nothing published under {settings.var_dir}: run `kg build` first")
    key = (str(build), settings.base_iri)
    with _LOCK:
        index = _CACHE.get(key)
        if index is None:
            _CACHE.clear()
            store = open_read_only(build / "store")
            index = _CACHE[key] = EntityIndex.from_store(store, settings.base_iri)
        return index
