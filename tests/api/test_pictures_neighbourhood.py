"""The neighbourhood diagram of an entity (``api/pictures/neighbourhood.py``, ``svg.py``) and
the ontology diagram (``ontology_diagram.py``): the model from the graph, grouping and counting
past a few dozen neighbours, escaping of hostile labels, the SVG and its text version on the
pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from api import i18n
from api.pictures import neighbourhood
from kg.namespaces import BH
from tests.api.web import BROWSER, built_app, make_var_dir  # noqa: F401

B = "https://w3id.org/bluehats-kg/"
SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '</title><script>alert("x")</script> & <b>bold</b>'
CROWD = 120


def words(key, **values):
    return i18n.text(key, "en", **values)


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # well-formed XML, or this fails
    assert root.tag == SVG_NS + "svg"
    assert not list(root.iter(SVG_NS + "script")), "no script element in a diagram"
    return ["".join(el.itertext()) for el in root.iter(SVG_NS + "text")]


@pytest.fixture(scope="module")
def graph(built):
    from kg.store import open_read_only
    from kg.store.describe import Graph

    return Graph(open_read_only(built.path / "store"), built.settings.base_iri)


def test_onyxia_neighbourhood_groups_sessions_people_and_technologies(graph, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    hood = neighbourhood.model(graph, B + "project/onyxia", "en")
    groups = {(g.direction, g.property): g for g in hood.groups}
    sessions = groups[("in", BH + "aboutProject")]
    assert {v.href for v in sessions.members} == {
        "/" + s[len(B):] for s in graph.subjects(BH + "aboutProject", B + "project/onyxia")}
    assert any(g.direction == "out" and "Kubernetes" in {v.text for v in g.members}
               for g in hood.groups)
    # every neighbour is one of our entities, linked to its page
    assert all(v.href.startswith("/") and not v.external for g in hood.groups for v in g.members)
    assert hood.count == sum(len(g.members) for g in hood.groups) > 10
    texts = " ".join(svg_texts(neighbourhood.draw(hood, words, "Software project")))
    assert "Onyxia" in texts and sessions.label in texts


def crowd_trig() -> bytes:
    people = "\n".join(f"  b:person\\/p{i:03d} a bh:Person ; rdfs:label \"Person {i:03d}\" ; "
                       f"bh:affiliation b:organisation\\/crowd ." for i in range(CROWD))
    projects = "\n".join(f"  b:project\\/x{i} a bh:SoftwareProject ; rdfs:label \"Project {i}\" ; "
                         f"bh:developer b:organisation\\/crowd ." for i in range(6))
    hostile = HOSTILE.replace('"', '\\"')
    return f"""
@prefix bh: <https://w3id.org/bluehats-kg/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix b: <{B}> .
<{B}graph/crowd> {{
  b:organisation\\/crowd a bh:Organisation ; rdfs:label "Crowd" ; bh:subOrganisationOf b:organisation\\/hostile .
  b:organisation\\/hostile a bh:Organisation ; rdfs:label "{hostile}" .
  b:project\\/evil a bh:SoftwareProject ; rdfs:label "{hostile}" ; bh:developer b:organisation\\/hostile .
{people}
{projects}
}}
<{B}graph/ontology> {{
  bh:affiliation rdfs:label "affiliation"@en , "affiliation"@fr .
  bh:developer rdfs:label "developer"@en , "développeur"@fr .
  bh:Organisation rdfs:label "Organisation"@en , "Organisation"@fr .
}}
""".encode()


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    from kg.store import open_read_only
    from kg.store.describe import Graph

    var = make_var_dir(tmp_path_factory.mktemp("crowd"), crowd_trig())
    return var, Graph(open_read_only(var / "current" / "store"), B)


def test_a_crowd_is_grouped_and_counted(crowd):
    _, graph = crowd
    hood = neighbourhood.model(graph, B + "organisation/crowd", "en")
    people = next(g for g in hood.groups if g.property == BH + "affiliation")
    assert len(people.members) == CROWD and people.shown <= neighbourhood.PER_GROUP
    assert sum(g.shown for g in hood.groups) <= neighbourhood.BUDGET
    svg = neighbourhood.draw(hood, words)
    texts = svg_texts(svg)
    assert f"… and {CROWD - people.shown} more" in texts
    assert "(120)" in [t.strip() for t in texts]  # the group's count, beside its name
    assert len([t for t in texts if t.startswith("Person ")]) == people.shown


def test_few_neighbours_are_all_shown():
    values = [neighbourhood.Group(BH + "p", "p", "out", [object()] * n) for n in (2, 5)]
    neighbourhood._budget(values, 8, 40)
    assert [g.shown for g in values] == [2, 5]
    ten = [neighbourhood.Group(BH + f"p{i}", "p", "out", [object()] * 30) for i in range(10)]
    neighbourhood._budget(ten, 8, 40)
    assert [g.shown for g in ten] == [4] * 10  # 40 in all
    many = [neighbourhood.Group(BH + f"p{i}", "p", "out", [object()] * 30) for i in range(20)]
    neighbourhood._budget(many, 8, 40)
    assert all(g.shown == neighbourhood.MIN_PER_GROUP for g in many)  # cut, but never empty


def test_hostile_labels_are_escaped_in_the_svg_and_the_page(crowd, app_for):
    var, graph = crowd
    hood = neighbourhood.model(graph, B + "project/evil", "en")
    svg = neighbourhood.draw(hood, words, "Project")
    assert "<script" not in svg and "<b>" not in svg
    assert any(HOSTILE[:30] in t for t in svg_texts(svg))  # shown as text, cut to fit
    client = app_for(var)
    page = client.get("/project/evil", headers={"accept": BROWSER, "accept-language": "en"})
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    alone = client.get("/project/evil/neighbourhood.svg", headers={"accept-language": "en"})
    assert alone.status_code == 200 and alone.headers["content-type"].startswith("image/svg+xml")
    assert "default-src 'none'" in alone.headers["content-security-policy"]
    root = ET.fromstring(alone.text)
    assert root.find(SVG_NS + "title").text == f"Diagram of the neighbourhood of {HOSTILE}: developer (1)."
    assert client.get("/project/nothing/neighbourhood.svg").status_code == 404


def test_entity_page_shows_the_diagram_with_a_text_version(built_app, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    page = built_app.get("/project/onyxia", headers={"accept": BROWSER, "accept-language": "fr"})
    assert page.status_code == 200
    html = page.text
    start = html.index('<section aria-labelledby="neighbourhood"')
    section = html[start:html.index("</section>", start)]
    assert '<svg' in section and 'role="img"' in section and 'aria-labelledby="neighbourhood-title"' in section
    assert '<title id="neighbourhood-title">Diagramme du voisinage de Onyxia' in section
    assert "<details" in section and 'href="/session/decouverte-onyxia"' in section
    assert 'tabindex="-1"' in section  # keyboards use the text version's links


# --- the ontology diagram ------------------------------------------------------------------


def test_ontology_diagram_shows_classes_properties_and_alignments(built_app, built):
    if not built.real:
        pytest.skip("needs the ontology of ontology/")
    r = built_app.get("/ontology/diagram.svg?lang=en")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    texts = " ".join(svg_texts(r.text))
    for expected in ("Event", "Session", "Software project", "Person", "Organisation",
                     "schema:Event", "wd:Q5", "organiser", "schema:organizer", "wd:P664"):
        assert expected in texts, expected
    page = built_app.get("/ontology/", headers={"accept": BROWSER, "accept-language": "en"})
    assert page.status_code == 200 and 'id="ontology-diagram"' in page.text
    # a property whose domain is a union (facilitator: Event or Session) is drawn for both
    start = page.text.index('<details class="diagram-text">')
    text_version = page.text[start:page.text.index("</details>", start)]
    assert text_version.count(">facilitator</a>") == 2


def test_without_graphviz_pages_still_work_and_svg_says_why(crowd, app_for, monkeypatch):
    var, _ = crowd
    client = app_for(var)
    monkeypatch.setenv("PATH", "/nonexistent")  # no `dot` to be found
    page = client.get("/organisation/crowd", headers={"accept": BROWSER, "accept-language": "en"})
    assert page.status_code == 200 and 'id="neighbourhood"' not in page.text
    alone = client.get("/organisation/crowd/neighbourhood.svg")
    assert alone.status_code == 503 and "graphviz" in alone.text.lower()
