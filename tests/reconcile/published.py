"""A published build made of a fixture graph (``tests/reconcile/fixtures/graph.trig``), in the
real store layout (``var/builds/<id>/store``, ``var/current``), for reconciliation tests."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kg.config import ROOT, Settings
from kg.reconcile.candidates import current_index
from kg.store import RdfFormat, new_build_dir, open_writable, publish

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GRAPH = FIXTURES / "graph.trig"
BASE = "https://w3id.org/bluehats-kg/"


def publish_fixture(var_dir: Path, graph: Path = GRAPH, data_dir: Path | None = None) -> Settings:
    build = new_build_dir(var_dir)
    store = open_writable(build / "store")
    store.bulk_load(path=str(graph), format=RdfFormat.TRIG)
    store.flush()
    del store
    gc.collect()
    publish(var_dir, build)
    return Settings(base_iri=BASE, var_dir=var_dir, data_dir=data_dir or var_dir / "data")


@pytest.fixture(scope="session")
def fixture_settings(tmp_path_factory) -> Settings:
    """Settings whose ``var/current`` is the fixture graph, published once per session."""
    return publish_fixture(tmp_path_factory.mktemp("reconcile-var"))


@pytest.fixture(scope="session")
def index(fixture_settings):
    return current_index(fixture_settings)


WIKIDATA_EXTRA = FIXTURES / "wikidata-extra.ttl"


def wikidata_fixture_files() -> list[Path]:
    """The Wikidata-shaped fixture of shared/corpora and our additions to it."""
    mini = Settings().shared_dir / "corpora" / "wikidata" / "wikidata-mini.ttl"
    if not mini.is_file():
        raise RuntimeError(f"missing {mini} (set KG_SHARED_DIR)")
    return [mini, WIKIDATA_EXTRA]


@pytest.fixture(scope="session")
def wikidata_endpoint(tmp_path_factory):
    """A real ``oxigraph serve`` loaded with the Wikidata-shaped fixture: its query URL."""
    from tests.servers import oxigraph_server

    with oxigraph_server(tmp_path_factory.mktemp("wikidata") / "store",
                         wikidata_fixture_files()) as endpoint:
        yield endpoint.query_url


LINKED = FIXTURES / "linked"
REVIEW = """\
# decided on 2026-11-28
entities:
  project/django:
    name: Django
    candidates:
      - qid: Q842014   # the web framework
        decision: accept
      - qid: Q7397
        decision: reject
  project/flopedt:
    candidates:
      - qid: Q16639197
        decision:
    create: true
"""


def write(data_dir: Path, text: str) -> Path:
    """Write ``text`` as the review file under ``data_dir``."""
    from kg.reconcile.review import path_in

    path = path_in(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def linked_build(tmp_path_factory):
    """The pipeline's mini data plus Django and FlOpEDT, with a review file accepting
    project/django = Q842014, built and published."""
    import shutil

    from kg.build import build
    from tests.builds import MINI, mini_settings

    root = tmp_path_factory.mktemp("linked")
    data = root / "data"
    shutil.copytree(MINI / "data", data)
    shutil.copy(LINKED / "frameworks.yaml", data / "frameworks.yaml")
    write(data, REVIEW)
    settings = mini_settings(root / "var", data_dir=data, queries_dir=ROOT / "queries")
    build(settings)
    return settings


