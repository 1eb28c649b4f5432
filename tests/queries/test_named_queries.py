"""Every named query of queries/*.rq, run on the real built graph, returns its expected rows.

The expectations are facts of the source document (the garagethon report), not copies of the
queries' output: the number of sessions per day, the outcomes' URLs, who presented what.
"""

from __future__ import annotations

import csv
import io

import pytest

from kg import queries
from kg.config import ROOT
from kg.namespaces import data_prefixes
from kg.store import open_read_only
from kg.store.sparql import execute

QUERIES = ROOT / "queries"
B = "https://w3id.org/bluehats-kg/"


@pytest.fixture(scope="module")
def run(built):
    if not built.real:
        pytest.fail("the real data/ and ontology/ are needed for the named queries")
    store = open_read_only(built.path / "store")

    def run(name: str, **params) -> list[dict[str, str]]:
        q = queries.get(QUERIES, name)
        bound = q.bind({k: str(v) for k, v in params.items()}, data_prefixes(built.settings.base_iri))
        out = execute(store, q.text, "csv", substitutions=bound)
        return list(csv.DictReader(io.StringIO(out.body.decode("utf-8"))))

    return run


def column(rows, key):
    return [r[key] for r in rows]


def test_at_least_twelve_named_queries_with_bilingual_headers():
    registry = queries.registry(QUERIES)
    assert len(registry) >= 12
    for name, q in registry.items():
        assert set(q.title) >= {"en", "fr"}, name
        assert set(q.description) >= {"en", "fr"}, name
        assert queries.problems(q) == [], name


def test_programme_lists_the_nineteen_sessions_in_time_order(run):
    rows = run("programme")
    assert len(rows) == 19
    starts = column(rows, "start")
    assert starts == sorted(starts)
    assert starts[0] == "2024-01-09T14:00:00+01:00"
    ia = next(r for r in rows if r["session"] == B + "session/usages-ia")
    assert ia["timeAsGiven"] == "Mardi 14h - 15h"
    assert "Cédric Eyssette" in ia["speakers"]


@pytest.mark.parametrize("day, count, first", [
    ("2024-01-09", 9, "2024-01-09T14:00:00+01:00"),
    ("2024-01-10", 10, "2024-01-10T10:30:00+01:00"),
    ("2024-01-11", 0, None),
])
def test_programme_of_one_day(run, day, count, first):
    rows = run("programme", day=day)
    assert len(rows) == count
    assert {r["date"] for r in rows} <= {day}
    if first:
        assert rows[0]["start"] == first


def test_programme_of_an_unknown_event_is_empty(run):
    assert run("programme", event=B + "event/no-such-event") == []
    assert len(run("programme", event=B + "event/garagethon-2024")) == 19


def test_sessions_per_day(run):
    rows = run("sessions-per-day")
    assert [(r["date"], r["sessions"]) for r in rows] == [("2024-01-09", "9"), ("2024-01-10", "10")]


def test_event_figures_keep_the_report_numbers(run):
    rows = {r["measure"]: r for r in run("event-figures", event=B + "event/garagethon-2024")}
    assert rows["sessions"]["quantity"] == "16"  # "En bref" says 16, the report has 19
    assert rows["projects"]["quantity"] == "18"  # "18 projets" for 15 panels
    assert rows["flash-demos"]["quantity"] == "6"
    assert rows["participants-present-at-once"]["qualifier"] == "up-to"


def test_event_outcomes_have_their_links(run):
    rows = run("event-outcomes", event=B + "event/garagethon-2024")
    urls = set(column(rows, "url"))
    for n in range(21, 26):
        assert f"https://github.com/codegouvfr/awesome-codegouvfr/issues/{n}" in urls
    assert "https://github.com/InseeFrLab/onyxia/pull/718" in urls
    assert any(u.endswith("/-/merge_requests/55") for u in urls)
    assert "prototype" in column(rows, "kind")
    assert run("event-outcomes", event=B + "event/no-such-event") == []


def test_projects_by_organisation(run):
    rows = run("projects-by-organisation", organisation=B + "organisation/dinum")
    assert "Site Facile" in column(rows, "projectName")
    assert set(column(rows, "organisation")) == {B + "organisation/dinum"}


def test_people_and_affiliations(run):
    rows = {r["name"]: r for r in run("people-and-affiliations")}
    assert "Direction interministérielle du numérique" in rows["Sylvain Boissel"]["affiliations"]
    assert "Bastien Guerry" in rows and "Bastien Guerri" not in rows  # one person, two spellings


@pytest.mark.parametrize("word, expected", [
    ("kubernetes", {"Kubic", "Onyxia"}),
    ("KUBERNETES", {"Kubic", "Onyxia"}),
    ("xAPI", {"Warren"}),
])
def test_projects_by_keyword(run, word, expected):
    assert expected <= set(column(run("projects-by-keyword", keyword=word), "projectName"))


def test_projects_by_keyword_hostile_value_is_a_plain_string(run):
    assert run("projects-by-keyword", keyword='") } UNION { ?s ?p ?o } #') == []


def test_projects_by_technology(run):
    rows = run("projects-by-technology", technology=B + "project/django")
    assert {"flop!EDT", "Site Facile", "PAD Pretty Printer"} <= set(column(rows, "projectName"))


def test_project_needs(run):
    rows = run("project-needs", project=B + "project/flopedt")
    assert len(rows) >= 5
    assert any("vue" in r["need"].lower() for r in rows)


def test_projects_with_their_wikidata_identity(run):
    items = {r["projectName"]: r["item"] for r in run("projects-wikidata")}
    assert items["Django"] == "http://www.wikidata.org/entity/Q842014"
    assert items["Kubernetes"] == "http://www.wikidata.org/entity/Q22661306"


def test_project_links(run):
    rows = run("project-links")
    assert {"projectName": "Kubic", "linkType": "repository",
            "link": "https://github.com/openfun/kubic"}.items() <= next(
        r for r in rows if r["projectName"] == "Kubic" and r["linkType"] == "repository").items()


def test_participant_questions(run):
    rows = run("participant-questions")
    assert any(r["projectName"] == "Cunningham" and "DSFR" in r["question"] for r in rows)


def test_people_and_their_sessions(run):
    rows = run("speakers-and-sessions", person=B + "person/bastien-guerry")
    assert B + "session/usages-ia" in column(rows, "session")
    assert set(column(rows, "name")) == {"Bastien Guerry"}


def test_project_relations(run):
    rows = run("project-relations")
    assert any(r["projectName"] == "Site Facile" and r["relation"] == "based on"
               and r["otherName"] == "Wagtail" for r in rows)


def test_source_notes_keep_the_document_inconsistencies(run):
    notes = " ".join(column(run("source-notes", lang="en"), "note"))
    assert "Thursday" in notes
    assert "Forgego" in notes
    french = run("source-notes", lang="fr")
    assert french and len(french) < len(run("source-notes"))


def test_organisations_in_sessions(run):
    rows = {r["organisation"]: r for r in run("organisations-in-sessions")}
    assert int(rows[B + "organisation/insee"]["sessions"]) == 2  # Onyxia and Kubernetes sessions
    counts = [int(r["sessions"]) for r in rows.values()]
    assert counts == sorted(counts, reverse=True)


def test_topics_and_sessions(run):
    rows = run("topics-and-sessions")
    counts = [int(r["sessions"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    forges = next(r for r in rows if r["topicLabel"] == "Forges")
    assert int(forges["sessions"]) >= 3
