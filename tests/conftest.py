"""Shared fixtures: graphs built once per test session.

``built`` builds the real ``data/`` + ``ontology/`` into a temporary var dir and returns
``(settings, build_path)`` (a ``Built`` named tuple: ``built.settings``, ``built.path``).
Until the real data and ontology exist, it builds the small fixture data of the pipeline
tests instead (``built.real`` tells which).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest

from kg.config import ROOT, Settings

FIXTURES = Path(__file__).parent / "kg" / "fixtures"
MINI = FIXTURES / "mini"


class Built(NamedTuple):
    settings: Settings
    path: Path  # the published build directory (var/current resolved)
    real: bool = True

    def env(self) -> dict[str, str]:
        """Environment variables that point a subprocess (``python -m kg``) at this build."""
        return settings_env(self.settings)


def settings_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        KG_BASE_IRI=settings.base_iri,
        KG_DATA_DIR=str(settings.data_dir),
        KG_ONTOLOGY_DIR=str(settings.ontology_dir),
        KG_QUERIES_DIR=str(settings.queries_dir),
        KG_VAR_DIR=str(settings.var_dir),
        KG_SHARED_DIR=str(settings.shared_dir),
    )
    return env


def real_inputs_present() -> bool:
    return any((ROOT / "data").rglob("*.yaml")) and (ROOT / "ontology" / "bluehats.ttl").is_file()


def mini_settings(var_dir: Path, **changes) -> Settings:
    values = dict(
        data_dir=MINI / "data",
        ontology_dir=MINI / "ontology",
        queries_dir=MINI / "queries",
        var_dir=var_dir,
    )
    values.update(changes)
    return Settings(**values)


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
