"""SHACL checks: the report names the focus node in prefixed form, the path and the record's place."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.checks import needed_predicates, reduced, run
from kg.config import Settings
from tests.ontology.test_shapes import CASES, ENTITY_KINDS, EX, FIXTURE
from tests.ontology.test_shapes import PREFIXES as CASE_PREFIXES

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix bh: <https://w3id.org/bluehats-kg/ontology/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
SHAPES = PREFIXES + """
bh:S a sh:NodeShape ; sh:targetClass bh:Session ;
  sh:property [ sh:path bh:startDate ; sh:minCount 1 ; sh:datatype xsd:dateTime ;
                sh:message "a session has a start" ] .
bh:A a sh:NodeShape ; sh:targetClass bh:Agent ;
  sh:property [ sh:path bh:name ; sh:minCount 1 ] .
"""
ONTOLOGY = PREFIXES + "bh:Person rdfs:subClassOf bh:Agent ."
PREFIX_MAP = {"bh": "https://w3id.org/bluehats-kg/ontology/",
              "session": "https://w3id.org/bluehats-kg/session/"}


def graph(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def test_conforming_graph():
    data = graph('<https://w3id.org/bluehats-kg/session/s> a bh:Session ; '
                 'bh:startDate "2024-01-09T14:00:00+01:00"^^xsd:dateTime .')
    report = run(data, graph(SHAPES), graph(ONTOLOGY))
    assert report.conforms and report.results == []
    assert "conforms" in report.text()


def test_violations_are_readable_and_located():
    data = graph('<https://w3id.org/bluehats-kg/session/s> a bh:Session ; '
                 'bh:startDate "2024-01-09"^^xsd:date .\n'
                 '<https://w3id.org/bluehats-kg/person/p> a bh:Person .')
    locations = {"https://w3id.org/bluehats-kg/session/s": "data/sessions.yaml:3"}
    report = run(data, graph(SHAPES), graph(ONTOLOGY), prefixes=PREFIX_MAP, locations=locations)
    assert not report.conforms
    lines = report.text().splitlines()
    assert lines[-1] == "The graph does not conform: 2 violation(s)."
    assert ("data/sessions.yaml:3: Violation: session:s bh:startDate: a session has a start "
            '(value: "2024-01-09")') in lines
    # the person is an agent through the ontology's subclass statement
    assert any(line.startswith("Violation: <https://w3id.org/bluehats-kg/person/p> bh:name")
               for line in lines)


def test_no_shapes_is_said():
    report = run(graph(""), Graph())
    assert report.conforms and "No SHACL shapes" in report.text()


SPARQL_SHAPE = PREFIXES + '''
bh:Days a sh:NodeShape ; sh:targetClass bh:Event ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "session outside the event's day" ;
    sh:select """SELECT $this ?value WHERE {
        $this <https://w3id.org/bluehats-kg/ontology/startDate> ?day .
        ?value <https://w3id.org/bluehats-kg/ontology/partOfEvent> $this ;
               <https://w3id.org/bluehats-kg/ontology/startDate> ?start .
        FILTER (SUBSTR(STR(?start), 1, 10) != STR(?day)) }""" ] .
'''


def test_sparql_constraints_are_checked_for_every_focus_node():
    """Each SPARQL text is parsed once (kg.checks._prepared_queries): the bindings of every
    focus node must still be its own."""
    events = []
    for n in range(6):
        events.append(f'<http://x/e{n}> a bh:Event ; bh:startDate "2024-01-0{n + 1}" .')
        day = n + 1 if n % 2 == 0 else n + 2  # odd events have a session on the wrong day
        events.append(f'<http://x/s{n}> bh:partOfEvent <http://x/e{n}> ; '
                      f'bh:startDate "2024-01-0{day}T10:00:00+01:00" .')
    report = run(graph("\n".join(events)), graph(SPARQL_SHAPE))
    assert not report.conforms
    assert sorted((v.focus, v.value) for v in report.results) == [
        ("<http://x/e1>", "<http://x/s1>"), ("<http://x/e3>", "<http://x/s3>"),
        ("<http://x/e5>", "<http://x/s5>")]


def test_warnings_are_listed_but_the_graph_conforms():
    shapes = graph('bh:W a sh:NodeShape ; sh:targetClass bh:Session ; sh:property [ sh:path bh:room ;'
                   ' sh:minCount 1 ; sh:severity sh:Warning ; sh:message "no room" ] .')
    report = run(graph("<http://x/s> a bh:Session ."), shapes)
    assert report.conforms
    assert report.text().splitlines() == [
        "Warning: <http://x/s> bh:room: no room",
        "The graph conforms to the SHACL shapes (1 warning(s) or note(s)).",
    ]


# --- the two engines (kg.checks.ENGINES) give the same verdict and the same results ---------

CASE_PREFIX_MAP = {kind: f"{EX}{kind}/" for kind in ENTITY_KINDS}


def located(report) -> set[tuple[str, str, str]]:
    return {(v.focus, v.path, v.severity) for v in report.results}


def assert_same_results(data, shapes, ontology=None, prefixes=CASE_PREFIX_MAP):
    """pyshacl on the whole graph, pyshacl-turbo on the triples the shapes can look at."""
    reference = run(data, shapes, ontology, prefixes=prefixes, engine="pyshacl", reduce=False)
    turbo = run(data, shapes, ontology, prefixes=prefixes, engine="pyshacl-turbo", reduce=True)
    assert turbo.conforms == reference.conforms
    assert located(turbo) == located(reference)
    # every result of the reference, message and value included; pyshacl-turbo may add a
    # sh:lessThan result where the values cannot be compared (see kg.checks), on a focus node
    # and path that already have one
    assert set(reference.results) <= set(turbo.results)
    return turbo


@pytest.fixture(scope="module")
def real_shapes() -> Graph:
    return Graph().parse(Settings().ontology_dir / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def valid_fixture() -> Graph:
    return Graph().parse(FIXTURE, format="turtle")


@pytest.mark.parametrize("update", [None] + [c[1] for c in CASES],
                         ids=["valid"] + [c[0] for c in CASES])
def test_engines_agree_on_every_fixture_of_the_shapes(real_shapes, valid_fixture, update):
    data = Graph()
    data += valid_fixture
    if update:
        data.update(CASE_PREFIXES + update)
    report = assert_same_results(data, real_shapes)
    assert report.conforms == (update is None)


def test_engines_agree_on_n_triples_and_on_the_ontology_graph():
    """The build hands N-Triples bytes; the ontology is validated with the data."""
    data = graph('<https://w3id.org/bluehats-kg/session/s> a bh:Session ; '
                 'bh:startDate "2024-01-09"^^xsd:date .\n'
                 '<https://w3id.org/bluehats-kg/person/p> a bh:Person .')
    nt = data.serialize(format="nt", encoding="utf-8")
    report = assert_same_results(nt, graph(SHAPES), graph(ONTOLOGY), prefixes=PREFIX_MAP)
    assert sorted(located(report)) == [
        ("<https://w3id.org/bluehats-kg/person/p>", "bh:name", "Violation"),
        ("session:s", "bh:startDate", "Violation"),
    ]


def test_engines_agree_on_the_real_build(built):
    """The whole published graph (its N-Triples dump: every graph, the ontology's included)."""
    nt = (built.path / "dumps" / "graph.nt").read_bytes()
    shapes = Graph().parse(built.settings.ontology_dir / "shapes.ttl", format="turtle")
    report = assert_same_results(nt, shapes, prefixes=PREFIX_MAP)
    assert report.conforms


def test_engines_agree_on_the_real_build_broken_in_many_places(built):
    """Every third name, source, section and date removed: many results of many shapes."""
    lines = (built.path / "dumps" / "graph.nt").read_bytes().splitlines(keepends=True)
    dropped = (b"/ontology/name>", b"/ontology/source>", b"/ontology/sourceSection>",
               b"/ontology/startDate>", b"/ontology/partOfEvent>")
    kept, n = [], 0
    for line in lines:
        if any(p in line for p in dropped):
            n += 1
            if n % 3 == 0:
                continue
        kept.append(line)
    shapes = Graph().parse(built.settings.ontology_dir / "shapes.ttl", format="turtle")
    report = assert_same_results(b"".join(kept), shapes, prefixes=PREFIX_MAP)
    assert not report.conforms
    assert len({v.message for v in report.results}) >= 5


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        run(graph(""), graph(SHAPES), engine="jena")


BH = "https://w3id.org/bluehats-kg/ontology/"


def test_the_shapes_need_their_own_predicates_types_and_subclasses(real_shapes):
    needed = needed_predicates(real_shapes)
    assert {BH + "name", BH + "partOfEvent", BH + "sameAs",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            "http://www.w3.org/2000/01/rdf-schema#subClassOf"} <= needed
    assert "https://schema.org/name" not in needed and BH + "keyword" not in needed


def test_the_predicates_of_sparql_constraints_are_needed():
    needed = needed_predicates(graph(SPARQL_SHAPE))
    assert {BH + "startDate", BH + "partOfEvent"} <= needed


@pytest.mark.parametrize("shape", [
    # every property of the focus node counts
    "bh:S a sh:NodeShape ; sh:targetClass bh:Session ; sh:closed true .",
    # a variable predicate, a negated property set
    'bh:S a sh:NodeShape ; sh:targetClass bh:Session ; sh:sparql [ sh:select '
    '"SELECT $this WHERE { $this ?p ?o }" ] .',
    'bh:S a sh:NodeShape ; sh:targetClass bh:Session ; sh:sparql [ sh:select '
    '"SELECT $this WHERE { $this !<http://x/p> ?o }" ] .',
    # rules and custom targets
    "bh:S a sh:NodeShape ; sh:rule [ a sh:TripleRule ] .",
])
def test_shapes_that_may_read_any_predicate_get_the_whole_graph(shape):
    assert needed_predicates(graph(shape)) is None


def test_reduced_keeps_the_needed_lines_and_what_it_cannot_read():
    text = (b"<http://x/s> <http://x/p> \"a b c\" .\n<http://x/s> <http://x/q> <http://x/o> .\n"
            b"# a comment\n\n")
    assert reduced(text, frozenset({"http://x/p"})) == (
        b"<http://x/s> <http://x/p> \"a b c\" .\n# a comment\n\n")
