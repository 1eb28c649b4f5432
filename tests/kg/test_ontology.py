"""Reading ontology/: kind concepts, shapes apart, blank nodes named the same on every read."""

from __future__ import annotations

import pytest
from rdflib import BNode

from kg import ontology
from tests.builds import MINI

KIND = "https://w3id.org/bluehats-kg/ontology/kind/"


def test_concepts_and_shapes():
    onto = ontology.load(MINI / "ontology")
    assert onto.concepts() == {
        KIND + "event-kinds/garagethon", KIND + "session-kinds/workshop",
        KIND + "place-kinds/venue", KIND + "place-kinds/room",
    }
    assert len(onto.shapes) > 0
    assert [p.name for p in onto.files] == ["bluehats.ttl", "kinds.ttl", "shapes.ttl"]


def test_blank_nodes_get_the_same_names_on_every_read():
    def bnodes():
        g = ontology.load(MINI / "ontology").graph
        return sorted(str(n) for t in g for n in t if isinstance(n, BNode))

    first = bnodes()
    assert first and first == bnodes()


def test_bad_turtle_names_the_file(tmp_path):
    (tmp_path / "bluehats.ttl").write_text("@prefix : <http://x/> .\n:a :b .\n")
    with pytest.raises(ontology.OntologyError, match="bluehats.ttl: not valid Turtle"):
        ontology.load(tmp_path)
