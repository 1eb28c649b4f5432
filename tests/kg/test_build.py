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
    assert not (settings.var_dir / "builds").exists()  # nothing written before the checks pass


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
    with pytest.raises(RuntimeError):
        with gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("boom")
    assert gc.isenabled()
