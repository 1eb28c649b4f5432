"""The value types of the record contract (``kg/records.py``): how one YAML value is read as each.

``read`` turns one value (a ``kg.sources`` scalar or mapping) into typed values
(``kg/values.py``), or raises ``BadValue`` naming where it is wrong and why. References are
returned unresolved (``Ref("?", id)``): which record they name is decided once every file is
read (``kg/validation.py``).

>>> from kg.records import f
>>> from kg.sources import Location, Scalar
>>> here = Location("x.yaml", 1, 1)
>>> read(f("start", "datetime"), Scalar("2024-01-09T14:00:00+01:00", here), here, Vocabulary())
[Typed(lexical='2024-01-09T14:00:00+01:00', datatype='dateTime')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from kg import iris
from kg.namespaces import WD
from kg.records import FIGURE_KEYS, FIGURE_QUALIFIERS, Field
from kg.sources import Location, Mapping, Scalar, Sequence
from kg.values import Figure, Iri, LangText, Ref, Text, Typed, Value

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
WIKIDATA_ITEM = re.compile(r"^http://www\.wikidata\.org/entity/(Q\d+)$")
SOURCE_LANGUAGE = "fr"  # a bare string in a `langtext` is taken as French, the source's language

WORDS = {
    "text": "a string",
    "langtext": "a string or a mapping of language to string ({fr: …, en: …})",
    "date": "a date YYYY-MM-DD",
    "datetime": "a date-time YYYY-MM-DDTHH:MM:SS+01:00",
    "integer": "an integer",
    "decimal": "a number",
    "url": "a URL",
    "wikidata": "a Wikidata item IRI",
    "ref": "the id of a record",
    "concept": "a concept name",
    "figure": "a figure mapping",
}


class BadValue(Exception):
    def __init__(self, loc: Location, message: str):
        super().__init__(f"{loc}: {message}")
        self.loc, self.message = loc, message


@dataclass(frozen=True)
class Vocabulary:
    """What values may name: the kind concepts of ``ontology/``, the checked Wikidata IDs
    (None: not checked)."""

    concepts: frozenset[str] | set[str] = field(default_factory=frozenset)
    wikidata: frozenset[str] | set[str] | None = None


def _loc_of(value, fallback: Location) -> Location:
    return getattr(value, "loc", None) or fallback


def shape(item) -> str:
    if isinstance(item, Mapping):
        return "mapping"
    if isinstance(item, Sequence):
        return "list"
    return "string"


def _parses(fn, s: str) -> bool:
    try:
        fn(s)
    except ValueError:
        return False
    return True


def is_url(s: str) -> bool:
    """An absolute http(s) URL with a host and no character an IRI may not hold."""
    if any(c.isspace() for c in s) or any(c in s for c in '<>"{}|\\^`'):
        return False
    try:
        parts = urlsplit(s)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def read(fl: Field, item, loc: Location, vocabulary: Vocabulary) -> list[Value]:
    """One value of key ``fl`` as typed values (a langtext mapping gives one per language)."""
    t = fl.type
    if t == "langtext":
        return langtext(item, loc)
    if t == "figure":
        return [figure(item, loc)]
    if not isinstance(item, Scalar):
        raise BadValue(loc, f"wrong type: expected {WORDS[t]}, got a {shape(item)}")
    s = str(item)
    if t == "text":
        return [Text(s)]
    if t == "date":
        if DATE.match(s) and _parses(date.fromisoformat, s):
            return [Typed(s, "date")]
        raise BadValue(loc, f"bad date '{s}': expected YYYY-MM-DD")
    if t == "datetime":
        if DATETIME.match(s) and _parses(datetime.fromisoformat, s):
            return [Typed(s, "dateTime")]
        raise BadValue(
            loc, f"bad date-time '{s}': expected YYYY-MM-DDTHH:MM:SS+01:00 (offset required)"
        )
    if t == "integer":
        if INTEGER.match(s):
            return [Typed(s, "integer")]
        raise BadValue(loc, f"wrong type: '{s}' is not an integer")
    if t == "decimal":
        if DECIMAL.match(s):
            return [Typed(s, "decimal")]
        raise BadValue(loc, f"wrong type: '{s}' is not a number")
    if t == "url":
        if is_url(s):
            return [Iri(s)]
        raise BadValue(loc, f"bad URL '{s}': expected an absolute http(s) URL")
    if t == "wikidata":
        return [wikidata_item(s, loc, vocabulary)]
    if t == "concept":
        return [concept(fl.scheme, s, loc, vocabulary)]
    if t == "ref":
        if not iris.SLUG.match(s):
            raise BadValue(loc, f"bad reference '{s}': expected the id of a record")
        return [Ref("?", s)]
    raise AssertionError(f"unknown field type {t}")  # a bug in kg/records.py


def wikidata_item(s: str, loc: Location, vocabulary: Vocabulary) -> Iri:
    m = WIKIDATA_ITEM.match(s)
    if not m:
        raise BadValue(loc, f"bad Wikidata item '{s}': expected {WD}Q…")
    if vocabulary.wikidata is not None and m.group(1) not in vocabulary.wikidata:
        raise BadValue(
            loc,
            f"Wikidata ID {m.group(1)} is not in reference/wikidata-ids.md "
            "(only checked IDs may be used)",
        )
    return Iri(s)


def concept(scheme: str, s: str, loc: Location, vocabulary: Vocabulary) -> Iri:
    iri = iris.concept(scheme, s)
    if iris.SLUG.match(s) and iri in vocabulary.concepts:
        return Iri(iri)
    prefix = iris.concept(scheme, "")
    known = sorted(c[len(prefix) :] for c in vocabulary.concepts if c.startswith(prefix))
    raise BadValue(
        loc, f"unknown concept '{s}' in scheme '{scheme}' (known: {', '.join(known) or 'none'})"
    )


def langtext(item, loc: Location) -> list[Value]:
    if isinstance(item, Scalar):
        return [LangText(str(item), SOURCE_LANGUAGE)]
    if not (isinstance(item, Mapping) and item):
        raise BadValue(loc, f"wrong type: expected {WORDS['langtext']}, got a {shape(item)}")
    out: list[Value] = []
    for lang, text in item.items():
        if not LANG.match(lang):
            raise BadValue(
                item.key_locs[lang],
                f"bad language tag '{lang}' (a text holding ': ' must be quoted, "
                "or YAML reads it as a mapping)",
            )
        if not isinstance(text, Scalar):
            raise BadValue(
                _loc_of(text, item.key_locs[lang]),
                f"wrong type: the '{lang}' text must be a string",
            )
        out.append(LangText(str(text), lang))
    return out


def figure(item, loc: Location) -> Figure:
    if not isinstance(item, Mapping):
        raise BadValue(loc, f"wrong type: expected a figure mapping, got a {shape(item)}")
    for key in item:
        if key not in FIGURE_KEYS:
            known = ", ".join(FIGURE_KEYS)
            raise BadValue(item.key_locs[key], f"unknown figure key '{key}' (known: {known})")
    for key in ("id", "measure", "value"):
        if key not in item:
            raise BadValue(item.loc, f"a figure needs '{key}'")
    values = {}
    for key in ("id", "measure", "value", "qualifier"):
        if key in item:
            v = item[key]
            if not isinstance(v, Scalar):
                raise BadValue(_loc_of(v, item.key_locs[key]), f"figure '{key}' must be a string")
            values[key] = str(v)
    if not iris.SLUG.match(values["id"]):
        raise BadValue(item["id"].loc, f"bad figure id '{values['id']}' (a slug)")
    if not DECIMAL.match(values["value"]):
        raise BadValue(item["value"].loc, f"figure value '{values['value']}' is not a number")
    q = values.get("qualifier")
    if q is not None and q not in FIGURE_QUALIFIERS:
        raise BadValue(
            item["qualifier"].loc,
            f"unknown figure qualifier '{q}' (known: {', '.join(FIGURE_QUALIFIERS)})",
        )
    labels = []
    if "label" in item:
        labels = langtext(item["label"], _loc_of(item["label"], item.key_locs["label"]))
    return Figure(values["id"], values["measure"], values["value"], q, tuple(labels))
