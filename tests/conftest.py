"""Shared fixtures: graphs built once per test session.

``built`` builds the real ``data/`` + ``ontology/`` into a temporary var dir and returns
``(settings, build_path)`` (a ``Built`` named tuple: ``built.settings``, ``built.path``;
``built.env()`` gives the environment for a ``python -m kg`` subprocess). Until the real data
and ontology exist, it builds the small fixture data of the pipeline tests instead
(``built.real`` tells which).
"""

from __future__ import annotations

import pytest

from kg.config import Settings
from tests.builds import Built, mini_settings, real_inputs_present

# fixtures of the reconciliation tests (fixture graph, Wikidata-shaped endpoint), shared with
# tests/api/test_reconcile*.py
pytest_plugins = ("tests.reconcile.published",)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    from kg.build import build

    var_dir = tmp_path_factory.mktemp("built-var")
    if real_inputs_present():
        settings = Settings(var_dir=var_dir)
        real = True
    else:
        settings = mini_settings(var_dir)
        real = False
    result = build(settings)
    return Built(settings, result.path, real)


@pytest.fixture(scope="session")
def mini(tmp_path_factory) -> Built:
    """The pipeline tests' small fixture data (tests/kg/fixtures/mini), built once."""
    from kg.build import build

    settings = mini_settings(tmp_path_factory.mktemp("mini-var"))
    return Built(settings, build(settings).path, False)
