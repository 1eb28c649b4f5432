"""Linked-data pages: negotiation, headers, content, language, escaping, paging (in-process)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import rdflib

from tests.api.web import BASE, BROWSER, CROWD, HOSTILE, built_app, crowd_app, mini_app  # noqa: F401

ONYXIA = BASE + "project/onyxia"


@pytest.mark.parametrize("path, headers, status, content_type", [
    ("/project/onyxia", {"accept": BROWSER}, 200, "text/html"),
    ("/project/onyxia", {"accept": "text/turtle"}, 200, "text/turtle"),
    ("/project/onyxia", {"accept": "application/ld+json"}, 200, "application/ld+json"),
    ("/project/onyxia", {"accept": "application/n-triples"}, 200, "application/n-triples"),
    ("/project/onyxia", {"accept": "application/rdf+xml"}, 200, "application/rdf+xml"),
    ("/project/onyxia", {"accept": "text/turtle;q=0.5, application/ld+json"}, 200,
     "application/ld+json"),
    ("/project/onyxia", {"accept": "text/*"}, 200, "text/html"),
    ("/project/onyxia", {}, 200, "text/html"),
    ("/project/onyxia.ttl", {"accept": BROWSER}, 200, "text/turtle"),
    ("/project/onyxia.jsonld", {}, 200, "application/ld+json"),
    ("/project/onyxia.nt", {}, 200, "application/n-triples"),
    ("/project/onyxia.rdf", {}, 200, "application/rdf+xml"),
    ("/project/onyxia.html", {"accept": "text/turtle"}, 200, "text/html"),
    ("/project/onyxia?format=ttl", {"accept": BROWSER}, 200, "text/turtle"),
    ("/project/onyxia?format=application/ld%2Bjson", {}, 200, "application/ld+json"),
    ("/person/alice", {"accept": "text/turtle"}, 200, "text/turtle"),
    ("/session/atelier-onyxia.nt", {}, 200, "application/n-triples"),
    ("/event/codons", {"accept": BROWSER}, 200, "text/html"),
    ("/event/codons/figure/participants", {"accept": "text/turtle"}, 200, "text/turtle"),
    ("/graph/report", {"accept": "text/turtle"}, 200, "text/turtle"),
    ("/graph/report", {"accept": BROWSER}, 200, "text/html"),
    ("/ontology/", {"accept": BROWSER}, 200, "text/html"),
    ("/ontology/", {"accept": "text/turtle"}, 200, "text/turtle"),
    ("/ontology/Event", {"accept": BROWSER}, 200, "text/html"),
    ("/ontology/Event.ttl", {}, 200, "text/turtle"),
    ("/ontology/kind/event-kinds/garagethon", {"accept": BROWSER}, 200, "text/html"),
    ("/project/", {"accept": BROWSER}, 200, "text/html"),
    ("/", {"accept": BROWSER}, 200, "text/html"),
    # errors
    ("/project/no-such-project", {"accept": BROWSER}, 404, "text/html"),
    ("/project/no-such-project", {"accept": "text/turtle"}, 404, "application/json"),
    ("/project/onyxia.exe", {}, 404, "application/json"),
    ("/project/onyxia", {"accept": "image/png"}, 406, "application/json"),
    ("/project/onyxia?format=png", {}, 406, "application/json"),
    ("/project/onyxia?page=0", {}, 400, "application/json"),
    ("/ontology/NoSuchTerm", {"accept": BROWSER}, 404, "text/html"),
    ("/graph/no-such-graph", {}, 404, "application/json"),
    ("/no-such-kind/x", {}, 404, "application/json"),
])
def test_negotiation(mini_app, path, headers, status, content_type):
    r = mini_app.get(path, headers=headers)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith(content_type)


def test_headers_vary_link_etag_cache(mini_app):
    r = mini_app.get("/project/onyxia", headers={"accept": "text/turtle"})
    assert "Accept" in r.headers["vary"]
    links = r.headers["link"]
    for suffix, media in [("html", "text/html"), ("jsonld", "application/ld+json"),
                          ("nt", "application/n-triples"), ("rdf", "application/rdf+xml")]:
        assert f'</project/onyxia.{suffix}>; rel="alternate"; type="{media}"' in links
    assert '.ttl>; rel="alternate"' not in links  # not to itself
    assert r.headers["etag"].startswith('"') and "turtle" in r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = mini_app.get("/project/onyxia", headers={"accept": "text/turtle",
                                                     "if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == r.headers["etag"]
    html = mini_app.get("/project/onyxia", headers={"accept": BROWSER,
                                                    "if-none-match": r.headers["etag"]})
    assert html.status_code == 200 and html.headers["etag"] != r.headers["etag"]


def test_etag_is_the_build_content_hash(mini_app, mini):
    from kg.manifest import read

    digest = read(mini.path)["content_hash"].split(":")[1][:16]
    for path in ("/", "/project/onyxia", "/project/", "/ontology/", "/search?q=x"):
        assert mini_app.get(path).headers["etag"].startswith(f'"{digest}-'), path


def test_turtle_holds_the_entity_triples(mini_app):
    r = mini_app.get("/project/onyxia.ttl")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    s = rdflib.URIRef(ONYXIA)
    bh = rdflib.Namespace("https://w3id.org/bluehats-kg/ontology/")
    assert (s, bh.repository, rdflib.URIRef("https://github.com/InseeFrLab/onyxia")) in g
    assert (s, bh.programmingLanguage, rdflib.URIRef(BASE + "project/python")) in g
    assert (rdflib.URIRef(BASE + "session/atelier-onyxia"), bh.aboutProject, s) in g  # incoming
    for fmt, suffix in [("json-ld", "jsonld"), ("nt", "nt"), ("xml", "rdf")]:
        other = rdflib.Graph().parse(data=mini_app.get(f"/project/onyxia.{suffix}").text, format=fmt)
        assert len(other) == len(g), fmt


class Page(HTMLParser):
    """The bits of an HTML page the tests look at."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.lang = None
        self.headings: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in: str | None = None
        self._attrs: dict = {}
        self._buf: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("h1", "h2", "h3", "script"):
            self._in, self._attrs, self._buf = tag, a, []

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == self._in:
            text = "".join(self._buf).strip()
            if tag == "script":
                self.scripts.append((self._attrs, text))
            else:
                self.headings.append(text)
            self._in = None


def test_entity_page_content(mini_app):
    r = mini_app.get("/project/onyxia", headers={"accept": BROWSER, "accept-language": "fr"})
    page = Page(r.text)
    assert page.lang == "fr" and r.headers["content-language"] == "fr"
    assert page.headings[0] == "Onyxia"
    assert "/project/python" in page.links  # our IRIs link to their pages
    assert "/session/atelier-onyxia" in page.links  # incoming link
    assert "https://github.com/InseeFrLab/onyxia" in page.links  # external IRIs outward
    assert "/source/report" in page.links and "/graph/report" in page.links  # provenance
    assert "Projets représentés &gt; ONYXIA" in r.text  # source section
    assert "/project/" in page.links and "/ontology/SoftwareProject" in page.links
    assert "/api/projects/onyxia" in page.links  # the same record as JSON
    (_, body), = [s for s in page.scripts if s[0].get("type") == "application/ld+json"]
    data = json.loads(body)
    assert any(node["@id"] == ONYXIA for node in data)


def test_python_links_to_wikidata(mini_app):
    page = Page(mini_app.get("/project/python", headers={"accept": BROWSER}).text)
    assert "http://www.wikidata.org/entity/Q28865" in page.links


@pytest.mark.parametrize("request_headers, query, lang", [
    ({"accept-language": "en-GB,en;q=0.9"}, "", "en"),
    ({"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"}, "", "fr"),
    ({"accept-language": "de"}, "", "fr"),
    ({"accept-language": "fr"}, "?lang=en", "en"),
    ({"accept-language": "en", "cookie": "lang=fr"}, "", "fr"),
    ({"accept-language": "en", "cookie": "lang=xx"}, "", "en"),
])
def test_language(mini_app, request_headers, query, lang):
    r = mini_app.get("/event/codons" + query, headers={"accept": BROWSER, **request_headers})
    page = Page(r.text)
    assert page.lang == lang
    assert page.headings[0] == {"fr": "Garagethon « Codons ! »", "en": "Codons! garagethon"}[lang]
    # the visible switch points to the other language
    other = {"fr": "en", "en": "fr"}[lang]
    assert any(f"lang={other}" in href for href in page.links)
    assert lang in r.headers["etag"]


def test_language_switch_sets_a_cookie(mini_app):
    r = mini_app.get("/event/codons?lang=en", headers={"accept": BROWSER})
    assert "lang=en" in r.headers["set-cookie"]
    assert r.headers["cache-control"].startswith("private")


def test_property_labels_follow_the_language(crowd_app):
    fr = crowd_app.get("/organisation/crowd", headers={"accept": BROWSER, "accept-language": "fr"})
    en = crowd_app.get("/organisation/crowd", headers={"accept": BROWSER, "accept-language": "en"})
    assert ">nom</a>" in fr.text and ">name</a>" in en.text


def test_hostile_labels_are_escaped(crowd_app):
    for path in ("/organisation/hostile", "/organisation/crowd", "/organisation/"):
        r = crowd_app.get(path, headers={"accept": BROWSER})
        assert r.status_code == 200
        assert '<script>alert("x")' not in r.text
        assert "<b>bold</b>" not in r.text
        page = Page(r.text)
        executable = [s for s in page.scripts if s[0].get("type") != "application/ld+json"]
        assert executable == []
    r = crowd_app.get("/organisation/hostile", headers={"accept": BROWSER})
    (_, body), = [s for s in Page(r.text).scripts if s[0].get("type") == "application/ld+json"]
    labels = [v["@value"] for node in json.loads(body)
              for v in node.get("http://www.w3.org/2000/01/rdf-schema#label", [])]
    assert labels == [HOSTILE]  # intact once parsed


def test_incoming_links_are_grouped_counted_and_paged(crowd_app):
    r = crowd_app.get("/organisation/crowd", headers={"accept": BROWSER})
    assert f"{CROWD} lien(s) entrant(s)" in r.text or f"{CROWD} incoming" in r.text
    assert f"({CROWD} en tout)" in r.text
    assert '</organisation/crowd?page=2>; rel="next"' in r.headers["link"]
    first = set(re.findall(r'href="/person/(p\d+)"', r.text))
    assert len(first) == 100
    seen = set(first)
    page, r2 = 2, None
    while True:
        r2 = crowd_app.get(f"/organisation/crowd?page={page}", headers={"accept": BROWSER})
        found = set(re.findall(r'href="/person/(p\d+)"', r2.text))
        assert found and not (found & seen)
        seen |= found
        if 'rel="next"' not in r2.headers["link"]:
            break
        page += 1
    assert len(seen) == CROWD and page == 3
    assert 'rel="prev"' in r2.headers["link"]


def test_class_page_paging(crowd_app):
    r = crowd_app.get("/person/", headers={"accept": BROWSER})
    assert r.status_code == 200
    assert '</person/?page=2>; rel="next"' in r.headers["link"]
    names = re.findall(r'href="/person/(p\d+)"', r.text)
    assert names == sorted(names) and len(names) == 100
    last = crowd_app.get("/person/?page=3", headers={"accept": BROWSER})
    assert len(re.findall(r'href="/person/(p\d+)"', last.text)) == CROWD - 200
    assert 'rel="next"' not in last.headers["link"]
    assert crowd_app.get("/person/?page=4").status_code == 404


def test_home_presents_the_dataset(mini_app, mini):
    from kg.manifest import read

    manifest = read(mini.path)
    r = mini_app.get("/", headers={"accept": BROWSER, "accept-language": "en"})
    page = Page(r.text)
    assert page.lang == "en"
    assert str(manifest["triples"]) in r.text
    assert "No licence is declared" in r.text  # none claimed (the setting dataset_licence)
    for file in manifest["dumps"].values():
        assert "/-/dumps/" + file.rsplit("/", 1)[-1] in page.links
    for path in ("/event/codons", "/project/", "/person/", "/search", "/sparql", "/ontology/",
                 "/.well-known/void", "/api/projects.csv"):
        assert path in page.links, path
    assert any(href.startswith("/sparql?query=") for href in page.links)  # example queries
    assert any(href.startswith("/api/queries/projects-in") for href in page.links)
    assert '<label for="home-q">' in r.text and 'id="home-q"' in r.text


@pytest.mark.parametrize("q, expected", [
    ("onyxia", "/project/onyxia"),
    ("ONYXIA", "/project/onyxia"),
    ("decouverte", "/session/atelier-onyxia"),
    ("Découverte", "/session/atelier-onyxia"),
    ("DINUM", "/organisation/dinum"),  # short name
    ("interministerielle", "/organisation/dinum"),
    ("ségur", None),  # an address is not a name
])
def test_search(mini_app, q, expected):
    r = mini_app.get("/search", params={"q": q, "format": "json"})
    urls_found = [hit["url"] for hit in r.json()["results"]]
    if expected is None:
        assert urls_found == []
    else:
        assert expected in urls_found
    html = mini_app.get("/search", params={"q": q}, headers={"accept": BROWSER})
    assert html.headers["content-type"].startswith("text/html")
    if expected:
        assert f'href="{expected}"' in html.text


def test_search_ranks_exact_names_first(mini_app):
    hits = mini_app.get("/search", params={"q": "onyxia", "format": "json"}).json()["results"]
    assert hits[0]["url"] == "/project/onyxia"
