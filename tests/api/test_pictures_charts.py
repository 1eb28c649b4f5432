"""The ecosystem in figures (``api/pictures/charts.py``, ``/-/figures``): counting rows into
numbers, the SVG charts, their CSV, and the page that links each chart to its query."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from api.pictures import charts
from kg import queries
from kg.config import ROOT
from kg.store import open_read_only
from kg.store.sparql import execute
from tests.api.web import BROWSER, built_app  # noqa: F401

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '</text><script>alert("x")</script> & co'


# --- counting -------------------------------------------------------------------------------


def test_count_by_counts_distinct_items_most_first():
    rows = [{"org": "B", "p": "1"}, {"org": "A", "p": "1"}, {"org": "A", "p": "2"},
            {"org": "A", "p": "2"}, {"p": "3"}, {"org": "C"}]
    f = charts.count_by(rows, "org", "p")
    assert f.categories == ["A", "B"] and f.series == [("", [2, 1])]
    g = charts.count_by(rows, "org", "p", missing="none")
    assert g.categories == ["A", "B", "none"]


def test_stacked_by_makes_one_series_per_part():
    rows = [{"y": "2023", "k": "webinar", "e": "a"}, {"y": "2023", "k": "webinar", "e": "b"},
            {"y": "2024", "k": "meetup", "e": "c"}, {"y": "2024", "k": "webinar", "e": "d"},
            {"y": "2024", "k": "webinar", "e": "d"}]
    f = charts.stacked_by(rows, "y", "k", "e")
    assert f.categories == ["2023", "2024"]
    assert f.series == [("webinar", [2, 1]), ("meetup", [0, 1])]
    assert f.total() == [2, 2]


def test_top_keeps_the_first_categories_for_the_chart():
    f = charts.Figure(list("abcde"), [("", [5, 4, 3, 2, 1])])
    assert charts.top(f, 3).categories == ["a", "b", "c"]
    assert charts.top(f, None) is f and charts.top(f, 9) is f


def test_csv_has_a_header_and_one_row_per_category():
    f = charts.Figure(["A, Inc.", "B"], [("", [2, 1])], category_header="Organisation")
    assert list(csv.reader(io.StringIO(charts.csv_text(f)))) == [
        ["Organisation", "count"], ["A, Inc.", "2"], ["B", "1"]]
    g = charts.Figure(["2023"], [("webinar", [2]), ("meetup", [0])], category_header="Year")
    assert charts.csv_text(g).splitlines()[0] == "Year,webinar,meetup"


# --- drawing --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["hbar", "bar", "stacked"])
def test_charts_are_svg_with_their_labels_escaped(kind):
    f = charts.Figure([HOSTILE, "B"], [("one", [3, 1]), ("two", [1, 0])])
    svg = charts.draw(f, kind, "Title")
    root = ET.fromstring(svg.encode())
    assert root.tag == SVG_NS + "svg"
    texts = ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]
    assert HOSTILE in texts and "Title" in texts
    # pygal's config script may be there (it never runs: scripts are refused by the SVG's
    # Content-Security-Policy and in <img>), but no script is fetched from elsewhere
    assert all(not s.get("{http://www.w3.org/1999/xlink}href") and not s.get("src")
               for s in root.iter(SVG_NS + "script"))
    assert "<script>alert" not in svg


# --- the named queries behind the charts ----------------------------------------------------


@pytest.fixture(scope="module")
def rows_of(built):
    store = open_read_only(built.path / "store")
    registry = queries.registry(ROOT / "queries")

    def run(name: str) -> list[dict]:
        out = execute(store, registry[name].text, "csv")
        return list(csv.DictReader(io.StringIO(out.body.decode("utf-8"))))

    return run


def test_every_chart_has_its_named_query():
    registry = queries.registry(ROOT / "queries")
    for chart in charts.CHARTS:
        assert chart.query in registry, chart.name
        assert queries.problems(registry[chart.query]) == []


def test_projects_by_licence_query(rows_of, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    rows = rows_of("projects-by-licence")
    flop = [r for r in rows if r["project"].endswith("/project/flopedt")]
    assert [r["licence"] for r in flop] == ["AGPL-3.0-only"]  # as flop!EDT's panel says
    assert len({(r["project"], r["licence"]) for r in rows}) == len(rows)  # one row per licence


# --- the page and the files -----------------------------------------------------------------


class Figures(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.images: list[dict] = []
        self.links: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])


def read_csv(client, name: str, lang: str = "en") -> list[list[str]]:
    r = client.get(f"/-/figures/{name}.csv?lang={lang}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(r.text)))


def test_figures_page_links_each_chart_to_its_query_and_numbers(built_app, built):
    page = built_app.get("/-/figures", headers={"accept": BROWSER, "accept-language": "en"})
    assert page.status_code == 200
    found = Figures(page.text)
    shown = [c for c in charts.CHARTS if f"/-/figures/{c.name}.svg?lang=en" in
             {i["src"] for i in found.images}]
    assert len(shown) >= 4  # a chart without data is replaced by a sentence
    for image in found.images:
        assert image["alt"].strip() and image.get("width")
        svg = built_app.get(image["src"])
        assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
        assert "default-src 'none'" in svg.headers["content-security-policy"]
        ET.fromstring(svg.content)
    for chart in shown:
        assert f"/-/figures/{chart.name}.csv?lang=en" in found.links
        assert f"/api/queries/{chart.query}" in found.links
        assert any(link.startswith("/sparql?query=") and chart.query.split("-")[0] in link
                   for link in found.links)
    assert built_app.get("/-/figures/nothing.svg").status_code == 404
    assert built_app.get("/-/figures/nothing.csv").status_code == 404


def test_chart_numbers_are_those_of_the_query(built_app, built, rows_of):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    # sessions per day: the garagethon's two days (facts of the report)
    table = read_csv(built_app, "sessions-per-day")
    assert table[0] == ["Day", "count"] and [r[1] for r in table[1:]] == ["9", "10"]
    assert "Tuesday, January 9, 2024" in table[1][0]
    # projects by organisation: each organisation's distinct projects in the query's rows
    rows = rows_of("projects-by-organisation")
    expected: dict[str, set] = {}
    for r in rows:
        expected.setdefault(r["organisationName"], set()).add(r["project"])
    got = {name: int(n) for name, n in read_csv(built_app, "projects-by-organisation")[1:]}
    assert got == {name: len(ps) for name, ps in expected.items()}
    assert got["Direction interministérielle du numérique"] >= 2
    # projects by licence: flop!EDT's AGPL, and the others stated as having none
    licences = {name: int(n) for name, n in read_csv(built_app, "projects-by-licence", "fr")[1:]}
    by_licence: dict[str, set] = {}
    for r in rows_of("projects-by-licence"):
        by_licence.setdefault(r["licence"] or "aucune licence indiquée", set()).add(r["project"])
    assert licences == {name: len(ps) for name, ps in by_licence.items()}
    assert licences["AGPL-3.0-only"] >= 1
    # events per year: one column per kind of event, in the reader's language
    years = read_csv(built_app, "events-per-year", "fr")
    assert years[0][0] == "Année" and "webinaire" in years[0]
    assert "2024" in [r[0] for r in years[1:]]
