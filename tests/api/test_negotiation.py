import pytest

from api.negotiation import (GRAPHS, HTML, RESULTS, NotAcceptable, negotiate, parse_accept,
                             prefers_html)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("accept, table, fmt_param, expected", [
    (None, RESULTS, None, "json"),
    ("", GRAPHS, None, "turtle"),
    ("*/*", RESULTS, None, "json"),
    ("*/*", GRAPHS, None, "turtle"),
    ("application/sparql-results+xml", RESULTS, None, "xml"),
    ("application/xml", RESULTS, None, "xml"),
    ("text/csv;q=0.5, application/sparql-results+xml", RESULTS, None, "xml"),
    ("text/csv, application/sparql-results+xml;q=0.4", RESULTS, None, "csv"),
    ("text/*", RESULTS, None, "csv"),
    ("text/*;q=0.5, text/tab-separated-values", RESULTS, None, "tsv"),
    ("*/*, application/sparql-results+json;q=0", RESULTS, None, "xml"),
    ("application/json", RESULTS, None, "json"),
    ("application/n-triples", GRAPHS, None, "ntriples"),
    ("application/ld+json;profile=\"x\"", GRAPHS, None, "jsonld"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.1", GRAPHS, None, "rdfxml"),
    ("application/trig", GRAPHS, None, "trig"),
    ("application/n-quads", GRAPHS, None, "nquads"),
    ("text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8", GRAPHS, None, "turtle"),
    (BROWSER, (*RESULTS, HTML), None, "html"),
    (BROWSER, (*GRAPHS, HTML), None, "html"),
    ("text/turtle", RESULTS, "csv", "csv"),  # format= overrides Accept
    (None, GRAPHS, "nt", "ntriples"),
    (None, GRAPHS, "application/ld+json", "jsonld"),
    (None, GRAPHS, "JSON", "jsonld"),
    (None, RESULTS, "json", "json"),
    (None, GRAPHS, "xml", "rdfxml"),
])
def test_negotiate(accept, table, fmt_param, expected):
    assert negotiate(accept, table, format_param=fmt_param).key == expected


@pytest.mark.parametrize("accept, table, fmt_param", [
    ("text/turtle", RESULTS, None),
    ("application/sparql-results+json", GRAPHS, None),
    ("image/png", RESULTS, None),
    ("text/csv;q=0", RESULTS, None),
    (None, RESULTS, "pdf"),
])
def test_not_acceptable_names_the_acceptable_types(accept, table, fmt_param):
    with pytest.raises(NotAcceptable) as info:
        negotiate(accept, table, format_param=fmt_param)
    assert info.value.acceptable == [f.media_type for f in table]


def test_parse_accept_keeps_q_and_order():
    assert parse_accept("a/b;q=0.3, c/d;x=1, e/f;q=bad") == [
        ("a/b", 0.3, 0), ("c/d", 1.0, 1), ("e/f", 0.0, 2)]


@pytest.mark.parametrize("accept, expected", [
    (BROWSER, True), ("application/json", False), ("*/*", False), (None, False),
    ("application/json, text/html;q=0.5", False), ("text/html", True),
])
def test_prefers_html(accept, expected):
    assert prefers_html(accept) is expected
