"""Cheap read-only lookups for the linked-data pages: an entity's triples, labels, incoming
links, a class's instances, the ontology's terms.

These run in the server process on a read-only store (``kg.store.open_read_only``): each is a
handful of index lookups (``quads_for_pattern``), never a user-supplied query, so they need no
time limit. The store of a build never changes, so ``Graph`` caches labels for its life.

Terms come out as ``Term`` (plain data: kind, value, language, datatype) so that callers never
handle pyoxigraph objects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, Variable, serialize

from kg import iris
from kg.namespaces import BH, RDF, RDFS, SKOS, XSD

TYPE = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
PREF_LABEL = NamedNode(SKOS + "prefLabel")
SUPER = (RDFS + "subClassOf", RDFS + "subPropertyOf")
XSD_STRING = XSD + "string"
LANG_STRING = RDF + "langString"

RDF_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term as plain data: ``kind`` is ``iri``, ``literal`` or ``bnode``."""

    kind: str
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"

    def nt(self) -> str:
        """The term in N-Triples syntax (used as a stable key)."""
        return str(_to_ox(self))


def _term(t) -> Term:
    cls = t.__class__
    if cls is NamedNode:
        return Term("iri", t.value)
    if cls is Literal:
        if t.language:
            return Term("literal", t.value, lang=t.language)
        dt = t.datatype.value
        return Term("literal", t.value, datatype=None if dt == XSD_STRING else dt)
    if cls is BlankNode:
        return Term("bnode", t.value)
    return Term("literal", str(t))  # quoted triples: shown as text


def _to_ox(t: Term):
    if t.kind == "iri":
        return NamedNode(t.value)
    if t.kind == "bnode":
        return BlankNode(t.value)
    if t.lang:
        return Literal(t.value, language=t.lang)
    if t.datatype:
        return Literal(t.value, datatype=NamedNode(t.datatype))
    return Literal(t.value)


def pick(values: list[Term], lang: str) -> Term | None:
    """The literal best suited to a reader of ``lang``: that language, then untagged, then
    French (the sources' language), English, any.

    >>> pick([Term("literal", "Event", "en"), Term("literal", "Événement", "fr")], "fr").value
    'Événement'
    >>> pick([Term("literal", "Event", "en"), Term("literal", "Événement", "fr")], "en").value
    'Event'
    """
    if not values:
        return None
    rank = {None: 1, "fr": 2, "en": 3, lang: 0}
    return min(values, key=lambda v: (rank.get(v.lang, 4), v.value))


@dataclass
class Statement:
    predicate: str
    object: Term
    graphs: set[str] = field(default_factory=set)


@dataclass
class Incoming:
    """The links pointing at an entity: counts per property and one page of (subject, property)."""

    counts: dict[str, int]  # property IRI -> number of subjects
    total: int
    links: list[tuple[str, str]]  # (property IRI, subject IRI), sorted, one page of them
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total


@dataclass
class Vocabulary:
    """The ontology's terms: labels, comments and every other statement about each."""

    terms: dict[str, list[Statement]]  # term IRI -> statements (ontology graph)

    def labels(self, iri: str) -> list[Term]:
        return [s.object for s in self.terms.get(iri, ()) if s.predicate in (LABEL.value, PREF_LABEL.value)]

    def ancestors(self, iri: str) -> set[str]:
        """Every term of our namespace above ``iri`` by ``rdfs:subClassOf`` or
        ``rdfs:subPropertyOf``, transitively (``bh:Person`` → ``bh:Agent``)."""
        found: set[str] = set()
        todo = [iri]
        while todo:
            for st in self.terms.get(todo.pop(), ()):
                up = st.object.value
                if (st.predicate in SUPER and st.object.kind == "iri" and up.startswith(BH)
                        and up not in found and up != iri):
                    found.add(up)
                    todo.append(up)
        return found


class Graph:
    """Read-only lookups on one build's store (one instance per store, cached labels)."""

    def __init__(self, store: Store, base_iri: str):
        self.store = store
        self.base = base_iri
        self.label_cache = lru_cache(maxsize=200_000)(self._labels_uncached)
        self._vocabulary: Vocabulary | None = None

    # --- one entity -------------------------------------------------------------------------

    def statements(self, iri: str) -> list[Statement]:
        """Every triple with ``iri`` as subject, merged over the named graphs (which are kept)."""
        merged: dict[tuple[str, Term], Statement] = {}
        for q in self.store.quads_for_pattern(NamedNode(iri), None, None, None):
            key = (q.predicate.value, _term(q.object))
            st = merged.get(key)
            if st is None:
                st = merged[key] = Statement(key[0], key[1])
            g = q.graph_name
            if g.__class__ is NamedNode:
                st.graphs.add(g.value)
        return sorted(merged.values(), key=lambda s: (s.predicate, s.object))

    def exists(self, iri: str) -> bool:
        """Whether the graph says anything about ``iri`` (as a subject); False for a string that
        is not an IRI (a client's value, a URL path with a newline…)."""
        try:
            node = NamedNode(iri)
        except ValueError:
            return False
        return next(iter(self.store.quads_for_pattern(node, None, None, None)), None) is not None

    def incoming(self, iri: str, offset: int = 0, limit: int = 100,
                 namespace: str = "") -> Incoming:
        """Links from other resources to ``iri`` by properties of ``namespace``, grouped by
        property (``rdf:type`` left out: the instances of a class are listed by ``instances``)."""
        pairs: set[tuple[str, str]] = set()
        for q in self.store.quads_for_pattern(None, None, NamedNode(iri), None):
            if (q.predicate == TYPE or q.subject.__class__ is not NamedNode
                    or not q.predicate.value.startswith(namespace)):
                continue
            pairs.add((q.predicate.value, q.subject.value))
        counts = Counter(p for p, _ in pairs)
        ordered = sorted(pairs)
        return Incoming(dict(sorted(counts.items())), len(ordered), ordered[offset:offset + limit],
                        offset, limit)

    def triples(self, iri: str, *, incoming_limit: int = 1000) -> list:
        """The description served as RDF: every triple about ``iri``, then the triples pointing
        at it (at most ``incoming_limit`` of those)."""
        node = NamedNode(iri)
        out = {q.triple for q in self.store.quads_for_pattern(node, None, None, None)}
        seen = 0
        for q in self.store.quads_for_pattern(None, None, node, None):
            if seen >= incoming_limit:
                break
            if q.triple not in out:
                out.add(q.triple)
                seen += 1
        return sorted(out, key=lambda t: (str(t.subject) != str(node), str(t.subject),
                                          str(t.predicate), str(t.object)))

    def serialize(self, iri: str, fmt: str, prefixes: dict[str, str] | None = None, *,
                  incoming_limit: int = 1000) -> bytes:
        """The description of ``iri`` in one of ``RDF_FORMATS``."""
        return serialize_triples(self.triples(iri, incoming_limit=incoming_limit), fmt, prefixes)

    def graph_triples(self, graph_iri: str) -> list:
        """The content of one named graph (sorted)."""
        return sorted({q.triple for q in self.store.quads_for_pattern(None, None, None, NamedNode(graph_iri))},
                      key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    def graph_subjects(self, graph_iri: str) -> list[str]:
        return sorted({q.subject.value for q in self.store.quads_for_pattern(None, None, None, NamedNode(graph_iri))
                       if q.subject.__class__ is NamedNode})

    def has_graph(self, graph_iri: str) -> bool:
        try:
            node = NamedNode(graph_iri)
        except ValueError:  # a URL path that makes no IRI: no such graph
            return False
        return next(iter(self.store.quads_for_pattern(None, None, None, node)), None) is not None

    # --- labels ---------------------------------------------------------------------------

    def _labels_uncached(self, iri: str) -> tuple[Term, ...]:
        node = NamedNode(iri)
        found = [_term(q.object) for q in self.store.quads_for_pattern(node, LABEL, None, None)]
        if not found:
            found = [_term(q.object) for q in self.store.quads_for_pattern(node, PREF_LABEL, None, None)]
        return tuple(sorted(set(found)))

    def label(self, iri: str, lang: str) -> str | None:
        """The label of ``iri`` for a reader of ``lang``, or None when it has none."""
        best = pick(list(self.label_cache(iri)), lang)
        return best.value if best else None

    def types(self, iri: str) -> list[str]:
        try:
            node = NamedNode(iri)
        except ValueError:  # a URL path that makes no IRI: nothing is known of it
            return []
        return sorted({q.object.value for q in self.store.quads_for_pattern(node, TYPE, None, None)
                       if q.object.__class__ is NamedNode})

    # --- classes --------------------------------------------------------------------------

    def instances(self, class_iri: str) -> list[str]:
        """Every resource typed ``class_iri`` (directly or by materialised alignment)."""
        return sorted({q.subject.value for q in self.store.quads_for_pattern(None, TYPE, NamedNode(class_iri), None)
                       if q.subject.__class__ is NamedNode})

    def count_instances(self, class_iri: str) -> int:
        return len(self.instances(class_iri))

    def labelled_instances(self, class_iri: str, lang: str) -> list[tuple[str, str | None]]:
        """Every instance of ``class_iri`` with its label for a reader of ``lang``, in one
        query (a class may have many instances: no lookup per instance)."""
        labels: dict[str, list[Term]] = {}
        results = self.store.query(
            "SELECT ?s ?label ?class ?labelled WHERE { ?s a ?class OPTIONAL { ?s ?labelled ?label } }",
            use_default_graph_as_union=True,
            substitutions={Variable("class"): NamedNode(class_iri), Variable("labelled"): LABEL})
        for row in results:
            s = row["s"]
            if s.__class__ is not NamedNode:
                continue
            found = labels.setdefault(s.value, [])
            if row["label"] is not None:
                found.append(_term(row["label"]))
        out = []
        for iri, found in labels.items():
            best = pick(found, lang)
            out.append((iri, best.value if best else None))
        return out

    # --- our own queries --------------------------------------------------------------------

    def select(self, query: str, bindings: dict[str, Term] | None = None,
               prefixes: dict[str, str] | None = None) -> list[dict[str, Term | None]]:
        """Rows of one of the app's own SELECT queries (never a user's: no time limit here),
        with variables bound to terms (each bound variable must be in the projection)."""
        subs = {Variable(k): _to_ox(v) for k, v in (bindings or {}).items()}
        results = self.store.query(query, use_default_graph_as_union=True,
                                   substitutions=subs or None, prefixes=prefixes)
        names = [v.value for v in results.variables]
        return [{n: (None if row[n] is None else _term(row[n])) for n in names} for row in results]

    # --- values of one property ------------------------------------------------------------

    def objects(self, iri: str, predicate: str) -> list[Term]:
        return sorted({_term(q.object) for q in self.store.quads_for_pattern(
            NamedNode(iri), NamedNode(predicate), None, None)})

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return sorted({q.subject.value for q in self.store.quads_for_pattern(
            None, NamedNode(predicate), NamedNode(obj), None) if q.subject.__class__ is NamedNode})

    def with_predicate(self, predicate: str) -> list[tuple[str, Term]]:
        """Every (subject, object) of one predicate (e.g. every label, for the search index)."""
        return [(q.subject.value, _term(q.object)) for q in self.store.quads_for_pattern(
            None, NamedNode(predicate), None, None) if q.subject.__class__ is NamedNode]

    # --- the ontology ---------------------------------------------------------------------

    def vocabulary(self) -> Vocabulary:
        """Every statement of the ontology graph about a term of our namespace (read once)."""
        if self._vocabulary is None:
            terms: dict[str, list[Statement]] = defaultdict(list)
            seen: set[tuple[str, str, Term]] = set()
            ontology = NamedNode(iris.graph(self.base, "ontology"))
            for q in self.store.quads_for_pattern(None, None, None, ontology):
                s = q.subject
                if s.__class__ is not NamedNode or not s.value.startswith(BH):
                    continue
                key = (s.value, q.predicate.value, _term(q.object))
                if key in seen:
                    continue
                seen.add(key)
                terms[s.value].append(Statement(key[1], key[2]))
            self._vocabulary = Vocabulary(dict(terms))
        return self._vocabulary


def serialize_triples(triples: list, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (pyoxigraph ``Triple`` or ``(s, p, o)`` of ``Term``) in one of ``RDF_FORMATS``."""
    items = [t if not isinstance(t, tuple) else _triple(*t) for t in triples]
    kwargs = {}
    if prefixes and fmt in ("turtle", "rdfxml"):
        used = {str(x) for t in items for x in (t.subject, t.predicate, t.object)}
        kwargs["prefixes"] = {p: ns for p, ns in prefixes.items()
                              if any(u.startswith("<" + ns) for u in used)}
    return serialize(items, format=RDF_FORMATS[fmt], **kwargs) or b""


def _triple(s: Term, p: Term, o: Term):
    return Triple(_to_ox(s), _to_ox(p), _to_ox(o))


def iri(value: str) -> Term:
    return Term("iri", value)


def literal(value: str, *, lang: str | None = None, datatype: str | None = None) -> Term:
    return Term("literal", value, lang=lang, datatype=datatype)
