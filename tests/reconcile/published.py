"""A published build made of a fixture graph (``tests/reconcile/fixtures/graph.trig``), in the
real store layout (``var/builds/<id>/store``, ``var/current``), for reconciliation tests."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kg.config import Settings
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
