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


@pytest.mark.parametrize("query, expected", [
    ("SELECT * { ?s ?p ?o }", ("SELECT * { ?s ?p ?o }\nLIMIT 11\n", True)),
    ("SELECT * { ?s ?p ?o } # LIMIT 3", ("SELECT * { ?s ?p ?o } # LIMIT 3\nLIMIT 11\n", True)),
    ("select * { ?s ?p ?o } limit 3", ("select * { ?s ?p ?o } limit 3", False)),
    ("SELECT * { ?s ?p ?o } OFFSET 5 LIMIT 99", ("SELECT * { ?s ?p ?o } OFFSET 5 LIMIT 11", True)),
    ("SELECT * { ?s ?p ?o } ORDER BY ?s", ("SELECT * { ?s ?p ?o } ORDER BY ?s\nLIMIT 11\n", True)),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 2 } }",
     ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 2 } }\nLIMIT 11\n", True)),
    ("SELECT ?s { ?s ?p ?o } VALUES ?s { <a> }", ("SELECT ?s { ?s ?p ?o } LIMIT 11 VALUES ?s { <a> }", True)),
    ("SELECT * { ?s <http://x/LIMIT> 'LIMIT 1' }",
     ("SELECT * { ?s <http://x/LIMIT> 'LIMIT 1' }\nLIMIT 11\n", True)),
    ("ASK { ?s ?p ?o }", None),
    ("CONSTRUCT WHERE { ?s ?p ?o }", None),
    ("SELECT * { ?s ?p ?o } LIMIT", None),
])
def test_with_limit(query, expected):
    from kg.sparql_text import with_limit

    assert with_limit(query, 11) == expected


@pytest.mark.parametrize("query, bounded", [
    ("SELECT ?name WHERE { <http://x/p1> <http://x/name> ?name }", True),
    ("PREFIX x: <http://x/> BASE <http://y/> SELECT ?s ?o { ?s x:name ?o . } LIMIT 20", True),
    ("SELECT * { ?s a bh:Project }", True),
    ('SELECT ?s { ?s rdfs:label "Kubic"@fr }', True),
    ('SELECT ?s { ?s bh:count "3"^^xsd:integer }', True),
    ("SELECT * { ?s ?p ?o } LIMIT 10 OFFSET 5", False),  # an offset skips rows: unbounded
    ("SELECT * { ?s ?p ?o } ORDER BY ?s", False),
    ("SELECT DISTINCT ?p { ?s ?p ?o }", False),  # many rows for one distinct value
    ("SELECT * { ?s ?p ?o FILTER(?o = 1) }", False),
    ("SELECT * { ?x ?x ?y }", False),  # a repeated variable is a filter
    ("SELECT * { _:b ?p _:b }", False),
    ("SELECT * { ?s ?p [] }", False),
    ("SELECT * { ?s <http://x/p>* ?o }", False),
    ("SELECT * { ?s <http://x/p>/<http://x/q> ?o }", False),
    ("SELECT * { ?s ?p ?o . ?o ?q ?r }", False),
    ("SELECT * { ?s ?p ?o ; ?q ?r }", False),
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", False),
    ("SELECT * { { ?s ?p ?o } }", False),
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", False),
    ("SELECT * { ?s ?p ?o } VALUES ?s { <http://x/a> }", False),
    ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", False),
    ("SELECT * FROM <http://x/g> { ?s ?p ?o }", False),
    ("SELECT * { ?s ?p 42 }", False),  # numbers are left to the workers (1.5 is three tokens)
    ("ASK { ?s ?p ?o }", False),
    ("CONSTRUCT WHERE { ?s ?p ?o }", False),
    ("SELECT * { ?s ?p ?o } LIMIT", False),
])
def test_one_pattern(query, bounded):
    from kg.sparql_text import one_pattern

    assert one_pattern(query) is bounded
