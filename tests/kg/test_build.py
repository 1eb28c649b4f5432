"""The build pipeline: what it publishes, and that a failed build leaves var/current alone."""

from __future__ import annotations

import json
import shutil

import pytest

from kg.build import ShapesViolated, build
from kg.store import current_build, open_read_only
from kg.store.sparql import execute
from kg.validation import ValidationFailed
from tests.builds import FIXTURES, MINI, mini_settings

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(build_dir) -> int:
    store = open_read_only(build_dir / "store")
    body = execute(store, COUNT, "json").body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_build_publishes_store_dumps_and_manifest(mini):
    path = mini.path
    assert current_build(mini.settings.var_dir) == path
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["build_id"] == path.name
    assert manifest["content_hash"].startswith("sha256:")
    assert set(manifest["dumps"]) == {"ttl", "nt", "jsonld", "trig"}
    for file in manifest["dumps"].values():
        assert (path / file).stat().st_size > 0
    base = mini.settings.base_iri
    assert set(manifest["graphs"]) == {base + "graph/report", base + "graph/ontology"}
    assert manifest["classes"]["https://w3id.org/bluehats-kg/ontology/SoftwareProject"] == 2
    assert manifest["classes"]["https://schema.org/Event"] == 2  # the event and its session
    assert count(path) == manifest["triples"]


def test_default_graph_is_the_union_of_the_named_graphs(mini):
    store = open_read_only(mini.path / "store")
    ask = "ASK { ?c a <http://www.w3.org/2002/07/owl#Class> . ?s a <https://schema.org/Event> }"
    assert execute(store, ask, "table").body == b"true\n"


def copy_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    return data


def published_state(settings):
    cur = current_build(settings.var_dir)
    return cur, (cur / "manifest.json").read_bytes(), count(cur)


def test_bad_data_leaves_the_previous_build_intact(tmp_path):
    settings = mini_settings(tmp_path / "var", data_dir=copy_data(tmp_path))
    build(settings)
    before = published_state(settings)
    builds_before = sorted((settings.var_dir / "builds").iterdir())
    shutil.copy(FIXTURES / "errors" / "bad_date.yaml", settings.data_dir / "bad_date.yaml")
    with pytest.raises(ValidationFailed):
        build(settings)
    assert published_state(settings) == before
    assert sorted((settings.var_dir / "builds").iterdir()) == builds_before


def test_failure_while_writing_the_store_leaves_the_previous_build_intact(tmp_path, monkeypatch):
    settings = mini_settings(tmp_path / "var")
    build(settings)
    before = published_state(settings)
    builds_before = sorted((settings.var_dir / "builds").iterdir())

    from kg.store import loader

    real_fill = loader._fill

    def fill_then_fail(store, nquads):
        real_fill(store, nquads)  # the new store is half-made when the disk "fills up"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(loader, "_fill", fill_then_fail)
    with pytest.raises(OSError):
        build(settings)
    assert published_state(settings) == before
    assert sorted((settings.var_dir / "builds").iterdir()) == builds_before


def test_shape_violation_fails_the_build_with_a_readable_report(tmp_path):
    onto = tmp_path / "ontology"
    shutil.copytree(MINI / "ontology", onto)
    with (onto / "shapes.ttl").open("a") as f:
        f.write(
            "bh:RoomShape a sh:NodeShape ; sh:targetClass bh:Session ;\n"
            '  sh:property [ sh:path bh:room ; sh:minCount 1 ; sh:message "a session has a room" ] .\n'
        )
    settings = mini_settings(tmp_path / "var", ontology_dir=onto)
    with pytest.raises(ShapesViolated) as caught:
        build(settings)
    report = caught.value.report()
    assert (
        "programme.yaml:3: Violation: session:atelier-onyxia bh:room: a session has a room"
        in report
    )
    assert "does not conform: 1 violation" in report
    assert current_build(settings.var_dir) is None
    # the half-made build (imports are written to disk as they are read) is gone
    assert not any((settings.var_dir / "builds").iterdir())


def test_two_builds_give_byte_identical_dumps(tmp_path):
    first = build(mini_settings(tmp_path / "a"))
    second = build(mini_settings(tmp_path / "b"))
    assert first.path.name != second.path.name
    for file in first.manifest["dumps"].values():
        assert (first.path / file).read_bytes() == (second.path / file).read_bytes(), file
    assert first.manifest["content_hash"] == second.manifest["content_hash"]


def test_content_hash_changes_with_the_data(tmp_path, mini):
    data = copy_data(tmp_path)
    text = (data / "event.yaml").read_text().replace("value: 40", "value: 41")
    (data / "event.yaml").write_text(text)
    other = build(mini_settings(tmp_path / "var", data_dir=data))
    assert (
        other.manifest["content_hash"]
        != json.loads((mini.path / "manifest.json").read_text())["content_hash"]
    )


def test_gc_paused_restores_the_collector_even_on_error():
    import gc

    from kg.build import gc_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


# --- imports streamed in bounded memory (kg.build.ImportSink) ---------------------------------


def corpus_settings(tmp_path, files: int, ontology_dir=None):
    """The mini data with a folder of generated publiccode.yml files to import."""
    from kg.config import ROOT, Settings
    from kg.publiccode.generator import write_corpus

    corpus = tmp_path / "corpus"
    invalid = write_corpus(corpus, files, seed=3, invalid_share=0.1)
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    (data / "imports").mkdir()
    (data / "imports" / "publiccode.yaml").write_text(
        f"importer: publiccode\nsources:\n  - path: {corpus}\n    read: '2026-11-28'\n"
        "    lenient: false\n"
    )
    return Settings(data_dir=data, ontology_dir=ontology_dir or ROOT / "ontology",
                    queries_dir=MINI / "queries", var_dir=tmp_path / "var",
                    shared_dir=tmp_path / "shared"), files - invalid


def test_streamed_import_publishes_what_the_mapping_gives_one_batch_at_a_time(
    tmp_path, monkeypatch
):
    from types import GeneratorType

    from kg import build as build_module
    from kg import imports
    from kg.build import ImportSink, assemble, curated
    from kg.publiccode import importer
    from kg.store.serializer import Sorted, dump
    from kg.store.terms import quads_to_oxigraph

    settings, valid = corpus_settings(tmp_path, 200)
    assert 150 < valid < 200
    monkeypatch.setattr(build_module, "BATCH_FILES", 40)
    held = []  # files in the sink's batch each time it is checked
    real_check = ImportSink.check

    def check(self):
        held.append(self.in_batch)
        real_check(self)

    monkeypatch.setattr(ImportSink, "check", check)
    result = build(settings)
    assert held and max(held) <= 40 and sum(held) == valid  # invalid files are skipped
    assert result.shacl.conforms

    # the importer hands the build a generator: no file is read before the build asks
    cur = curated(settings)
    spec = imports.specs(settings)[0]
    got = importer.quads(spec, imports.ImportContext(settings, cur.documents, cur.records))
    assert got.quads == [] and isinstance(got.streams[0].pieces, GeneratorType)
    assert got.streams[0].total == 200

    # what was published is what the whole graph mapped and aligned in memory gives
    graphs = assemble(settings)
    expected = Sorted(quads_to_oxigraph(graphs.quads))
    assert (result.path / "dumps" / "graph.nt").read_bytes() == dump(expected, "nt", {})
    assert result.manifest["quads"] == len(expected.keys)
    assert count(result.path) == result.manifest["quads"]  # a solution per graph
    assert len([g for g in result.manifest["graphs"] if "/graph/publiccode/" in g]) == valid
    # the folder is one input, hashed over its files
    assert str(settings.data_dir / "imports" / "publiccode.yaml") in str(result.manifest["inputs"])
    assert any(k.endswith("corpus") for k in result.manifest["inputs"])


def test_a_streamed_graph_that_violates_the_shapes_fails_the_build(tmp_path):
    from kg.config import ROOT

    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    with (onto / "shapes.ttl").open("a") as f:
        f.write(
            "bh:NoSoftwareTypeShape a sh:NodeShape ; sh:targetClass bh:SoftwareProject ;\n"
            "  sh:property [ sh:path bh:softwareType ; sh:maxCount 0 ;\n"
            '    sh:message "no software type here" ] .\n'
        )
    settings, _ = corpus_settings(tmp_path, 12, ontology_dir=onto)
    with pytest.raises(ShapesViolated) as caught:
        build(settings)
    report = caught.value.report()
    assert "no software type here" in report
    assert "corpus/000/" in report  # the file the project comes from
    assert current_build(settings.var_dir) is None
    assert not any((settings.var_dir / "builds").iterdir())


def test_a_fresh_clone_without_the_shared_folder_builds_with_a_warning(tmp_path, capsys):
    from kg.config import ROOT, Settings

    settings = Settings(var_dir=tmp_path / "var", shared_dir=tmp_path / "no-shared")
    result = build(settings)
    warnings = result.manifest["warnings"]
    assert any("publiccode.yaml" in w and "shared folder" in w for w in warnings), warnings
    assert any("bluehats-pages.yaml" in w for w in warnings), warnings
    assert "warning: data/imports/publiccode.yaml" in capsys.readouterr().err
    assert not any("/graph/publiccode/" in g for g in result.manifest["graphs"])
    assert result.records > 100 and (ROOT / "data").is_dir()


def test_a_malformed_import_list_stays_an_error(tmp_path):
    from kg.imports import ImportListError

    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    (data / "imports").mkdir()
    (data / "imports" / "publiccode.yaml").write_text("importer: publiccode\nsources:\n  - x\n")
    with pytest.raises(ImportListError, match="publiccode.yaml:3"):
        build(mini_settings(tmp_path / "var", data_dir=data))
    assert current_build(tmp_path / "var") is None
