"""The named-query registry: headers, typed parameters bound as terms, and the real queries/."""

from __future__ import annotations

import shutil

import pytest

from kg import queries
from kg.config import ROOT
from kg.store import Literal, NamedNode, open_read_only
from kg.store.sparql import execute
from tests.builds import MINI

XSD = "http://www.w3.org/2001/XMLSchema#"
HEADER = """# title: Sessions per day
# title@fr: Sessions par jour
# description: The programme.
# description@fr: Le programme.
# A plain comment line is ignored.
# param: day date optional - only this day (YYYY-MM-DD)
# param: room iri - the room
# param: limit integer optional
SELECT ?day ?room ?limit WHERE {}
"""


def test_header_is_read():
    q = queries.parse(HEADER, "sessions", "sessions.rq")
    assert q.title == {"en": "Sessions per day", "fr": "Sessions par jour"}
    assert q.description == {"en": "The programme.", "fr": "Le programme."}
    assert q.params == [
        queries.Param("day", "date", True, "only this day (YYYY-MM-DD)"),
        queries.Param("room", "iri", False, "the room"),
        queries.Param("limit", "integer", True, ""),
    ]


@pytest.mark.parametrize(
    "type_,value,term",
    [
        ("iri", "https://example.org/a", NamedNode("https://example.org/a")),
        ("iri", "project:kubic", NamedNode("https://w3id.org/bluehats-kg/project/kubic")),
        ("string", "Kubic", Literal("Kubic")),
        ("date", "2024-01-09", Literal("2024-01-09", datatype=NamedNode(XSD + "date"))),
        ("integer", "-3", Literal("-3", datatype=NamedNode(XSD + "integer"))),
        ("decimal", "2.5", Literal("2.5", datatype=NamedNode(XSD + "decimal"))),
        ("boolean", "true", Literal("true", datatype=NamedNode(XSD + "boolean"))),
    ],
)
def test_values_become_typed_terms(type_, value, term):
    prefixes = {"project": "https://w3id.org/bluehats-kg/project/"}
    assert queries.term(queries.Param("x", type_), value, prefixes) == term


@pytest.mark.parametrize(
    "type_,value",
    [
        ("iri", "not an iri"),
        ("iri", "> } DROP ALL"),
        ("date", "2024-13-01"),
        ("date", "9 janvier"),
        ("integer", "1.5"),
        ("decimal", "1,5"),
        ("boolean", "yes"),
    ],
)
def test_bad_values_are_refused_with_the_parameter_name(type_, value):
    with pytest.raises(queries.ParamError, match="parameter 'x'"):
        queries.term(queries.Param("x", type_), value, {})


def test_bind_checks_required_and_unknown_parameters():
    q = queries.parse(HEADER, "sessions", "sessions.rq")
    with pytest.raises(queries.ParamError, match="needs the parameter 'room'"):
        q.bind({})
    with pytest.raises(queries.ParamError, match="no parameter colour"):
        q.bind({"room": "http://x/r", "colour": "blue"})
    assert set(q.bind({"room": "http://x/r"})) == {"room"}  # optional ones stay unbound


@pytest.mark.parametrize(
    "text,words",
    [
        ("SELECT * {}", "needs a '# title: …' header"),
        ("# title: T\n# param: day datetime\nSELECT * {}", "bad parameter line 'day datetime'"),
        ("# title: T\n# param: a iri\n# param: a iri\nSELECT * {}", "parameter 'a' given twice"),
    ],
)
def test_bad_headers_name_the_line(text, words):
    with pytest.raises(queries.HeaderError, match="q.rq:"):
        queries.parse(text, "q", "q.rq")
    with pytest.raises(queries.HeaderError) as caught:
        queries.parse(text, "q", "q.rq")
    assert words in str(caught.value)


def test_a_string_parameter_is_a_term_not_text(mini):
    """A value that looks like SPARQL stays a literal: nothing is pasted into the query."""
    q = queries.parse(
        "# title: T\n# param: name string\nSELECT ?p ?name WHERE "
        "{ ?p <https://w3id.org/bluehats-kg/ontology/shortName> ?name }",
        "q",
        "q.rq",
    )
    store = open_read_only(mini.path / "store")
    sneaky = q.bind({"name": '" } UNION { ?p ?x ?name } #'})
    assert b'"bindings":[]' in execute(store, q.text, "json", substitutions=sneaky).body
    found = execute(store, q.text, "csv", substitutions=q.bind({"name": "DINUM"})).body
    assert found.splitlines()[1].startswith(b"https://w3id.org/bluehats-kg/organisation/dinum")


def test_a_parameter_must_be_selected():
    q = queries.parse("# title: T\n# param: x iri\nSELECT ?y WHERE { ?y ?p ?x }", "q", "q.rq")
    (problem,) = queries.problems(q)
    assert "must be selected" in problem


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(queries.QueryNotFound, match="known: projects-in"):
        queries.get(MINI / "queries", "nope")


def named_queries():
    return sorted(queries.registry(ROOT / "queries").values(), key=lambda q: q.name)


@pytest.mark.parametrize(
    "query", [*named_queries(), *queries.registry(MINI / "queries").values()], ids=lambda q: q.name
)
def test_every_named_query_parses_and_selects_its_parameters(query):
    assert query.title.get("en") and query.description.get("en"), "title and description in English"
    assert queries.problems(query) == []


UNSELECTED = ("# title: Unselected\n# param: day date - a day\n"
              "SELECT ?s WHERE { ?s ?p ?day }\n")


def test_registry_refuses_a_parameter_the_query_does_not_select(tmp_path):
    shutil.copy(MINI / "queries" / "projects-in.rq", tmp_path)
    (tmp_path / "unselected.rq").write_text(UNSELECTED, encoding="utf-8")
    with pytest.raises(queries.HeaderError) as caught:
        queries.registry(tmp_path)
    message = str(caught.value)
    assert f"{tmp_path / 'unselected.rq'}: parameter 'day'" in message
    assert "must be selected" in message
    # fixed, the file is read again
    (tmp_path / "unselected.rq").write_text(UNSELECTED.replace("?s WHERE", "?s ?day WHERE"),
                                            encoding="utf-8")
    assert sorted(queries.registry(tmp_path)) == ["projects-in", "unselected"]


def test_registry_refuses_a_query_that_does_not_parse(tmp_path):
    (tmp_path / "broken.rq").write_text("# title: Broken\nSELECT ?s WHERE { ?s ?p\n",
                                        encoding="utf-8")
    with pytest.raises(queries.HeaderError, match=r"broken\.rq: error at \d+:\d+"):
        queries.registry(tmp_path)
