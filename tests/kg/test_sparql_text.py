import pytest

from kg.sparql_text import add_using, calls_service, names_dataset, query_form


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", True),
    ("select * { service silent <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * { ?service <http://x/SERVICE> 'SERVICE' } # SERVICE", False),
    ('SELECT * { ?s ex:SERVICE """a SERVICE\nb""" }', False),
    ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", False),
])
def test_calls_service(text, expected):
    assert calls_service(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("PREFIX a: <http://x/ASK> # SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("ask {}", "ASK"),
    ("BASE <http://x/> DESCRIBE <y>", "DESCRIBE"),
    ("INSERT DATA {}", None),
])
def test_query_form(text, expected):
    assert query_form(text) == expected


def test_names_dataset_only_at_top_level():
    assert names_dataset("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert names_dataset("DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }")
    assert not names_dataset("INSERT { ?s <http://x/USING> 'WITH' } WHERE { ?s ?p ?o }")


def test_add_using_before_each_modify_where_only():
    update = ("CLEAR ALL ; INSERT DATA { <a> <b> <c> } ; "
              "INSERT { GRAPH <g> { ?s a <T> } } WHERE { ?s a <U> FILTER EXISTS { ?s ?p ?o } } ; "
              "DELETE WHERE { ?x ?y ?z }")
    out = add_using(update, ["http://d"], ["http://n"])
    assert out.count("USING <http://d> USING NAMED <http://n> WHERE") == 1
    assert "DELETE WHERE" in out
    assert add_using(update, [], []) == update
