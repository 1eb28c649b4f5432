"""Materialise the aligned triples the ontology's alignment statements imply.

The ontology says, as data, how our terms relate to the vocabularies analysts already use;
the build writes the consequences out so that no reasoner is needed at query time:

- classes: ``owl:equivalentClass`` / ``rdfs:subClassOf`` (followed transitively) to named
  classes of schema.org, RDFS, SKOS, OWL, PROV, FOAF, DCAT, Dublin Core or our own
  namespace → extra ``rdf:type`` triples;
- properties: ``owl:equivalentProperty`` / ``rdfs:subPropertyOf`` the same way → the same
  triple with the other predicate; ``owl:inverseOf`` → the reversed triple (so
  ``schema:superEvent`` gives ``schema:subEvent``);
- Wikidata: a property with ``skos:exactMatch``/``skos:closeMatch`` ``wd:P…`` → the triple
  with ``wdt:P…``; a class, or a kind concept (``bhk:…``), with a match ``wd:Q…`` →
  ``wdt:P31 wd:Q…``. For those ``wdt:`` triples, a side that has ``bh:sameAs`` (or
  ``owl:sameAs``/``schema:sameAs``) a Wikidata item is also replaced by that item, so that
  ``?project wdt:P277 wd:Q28865`` finds projects written in Python.

Each materialised triple goes into the named graph of the triple it comes from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import BH, KIND, PREFIXES, WD, WDT

Quad = tuple  # (s, p, o, g), rdflib terms

TARGET_PREFIXES = ("schema", "rdfs", "skos", "owl", "prov", "foaf", "dcat", "dcterms", "bh", "wdt")
TARGETS = tuple(PREFIXES[p] for p in TARGET_PREFIXES)
TOO_GENERAL = {
    OWL.Thing,
    RDFS.Resource,
    OWL.Class,
    RDFS.Class,
    OWL.NamedIndividual,
    OWL.topObjectProperty,
    OWL.topDataProperty,
}
MATCHES = (SKOS.exactMatch, SKOS.closeMatch)
SAME_AS = (URIRef(BH + "sameAs"), OWL.sameAs, URIRef(PREFIXES["schema"] + "sameAs"))
P31 = URIRef(WDT + "P31")
TYPE = RDF.type  # rdflib's namespace attribute lookup is slow: read it once


def _is_target(node) -> bool:
    return isinstance(node, URIRef) and node not in TOO_GENERAL and str(node).startswith(TARGETS)


def _closure(graph: Graph, sub: URIRef, equivalent: URIRef) -> dict[URIRef, set[URIRef]]:
    """For each term, every named target term above it, transitively.

    Terms of other vocabularies are reached through any path; terms of our own namespace only
    through our own terms: ``bh:Session ⊑ schema:Event ≡ bh:Event`` gives a session the type
    ``schema:Event`` but not ``bh:Event``, which would make every session an event in queries
    written with our terms.
    """
    up: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in graph.subject_objects(sub):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            up[a].add(b)
    for a, b in graph.subject_objects(equivalent):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            up[a].add(b)
            up[b].add(a)

    def reach(start: URIRef, ours_only: bool) -> set[URIRef]:
        seen: set[URIRef] = set()
        todo = [start]
        while todo:
            for nxt in up.get(todo.pop(), ()):
                if ours_only and not str(nxt).startswith(BH):
                    continue
                if nxt not in seen and nxt != start:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    result: dict[URIRef, set[URIRef]] = {}
    for start in list(up):
        targets = {t for t in reach(start, False) if _is_target(t) and not str(t).startswith(BH)}
        if str(start).startswith(BH):
            targets |= {t for t in reach(start, True) if _is_target(t)}
        if targets:
            result[start] = targets
    return result


def _wikidata_matches(graph: Graph, kind: str) -> dict[URIRef, set[URIRef]]:
    """Terms with ``skos:exactMatch``/``closeMatch`` a Wikidata ``P…`` or ``Q…`` entity."""
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for match in MATCHES:
        for a, b in graph.subject_objects(match):
            if isinstance(a, URIRef) and str(b).startswith(WD + kind):
                found[a].add(URIRef(str(b)))
    return found


class Alignment:
    """The alignment statements of one ontology, ready to apply to data quads."""

    def __init__(self, ontology: Graph):
        self.classes = _closure(ontology, RDFS.subClassOf, OWL.equivalentClass)
        self.properties = _closure(ontology, RDFS.subPropertyOf, OWL.equivalentProperty)
        inverse: dict[URIRef, set[URIRef]] = defaultdict(set)
        for a, b in ontology.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                inverse[a].add(b)
                inverse[b].add(a)
        self.inverse = dict(inverse)
        self.wd_properties = {
            p: {URIRef(WDT + str(w)[len(WD) :]) for w in ws}
            for p, ws in _wikidata_matches(ontology, "P").items()
        }
        items = _wikidata_matches(ontology, "Q")
        self.wd_classes = {c: ws for c, ws in items.items() if not str(c).startswith(KIND)}
        self.wd_concepts = {c: ws for c, ws in items.items() if str(c).startswith(KIND)}
        self._predicates: dict[URIRef, tuple] = {}

    def _rules(self, p: URIRef) -> tuple:
        """What the alignment says about a predicate, looked up once per predicate (rdflib
        terms compare and hash in Python: a build has millions of quads, a few dozen
        predicates): (is rdf:type, its super-properties, its inverses, its Wikidata
        properties, is a sameAs)."""
        rules = self._predicates.get(p)
        if rules is None:
            rules = self._predicates[p] = (
                p == TYPE,
                tuple(self.properties.get(p, ())),
                tuple(self.inverse.get(p, ())),
                tuple(self.wd_properties.get(p, ())),
                p in SAME_AS,
            )
        return rules

    def _entailed(self, q: Quad) -> Iterable[Quad]:
        s, p, o, g = q
        is_type, supers, inverses, _wd, _same = self._rules(p)
        if is_type:
            for c in self.classes.get(o, ()):
                yield s, TYPE, c, g
            return
        for sp in supers:
            yield s, sp, o, g
        if inverses and isinstance(o, URIRef):
            for inv in inverses:
                yield o, inv, s, g

    def materialise(self, quads: Iterable[Quad]) -> list[Quad]:
        """The quads the alignment adds to ``quads`` (not including ``quads`` themselves)."""
        known: dict[Quad, None] = dict.fromkeys(quads)
        added: dict[Quad, None] = {}
        todo = list(known)
        while todo:
            for new in self._entailed(todo.pop()):
                if new not in known:
                    known[new] = None
                    added[new] = None
                    todo.append(new)
        wdt: dict[Quad, None] = {}
        same: dict[object, set[URIRef]] = defaultdict(set)
        for s, p, o, g in known:
            is_type, _supers, _inverses, wd_properties, same_as = self._rules(p)
            if is_type:
                for item in self.wd_classes.get(o, ()):
                    wdt.setdefault((s, P31, item, g), None)
            else:
                for wp in wd_properties:
                    wdt.setdefault((s, wp, o, g), None)
            if isinstance(o, URIRef):  # the keys of wd_concepts are IRIs
                for item in self.wd_concepts.get(o, ()):
                    wdt.setdefault((s, P31, item, g), None)
            if same_as and str(o).startswith(WD):
                same[s].add(o)
        for s, p, o, g in list(wdt):
            for s2 in (s, *sorted(same.get(s, ()))):
                for o2 in (o, *sorted(same.get(o, ()))):
                    wdt.setdefault((s2, p, o2, g), None)
        for q in wdt:
            if q not in known:
                added[q] = None
        return list(added)
