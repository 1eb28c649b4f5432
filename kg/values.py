"""Checked records: what validation hands to the mapping, values already typed.

A ``Record`` is one YAML record that passed ``kg/validation.py``: its kind, id, source
document and, for each key, a list of typed values (a single value is a list of one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.records import Kind
from kg.sources import Location


@dataclass(frozen=True)
class Text:
    """A plain string literal."""

    text: str


@dataclass(frozen=True)
class LangText:
    """A language-tagged string."""

    text: str
    lang: str


@dataclass(frozen=True)
class Typed:
    """A literal with a datatype (``date``, ``dateTime``, ``decimal``, ``integer``: XSD local names)."""

    lexical: str
    datatype: str


@dataclass(frozen=True)
class Iri:
    """An IRI given in full (a URL, a Wikidata item) or made from a concept name."""

    iri: str


@dataclass
class Ref:
    """A reference to another record by id; validation fills in the kind it resolves to."""

    kind: str
    id: str


@dataclass(frozen=True)
class Figure:
    """One of an event's figures ("En bref")."""

    id: str
    measure: str
    value: str  # xsd:decimal lexical form
    qualifier: str | None
    labels: tuple[LangText, ...]


Value = Text | LangText | Typed | Iri | Ref | Figure


@dataclass
class Record:
    kind: Kind
    id: str
    document: str  # the id of the source document it comes from
    loc: Location
    values: dict[str, list[Value]] = field(default_factory=dict)
