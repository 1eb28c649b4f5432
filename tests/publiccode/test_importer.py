"""kg import publiccode: validation report, import list, provenance, and the build's quads."""

import argparse
import json
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.config import Settings
from kg.publiccode import importer
from kg.publiccode.mapping import bh

SHARED = Settings().shared_dir
FR = SHARED / "corpora" / "publiccode-fr"
HERE = Path(__file__).parent


def run(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    importer.arguments(parser)
    return importer.run(parser.parse_args(argv), settings)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", var_dir=tmp_path / "var")


def test_origin_from_the_corpus_index():
    grist = importer.origin(FR / "gristlabs+grist-core" / "publiccode.yml", None)
    assert grist.repository == "https://github.com/gristlabs/grist-core"
    assert grist.commit == "f98cda95ac9a39d27c976c9db84ca131bf020f84"
    fix = importer.origin(
        FR / "InseeFrLab+onyxia" / "_commits" / "d1b75e4c0" / "publiccode.yml",
        "https://github.com/InseeFrLab/onyxia",
    )
    assert (fix.repository, fix.commit) == ("https://github.com/InseeFrLab/onyxia", "d1b75e4c0")
    vitam = importer.origin(FR / "ProgrammeVitam+vitam" / "publiccode.yml", None)
    assert vitam.commit == "b233830a0f5c5d289a728fc12319690b6fad34e2"  # from the index's note
    alone = importer.origin(HERE / "fixtures" / "exemple.yml", "https://github.com/exemple/exemple")
    assert alone == importer.Origin("https://github.com/exemple/exemple", None)


def provenances(settings: Settings) -> dict[str, object]:
    """What the build reads of the import list: each file's provenance, by id."""
    from kg.publiccode.mapping import Context

    plan = importer.Plan(importer.read_list(settings), settings)
    return {m.provenance.id: m.provenance for m in plan.mapped(Context(settings.base_iri, {}))}


def test_import_real_files_explains_and_lists_the_valid_ones(settings, capsys):
    status = run(settings, str(FR))
    out = capsys.readouterr().out
    assert status == 1  # some real files are invalid
    assert "23 file(s): 7 valid, 3 valid with warnings, 13 invalid" in out
    assert "10 imported, listed as 1 folder(s) in" in out
    # each invalid file is explained with its line and key
    assert "suitenumerique+docs/publiccode.yml: INVALID" in out
    assert "unsupported version: '2.4.0'" in out
    assert "InseeFrLab+onyxia/publiccode.yml:7:1 error: creationDate: unknown field" in out
    assert "releaseDate: releaseDate must be a date" in out
    # one entry: the folder; its files' ids, repository and commit are derived by the build
    entries = importer.read_list(settings)
    assert [(e["path"], e["lenient"]) for e in entries] == [("corpora/publiccode-fr", False)]
    assert "id" not in entries[0] and entries[0]["read"]
    found = provenances(settings)
    assert len(found) == 10
    assert {"gristlabs-grist-core", "inseefrlab-onyxia"} <= found.keys()
    onyxia = found["inseefrlab-onyxia"]
    assert onyxia.path == "corpora/publiccode-fr/InseeFrLab+onyxia/_commits/d1b75e4c0/publiccode.yml"
    assert onyxia.commit == "d1b75e4c0" and onyxia.read == entries[0]["read"]
    grist = found["gristlabs-grist-core"]
    assert grist.repository == "https://github.com/gristlabs/grist-core"
    assert grist.commit == "f98cda95ac9a39d27c976c9db84ca131bf020f84"


def test_reimport_updates_entries_and_lenient_adds_invalid_files(settings, capsys):
    run(settings, str(FR / "gristlabs+grist-core"))
    run(settings, str(FR / "gristlabs+grist-core"))
    assert list(provenances(settings)) == ["gristlabs-grist-core"]
    run(settings, "--lenient", str(FR / "InseeFrLab+onyxia"))
    entries = {e["path"].split("/")[-1]: e for e in importer.read_list(settings)}
    assert len(entries) == 2 and entries["InseeFrLab+onyxia"]["lenient"] is True
    found = {p.path.split("/")[-2]: p for p in provenances(settings).values()}
    # the invalid file too (leniently), and its copy at a commit, each with an id of its own
    assert found["InseeFrLab+onyxia"].id != found["d1b75e4c0"].id
    capsys.readouterr()


def test_a_file_argument_is_listed_on_its_own(settings, capsys):
    grist = FR / "gristlabs+grist-core" / "publiccode.yml"
    run(settings, str(grist))
    run(settings, str(FR / "gristlabs+grist-core"))  # its folder too: the file entry wins
    entries = importer.read_list(settings)
    assert entries[0]["id"] == "gristlabs-grist-core"
    assert entries[0]["commit"] == "f98cda95ac9a39d27c976c9db84ca131bf020f84"
    assert "id" not in entries[1]
    assert list(provenances(settings)) == ["gristlabs-grist-core"]
    capsys.readouterr()


def test_json_format_one_object_per_file(settings, capsys):
    status = run(settings, "--format", "json", "--dry-run", str(FR))
    lines = capsys.readouterr().out.splitlines()
    objects = [json.loads(line) for line in lines]
    assert len(objects) == 23 and status == 1
    docs = next(o for o in objects if "suitenumerique" in o["file"])
    assert docs["verdict"] == "invalid" and docs["findings"][0]["key"] == "publiccodeYmlVersion"
    assert all(not o["imported"] for o in objects)
    assert not importer.list_path(settings).exists()


def test_exit_status_zero_when_no_file_has_errors(settings, capsys):
    assert run(settings, str(FR / "gristlabs+grist-core")) == 0  # warnings only
    capsys.readouterr()


def test_unreadable_file_is_reported_not_raised(settings, tmp_path, capsys):
    bad = tmp_path / "publiccode.yml"
    bad.write_bytes(b"name: \xff\xfe\n")
    assert run(settings, str(bad)) == 1
    assert "Invalid UTF-8" in capsys.readouterr().out


def test_build_quads_merge_on_repository_and_keep_both_sources(settings, capsys):
    """The curated Onyxia (tests' mini data) and the publiccode.yml one are one entity."""
    from rdflib import Graph

    from kg.sources import read
    from kg.validation import check

    mini = HERE.parent / "kg" / "fixtures" / "mini"
    onto = Graph()
    onto.parse(mini / "ontology" / "bluehats.ttl")
    onto.parse(HERE / "fixtures" / "annotations.ttl")
    onto.parse(HERE.parent.parent / "ontology" / "publiccode.ttl")
    documents, _ = read(mini / "data")
    records, _ = check(documents, set(), None)
    run(settings, str(FR / "InseeFrLab+onyxia" / "_commits"))
    capsys.readouterr()
    quads, files = importer.build_quads(settings, records, onto)
    base = settings.base_iri
    onyxia = URIRef(base + "project/onyxia")
    graph = URIRef(base + "graph/publiccode/inseefrlab-onyxia")
    assert (
        onyxia,
        bh("source"),
        URIRef(base + "source/publiccode-inseefrlab-onyxia"),
        graph,
    ) in quads
    assert any(s == onyxia and p == bh("shortDescription") for s, p, _, _ in quads)
    assert not any(s == URIRef(base + "project/inseefrlab-onyxia") for s, _, _, _ in quads)
    assert {g for *_, g in quads} == {graph}
    assert files[-1].name == "publiccode.yml"
