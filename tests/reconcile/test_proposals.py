"""``kg reconcile wikidata`` against the Wikidata-shaped fixture served by ``oxigraph serve``:
the right items, with their evidence, recorded in the review file; decisions respected."""

import dataclasses
import json
import subprocess
import sys

import pytest

from kg.config import ROOT
from kg.reconcile.commands import reconcile_wikidata
from kg.reconcile.review import Review, path_in
from tests.builds import settings_env

EXPECTED = {  # entity -> (best QID, match)
    "organisation/insee": ("Q156616", True),
    "organisation/inria": ("Q1146208", True),
    "project/wikibase": ("Q16354758", True),
    "project/kubernetes": ("Q22661306", True),
    "project/django": ("Q842014", True),
    "project/python": ("Q28865", True),
    "project/rstudio": ("Q4798119", True),  # "R Studio": found by a label scan
    "project/gitlab": ("Q16639197", False),  # same name, but the websites disagree
}


@pytest.fixture
def settings(fixture_settings, tmp_path):
    return dataclasses.replace(fixture_settings, data_dir=tmp_path / "data")


def run_cli(settings, *args):
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, env=settings_env(settings),
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_proposes_the_right_items_with_evidence(settings, wikidata_endpoint):
    done = run_cli(settings, "reconcile", "wikidata", "--endpoint", wikidata_endpoint,
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    report = {p["id"]: p for p in json.loads(done.stdout)}
    for ident, (qid, match) in EXPECTED.items():
        best = report[ident]["candidates"][0]
        assert (best["qid"], best["match"]) == (qid, match), (ident, best)
        assert report[ident]["entity"] == settings.base_iri + ident
        assert {"qid", "label", "score", "evidence"} <= set(best)
    # every entity with a proposal is one of those
    assert {i for i, p in report.items() if p["candidates"]} == set(EXPECTED)
    # already linked in the graph: not reconciled
    assert "project/postgresql" not in report
    # "Paris" is a city and a person on Wikidata, not an organisation
    assert report["organisation/ville-de-paris"]["candidates"] == []
    # evidence: how it was found, the name, the type, and property agreement
    insee = report["organisation/insee"]["candidates"][0]["evidence"]
    assert "found by SIREN number (P1616) = 120027016" in insee
    assert "found by official website (P856) = https://www.insee.fr/" in insee
    assert "agrees: SIREN number (P1616) = 120027016" in insee
    assert "type: instance of Q43229 (P31/P279*)" in insee
    wikibase = report["project/wikibase"]["candidates"][0]["evidence"]
    assert any(e.startswith("found by source code repository URL (P1324)") for e in wikibase)
    gitlab = report["project/gitlab"]["candidates"][0]["evidence"]
    assert any(e.startswith("disagrees: official website (P856)") for e in gitlab)
    assert "27 entities without a Wikidata link: 8 with candidates" in done.stderr
    # the review file lists them, undecided
    review = Review.load(path_in(settings.data_dir))
    assert review.entries()["organisation/insee"]["candidates"][0]["decision"] is None
    assert review.accepted() == []
    # absent from Wikidata: listed, for a person to ask for a CREATE block; people are not
    assert review.entries()["project/kubic"]["create"] is False
    assert "person/thierry-forest" not in review.entries()


def test_decisions_are_kept_and_rejections_never_proposed_again(settings, wikidata_endpoint):
    reconcile_wikidata(settings, wikidata_endpoint, "json", day="2026-11-28")
    path = path_in(settings.data_dir)
    text = path.read_text(encoding="utf-8")
    # a person decides, with a comment
    review = Review.load(path)
    review.entries()["organisation/inria"]["candidates"][0]["decision"] = "accept"
    review.entries()["project/gitlab"]["candidates"][0]["decision"] = "reject"
    review.entries()["project/gitlab"].yaml_add_eol_comment("not the same website", "create")
    review.save()
    assert path.read_text() != text

    again = json.loads(reconcile_wikidata(settings, wikidata_endpoint, "json", day="2026-11-29"))
    ids = {p["id"]: p for p in again}
    assert "organisation/inria" not in ids  # accepted: linked now
    assert ids["project/gitlab"]["candidates"] == []  # rejected: never again
    after = Review.load(path)
    assert [link.qid for link in after.accepted()] == ["Q1146208"]
    assert after.rejected("project/gitlab") == {"Q16639197"}
    assert "# not the same website" in path.read_text()
    # undecided candidates are refreshed
    assert after.entries()["organisation/insee"]["candidates"][0]["proposed"] == "2026-11-29"
    assert after.entries()["organisation/inria"]["candidates"][0]["proposed"] == "2026-11-28"


def test_text_report_and_no_write(settings, wikidata_endpoint):
    done = run_cli(settings, "reconcile", "wikidata", "--endpoint", wikidata_endpoint, "--no-write")
    assert done.returncode == 0, done.stderr
    assert "MATCH Q156616" in done.stdout and "found by SIREN number (P1616)" in done.stdout
    assert not path_in(settings.data_dir).exists()


def test_unreachable_endpoint(settings):
    from tests.servers import free_port

    done = run_cli(settings, "reconcile", "wikidata", "--endpoint",
                   f"http://127.0.0.1:{free_port()}/sparql", "--no-write")
    assert done.returncode == 1 and "cannot query" in done.stderr
    assert "Traceback" not in done.stderr


def test_no_build_yet(tmp_path):
    from kg.config import Settings

    done = run_cli(Settings(var_dir=tmp_path / "var", data_dir=tmp_path / "data"),
                   "reconcile", "wikidata", "--endpoint", "http://127.0.0.1:1/")
    assert done.returncode == 1 and "kg build" in done.stderr
