"""The SHACL shapes (ontology/shapes.ttl), run with pyshacl.

A small conforming graph (fixtures/valid.ttl) conforms; each broken variant of it, made by one
SPARQL Update, fails with the expected message on the expected focus node. Every message of
the shapes is expected by at least one case, so no shape goes untested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from kg.config import Settings
from kg.namespaces import KIND
from kg.namespaces import PREFIXES as KNOWN_PREFIXES

SH = Namespace(KNOWN_PREFIXES["sh"])
EX = "https://example.org/kg/"
FIXTURE = Path(__file__).parent / "fixtures" / "valid.ttl"

# The fixture's entities: one prefix per kind (source:report, event:hack…).
ENTITY_KINDS = (
    "source",
    "event",
    "session",
    "project",
    "organisation",
    "person",
    "place",
    "topic",
    "outcome",
)
PREFIXES = (
    f"PREFIX bh: <{KNOWN_PREFIXES['bh']}>\nPREFIX xsd: <{KNOWN_PREFIXES['xsd']}>\n"
    + "".join(f"PREFIX {kind}: <{EX}{kind}/>\n" for kind in ENTITY_KINDS)
)
FIGURE = f"<{EX}event/hack/figure/participants>"


def _replace(node: str, prop: str, value: str) -> str:
    return f"DELETE {{ {node} {prop} ?v }} INSERT {{ {node} {prop} {value} }} WHERE {{ {node} {prop} ?v }}"


# fmt: off
# (case id, SPARQL Update applied to the valid graph, focus node, expected message start)
CASES = [
    # events
    ("event-without-name", "DELETE WHERE { event:hack bh:name ?n }", "event:hack",
     "An event must have a name"),
    ("event-without-kind", "DELETE WHERE { event:hack bh:eventKind ?k }", "event:hack",
     "An event must have exactly one kind"),
    ("event-kind-of-other-scheme",
     _replace("event:hack", "bh:eventKind", f"<{KIND}session-kinds/workshop>"),
     "event:hack", "An event's kind (bh:eventKind) must be a concept of the event-kinds"),
    ("event-without-start", "DELETE WHERE { event:earlier bh:startDate ?d }", "event:earlier",
     "An event must have exactly one first day"),
    ("event-start-as-datetime",
     _replace("event:hack", "bh:startDate", '"2024-01-09T09:00:00+01:00"^^xsd:dateTime'),
     "event:hack", "An event's first day (bh:startDate) must be an xsd:date"),
    ("event-two-ends", 'INSERT DATA { event:hack bh:endDate "2024-01-11"^^xsd:date }',
     "event:hack", "An event has at most one last day"),
    ("event-end-as-string", _replace("event:hack", "bh:endDate", '"2024-01-10"'),
     "event:hack", "An event's last day (bh:endDate) must be an xsd:date"),
    ("event-ends-before-start", _replace("event:hack", "bh:endDate", '"2024-01-08"^^xsd:date'),
     "event:hack", "An event must not end before it starts"),
    ("event-part-of-a-session", "INSERT DATA { event:earlier bh:partOfEvent session:demo }",
     "event:earlier", "An event is part of at most one other event"),
    ("event-follows-a-project", "INSERT DATA { event:hack bh:follows project:tool }",
     "event:hack", "An event follows another event"),
    ("event-venue-not-a-place", _replace("event:hack", "bh:venue", "organisation:agency"),
     "event:hack", "An event has at most one venue"),
    ("figure-not-a-figure", "INSERT DATA { event:hack bh:figure event:earlier }",
     "event:hack", "An event's figure (bh:figure) must be a bh:Figure"),
    # sessions
    ("session-without-event", "DELETE WHERE { session:demo bh:partOfEvent ?e }",
     "session:demo", "A session must belong to exactly one event"),
    ("session-with-two-events", "INSERT DATA { session:demo bh:partOfEvent event:earlier }",
     "session:demo", "A session must belong to exactly one event"),
    ("session-event-not-an-event", _replace("session:demo", "bh:partOfEvent", "project:tool"),
     "session:demo", "A session's event (bh:partOfEvent) must be a bh:Event"),
    ("session-without-title", "DELETE WHERE { session:demo bh:name ?n }", "session:demo",
     "A session must have a title"),
    ("session-without-kind", "DELETE WHERE { session:demo bh:sessionKind ?k }",
     "session:demo", "A session must have exactly one kind"),
    ("session-kind-of-other-scheme",
     _replace("session:demo", "bh:sessionKind", f"<{KIND}event-kinds/workshop>"),
     "session:demo", "A session's kind (bh:sessionKind) must be a concept of the session-kinds"),
    ("session-without-start", "DELETE WHERE { session:demo bh:startDate ?d }",
     "session:demo", "A session must have exactly one start time"),
    ("session-start-without-offset",
     _replace("session:demo", "bh:startDate", '"2024-01-09T14:00:00"^^xsd:dateTime'),
     "session:demo", "A session's start (bh:startDate) must be an xsd:dateTime with a UTC offset"),
    ("session-start-as-date", _replace("session:demo", "bh:startDate", '"2024-01-09"^^xsd:date'),
     "session:demo", "A session's start (bh:startDate) must be an xsd:dateTime"),
    ("session-two-ends",
     'INSERT DATA { session:demo bh:endDate "2024-01-09T15:30:00+01:00"^^xsd:dateTime }',
     "session:demo", "A session has at most one end time"),
    ("session-end-as-string", _replace("session:demo", "bh:endDate", '"15h"'),
     "session:demo", "A session's end (bh:endDate) must be an xsd:dateTime"),
    ("session-ends-before-start",
     _replace("session:demo", "bh:endDate", '"2024-01-09T13:00:00+01:00"^^xsd:dateTime'),
     "session:demo", "A session must end after it starts"),
    ("session-ends-when-it-starts",
     _replace("session:demo", "bh:endDate", '"2024-01-09T14:00:00+01:00"^^xsd:dateTime'),
     "session:demo", "A session must end after it starts"),
    ("session-outside-event-days",
     _replace("session:demo", "bh:startDate", '"2024-01-11T14:00:00+01:00"^^xsd:dateTime')
     + " ; DELETE WHERE { session:demo bh:endDate ?e }",
     "event:hack", "Every session of an event must take place within the event's days"),
    ("session-room-not-a-place", _replace("session:demo", "bh:room", "person:ada"),
     "session:demo", "A session has at most one room"),
    ("session-project-not-a-project", "INSERT DATA { session:demo bh:aboutProject topic:ai }",
     "session:demo", "A session's project (bh:aboutProject) must be a bh:SoftwareProject"),
    # projects
    ("project-without-name", "DELETE WHERE { project:tool bh:name ?n }", "project:tool",
     "A project must have a name"),
    ("project-two-kinds",
     f"INSERT DATA {{ project:tool bh:projectKind <{KIND}project-kinds/library> }}",
     "project:tool", "A project has at most one kind"),
    ("project-licence-as-iri",
     _replace("project:tool", "bh:licence", "<https://spdx.org/licenses/MIT>"),
     "project:tool", "A project has at most one licence"),
    ("project-uses-a-person", "INSERT DATA { project:tool bh:uses person:ada }",
     "project:tool", "A project's related project"),
    ("project-contact-an-organisation", _replace("project:tool", "bh:contact", "organisation:agency"),
     "project:tool", "A project's contact (bh:contact) must be a bh:Person"),
    # organisations, people, agents
    ("organisation-without-name", "DELETE WHERE { organisation:agency bh:name ?n }",
     "organisation:agency", "An organisation must have a name"),
    ("organisation-kind-of-other-scheme",
     _replace("organisation:agency", "bh:organisationKind", f"<{KIND}place-kinds/city>"),
     "organisation:agency", "An organisation has at most one kind"),
    ("organisation-bad-siren", _replace("organisation:agency", "bh:siren", '"123 456 789"'),
     "organisation:agency", "An organisation has at most one SIREN number"),
    ("organisation-parent-a-place",
     "INSERT DATA { organisation:agency bh:subOrganisationOf place:city }",
     "organisation:agency", "An organisation's parent (bh:subOrganisationOf)"),
    ("person-without-name", "DELETE WHERE { person:ada bh:name ?n }", "person:ada",
     "A person must have a name"),
    ("person-affiliated-to-a-person", _replace("person:ada", "bh:affiliation", "person:ada"),
     "person:ada", "A person's affiliation (bh:affiliation) must be a bh:Organisation"),
    ("organiser-a-place", _replace("event:hack", "bh:organiser", "place:hall"),
     "place:hall", "An organiser, facilitator, speaker, participant or developer"),
    # places, topics
    ("place-without-name", "DELETE WHERE { place:room bh:name ?n }", "place:room",
     "A place must have a name"),
    ("place-without-kind", "DELETE WHERE { place:room bh:placeKind ?k }", "place:room",
     "A place must have exactly one kind"),
    ("place-kind-as-string", _replace("place:room", "bh:placeKind", '"room"'),
     "place:room", "A place's kind (bh:placeKind) must be a concept of the place-kinds"),
    ("place-in-two-places", "INSERT DATA { place:room bh:containedInPlace place:city }",
     "place:room", "A place is contained in at most one place"),
    ("topic-without-label", "DELETE WHERE { topic:ai bh:prefLabel ?l }", "topic:ai",
     "A topic must have a label"),
    ("topic-two-french-labels", 'INSERT DATA { topic:ai bh:prefLabel "IA"@fr }', "topic:ai",
     "A topic must have a label (bh:prefLabel), at most one per language"),
    ("topic-broader-not-a-topic", "INSERT DATA { topic:ai bh:broader project:tool }",
     "topic:ai", "A topic's broader topic (bh:broader) must be a bh:Topic"),
    # outcomes, sources, figures
    ("outcome-without-title", "DELETE WHERE { outcome:proto bh:name ?n }", "outcome:proto",
     "An outcome must have a title"),
    ("outcome-without-kind", "DELETE WHERE { outcome:proto bh:outcomeKind ?k }",
     "outcome:proto", "An outcome must have exactly one kind"),
    ("outcome-kind-of-other-scheme",
     _replace("outcome:proto", "bh:outcomeKind", f"<{KIND}project-kinds/software>"),
     "outcome:proto", "An outcome's kind (bh:outcomeKind) must be a concept of the outcome-kinds"),
    ("issue-without-url", "DELETE WHERE { outcome:issue-1 bh:url ?u }", "outcome:issue-1",
     "An outcome other than a prototype or a contribution must have a URL"),
    ("outcome-of-a-session", "INSERT DATA { outcome:proto bh:outcomeOf session:demo }",
     "outcome:proto", "An outcome's project (bh:outcomeOf) must be a bh:SoftwareProject"),
    ("source-without-title", "DELETE WHERE { source:report bh:name ?n }", "source:report",
     "A source document must have a title"),
    ("figure-without-quantity", f"DELETE WHERE {{ {FIGURE} bh:quantity ?q }}", FIGURE,
     "A figure must have exactly one quantity"),
    ("figure-quantity-as-string", _replace(FIGURE, "bh:quantity", '"about forty"'), FIGURE,
     "A figure must have exactly one quantity (bh:quantity), an xsd:decimal"),
    ("figure-without-measure", f"DELETE WHERE {{ {FIGURE} bh:measure ?m }}", FIGURE,
     "A figure must say what it counts"),
    ("figure-unknown-qualifier", _replace(FIGURE, "bh:qualifier", '"roughly"'), FIGURE,
     "A figure's qualifier (bh:qualifier) must be one of"),
    # every entity
    ("entity-without-source", "DELETE WHERE { person:ada bh:source ?s }", "person:ada",
     "An entity must cite its source document"),
    ("entity-source-not-a-document", _replace("place:city", "bh:source", "event:hack"),
     "place:city", "An entity's source (bh:source) must be a bh:SourceDocument"),
    ("entity-without-section", "DELETE WHERE { outcome:proto bh:sourceSection ?s }",
     "outcome:proto", "An entity must name the section of its source"),
    ("source-without-section", "DELETE WHERE { source:report bh:sourceSection ?s }",
     "source:report", "An entity must name the section of its source"),
    ("name-in-english-only", _replace("project:tool", "bh:name", '"Tool"@en'), "project:tool",
     "An entity whose names (bh:name) are language-tagged must have a French one"),
    ("names-in-english-and-plain", 'INSERT DATA { person:ada bh:name "Ada L."@en }',
     "person:ada", "An entity whose names (bh:name) are language-tagged must have a French one"),
    ("label-in-english-only",
     'DELETE DATA { topic:ai bh:prefLabel "intelligence artificielle"@fr }', "topic:ai",
     "A topic must have a French label"),
    ("website-as-literal", _replace("event:hack", "bh:website", '"https://example.org/hack"'),
     '"https://example.org/hack"', "A web address"),
    ("repository-not-http", _replace("project:tool", "bh:repository", "<ftp://example.org/tool>"),
     "<ftp://example.org/tool>", "A web address"),
    ("same-as-not-wikidata",
     _replace("project:tool", "bh:sameAs", "<https://www.wikidata.org/wiki/Q7397>"),
     "<https://www.wikidata.org/wiki/Q7397>", "bh:sameAs must point to a Wikidata item IRI"),
]
# fmt: on


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(Settings().ontology_dir / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(FIXTURE, format="turtle")


def _results(data: Graph, shapes: Graph) -> tuple[bool, list[tuple[str, str]]]:
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", inplace=True)
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        results.append(
            (report.value(result, SH.focusNode), str(report.value(result, SH.resultMessage)))
        )
    return conforms, results


def _node(text: str, g: Graph):
    """A focus node written as in CASES (prefixed name, <iri> or "literal") as an RDF term."""
    if text.startswith('"'):
        return Literal(text.strip('"'))
    if text.startswith("<"):
        return URIRef(text[1:-1])
    prefix, local = text.split(":", 1)
    return URIRef(f"{EX}{prefix}/{local}")


def test_valid_graph_conforms(valid, shapes):
    data = Graph()
    data += valid
    conforms, results = _results(data, shapes)
    assert conforms, results


def test_issue_without_url_but_with_a_note_conforms(valid, shapes):
    """The source names an issue without its link: a note says so, no URL is invented."""
    data = Graph()
    data += valid
    data.update(
        PREFIXES + "DELETE WHERE { outcome:issue-1 bh:url ?u } ;"
        ' INSERT DATA { outcome:issue-1 bh:editorialNote "Le document ne donne pas le lien."@fr }'
    )
    conforms, results = _results(data, shapes)
    assert conforms, results


@pytest.mark.parametrize("update,focus,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_graph_fails_with_message(valid, shapes, update, focus, message):
    data = Graph()
    data += valid
    data.update(PREFIXES + update)
    assert set(data) != set(valid), "the update changed nothing"
    conforms, results = _results(data, shapes)
    assert not conforms
    node = _node(focus, data)
    matching = [m for f, m in results if f == node and m.startswith(message)]
    assert matching, f"expected {message!r} on {focus}, got {results}"


def test_every_message_is_expected_by_a_case(shapes):
    messages = {str(m) for m in shapes.objects(None, SH.message)}
    untested = {m for m in messages if not any(m.startswith(c[3]) for c in CASES)}
    assert not untested, untested


def test_every_shape_has_an_english_message(shapes):
    constrained = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    constrained |= {
        s
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if not any(True for _ in shapes.objects(s, SH.property))
        and not any(True for _ in shapes.objects(s, SH.sparql))
    }
    for node in constrained:
        assert any(m.language == "en" for m in shapes.objects(node, SH.message)), node
