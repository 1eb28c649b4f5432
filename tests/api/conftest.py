"""Fixtures: a small published build (made once per session) and apps serving it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from kg.store import RdfFormat, new_build_dir, open_writable, publish

BASE = "https://w3id.org/bluehats-kg/"
FIXTURE = Path(__file__).parent / "fixtures" / "graph.trig"
ROOT = Path(__file__).resolve().parents[2]
LOOPBACK_CLIENT = ("127.0.0.1", 50000)  # writes without a token come from loopback only


def make_var_dir(var_dir: Path, trig: bytes) -> Path:
    """A var/ directory with one published build holding ``trig``."""
    build = new_build_dir(var_dir)
    store = open_writable(build / "store")
    store.load(trig, format=RdfFormat.TRIG)
    store.flush()
    del store
    publish(var_dir, build)
    return var_dir


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory) -> Path:
    return make_var_dir(tmp_path_factory.mktemp("var"), FIXTURE.read_bytes())


def settings_for(var_dir: Path, **overrides) -> Settings:
    values = {"var_dir": var_dir, "base_iri": BASE, "query_workers": 2,
              "queries_dir": FIXTURE.parent / "queries", **overrides}
    return Settings(**values)


@pytest.fixture(scope="session")
def client(var_dir):
    """A read-only app on the fixture graph (in-process, real worker pool)."""
    with TestClient(create_app(settings_for(var_dir, max_rows=5)), raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``uvicorn --factory api.main:create_app_from_env`` in a child process, on loopback."""

    def __init__(self, env: dict[str, str], workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app_from_env",
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
             "--log-level", "warning"],
            cwd=ROOT, env=full_env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/-/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("the server exited at start")
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def env_for(var_dir: Path, **settings) -> dict[str, str]:
    env = {"KG_VAR_DIR": str(var_dir), "KG_BASE_IRI": BASE}
    env.update({"KG_" + k.upper(): str(v) for k, v in settings.items()})
    return env


@pytest.fixture
def serve():
    """``serve(var_dir, workers=1, **settings)`` starts a real uvicorn server; stopped after."""
    started = []

    def start(var_dir: Path, workers: int = 1, **settings) -> Server:
        server = Server(env_for(var_dir, **settings), workers=workers)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def app_for():
    """``app_for(var_dir, **settings)``: an in-process client on its own app (closed after)."""
    opened = []

    def open_(var_dir: Path, **settings) -> TestClient:
        c = TestClient(create_app(settings_for(var_dir, **settings)), raise_server_exceptions=False,
                       client=LOOPBACK_CLIENT)
        c.__enter__()
        opened.append(c)
        return c

    yield open_
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture
def fresh_var(tmp_path) -> Path:
    """A var/ directory of its own (for tests that publish or write)."""
    return make_var_dir(tmp_path / "var", FIXTURE.read_bytes())
