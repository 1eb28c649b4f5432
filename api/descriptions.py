"""What a resource's page shows, computed from the graph: the view model of ``resource.html``.

Our own statements (``bh:``) come first, in the order of the record contract
(``kg/records.py``) so that a page reads like the YAML it came from; provenance (``bh:source``,
``bh:sourceSection``, the named graphs) gets its own block; the statements materialised from
the alignments (``schema:``, ``wdt:``…) and ``rdfs:label`` are grouped apart. Every IRI is
shown with its label in the reader's language and links to our page or outward.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api import urls
from kg.namespaces import BH, ONTOLOGY, PREFIXES, RDF, RDFS, XSD
from kg.reconcile.text import fold
from kg.records import COMMON, KINDS_BY_NAME
from kg.store.describe import Graph, Statement, Term

TYPE = RDF + "type"
LABEL = RDFS + "label"
SOURCE = BH + "source"
SECTION = BH + "sourceSection"
PROVENANCE = (SOURCE, SECTION)
INCOMING_PAGE = 100


@dataclass
class Value:
    text: str
    href: str | None = None  # a link: our page, or the IRI outward
    external: bool = False
    lang: str | None = None  # language of a literal (shown when not the reader's)
    datatype: str | None = None  # short name of a literal's datatype (xsd:date…)
    iri: str | None = None


@dataclass
class PropertyView:
    iri: str
    label: str
    href: str
    values: list[Value] = field(default_factory=list)
    count: int = 0  # incoming links: how many in all (the page may show fewer)


@dataclass
class ResourceView:
    iri: str
    path: str
    title: str
    types: list[Value]
    properties: list[PropertyView]
    aligned: list[PropertyView]
    sources: list[Value]
    sections: list[str]
    graphs: list[Value]
    incoming: list[PropertyView]
    incoming_total: int
    page: int
    next_page: int | None
    previous_page: int | None
    kind: str | None  # the record kind, when the IRI is an entity's ({base}{kind}/{id})


def short_name(iri: str) -> str | None:
    """``schema:name`` for an IRI of a known namespace (the longest that fits), else None.

    >>> short_name("https://schema.org/name")
    'schema:name'
    """
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return None
    local = iri[len(best):]
    if not local or not all(c.isalnum() or c in "-_./" for c in local):
        return None
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{local}"


class Presenter:
    """Turns terms into ``Value``s for one reader (language) and one deployment (base IRI)."""

    def __init__(self, graph: Graph, lang: str):
        self.graph = graph
        self.lang = lang
        self.base = graph.base

    def name(self, iri: str) -> str:
        """The label of an IRI for the reader, else its short name, else the IRI itself."""
        return self.graph.label(iri, self.lang) or short_name(iri) or iri

    def iri_value(self, iri: str) -> Value:
        local = urls.local_path(iri, self.base)
        return Value(self.name(iri), href=urls.link(iri, self.base), external=local is None, iri=iri)

    def value(self, term: Term) -> Value:
        if term.is_iri:
            return self.iri_value(term.value)
        if term.kind == "bnode":
            return Value("_:" + term.value)
        text = term.value
        datatype = None
        if term.datatype:
            datatype = short_name(term.datatype) or term.datatype
            if term.datatype == XSD + "dateTime" and "T" in text:
                text = text.replace("T", " ", 1)
        return Value(text, lang=term.lang, datatype=datatype)

    def property(self, iri: str) -> PropertyView:
        href = urls.link(iri, self.base)
        return PropertyView(iri, self.graph.label(iri, self.lang) or short_name(iri) or iri, href)

    def sort_values(self, values: list[Value]) -> list[Value]:
        """The reader's language first, then untagged, then the others; then alphabetically."""
        def key(v: Value):
            return (0 if v.lang in (None, self.lang) else 1, fold(v.text))
        return sorted(values, key=key)


def kind_of(iri: str, base: str) -> str | None:
    """The record kind of an entity IRI (``project`` for ``{base}project/kubic``)."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base):].split("/")
    if len(rest) == 2 and rest[0] in KINDS_BY_NAME:
        return rest[0]
    return None


def _order(kind: str | None) -> dict[str, int]:
    """Our properties in the order of the record contract for ``kind``."""
    fields = (*KINDS_BY_NAME[kind].fields, *COMMON) if kind else COMMON
    order: dict[str, int] = {}
    for fl in fields:
        if fl.prop and BH + fl.prop not in order:
            order[BH + fl.prop] = len(order)
    if kind == "event":
        order.setdefault(BH + "figure", len(order))
    return order


def describe(graph: Graph, iri: str, lang: str, page: int = 1) -> ResourceView:
    """The view model of the page of ``iri`` (``page`` pages the incoming links)."""
    show = Presenter(graph, lang)
    statements = graph.statements(iri)
    kind = kind_of(iri, graph.base)
    order = _order(kind)

    grouped: dict[str, list[Statement]] = {}
    for st in statements:
        grouped.setdefault(st.predicate, []).append(st)

    vocabulary = graph.vocabulary()
    # the build materialises our own super-properties and super-classes too (bh:usesTechnology
    # gives bh:uses, bh:Person gives bh:Agent): those copies go with the aligned statements
    implied: set[tuple[str, Term]] = set()
    for st in statements:
        if st.predicate.startswith(BH):
            implied |= {(up, st.object) for up in vocabulary.ancestors(st.predicate)}
        elif st.predicate == TYPE and st.object.is_iri and st.object.value.startswith(BH):
            implied |= {(TYPE, Term("iri", up)) for up in vocabulary.ancestors(st.object.value)}
    types = [show.iri_value(st.object.value) for st in grouped.get(TYPE, [])
             if st.object.is_iri and st.object.value.startswith(BH)
             and (TYPE, st.object) not in implied]
    # the ontology's own terms are written in RDFS/OWL/SKOS: nothing there is a copy
    split = not iri.startswith(ONTOLOGY)
    properties, aligned = [], []
    for predicate, sts in grouped.items():
        if predicate in PROVENANCE:
            continue
        if predicate == TYPE:
            others = [st for st in sts if not st.object.value.startswith(BH)
                      or (TYPE, st.object) in implied]
            if others:
                view = show.property(predicate)
                view.values = show.sort_values([show.value(st.object) for st in others])
                aligned.append(view)
            continue
        own = [st for st in sts if (predicate, st.object) not in implied]
        copies = [st for st in sts if (predicate, st.object) in implied]
        for chosen, ours in ((own, predicate.startswith(BH) or not split), (copies, False)):
            if chosen:
                view = show.property(predicate)
                view.values = show.sort_values([show.value(st.object) for st in chosen])
                (properties if ours else aligned).append(view)
    properties.sort(key=lambda p: (order.get(p.iri, len(order)), fold(p.label)))
    aligned.sort(key=lambda p: (p.iri != LABEL, short_name(p.iri) or p.iri))

    sources = [show.value(st.object) for st in grouped.get(SOURCE, [])]
    sections = sorted({st.object.value for st in grouped.get(SECTION, [])})
    graph_iris = sorted({g for st in statements for g in st.graphs})
    graphs = [Value(g.removeprefix(graph.base),
                    href=urls.link(g, graph.base), iri=g) for g in graph_iris]

    page = max(page, 1)
    incoming = graph.incoming(iri, offset=(page - 1) * INCOMING_PAGE, limit=INCOMING_PAGE,
                              namespace=BH)
    by_property: dict[str, PropertyView] = {}
    for predicate, subject in incoming.links:
        view = by_property.get(predicate)
        if view is None:
            view = by_property[predicate] = show.property(predicate)
            view.count = incoming.counts[predicate]
        view.values.append(show.iri_value(subject))
    incoming_views = sorted(by_property.values(), key=lambda p: fold(p.label))
    for view in incoming_views:
        view.values.sort(key=lambda v: fold(v.text))

    title = graph.label(iri, lang) or short_name(iri) or iri.rstrip("/").rsplit("/", 1)[-1]
    return ResourceView(
        iri=iri, path=urls.local_path(iri, graph.base) or iri, title=title, types=types,
        properties=properties, aligned=aligned, sources=sources, sections=sections,
        graphs=graphs, incoming=incoming_views, incoming_total=incoming.total, page=page,
        next_page=page + 1 if incoming.has_next else None,
        previous_page=page - 1 if page > 1 else None, kind=kind,
    )
