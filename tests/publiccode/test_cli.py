"""The commands as a user runs them: ``kg import publiccode`` on the real French files, then
the built graph (``built``: data/ with its import lists), ``kg export publiccode``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kg.config import ROOT, Settings
from kg.publiccode.validator import validate_file

FR = Settings().shared_dir / "corpora" / "publiccode-fr"
BASE = "https://w3id.org/bluehats-kg/"


def kg(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg", *argv],
        check=False,
        cwd=ROOT,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    env = {**os.environ, "KG_DATA_DIR": str(data)}
    return kg("import", "publiccode", str(FR), env=env), data


def test_import_explains_every_invalid_real_file(imported):
    done, _ = imported
    assert done.returncode == 1, done.stderr
    out = done.stdout
    invalid = [p for p in sorted(FR.rglob("publiccode.yml")) if not validate_file(p).ok]
    assert len(invalid) == 13
    for path in invalid:
        block = out.split(f"{path}: INVALID", 1)[1].split("\n/", 1)[0]
        errors = [line for line in block.splitlines() if " error: " in line]
        assert errors, f"no explanation for {path}"
        assert "not imported" in block
    # what is wrong, precisely: the key, the line, the message
    assert 'demarches-simplifiees.fr/publiccode.yml:26:1 error: fr: unknown field "fr"' in out
    assert "iTowns+itowns/publiccode.yml:86:1 error: dependsOn.open[0].optional: wrong type" in out
    assert (
        "spyrales+shinygouv/publiccode.yml:17:5 error: fundedBy[0].uri: uri is a required field"
        in out
    )
    assert out.rstrip().endswith(
        "10 imported, listed as 1 folder(s) in " + str(imported[1] / "imports" / "publiccode.yaml")
        + " (run `kg build`)"
    )


def test_import_lists_the_valid_files_with_their_provenance(imported):
    _, data = imported
    text = (data / "imports" / "publiccode.yaml").read_text()
    assert text.startswith("# publiccode.yml files imported by `kg import publiccode`")
    assert "importer: publiccode" in text
    # the folder, once: the build derives each file's id, repository and commit
    assert "  - path: corpora/publiccode-fr\n" in text and "lenient: false" in text
    assert "suitenumerique" not in text


def test_json_format(tmp_path):
    done = kg(
        "import", "publiccode", "--format", "json", "--dry-run", str(FR / "suitenumerique+docs")
    )
    assert done.returncode == 1
    [obj] = [json.loads(line) for line in done.stdout.splitlines()]
    assert obj["verdict"] == "invalid" and obj["imported"] is False
    assert obj["findings"][0]["key"] == "publiccodeYmlVersion"


def _sources(built, project: str) -> set[str]:
    from kg.store import open_read_only
    from kg.store.sparql import execute

    store = open_read_only(built.path / "store")
    q = f"SELECT ?src WHERE {{ <{BASE}project/{project}> <{BASE}ontology/source> ?src }}"
    rows = json.loads(execute(store, q, "json").body)["results"]["bindings"]
    del store
    return {r["src"]["value"] for r in rows}


def _needs_real(built):
    if not built.real:
        pytest.skip("the real data and ontology are not there yet")
    if not (ROOT / "data" / "imports" / "publiccode.yaml").is_file():
        pytest.fail("data/imports/publiccode.yaml is missing")


@pytest.mark.parametrize(
    "project, source", [("onyxia", "inseefrlab-onyxia"), ("grist", "gristlabs-grist-core")]
)
def test_curated_project_and_its_publiccode_are_one_entity_with_both_sources(
    built, project, source
):
    _needs_real(built)
    sources = _sources(built, project)
    assert BASE + f"source/publiccode-{source}" in sources
    assert BASE + "source/garagethon-2024-report" in sources
    assert not _sources(built, source)  # no second entity for the same software


def test_export_round_trip(built, tmp_path):
    _needs_real(built)
    out = tmp_path / "publiccode.yml"
    done = kg("export", "publiccode", "grist", "-o", str(out), env=built.env())
    assert done.returncode == 0, done.stderr
    report = validate_file(out)
    assert report.verdict == "valid", report.describe()
    original = validate_file(FR / "gristlabs+grist-core" / "publiccode.yml").data
    for key in ("name", "url", "softwareType", "developmentStatus", "platforms"):
        assert report.data[key] == original[key], key
    assert report.data["legal"]["license"] == original["legal"]["license"]


def test_export_says_what_the_graph_lacks(built):
    _needs_real(built)
    done = kg("export", "publiccode", "kubic", env=built.env())
    assert done.returncode == 1 and done.stdout == ""
    assert "nothing written" in done.stderr
    for key in ("softwareType", "platforms", "maintenance.type", "localisation.localisationReady"):
        assert f"missing: {key} " in done.stderr, key
    unknown = kg("export", "publiccode", "no-such-project", env=built.env())
    assert unknown.returncode == 1 and "no software project" in unknown.stderr


def test_organisations_named_in_files_are_the_curated_ones(built):
    """A file naming DINUM (by its full name) points to the curated organisation."""
    _needs_real(built)
    from kg.store import open_read_only
    from kg.store.sparql import execute

    store = open_read_only(built.path / "store")
    q = f"""SELECT DISTINCT ?org WHERE {{
        ?org a <{BASE}ontology/Organisation> ; <{BASE}ontology/name> ?name .
        FILTER (LCASE(STR(?name)) = "direction interministérielle du numérique") }}"""
    rows = json.loads(execute(store, q, "json").body)["results"]["bindings"]
    del store
    assert [r["org"]["value"] for r in rows] == [BASE + "organisation/dinum"]


def test_full_name_with_acronym_is_the_curated_organisation(built):
    """Regression: Catala's file names "Institut National de Recherche en Informatique et en
    Automatique (INRIA)"; that is the curated Inria, not a second organisation."""
    _needs_real(built)
    from kg.store import open_read_only
    from kg.store.sparql import execute

    store = open_read_only(built.path / "store")
    q = f"""SELECT DISTINCT ?org WHERE {{
        ?org a <{BASE}ontology/Organisation> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name .
        FILTER (CONTAINS(LCASE(STR(?name)), "inria")) }}"""
    rows = json.loads(execute(store, q, "json").body)["results"]["bindings"]
    del store
    assert [r["org"]["value"] for r in rows] == [BASE + "organisation/inria"]


def test_lenient_import_builds_what_is_sound_with_its_findings(tmp_path):
    """Onyxia's HEAD file is invalid; --lenient imports what is sound and keeps the findings."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("imports"))
    env = {**os.environ, "KG_DATA_DIR": str(data), "KG_VAR_DIR": str(tmp_path / "var")}
    head = FR / "InseeFrLab+onyxia" / "publiccode.yml"
    done = kg("import", "publiccode", "--lenient", str(head), env=env)
    assert done.returncode == 1  # the file has errors, and says so
    assert "lenient: true" in (data / "imports" / "publiccode.yaml").read_text()
    built = kg("build", env=env)
    assert built.returncode == 0, built.stderr + built.stdout
    q = f"""SELECT ?note WHERE {{ <{BASE}source/publiccode-inseefrlab-onyxia>
              <{BASE}ontology/editorialNote> ?note }}"""
    notes = kg("query", "--format", "json", q, env=env)
    texts = [b["note"]["value"] for b in json.loads(notes.stdout)["results"]["bindings"]]
    assert any(t.startswith("error 7:1 creationDate: unknown field") for t in texts), texts
    q = f"""SELECT ?d WHERE {{ GRAPH <{BASE}graph/publiccode/inseefrlab-onyxia> {{
              <{BASE}project/onyxia> <{BASE}ontology/shortDescription> ?d }} }}"""
    sound = kg("query", "--format", "json", q, env=env)
    assert json.loads(sound.stdout)["results"]["bindings"]  # what is sound was imported
