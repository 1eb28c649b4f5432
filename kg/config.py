"""Settings shared by the build and the server: paths and the base IRI.

Every setting can be given by an environment variable ``KG_<NAME>`` (upper case).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get("KG_" + name.upper(), default)


@dataclass(frozen=True)
class Settings:
    base_iri: str = field(default_factory=lambda: _env("base_iri", "https://w3id.org/bluehats-kg/"))
    data_dir: Path = field(default_factory=lambda: Path(_env("data_dir", str(ROOT / "data"))))
    ontology_dir: Path = field(
        default_factory=lambda: Path(_env("ontology_dir", str(ROOT / "ontology")))
    )
    queries_dir: Path = field(
        default_factory=lambda: Path(_env("queries_dir", str(ROOT / "queries")))
    )
    # var/builds/<build-id>/{store/, dumps/, manifest.json}; var/current -> builds/<build-id>
    var_dir: Path = field(default_factory=lambda: Path(_env("var_dir", str(ROOT / "var"))))
    # where ../shared/ lives (sources and corpora read at test or import time)
    shared_dir: Path = field(
        default_factory=lambda: Path(_env("shared_dir", str(ROOT.parent / "shared")))
    )

    @property
    def current_build(self) -> Path:
        return self.var_dir / "current"
