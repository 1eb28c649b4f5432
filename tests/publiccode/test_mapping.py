"""kg.publiccode.mapping: a decoded file to quads, compared by graph isomorphism."""

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.config import Settings
from kg.publiccode.mapping import (
    Context,
    Provenance,
    bh,
    file_quads,
    properties_from,
    repository_key,
)
from kg.publiccode.validator import validate_bytes, validate_file

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
BASE = "https://example.org/kg/"
MINI_ONTOLOGY = ROOT / "tests" / "kg" / "fixtures" / "mini" / "ontology"
FR = Settings().shared_dir / "corpora" / "publiccode-fr"


def ontology() -> Graph:
    g = Graph()
    for path in (
        MINI_ONTOLOGY / "bluehats.ttl",
        HERE / "fixtures" / "annotations.ttl",
        ROOT / "ontology" / "publiccode.ttl",
    ):
        g.parse(path)
    return g


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(BASE, properties_from(ontology()))


def graph_of(quads) -> Graph:
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def test_file_maps_to_expected_graph(ctx):
    report = validate_file(HERE / "fixtures" / "exemple.yml")
    assert report.verdict == "valid", report.describe()
    prov = Provenance(
        "exemple",
        "fixtures/exemple.yml",
        "https://github.com/exemple/exemple",
        "0123abc",
        "2026-11-28",
    )
    quads = file_quads(report.data, report.findings, prov, ctx)
    assert {q[3] for q in quads} == {URIRef(BASE + "graph/publiccode/exemple")}
    expected = Dataset()
    expected.parse(HERE / "fixtures" / "exemple.trig", format="trig")
    want = expected.graph(URIRef(BASE + "graph/publiccode/exemple"))
    got = graph_of(quads)
    missing, extra = set(want) - set(got), set(got) - set(want)
    assert isomorphic(got, want), f"missing {missing}\nextra {extra}"


def test_no_email_or_phone_is_published(ctx):
    report = validate_file(HERE / "fixtures" / "exemple.yml")
    quads = file_quads(report.data, report.findings, Provenance("exemple", "x"), ctx)
    text = " ".join(str(o) for _, _, o, _ in quads)
    assert "camille@example.org" not in text and "+33" not in text


def test_repository_key_normalises_scheme_host_slash_and_git():
    keys = {
        repository_key(u)
        for u in (
            "https://github.com/InseeFrLab/onyxia",
            "http://GitHub.com/InseeFrLab/onyxia/",
            "https://www.github.com/InseeFrLab/onyxia.git",
        )
    }
    assert keys == {"github.com/InseeFrLab/onyxia"}


def test_curated_project_with_same_repository_is_the_same_entity(ctx):
    onyxia = URIRef(BASE + "project/onyxia")
    merged = Context(
        BASE,
        ctx.properties,
        curated_projects={"github.com/InseeFrLab/onyxia": onyxia},
        curated={onyxia},
        curated_values={onyxia: {bh("name"), bh("licence")}},
    )
    report = validate_file(FR / "InseeFrLab+onyxia" / "_commits" / "d1b75e4c0" / "publiccode.yml")
    assert report.ok, report.describe()
    quads = file_quads(report.data, report.findings, Provenance("inseefrlab-onyxia", "x"), merged)
    subjects = {s for s, p, o, _ in quads if p == bh("shortDescription")}
    assert subjects == {onyxia}
    assert not any(s == onyxia and p in (bh("name"), bh("licence")) for s, p, _, _ in quads)
    assert (onyxia, bh("source"), URIRef(BASE + "source/publiccode-inseefrlab-onyxia")) in {
        q[:3] for q in quads
    }
    assert not any(s == onyxia and o == onyxia for s, _, o, _ in quads)  # applicationSuite: itself


def test_lenient_import_leaves_out_what_errors_touch(ctx):
    text = (HERE / "fixtures" / "exemple.yml").read_text()
    text = text.replace("license: EUPL-1.2", "license: Licence Ouverte")
    text = text.replace("releaseDate: 2024-09-05", "releaseDate: 05/09/2024")
    report = validate_bytes(text.encode(), "exemple.yml")
    assert {f.key for f in report.errors} == {"legal.license", "releaseDate"}
    quads = file_quads(report.data, report.findings, Provenance("exemple", "x"), ctx)
    preds = {p for _, p, _, _ in quads}
    assert bh("licence") not in preds and bh("releaseDate") not in preds
    assert bh("shortDescription") in preds
    notes = [str(o) for _, p, o, _ in quads if p == bh("editorialNote")]
    assert any(n.startswith("error ") and "legal.license" in n for n in notes)


def test_every_annotated_key_has_a_reader(ctx):
    from kg.publiccode.mapping import READERS

    assert set(ctx.properties) <= set(READERS)


def test_literal_types(ctx):
    report = validate_file(HERE / "fixtures" / "exemple.yml")
    quads = file_quads(report.data, report.findings, Provenance("exemple", "x"), ctx)
    ready = [o for _, p, o, _ in quads if p == bh("localisationReady")]
    assert ready == [Literal(True)]


def test_an_organisation_without_a_name_is_named_from_the_file_not_by_its_uri(ctx):
    """openfisca-core gives only ``organisation.uri``; its maintenance contact names the
    association of that domain."""
    report = validate_file(FR / "openfisca+openfisca-core" / "publiccode.yml")
    quads = file_quads(report.data, report.findings, Provenance("openfisca", "x"), ctx)
    g = graph_of(quads)
    uri = URIRef("https://openfisca.org/en/association")
    (org,) = g.subjects(bh("seeAlso"), uri)
    assert str(org) == BASE + "organisation/openfisca-association"
    assert [str(n) for n in g.objects(org, bh("name"))] == ["OpenFisca Association"]
    names = [str(n) for s in g.subjects(bh("seeAlso"), None) for n in g.objects(s, bh("name"))]
    assert not [n for n in names if "://" in n]


@pytest.mark.parametrize("data, name", [
    ({"organisation": {"uri": "https://a.example/x", "name": " Named "}}, "Named"),
    ({"organisation": {"uri": "https://a.example/x"}, "legal": {"repoOwner": "Owner"}}, "Owner"),
    ({"organisation": {"uri": "https://www.acme.example/x"},
      "maintenance": {"contacts": [{"name": "Jane Doe"}, {"name": "ACME team"}]}}, "ACME team"),
    ({"organisation": {"uri": "https://www.acme.example/x"},
      "maintenance": {"contacts": [{"name": "Jane Doe"}]}}, "www.acme.example"),
])
def test_organisation_name_sources(data, name):
    from kg.publiccode.mapping import _organisation

    (value,) = _organisation(data)
    assert value.text == name and value.url == data["organisation"]["uri"]
