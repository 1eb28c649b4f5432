"""Fixtures of the fault tests: a var directory with one real build of the small fixture data
(``tests/kg/fixtures/mini``), its own for each test, and ``kg`` run as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import serve  # noqa: F401  (a real uvicorn server)
from tests.builds import mini_settings, settings_env

ROOT = Path(__file__).resolve().parents[2]


def kg(*args, env: dict, timeout: float = 120, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, **popen)


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory) -> Path:
    """One build of the mini data, made once; tests copy it."""
    from kg.build import build

    var = tmp_path_factory.mktemp("faults-mini") / "var"
    build(mini_settings(var))
    return var


@pytest.fixture
def mini_var(mini_build, tmp_path):
    """``(settings, env)`` of a var dir of its own holding one published build of the mini data."""
    var = tmp_path / "var"
    shutil.copytree(mini_build, var, symlinks=True)
    settings = mini_settings(var)
    env = settings_env(settings)
    env.pop("CI", None)  # not needed by kg; keeps the environment small
    env["KG_QUERY_WORKERS"] = "1"
    return settings, {**env, "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")}
