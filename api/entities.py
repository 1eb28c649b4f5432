"""Entities as the REST layer gives them: JSON objects keyed like the YAML records
(``kg/records.py``), with a JSON-LD ``@context`` that maps each key back to its ontology term,
and the same records flattened into CSV rows.

A reference (or a kind concept) is an object ``{"@id", "id", "label", "href"}`` (``href``: the entity's page on
this server, left out of the RDF reading by the context); language-tagged text is a language
map ``{"fr": …, "en": …}``; dates keep their ``xsd`` type.

>>> context(KINDS_BY_NAME["project"])["@context"]["repository"]
{'@id': 'bh:repository', '@type': '@id', '@container': '@set'}
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from api import urls
from kg.namespaces import BH, DCTERMS, RDFS, XSD
from kg.records import Field, Kind, fields_of
from kg.store.describe import Graph, Term

LABEL = RDFS + "label"
IRI_TYPES = ("url", "wikidata", "ref", "concept", "figure")
XSD_TYPES = {"date": "xsd:date", "datetime": "xsd:dateTime", "decimal": "xsd:decimal",
             "integer": "xsd:integer"}


def _term_definition(fl: Field) -> dict:
    prop = "bh:" + ("figure" if fl.type == "figure" else fl.prop)
    d: dict = {"@id": prop}
    if fl.type in IRI_TYPES:
        d["@type"] = "@id"
    elif fl.type == "langtext":
        d["@container"] = "@language"
        return d
    elif fl.type in XSD_TYPES:
        d["@type"] = XSD_TYPES[fl.type]
    if fl.many:
        d["@container"] = "@set"
    return d


def context(kind: Kind) -> dict:
    """The JSON-LD context of one kind's records (a key such as ``kind`` or ``part_of`` maps
    to a different property in each kind)."""
    terms: dict = {
        "bh": BH, "xsd": XSD, "rdfs": RDFS, "dcterms": DCTERMS, "@vocab": BH,
        "id": "dcterms:identifier", "label": "rdfs:label", "href": None,
        "items": "@graph", "total": None, "page": None, "pages": None, "per_page": None,
        "next": None, "previous": None, "filters": None,
        "measure": "bh:measure", "quantity": {"@id": "bh:quantity", "@type": "xsd:decimal"},
        "qualifier": "bh:qualifier",
    }
    for fl in fields_of(kind).values():
        if fl.key == "id" or fl.prop is None and fl.type != "figure":
            continue
        terms[fl.key] = _term_definition(fl)
    return {"@context": terms}


def _kind_fields(kind: Kind) -> dict[str, Field]:
    """Predicate IRI → field of ``kind`` (the first key that maps to it)."""
    out: dict[str, Field] = {}
    for fl in fields_of(kind).values():
        if fl.type == "figure":
            out.setdefault(BH + "figure", fl)
        elif fl.prop:
            out.setdefault(BH + fl.prop, fl)
    return out


def _literal(term: Term):
    if term.datatype in (XSD + "decimal", XSD + "integer"):
        try:
            number = float(term.value)
            return int(number) if number.is_integer() else number
        except ValueError:
            return term.value
    return term.value


class Shaper:
    """Entities of one build as record-shaped JSON, for one reader's language."""

    def __init__(self, graph: Graph, lang: str):
        self.graph = graph
        self.lang = lang

    def ref(self, iri: str) -> dict:
        base = self.graph.base
        ident = iri.rstrip("/").rsplit("/", 1)[-1]
        out = {"@id": iri, "id": ident, "label": self.graph.label(iri, self.lang) or ident}
        href = urls.local_path(iri, base)
        if href:
            out["href"] = href
        return out

    def figure(self, iri: str) -> dict:
        out = self.ref(iri)
        for st in self.graph.statements(iri):
            local = st.predicate[len(BH):] if st.predicate.startswith(BH) else None
            if local in ("measure", "quantity", "value", "qualifier"):
                out["quantity" if local == "value" else local] = _literal(st.object)
        return out

    def entity(self, iri: str, kind: Kind) -> dict:
        fields = _kind_fields(kind)
        values: dict[str, list[Term]] = defaultdict(list)
        for st in self.graph.statements(iri):
            fl = fields.get(st.predicate)
            if fl is not None:
                values[fl.key].append(st.object)
        out: dict = {"@id": iri, "@type": kind.cls, "id": iri.rsplit("/", 1)[-1],
                     "label": self.graph.label(iri, self.lang) or iri.rsplit("/", 1)[-1],
                     "href": urls.local_path(iri, self.graph.base)}
        for key, fl in fields_of(kind).items():
            terms = values.get(key)
            if not terms:
                continue
            out[key] = self.value(fl, sorted(terms))
        return out

    def value(self, fl: Field, terms: list[Term]):
        if fl.type == "langtext":
            by_lang: dict[str, list[str]] = defaultdict(list)
            for t in terms:
                by_lang[t.lang or "@none"].append(t.value)
            return {lang: (vals if fl.many or len(vals) > 1 else vals[0])
                    for lang, vals in sorted(by_lang.items())}
        if fl.type in ("ref", "concept"):
            items = [self.ref(t.value) for t in terms]
        elif fl.type == "figure":
            items = [self.figure(t.value) for t in terms]
        elif fl.type in ("url", "wikidata"):
            items = [t.value for t in terms]
        else:
            items = [_literal(t) for t in terms]
        return items if fl.many else items[0]


def csv_columns(kind: Kind) -> list[str]:
    cols = ["id", "iri", "label"]
    for key, fl in fields_of(kind).items():
        if key == "id":
            continue
        cols.append(key)
        if fl.type == "langtext":
            cols.append(f"{key}_en")
    return cols


def csv_row(record: dict, kind: Kind) -> dict[str, str]:
    """One record as CSV cells: several values joined by `` | ``, references as IRIs,
    language-tagged text as French (or untagged) and English columns."""
    row = {"id": record["id"], "iri": record["@id"], "label": record["label"]}
    for key, fl in fields_of(kind).items():
        if key == "id" or key not in record:
            continue
        value = record[key]
        if fl.type == "langtext":
            fr = value.get("fr", value.get("@none", ""))
            en = value.get("en", "")
            row[key] = " | ".join(fr) if isinstance(fr, list) else fr
            row[f"{key}_en"] = " | ".join(en) if isinstance(en, list) else en
            continue
        items = value if isinstance(value, list) else [value]
        row[key] = " | ".join(str(v["@id"]) if isinstance(v, dict) else str(v) for v in items)
    return row


def to_csv(records: list[dict], kind: Kind) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_columns(kind), lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(csv_row(record, kind))
    return out.getvalue()
