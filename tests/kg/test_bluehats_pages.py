"""kg.bluehats_pages: parsing pages, dates in French, names, mapping (by graph isomorphism
against expected Turtle), and the real code.gouv.fr corpus read from the shared folder."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.bluehats_pages import corpus, curated, french_dates, rules
from kg.bluehats_pages.mapping import Context, map_page, page_url, short
from kg.bluehats_pages.names import NameIndex
from kg.bluehats_pages.page import PageError, parse_page
from kg.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "bluehats-pages"
PAGES = CORPUS / "content/fr/bluehats"
EXPECTED = FIXTURES / "bluehats-pages-expected"
BASE = "https://example.org/kg/"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
BH = "https://w3id.org/bluehats-kg/ontology/"
ROOT = Path(__file__).resolve().parents[2]

CURATED = curated.from_roots([{
    "events": [{"id": "codons", "name": {"fr": "Garagethon « Codons ! »"}, "kind": "garagethon",
                "start_date": "2024-01-09", "description": "Deux journées."}],
    "projects": [{"id": "frobnicator", "name": "Frobnicator", "alt_names": ["Frob"]}],
    "organisations": [{"id": "agence-exemple", "name": {"fr": "Agence Exemple"}},
                      {"id": "google", "name": "Google"}],
    "people": [{"id": "ada-exemplaire", "name": "Ada Exemplaire"}, {"id": "ada", "name": "Ada"}],
}])
RULES = rules.parse({
    "importer": "bluehats-pages",
    "sources": [{"path": "pages"}],
    "pages": {
        "rencontres/garagethon-2024.md": {"event": "codons", "note": "Same event."},
        "bsoc/2022/contributions/": {"presented_at": "bsoc-2022"},
    },
}, Path("test-import.yaml"))


def read(rel: str):
    return parse_page((PAGES / rel).read_text(encoding="utf-8"), rel)


def context() -> Context:
    names = CURATED.names()
    names.add("Widget Maker", "project", "widget-maker")
    return Context(BASE, CURATED, names, COMMIT, "shared/pages/")


def graph_of(quads) -> Graph:
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def assert_same_graph(quads, expected: Path) -> None:
    got, want = graph_of(quads), Graph().parse(expected, format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        pytest.fail("graphs differ\nonly in the mapping:\n" + only_got.serialize(format="nt")
                    + "\nonly expected:\n" + only_want.serialize(format="nt"))


# --- pages ---------------------------------------------------------------------------------

def test_page_front_matter_and_body():
    p = read("rencontres/atelier-2023.md")
    assert p.title == "Journée BlueHats 🧢 des 4 et 5 mai 2023 sur Frobnicator"
    assert p.date == dt.date(2023, 4, 20)
    assert p.tags == ("Data",)  # a single tag is a list of one
    assert p.description == "Une journée pour contribuer à Frobnicator avec l'Agence Exemple"
    # the heading and the image shortcode are skipped; markup and link targets go
    assert p.first_paragraph == ("Le 4 mai, la communauté s'est réunie au Lieu Exemple avec "
                                 "Ada Exemplaire et l'agence exemple.")
    assert p.links == ("https://lieu.example.org/", "https://code.gouv.fr/docs/frob.pdf",
                       "https://slides.example.org/frob")
    assert not p.is_navigation and p.folder == "rencontres" and p.slug == "rencontres-atelier-2023"


def test_media_takes_the_field_that_is_a_url():
    # the slides' src and title are swapped, as on one real page
    assert read("webinaires/frobnicator.md").media == (
        "https://video.example.org/embed/1", "https://slides.example.org/player/2")


def test_navigation_pages_are_recognised():
    assert read("rencontres.md").is_navigation


@pytest.mark.parametrize("text, line, message", [
    ("title: x\n", 1, "no YAML front matter"),
    ("---\ntitle: x\n", 1, "not closed"),
    ("---\ntitle: x\ndate: [2024\n---\n", 4, "bad YAML front matter"),
    ("---\ndate: 2024-01-01\n---\n", 2, "missing title"),
    ("---\ntitle: x\ndate: le 3 mai\n---\n", None, "is not YYYY-MM-DD"),
])
def test_bad_pages_name_file_line_and_problem(text, line, message):
    with pytest.raises(PageError) as err:
        parse_page(text, "webinaires/bad.md")
    assert err.value.path == "webinaires/bad.md" and err.value.line == line
    assert message in str(err.value) and str(err.value).startswith("webinaires/bad.md")


@pytest.mark.parametrize("path, url", [
    ("rencontres/journee-2018.md", "https://code.gouv.fr/fr/bluehats/journee-2018/"),
    ("webinaires/de-GCOS-a-gnucobol.md", "https://code.gouv.fr/fr/bluehats/de-GCOS-a-gnucobol/"),
    ("bsoc/2022/contributions/ds.md", "https://code.gouv.fr/fr/bluehats/bsoc-contributions-2022/ds/"),
    ("gazettes/bluehats_1.md", None),  # no page of the corpus shows where gazettes live
])
def test_page_url_from_the_site_layout(path, url):
    assert page_url(parse_page("---\ntitle: t\n---\n", path)) == url


def test_permalink_wins():
    page = parse_page("---\ntitle: t\npermalink: /fr/bluehats/x/\n---\n", "bsoc/x.md")
    assert page_url(page) == "https://code.gouv.fr/fr/bluehats/x/"


def test_short_descriptions_cut_at_a_sentence():
    text = "Première phrase assez longue pour compter. " * 10
    assert short(text).endswith("compter.") and len(short(text)) <= 300


# --- dates written in French ---------------------------------------------------------------

@pytest.mark.parametrize("text, year, expected", [
    ("des 9 et 10 janvier 2024", None, ("2024-01-09", "2024-01-10")),
    ("les 4 et 5 décembre 2024 au salon", None, ("2024-12-04", "2024-12-05")),
    ("le vendredi 20 septembre 2024 à 14h", None, ("2024-09-20", None)),
    ("du 1er juillet 2022", None, ("2022-07-01", None)),
    ("les 19 et 20 novembre derniers", 2019, ("2019-11-19", "2019-11-20")),
    ("les 19 et 20 novembre derniers", None, None),  # no year: no date
    ("du 1er septembre 2022 au 28 février 2023", None, ("2022-09-01", "2023-02-28")),
    ("le 31 février 2023", None, None),
    ("lancée en 2024", None, None),
])
def test_french_date_phrases(text, year, expected):
    got = french_dates.span(text, year)
    as_text = got and (got[0].isoformat(), got[1] and got[1].isoformat())
    assert as_text == expected


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("avec l'AGENCE EXEMPLE et frob", {"organisation/agence-exemple"}),  # case folded
    ("l'agence exemple", set()),  # "Exemple" has a capital in every name of the entity
    ("Frobnicator-Pro est un autre", {"project/frobnicator"}),  # punctuation is a word break
    ("Frobnicators", set()),  # whole words only
    ("le Google Summer of Code", set()),  # part of a longer name
    ("Google, Frob.", {"organisation/google", "project/frobnicator"}),
    ("Ada a parlé", set()),  # a one-word person name is never matched
    ("Ada Exemplaire a parlé", {"person/ada-exemplaire"}),
])
def test_names_found_in_text(text, expected):
    assert {f"{k}/{i}" for k, i in CURATED.names().find(text)} == expected


def test_ambiguous_names_match_nothing():
    idx = NameIndex()
    idx.add("Pod", "project", "a")
    idx.add("POD", "project", "b")
    assert idx.find("Pod et POD") == set() and idx.owner("pod") is None
    assert "pod" in idx.ambiguous


# --- mapping -------------------------------------------------------------------------------

def test_webinar_page_maps_to_expected_graph():
    pg = map_page(read("webinaires/frobnicator.md"), RULES.rule("webinaires/frobnicator.md"), context())
    assert {q[3] for q in pg.quads} == {URIRef(BASE + "graph/bluehats-pages/webinaires-frobnicator")}
    assert_same_graph(pg.quads, EXPECTED / "webinaires-frobnicator.ttl")


def test_newsletter_page_maps_to_expected_graph():
    pg = map_page(read("gazettes/bluehats_7.md"), RULES.rule("gazettes/bluehats_7.md"), context())
    assert_same_graph(pg.quads, EXPECTED / "gazettes-bluehats-7.ttl")


def test_meeting_dates_come_from_the_title_and_kind_from_the_folder():
    pg = map_page(read("rencontres/atelier-2023.md"), RULES.rule("rencontres/atelier-2023.md"), context())
    g = graph_of(pg.quads)
    event = URIRef(BASE + "event/atelier-2023")
    assert str(g.value(event, URIRef(BH + "startDate"))) == "2023-05-04"
    assert str(g.value(event, URIRef(BH + "endDate"))) == "2023-05-05"
    assert str(g.value(event, URIRef(BH + "eventKind"))).endswith("event-kinds/meetup")
    assert str(g.value(event, URIRef(BH + "tag"))) == "Data"


def test_page_of_a_curated_event_adds_facts_under_its_iri():
    rel = "rencontres/garagethon-2024.md"
    pg = map_page(read(rel), RULES.rule(rel), context())
    g = graph_of(pg.quads)
    event = URIRef(BASE + "event/codons")
    assert pg.merged and pg.subject == ("event", "codons")
    # the curated record has name, kind, dates and description: the page adds none of them
    for local in ("name", "eventKind", "startDate", "description"):
        assert g.value(event, URIRef(BH + local)) is None, local
    assert (event, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None) not in g
    # ... but its provenance, links, tags, note and mentions
    src = URIRef(BASE + "source/bluehats-pages-rencontres-garagethon-2024")
    assert g.value(event, URIRef(BH + "source")) == src
    assert g.value(src, URIRef(BH + "about")) == event
    assert str(g.value(event, URIRef(BH + "tag"))) == "Garagethon"
    assert str(g.value(event, URIRef(BH + "editorialNote"))) == "Same event."
    assert set(g.objects(event, URIRef(BH + "mentions"))) == {
        URIRef(BASE + "organisation/agence-exemple"), URIRef(BASE + "project/frobnicator")}


def test_project_page_merges_with_the_curated_project_of_that_name():
    rel = "bsoc/2022/contributions/frob.md"
    pg = map_page(read(rel), RULES.rule(rel), context())
    g = graph_of(pg.quads)
    project = URIRef(BASE + "project/frobnicator")
    assert pg.merged and pg.subject == ("project", "frobnicator")
    assert g.value(project, URIRef(BH + "name")) is None  # the curated name stays the only one
    assert str(g.value(project, URIRef(BH + "description"))) == (
        "Frobnicator frobnique les données publiques.")
    assert g.value(project, URIRef(BH + "presentedAt")) == URIRef(BASE + "event/bsoc-2022")
    assert (project, URIRef(BH + "mentions"), project) not in g  # a page does not mention itself


def test_project_page_without_a_curated_match_is_a_new_project():
    rel = "bsoc/2022/contributions/widget.md"
    pg = map_page(read(rel), RULES.rule(rel), context())
    g = graph_of(pg.quads)
    project = URIRef(BASE + "project/widget-maker")
    assert not pg.merged
    assert str(g.value(project, URIRef(BH + "name"))) == "Widget Maker"
    assert set(g.objects(project, URIRef(BH + "mentions"))) == {URIRef(BASE + "project/frobnicator")}


def test_an_event_page_whose_id_is_a_curated_event_needs_a_rule():
    cur = curated.from_roots([{"events": [{"id": "frobnicator", "name": "Autre"}]}])
    ctx = Context(BASE, cur, cur.names(), COMMIT)
    with pytest.raises(ValueError, match="already a curated event"):
        map_page(read("webinaires/frobnicator.md"), rules.PageRule(), ctx)


# --- the import list -----------------------------------------------------------------------

def test_rules_apply_folder_then_page():
    r = rules.parse({"importer": "bluehats-pages", "pages": {
        "bsoc/": {"presented_at": "a", "kind": "meetup"},
        "bsoc/2022/": {"presented_at": "b"},
        "bsoc/2022/x.md": {"kind": "webinar"},
    }}, Path("x.yaml"))
    rule = r.rule("bsoc/2022/x.md")
    assert (rule.presented_at, rule.kind) == ("b", "webinar")


@pytest.mark.parametrize("data, message", [
    ({"importer": "publiccode"}, "expected 'bluehats-pages'"),
    ({"importer": "bluehats-pages", "pages": {"a.md": {"evnt": "x"}}}, "unknown key(s) evnt"),
    ({"importer": "bluehats-pages", "pages": {"a.md": {"start_date": "soon"}}}, "a.md.start_date"),
    ({"importer": "bluehats-pages", "ignore_names": [{"entity": "event/x"}]}, "ignore_names[0]"),
])
def test_bad_import_lists_say_where(data, message):
    with pytest.raises(rules.RulesError, match="x.yaml") as err:
        rules.parse(data, Path("x.yaml"))
    assert message in str(err.value)


def test_the_repository_import_list_is_valid():
    r = rules.read(ROOT / "data/imports/bluehats-pages.yaml")
    assert r.sources == ("corpora/bluehats-pages",)
    assert r.rule("rencontres/codons-2024.md").event == "garagethon-2024"


# --- a folder ------------------------------------------------------------------------------

def test_fixture_folder_imports_with_counts_and_commit():
    res = corpus.import_folder(CORPUS, RULES, CURATED, BASE)
    assert res.commit == COMMIT
    assert res.skipped == ["rencontres.md"]
    assert res.pages_per_folder() == Counter(rencontres=2, webinaires=1, gazettes=1, bsoc=2)
    assert res.counts() == Counter({"event": 2, "event (curated, merged)": 1, "newsletter": 1,
                                    "project": 1, "project (curated, merged)": 1})


def test_bad_page_in_a_folder_is_reported_with_the_others(tmp_path):
    (tmp_path / "webinaires").mkdir()
    (tmp_path / "webinaires/a.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    (tmp_path / "webinaires/b.md").write_bytes(b"---\ntitle: \xff\n---\n")
    (tmp_path / "webinaires/c.md").write_text("---\ntitle: ok\ndate: 2020-01-01\n---\n")
    with pytest.raises(corpus.ImportFailed) as err:
        corpus.import_folder(tmp_path, RULES, CURATED, BASE)
    assert [p.split(":")[0] for p in err.value.problems] == ["webinaires/a.md", "webinaires/b.md"]


def test_two_pages_becoming_one_entity_without_a_rule_is_an_error(tmp_path):
    for folder in ("rencontres", "webinaires"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.md").write_text("---\ntitle: t\ndate: 2020-01-01\n---\n")
    with pytest.raises(corpus.ImportFailed, match="all become event 'same'"):
        corpus.import_folder(tmp_path, RULES, CURATED, BASE)


# --- the real corpus -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    settings = Settings()
    folder = settings.shared_dir / "corpora/bluehats-pages"
    assert folder.is_dir(), f"the shared corpus is missing: {folder} (set KG_SHARED_DIR)"
    import_list = rules.read(ROOT / "data/imports/bluehats-pages.yaml")
    cur = curated.read(settings.data_dir)
    return corpus.import_folder(folder, import_list, cur, settings.base_iri, settings.shared_dir)


def test_real_corpus_counts(real):
    assert real.commit == "e77bc3162f944c4d85e9d90cdf3a5e6968d6541f"
    assert len(real.skipped) == 4  # the site's menu pages
    assert real.pages_per_folder() == Counter(rencontres=15, webinaires=59, gazettes=32, bsoc=42)
    counts = real.counts()
    assert counts["newsletter"] == 32
    assert counts["project"] + counts["project (curated, merged)"] == 40
    # 15 meetings + 59 webinars + the Semester of Code, the garagethon and "Mutualisons !" merged
    assert counts["event"] + counts["event (curated, merged)"] == 75
    assert counts["event (curated, merged)"] == 2


def test_real_garagethon_page_is_the_curated_event(real):
    (pg,) = [pg for pg in real.graphs if pg.page.path == "rencontres/codons-2024.md"]
    assert pg.subject == ("event", "garagethon-2024") and pg.merged
    assert str(pg.graph).endswith("/graph/bluehats-pages/rencontres-codons-2024")


def test_real_events_all_have_a_start_date_from_2018_on(real):
    g = graph_of(real.quads())
    start = URIRef(BH + "startDate")
    events = {pg.subject for pg in real.graphs if pg.subject[0] == "event"}
    curated_ids = {pg.subject for pg in real.graphs if pg.merged}
    years = Counter()
    for kind, ident in events - curated_ids:
        dates = list(g.objects(URIRef(Settings().base_iri + f"event/{ident}"), start))
        assert len(dates) == 1, ident
        years[dates[0].toPython().year] += 1
    assert min(years) == 2018 and all(years[y] for y in range(2018, 2026)), years


def test_real_mentions_are_exact_names(real):
    mentions = Counter(m for pg in real.graphs for m in pg.mentions)
    assert mentions[("project", "label")] == 0  # ignored: other pages mean other "labels"
    assert mentions[("person", "ada-lovelace")] == 0
    (journee,) = [pg for pg in real.graphs if pg.page.path == "rencontres/journee-2021.md"]
    assert ("project", "onyxia") in journee.mentions
