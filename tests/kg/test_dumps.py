"""The dumps: every format holds the same triples, and the bytes do not depend on input order."""

from __future__ import annotations

import json
import random

from rdflib import Dataset, Graph

from kg.dumps import FILES
from kg.namespaces import data_prefixes
from kg.store import open_read_only
from kg.store.serializer import Sorted, dump


def test_every_dump_parses_back_to_the_same_triples(mini):
    dumps = mini.path / "dumps"
    manifest = json.loads((mini.path / "manifest.json").read_text())
    graphs = {
        ext: Graph().parse(
            dumps / name,
            format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}[ext],
        )
        for ext, name in FILES.items()
        if ext != "trig"
    }
    for g in graphs.values():
        assert len(g) == manifest["triples"]
    ds = Dataset()
    ds.parse(dumps / FILES["trig"], format="trig")
    per_graph = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert per_graph == manifest["graphs"]


def test_turtle_uses_the_fixed_prefixes(mini):
    text = (mini.path / "dumps" / FILES["ttl"]).read_text()
    header = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert header == sorted(header)
    assert "@prefix schema: <https://schema.org/> ." in header
    assert "project:onyxia" in text


def test_dump_bytes_do_not_depend_on_quad_order(mini):
    store = open_read_only(mini.path / "store")
    quads = list(store.quads_for_pattern(None, None, None, None))
    shuffled = quads[:]
    random.Random(7).shuffle(shuffled)
    prefixes = data_prefixes(mini.settings.base_iri)
    for ext in ("ttl", "nt", "jsonld", "trig", "nq"):
        assert dump(Sorted(quads), ext, prefixes) == dump(Sorted(shuffled), ext, prefixes), ext
