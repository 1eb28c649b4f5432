"""Builds for tests: the fixture data of the pipeline tests and settings pointing at a build.

Imported by ``tests/conftest.py`` (the ``built`` and ``mini`` fixtures) and by tests that make
builds of their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

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
    from kg.sources import data_files  # record files: the import lists of data/imports/ aside

    return bool(data_files(ROOT / "data")) and (ROOT / "ontology" / "bluehats.ttl").is_file()


def mini_settings(var_dir: Path, **changes) -> Settings:
    values = {
        "data_dir": MINI / "data",
        "ontology_dir": MINI / "ontology",
        "queries_dir": MINI / "queries",
        "var_dir": var_dir,
    }
    values.update(changes)
    return Settings(**values)
