"""kg.bluehats_pages: parsing pages, dates in French, names, mapping (by graph isomorphism
against expected Turtle), and the real code.gouv.fr corpus read from the shared folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
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
from tests.builds import MINI

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
    "pages": {
        "rencontres/garagethon-2024.md": {"event": "codons", "note": "Same event."},
        "bsoc/2022/contributions/": {"presented_at": "bsoc-2022"},
    },
}, "test-import.yaml")


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


@pytest.mark.parametrize("body, first", [
    ("**⚠️ Plus de mises à jour.**\n\nLe 20 mars, une rencontre.\n", "Le 20 mars, une rencontre."),
    ("*Cliquer sur ce lien pour [revoir](https://v.example.org).*\n\nUn exposé.\n", "Un exposé."),
    ("Voir aussi le webinaire de présentation.\n", None),
    ("| a | b |\n|---|---|\n\n- une liste\n", None),
])
def test_first_paragraph_is_prose(body, first):
    assert parse_page("---\ntitle: t\n---\n\n" + body, "webinaires/x.md").first_paragraph == first


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


def test_project_page_merges_with_a_project_imported_before_it():
    from rdflib import Literal
    from rdflib.namespace import RDF

    cur = curated.from_roots([])
    g = URIRef(BASE + "graph/publiccode/acme-widget")
    widget = URIRef(BASE + "project/acme-widget-maker")
    curated.add_imported(cur, [
        (widget, RDF.type, URIRef(BH + "SoftwareProject"), g),
        (widget, URIRef(BH + "name"), Literal("Widget Maker"), g),
        (widget, URIRef(BH + "description"), Literal("Fait des widgets.", lang="fr"), g),
    ], BASE)
    ctx = Context(BASE, cur, cur.names(), COMMIT)
    rel = "bsoc/2022/contributions/widget.md"
    pg = map_page(read(rel), RULES.rule(rel), ctx)
    assert pg.merged and pg.subject == ("project", "acme-widget-maker")
    got = graph_of(pg.quads)
    assert got.value(widget, URIRef(BH + "name")) is None  # the import's name and description
    assert got.value(widget, URIRef(BH + "description")) is None  # stay the only ones
    assert got.value(widget, URIRef(BH + "presentedAt")) == URIRef(BASE + "event/bsoc-2022")


def test_an_event_page_whose_id_is_a_curated_event_needs_a_rule():
    cur = curated.from_roots([{"events": [{"id": "frobnicator", "name": "Autre"}]}])
    ctx = Context(BASE, cur, cur.names(), COMMIT)
    with pytest.raises(ValueError, match="already a curated event"):
        map_page(read("webinaires/frobnicator.md"), rules.PageRule(), ctx)


# --- the import list -----------------------------------------------------------------------

def test_rules_apply_folder_then_page():
    r = rules.parse({"pages": {
        "bsoc/": {"presented_at": "a", "kind": "meetup"},
        "bsoc/2022/": {"presented_at": "b"},
        "bsoc/2022/x.md": {"kind": "webinar"},
    }}, "x.yaml")
    rule = r.rule("bsoc/2022/x.md")
    assert (rule.presented_at, rule.kind) == ("b", "webinar")


@pytest.mark.parametrize("data, message", [
    ({"pages": {"a.md": {"evnt": "x"}}}, "unknown key(s) evnt"),
    ({"pages": {"a.md": {"start_date": "soon"}}}, "a.md.start_date"),
    ({"pages": {"a.md": {"event": "Not A Slug"}}}, "a.md.event"),
    ({"ignore_names": [{"entity": "event/x"}]}, "ignore_names[0]"),
])
def test_bad_page_rules_say_where(data, message):
    with pytest.raises(rules.RulesError, match="x.yaml") as err:
        rules.parse(data, "x.yaml")
    assert message in str(err.value)


def test_the_repository_import_list_is_valid():
    r = rules.read(ROOT / "data/imports/bluehats-pages.yaml")
    assert r.rule("rencontres/codons-2024.md").event == "garagethon-2024"
    assert r.rule("bsoc/2022/contributions/ds.md").presented_at == "bsoc-2022"


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
    import_list = rules.read(settings.data_dir / "imports/bluehats-pages.yaml")
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


# --- through the build and the command line ------------------------------------------------

def import_settings(tmp: Path) -> Settings:
    """The pipeline's small fixture data, plus an import list of the fixture pages (whose
    garagethon page is the fixture's curated event ``codons``), built with the fixture
    ontology and ontology/pages.ttl."""
    data, onto = tmp / "data", tmp / "ontology"
    shutil.copytree(MINI / "data", data)
    shutil.copytree(MINI / "ontology", onto)
    shutil.copy(ROOT / "ontology/pages.ttl", onto)
    (data / "imports").mkdir()
    (data / "imports/bluehats-pages.yaml").write_text(
        "# fixture pages\nimporter: bluehats-pages\nsources:\n"
        f"  - path: {CORPUS}\n"
        "pages:\n  rencontres/garagethon-2024.md:\n    event: codons\n", encoding="utf-8")
    return Settings(data_dir=data, ontology_dir=onto, queries_dir=ROOT / "queries",
                    var_dir=tmp / "var", shared_dir=FIXTURES)


def events_by_year(settings: Settings, **params) -> list[dict]:
    from kg import queries
    from kg.store import open_read_only
    from kg.store.sparql import execute

    named = queries.get(settings.queries_dir, "bluehats-events-by-year")
    store = open_read_only(settings.var_dir / "current" / "store")
    out = execute(store, named.text, "json", substitutions=named.bind(params))
    return [{k: v["value"] for k, v in row.items()}
            for row in json.loads(out.body)["results"]["bindings"]]


@pytest.fixture(scope="module")
def imported_build(tmp_path_factory):
    from kg.build import build

    settings = import_settings(tmp_path_factory.mktemp("pages-build"))
    result = build(settings)
    assert result.shacl.conforms
    return settings


def test_build_includes_the_pages_and_the_query_lists_events_by_year(imported_build):
    rows = events_by_year(imported_build)
    base = imported_build.base_iri
    assert [(r["year"], r["event"]) for r in rows] == [
        ("2022", base + "event/frobnicator"),
        ("2023", base + "event/atelier-2023"),
        ("2024", base + "event/codons"),  # the curated event, with the page's URL
    ]
    codons = rows[2]
    assert codons["name"] == "Garagethon « Codons ! »" and codons["end"] == "2024-01-10"
    assert codons["page"] == "https://code.gouv.fr/fr/bluehats/garagethon-2024/"
    assert [r["event"] for r in events_by_year(imported_build, year="2023")] == [
        base + "event/atelier-2023"]


def test_built_curated_event_has_both_sources_in_their_graphs(imported_build):
    from kg.store import open_read_only

    store = open_read_only(imported_build.var_dir / "current" / "store")
    base = imported_build.base_iri
    rows = store.query(
        f"SELECT ?g ?src WHERE {{ GRAPH ?g {{ <{base}event/codons> <{BH}source> ?src }} }} ORDER BY ?g")
    assert [(r["g"].value, r["src"].value) for r in rows] == [
        (base + "graph/bluehats-pages/rencontres-garagethon-2024",
         base + "source/bluehats-pages-rencontres-garagethon-2024"),
        (base + "graph/report", base + "source/report"),
    ]
    manifest = json.loads((imported_build.var_dir / "current/manifest.json").read_text())
    assert base + "graph/bluehats-pages/gazettes-bluehats-7" in manifest["graphs"]


def kg_cli(settings: Settings, *args) -> subprocess.CompletedProcess:
    from tests.builds import settings_env

    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, timeout=120, check=False,
                          env=settings_env(settings), capture_output=True, text=True)


def test_cli_import_reports_and_registers_the_folder(tmp_path):
    settings = import_settings(tmp_path)
    listing = settings.data_dir / "imports/bluehats-pages.yaml"
    listing.write_text("# fixture pages\nimporter: bluehats-pages\n"
                       "pages:\n  rencontres/garagethon-2024.md:\n    event: codons  # curated\n")
    done = kg_cli(settings, "import", "bluehats-pages", str(CORPUS))
    assert done.returncode == 0, done.stderr
    assert "Read 6 pages" in done.stdout and f"commit {COMMIT}" in done.stdout
    assert "events by year: 2022 1, 2023 1, 2024 1" in done.stdout
    assert "bluehats-pages-expected" not in done.stdout
    text = listing.read_text()
    assert text.startswith("# fixture pages") and "event: codons  # curated" in text
    assert "- path: bluehats-pages\n" in text  # relative to the shared folder
    again = kg_cli(settings, "import", "bluehats-pages", str(PAGES))  # the same, by its pages
    assert "already lists this folder" in again.stdout and listing.read_text() == text
    # the next build includes it; the named query runs from the command line
    assert kg_cli(settings, "build", "-q").returncode == 0
    query = kg_cli(settings, "query", "--name", "bluehats-events-by-year", "-p", "year=2022",
                   "-f", "csv")
    assert query.returncode == 0, query.stderr
    assert next(iter(csv.DictReader(io.StringIO(query.stdout))))["name"] == "Présentation de Frobnicator"


def test_cli_import_of_a_bad_folder_names_each_page(tmp_path):
    settings = import_settings(tmp_path)
    pages = tmp_path / "pages/webinaires"
    pages.mkdir(parents=True)
    (pages / "bad.md").write_text("---\ntitle: x\ndate: demain\n---\n", encoding="utf-8")
    before = (settings.data_dir / "imports/bluehats-pages.yaml").read_text()
    done = kg_cli(settings, "import", "bluehats-pages", str(tmp_path / "pages"))
    assert done.returncode == 1
    assert "webinaires/bad.md [date]: date 'demain' is not YYYY-MM-DD" in done.stderr
    assert "nothing imported" in done.stderr
    assert (settings.data_dir / "imports/bluehats-pages.yaml").read_text() == before


def test_real_build_lists_every_bluehats_event_by_year(built):
    """The real data/ build (tests/conftest.py) includes the corpus through its import list."""
    assert built.real, "the real data/ and ontology/ are expected in the repository"
    rows = events_by_year(built.settings)
    years = Counter(int(r["year"]) for r in rows)
    assert min(years) == 2018 and all(years[y] for y in range(2018, 2026)), years
    assert len(rows) == len({r["event"] for r in rows}) >= 75  # one row per event
    base = built.settings.base_iri
    (garagethon,) = [r for r in rows if r["event"] == base + "event/garagethon-2024"]
    assert garagethon["page"] == "https://code.gouv.fr/fr/bluehats/codons-2024/"
    assert garagethon["kind"].endswith("event-kinds/garagethon")
    # one software, one entity: no two projects share a name, whatever their sources
    from kg.store import open_read_only

    store = open_read_only(built.path / "store")
    twins = list(store.query(
        f"SELECT ?k WHERE {{ ?p a <{BH}SoftwareProject> ; <{BH}name> ?n "
        "BIND(LCASE(STR(?n)) AS ?k) } GROUP BY ?k HAVING (COUNT(DISTINCT ?p) > 1)",
        use_default_graph_as_union=True))
    assert twins == []
    assert [r["name"] for r in events_by_year(built.settings, year="2018")] == [
        "Présentations de la journée BlueHats 🧢 2018 - Paris Open Source Summit"]
