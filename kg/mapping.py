"""Records to RDF: a pure function from checked records to quads (rdflib terms).

Each record becomes, in the named graph of its source document (``{base}graph/<source-id>``):

- ``rdf:type bh:<Class>`` (``kg/records.py`` gives the class), and ``skos:inScheme`` for kinds
  whose records are concepts of a scheme (topics: ``bh:topics``);
- ``bh:<prop>`` for each key, values typed by the contract (language-tagged text, ``xsd:date``,
  ``xsd:dateTime``, IRIs for URLs, references and concepts);
- ``rdfs:label`` from its label key (``name``, ``title`` or ``label``);
- provenance: ``bh:source`` and ``prov:wasDerivedFrom`` → the source document, and
  ``bh:sourceSection`` (from ``section``).

An event's figures become resources of their own (``{base}event/<event>/figure/<id>``, see
``kg/iris.py``): ``bh:figure`` links the event to each, typed ``bh:Figure``, with ``bh:measure``,
``bh:quantity`` (the ``value`` key, ``xsd:decimal``), ``bh:qualifier`` and ``rdfs:label``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from rdflib import Literal, URIRef

from kg import iris
from kg.namespaces import PROV, RDF, RDFS, SKOS, XSD
from kg.records import fields_of
from kg.values import Figure, Iri, LangText, Record, Ref, Text, Typed, Value

Quad = tuple[URIRef, URIRef, object, URIRef]

TYPE = URIRef(RDF + "type")
IN_SCHEME = URIRef(SKOS + "inScheme")
LABEL = URIRef(RDFS + "label")
DERIVED_FROM = URIRef(PROV + "wasDerivedFrom")


@lru_cache(maxsize=None)
def bh(local: str) -> URIRef:
    """Our term ``local`` (one object per term: the ontology's terms are few, used by every
    record)."""
    return URIRef(iris.term(local))


# rdflib makes a literal in 20–50 µs (it checks and converts the value): the same value
# (a date, a section, a kind of keyword) comes back in many records, so it is made once.
@lru_cache(maxsize=1 << 16)
def _text(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=1 << 16)
def _lang_text(text: str, lang: str) -> Literal:
    return Literal(text, lang=lang)


@lru_cache(maxsize=1 << 16)
def _typed(lexical: str, datatype: str) -> Literal:
    return Literal(lexical, datatype=URIRef(XSD + datatype), normalize=False)


def term(value: Value, base: str):
    """The RDF term of one typed value (not for figures, which are resources)."""
    if isinstance(value, Text):
        return _text(value.text)
    if isinstance(value, LangText):
        return _lang_text(value.text, value.lang)
    if isinstance(value, Typed):
        return _typed(value.lexical, value.datatype)
    if isinstance(value, Iri):
        return URIRef(value.iri)
    if isinstance(value, Ref):
        return URIRef(iris.entity(base, value.kind, value.id))
    raise TypeError(f"no single term for {value!r}")


def subject_of(record: Record, base: str) -> URIRef:
    return URIRef(iris.entity(base, record.kind.name, record.id))


def graph_of(record: Record, base: str) -> URIRef:
    return _graph(base, record.document)


@lru_cache(maxsize=1024)
def _graph(base: str, document: str) -> URIRef:
    return URIRef(iris.graph(base, document))


def figure_quads(
    event: URIRef, event_id: str, fig: Figure, base: str, g: URIRef, source: URIRef, sections
) -> Iterator[Quad]:
    node = URIRef(iris.figure(base, event_id, fig.id))
    yield event, bh("figure"), node, g
    yield node, TYPE, bh("Figure"), g
    yield node, bh("measure"), Literal(fig.measure), g
    quantity = Literal(fig.value, datatype=URIRef(XSD + "decimal"), normalize=False)
    yield node, bh("quantity"), quantity, g
    if fig.qualifier:
        yield node, bh("qualifier"), Literal(fig.qualifier), g
    for label in fig.labels:
        yield node, LABEL, term(label, base), g
    if not fig.labels:  # every entity has a label: say what is counted
        yield node, LABEL, Literal(f"{fig.value} {fig.measure}"), g
    yield node, bh("source"), source, g
    yield node, DERIVED_FROM, source, g
    for section in sections:
        yield node, bh("sourceSection"), section, g


def record_quads(record: Record, base: str) -> Iterator[Quad]:
    s = subject_of(record, base)
    g = graph_of(record, base)
    source = URIRef(iris.entity(base, "source", record.document))
    fields = fields_of(record.kind)
    yield s, TYPE, bh(record.kind.cls), g
    if record.kind.in_scheme:
        yield s, IN_SCHEME, bh(record.kind.in_scheme), g
    for value in record.values.get(record.kind.label_key, []):
        yield s, LABEL, term(value, base), g
    yield s, bh("source"), source, g
    yield s, DERIVED_FROM, source, g
    sections = [term(v, base) for v in record.values.get("section", [])]
    for key, values in record.values.items():
        fl = fields[key]
        if fl.type == "figure":
            for fig in values:
                yield from figure_quads(s, record.id, fig, base, g, source, sections)
            continue
        if fl.prop is None:
            continue
        p = bh(fl.prop)
        for value in values:
            yield s, p, term(value, base), g


def quads(records: Iterable[Record], base: str) -> list[Quad]:
    """Every quad of every record, without duplicates, in a stable order."""
    seen: dict[Quad, None] = {}
    for record in records:
        for q in record_quads(record, base):
            seen.setdefault(q, None)
    return list(seen)
