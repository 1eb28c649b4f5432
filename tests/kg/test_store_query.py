"""kg.store.query: the capped SELECT fast path agrees with a term-by-term writer."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest

from kg.store import Store
from kg.store.query import _solutions, run_query

TRIG = b"""
<http://x/g> {
  <http://x/a> <http://x/label> "plain" , "with, comma" , "line\\nbreak" , "quote \\"q\\"" .
  <http://x/b> <http://x/label> "deux"@fr , "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
  <http://x/c> <http://x/label> "<result>" , _:blank , "},{\\"s\\":{\\"type\\":\\"uri" .
}
"""
ALL = "SELECT ?s ?o WHERE { ?s <http://x/label> ?o } ORDER BY ?s ?o"


@pytest.fixture(scope="module")
def store():
    from kg.store import RdfFormat

    s = Store()
    s.load(TRIG, format=RdfFormat.TRIG)
    return s


def rows_of(body: bytes, fmt: str) -> list:
    if fmt == "json":
        doc = json.loads(body)
        return [sorted((k, v["value"]) for k, v in b.items()) for b in doc["results"]["bindings"]]
    if fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ElementTree.fromstring(body)
        return [sorted((b.get("name"), "".join(b.itertext())) for b in r.iter(ns + "binding"))
                for r in root.iter(ns + "result")]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode(), newline="")))[1:]
    return body.decode().split("\n")[1:-1]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("cap", [1, 4, 8, 9, 10, 100])
def test_fast_path_matches_term_by_term(store, fmt, cap):
    answer = run_query(store, ALL, result_format=fmt, graph_format=None, max_rows=cap,
                       union_default_graph=True)
    reference = _solutions(store.query(ALL, use_default_graph_as_union=True), fmt, cap)
    assert (answer.rows, answer.truncated) == (reference.rows, reference.truncated)
    assert answer.rows == min(cap, 9) and answer.truncated == (cap < 9)
    assert rows_of(answer.body, fmt) == rows_of(reference.body, fmt)
    if fmt == "json":
        assert json.loads(answer.body)["truncated"] is answer.truncated


@pytest.mark.parametrize("query, rows, truncated", [
    (ALL + " LIMIT 2", 2, False),
    (ALL + " LIMIT 50", 3, True),
    ("SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <http://x/a> <http://x/b> }", 3, True),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 5 } }", 3, True),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", 1, False),
])
def test_caps_and_limits(store, query, rows, truncated):
    answer = run_query(store, query, result_format="json", graph_format=None, max_rows=3,
                       union_default_graph=True)
    assert (answer.rows, answer.truncated) == (rows, truncated)
    assert len(json.loads(answer.body)["results"]["bindings"]) == rows


def test_syntax_errors_name_the_users_text(store):
    from kg.store.query import QuerySyntaxError

    with pytest.raises(QuerySyntaxError) as info:
        run_query(store, "SELECT * WHERE {\n ?s ?p }", result_format="json", graph_format=None,
                  max_rows=3)
    assert info.value.line == 2


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("cap", [2, 50])
def test_rows_with_no_bound_variable(store, fmt, cap):
    q = "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://x/none> ?x } }"
    answer = run_query(store, q, result_format=fmt, graph_format=None, max_rows=cap)
    assert (answer.rows, answer.truncated) == (min(cap, 9), cap < 9)
    assert len(rows_of(answer.body, fmt)) == answer.rows


def test_bounded_queries_answer_like_the_others(store, monkeypatch):
    from kg.store import query

    one = "SELECT ?o WHERE { <http://x/a> <http://x/label> ?o }"
    common = {"result_format": "json", "max_rows": 10}
    bounded = query.run_bounded(store, one, **common)
    assert bounded is not None and bounded.rows == 4 and not bounded.truncated
    assert bounded.body == run_query(store, one, graph_format=None, **common).body
    # not one pattern: the caller runs it in a worker
    assert query.run_bounded(store, ALL, **common) is None
    # more rows than a bounded query may give: the worker answers, with the real row cap…
    monkeypatch.setattr(query, "BOUNDED_ROWS", 2)
    assert query.run_bounded(store, one, **common) is None
    # …unless the row cap is the smaller: then the cut answer is the answer
    capped = query.run_bounded(store, one, result_format="json", max_rows=2)
    assert capped.rows == 2 and capped.truncated
