"""The review file: reading with errors that name the line, and the build's hook that turns
accepted links into sameAs triples (so that the entity answers to Wikidata's identifiers)."""

import shutil

import pytest

from kg.namespaces import BH, OWL, SCHEMA, WD, WDT
from kg.reconcile.review import Review, ReviewError, accepted_links, path_in
from tests.builds import MINI, mini_settings
from tests.reconcile.published import REVIEW, write


def test_reading(tmp_path):
    path = write(tmp_path, REVIEW)
    review = Review.load(path)
    assert [(link.entity, link.qid, link.line) for link in review.accepted()] == [
        ("project/django", "Q842014", 6)]
    assert review.rejected("project/django") == {"Q7397"}
    assert review.wants_creation("project/flopedt") and not review.wants_creation("project/django")
    assert accepted_links(tmp_path, "https://example.org/") == [
        ("https://example.org/project/django", WD + "Q842014")]
    # written back unchanged, comments included
    review.save()
    assert path.read_text() == REVIEW


def test_missing_file_is_empty(tmp_path):
    assert Review.load(path_in(tmp_path)).accepted() == []
    assert accepted_links(tmp_path, "https://example.org/") == []


@pytest.mark.parametrize("text, where, message", [
    ("entities: [1]\n", 1, "`entities` must be a mapping"),
    ("entities: {}\nlinks: []\n", 2, "unknown key `links`"),
    ("entities:\n  Project/X:\n    create: true\n", 2, "is not kind/id"),
    ("entities:\n  project/x:\n    candidates:\n      - qid: 42\n", 4, "needs `qid: Q…`"),
    ("entities:\n  project/x:\n    candidates:\n      - qid: Q1\n        decision: yes\n", 5,
     "`yes` is not accept, reject or empty"),
    ("entities:\n  project/x:\n    create: maybe\n", 3, "create: true or false"),
    (("entities:\n  project/x:\n    candidates:\n      - {qid: Q1, decision: accept}\n"
      "      - {qid: Q2, decision: accept}\n"), 2, "more than one accepted candidate (Q1, Q2)"),
    ("entities:\n  project/x: [\n", 3, "not valid YAML"),
])
def test_errors_name_file_and_line(tmp_path, text, where, message):
    path = write(tmp_path, text)
    with pytest.raises(ReviewError) as e:
        Review.load(path)
    assert str(e.value).startswith(f"{path}:{where}")
    assert message in str(e.value)


def test_build_adds_sameas_for_accepted_links_only(linked_build):
    from kg.store import NamedNode, current_build, open_read_only

    store = open_read_only(current_build(linked_build.var_dir) / "store")
    django = NamedNode(linked_build.base_iri + "project/django")
    graph = NamedNode(linked_build.base_iri + "graph/wikidata-reconciliation")
    same = {(q.predicate.value, q.object.value) for q in store.quads_for_pattern(django, None, None, graph)}
    assert same == {(p, WD + "Q842014") for p in (BH + "sameAs", OWL + "sameAs", SCHEMA + "sameAs")}
    flopedt = NamedNode(linked_build.base_iri + "project/flopedt")
    assert not list(store.quads_for_pattern(flopedt, NamedNode(OWL + "sameAs"), None, None))
    # the review file was not read as data
    assert not list(store.quads_for_pattern(None, None, None, NamedNode(linked_build.base_iri + "graph/reconciliation")))
    # the entity answers to Wikidata's identifiers: wdt: triples about wd:Q842014
    rows = {(r["p"].value, r["o"].value) for r in store.query(
        "SELECT ?p ?o WHERE { <http://www.wikidata.org/entity/Q842014> ?p ?o }",
        use_default_graph_as_union=True)}
    assert (WDT + "P277", WD + "Q28865") in rows
    assert (WDT + "P1324", "https://github.com/django/django") in rows
    # and FlOpEDT's technology is that item
    uses = {r["o"].value for r in store.query(
        f"SELECT ?o WHERE {{ <{flopedt.value}> <{BH}usesTechnology> ?t . ?t <{OWL}sameAs> ?o }}",
        use_default_graph_as_union=True)}
    assert uses == {WD + "Q842014"}


def test_build_rejects_a_link_to_a_missing_entity(tmp_path):
    from kg.build import build
    from kg.errors import UserError

    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    path = write(data, "entities:\n  project/nope:\n    candidates:\n      - {qid: Q1, decision: accept}\n")
    with pytest.raises(UserError, match=f"{path}:4: project/nope: no such entity"):
        build(mini_settings(tmp_path / "var", data_dir=data))
    assert not (tmp_path / "var" / "current").exists()
