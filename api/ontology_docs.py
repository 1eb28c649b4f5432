"""The ontology as documentation: each class and property with its label and comment in the
reader's language, its place in the hierarchy, domain and range, and its alignments with
schema.org, Wikidata and publiccode.yml (read from the ontology graph, as the build does)."""

from __future__ import annotations

from dataclasses import dataclass, field

from api import urls
from api.descriptions import Presenter, Value, short_name
from kg.namespaces import BH, KIND, OWL, RDF, RDFS, SKOS
from kg.reconcile.text import fold
from kg.store.describe import Graph, Statement, pick

CLASS_TYPES = {OWL + "Class", RDFS + "Class"}
PROPERTY_TYPES = {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
                  RDF + "Property"}
SCHEME = SKOS + "ConceptScheme"
ALIGNMENTS = (OWL + "equivalentClass", OWL + "equivalentProperty", RDFS + "subClassOf",
              RDFS + "subPropertyOf", OWL + "inverseOf", SKOS + "exactMatch", SKOS + "closeMatch",
              SKOS + "broadMatch", SKOS + "narrowMatch", SKOS + "relatedMatch",
              BH + "publiccodeKey")
COMMENTS = (RDFS + "comment", SKOS + "definition")


@dataclass
class TermDoc:
    iri: str
    local: str
    href: str
    label: str
    comment: str | None
    kind: str  # "class", "property", "scheme" or "other"
    alignments: list[tuple[str, Value]] = field(default_factory=list)
    supers: list[Value] = field(default_factory=list)
    subs: list[Value] = field(default_factory=list)
    domain: list[Value] = field(default_factory=list)
    range: list[Value] = field(default_factory=list)
    properties: list[TermDoc] = field(default_factory=list)  # of a class: its domain's
    instances: int | None = None
    members: list[Value] = field(default_factory=list)  # of a concept scheme: its concepts


def _kind(statements: list[Statement]) -> str:
    types = {s.object.value for s in statements if s.predicate == RDF + "type"}
    if types & CLASS_TYPES:
        return "class"
    if types & PROPERTY_TYPES:
        return "property"
    if SCHEME in types:
        return "scheme"
    return "other"


class Documentation:
    """Documentation of every term of the ontology graph, for one reader."""

    def __init__(self, graph: Graph, lang: str, classes: dict[str, int] | None = None):
        self.graph = graph
        self.lang = lang
        self.show = Presenter(graph, lang)
        self.vocabulary = graph.vocabulary()
        self.classes = classes or {}

    def _text(self, statements: list[Statement], predicates) -> str | None:
        values = [s.object for s in statements if s.predicate in predicates and not s.object.is_iri]
        best = pick(values, self.lang)
        return best.value if best else None

    def term(self, iri: str, *, detail: bool = True) -> TermDoc | None:
        statements = self.vocabulary.terms.get(iri)
        if statements is None:
            return None
        kind = _kind(statements)
        doc = TermDoc(
            iri=iri, local=iri[len(BH):], href=urls.link(iri, self.graph.base),
            label=self._text(statements, (RDFS + "label", SKOS + "prefLabel")) or short_name(iri) or iri,
            comment=self._text(statements, COMMENTS), kind=kind,
        )
        if kind == "class":
            doc.instances = self.classes.get(iri, 0)
        if not detail:
            return doc
        for s in statements:
            if s.predicate in ALIGNMENTS:
                ours = s.object.is_iri and s.object.value.startswith(BH)
                if ours and s.predicate in (RDFS + "subClassOf", RDFS + "subPropertyOf"):
                    doc.supers.append(self.show.value(s.object))
                elif s.object.kind != "bnode":
                    relation = short_name(s.predicate) or s.predicate
                    doc.alignments.append((relation, self.show.value(s.object)))
            elif s.predicate == RDFS + "domain":
                doc.domain.append(self.show.value(s.object))
            elif s.predicate == RDFS + "range":
                doc.range.append(self.show.value(s.object))
        parent = RDFS + ("subClassOf" if kind == "class" else "subPropertyOf")
        for other, sts in self.vocabulary.terms.items():
            if any(s.predicate == parent and s.object.value == iri for s in sts):
                doc.subs.append(self.show.iri_value(other))
            if kind == "scheme" and any(s.predicate == SKOS + "inScheme" and s.object.value == iri
                                        for s in sts):
                doc.members.append(self.show.iri_value(other))
            if kind == "class" and any(s.predicate == RDFS + "domain" and s.object.value == iri
                                       for s in sts):
                prop = self.term(other, detail=False)
                if prop is not None:
                    doc.properties.append(prop)
        doc.alignments.sort(key=lambda a: (a[0], a[1].text))
        doc.subs.sort(key=lambda v: fold(v.text))
        doc.members.sort(key=lambda v: fold(v.text))
        doc.properties.sort(key=lambda p: fold(p.label))
        return doc

    def index(self) -> dict[str, list[TermDoc]]:
        """Every term of our namespace (kind concepts left to their schemes), by kind."""
        groups: dict[str, list[TermDoc]] = {"class": [], "property": [], "scheme": [], "other": []}
        for iri in self.vocabulary.terms:
            if iri == BH or (iri.startswith(KIND) and iri[len(KIND):].count("/") >= 1):
                continue
            doc = self.term(iri, detail=True)
            if doc is not None:
                groups[doc.kind].append(doc)
        for docs in groups.values():
            docs.sort(key=lambda d: fold(d.local))
        return groups

    def header(self) -> dict[str, str | None]:
        """The ontology's own title and description."""
        statements = self.vocabulary.terms.get(BH, [])
        title = self._text(statements, ("http://purl.org/dc/terms/title", RDFS + "label"))
        description = self._text(statements, ("http://purl.org/dc/terms/description", *COMMENTS))
        return {"title": title, "description": description}
