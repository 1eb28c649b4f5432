"""Reading one YAML value as each type of the record contract: a table of inputs and outcomes."""

from __future__ import annotations

import pytest

from kg.records import f
from kg.sources import parse_text
from kg.value_types import BadValue, Vocabulary, read
from kg.values import Iri, LangText, Ref, Text, Typed

KIND = "https://w3id.org/bluehats-kg/ontology/kind/"
WD = "http://www.wikidata.org/entity/"
VOCABULARY = Vocabulary(frozenset({KIND + "event-kinds/garagethon"}), frozenset({"Q28865"}))


def value(yaml_text: str):
    return parse_text(f"v: {yaml_text}\n", "t.yaml")["v"]


GOOD = [
    ("text", "Kubic", [Text("Kubic")]),
    ("text", "yes", [Text("yes")]),  # YAML 1.2: a string, not a boolean
    ("langtext", "Atelier", [LangText("Atelier", "fr")]),
    (
        "langtext",
        "{fr: Atelier, en: Workshop}",
        [LangText("Atelier", "fr"), LangText("Workshop", "en")],
    ),
    ("date", "2024-01-09", [Typed("2024-01-09", "date")]),
    ("datetime", "2024-01-09T14:00:00+01:00", [Typed("2024-01-09T14:00:00+01:00", "dateTime")]),
    ("datetime", "2024-01-09T13:00:00Z", [Typed("2024-01-09T13:00:00Z", "dateTime")]),
    ("integer", "-3", [Typed("-3", "integer")]),
    ("decimal", "1.50", [Typed("1.50", "decimal")]),
    ("url", "https://code.gouv.fr/sill", [Iri("https://code.gouv.fr/sill")]),
    ("wikidata", WD + "Q28865", [Iri(WD + "Q28865")]),
    ("ref", "kubic", [Ref("?", "kubic")]),
]

BAD = [
    ("text", "[a, b]", "wrong type: expected a string, got a list"),
    ("langtext", "{français: Atelier}", "bad language tag 'français'"),
    ("date", "2024-02-30", "bad date '2024-02-30'"),
    ("date", "09/01/2024", "bad date"),
    ("datetime", "2024-01-09T14:00:00", "offset required"),
    ("datetime", "2024-01-09 14:00+01:00", "bad date-time"),
    ("integer", "1.5", "'1.5' is not an integer"),
    ("decimal", "1,5", "'1,5' is not a number"),
    ("url", "code.gouv.fr", "bad URL"),
    ("url", "ftp://example.org/x", "bad URL"),
    ("url", "https://example.org/a b", "bad URL"),
    ("wikidata", "Q28865", "bad Wikidata item"),
    ("wikidata", WD + "Q1", "Q1 is not in reference/wikidata-ids.md"),
    ("ref", "Kubic Project", "bad reference"),
]


@pytest.mark.parametrize("type_,text,expected", GOOD, ids=[f"{g[0]}:{g[1]}" for g in GOOD])
def test_good_values(type_, text, expected):
    v = value(text)
    assert read(f("k", type_), v, v.loc, VOCABULARY) == expected


@pytest.mark.parametrize("type_,text,words", BAD, ids=[f"{b[0]}:{b[1]}" for b in BAD])
def test_bad_values(type_, text, words):
    v = value(text)
    with pytest.raises(BadValue) as caught:
        read(f("k", type_), v, v.loc, VOCABULARY)
    assert words in caught.value.message
    assert caught.value.loc.file == "t.yaml" and caught.value.loc.line == 1


def test_concepts_are_checked_against_their_scheme():
    v = value("garagethon")
    field = f("kind", "concept", scheme="event-kinds")
    assert read(field, v, v.loc, VOCABULARY) == [Iri(KIND + "event-kinds/garagethon")]
    with pytest.raises(BadValue, match=r"unknown concept 'webinar' .* \(known: garagethon\)"):
        w = value("webinar")
        read(field, w, w.loc, VOCABULARY)
