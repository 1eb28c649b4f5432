"""Fixtures: a small published build (made once per session) and apps serving it."""

from __future__ import annotations

import contextlib
import dataclasses
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
from kg.store import RdfFormat, current_build, new_build_dir, open_writable, publish
from kg.store.remote import Endpoint, build_graphs, push
from tests.servers import oxigraph_server

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


# The app's backends: the embedded Oxigraph store (worker pool), and a remote SPARQL server
# (a real ``oxigraph serve`` holding the same build, pushed as ``kg build --endpoint`` does).
BACKENDS = ("embedded", "remote")


@pytest.fixture(scope="session")
def remote_of(tmp_path_factory):
    """``remote_of(var_dir, base)``: an ``oxigraph serve`` holding the published build of
    ``var_dir`` (one server per build, for the session), as an ``Endpoint``."""
    stack = contextlib.ExitStack()
    started: dict[str, Endpoint] = {}

    def start(var: Path, base: str = BASE) -> Endpoint:
        store = current_build(var) / "store"
        if str(store) not in started:
            server = stack.enter_context(oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "store"))
            endpoint = Endpoint(server.query_url, server.update_url, server.store_url)
            push(endpoint, build_graphs(store), base_iri=base, log=lambda *_: None)
            started[str(store)] = endpoint
        return started[str(store)]

    yield start
    stack.close()


def on_backend(settings: Settings, backend: str, remote_of) -> Settings:
    """``settings`` served by ``backend`` (``embedded`` or ``remote``)."""
    if backend == "embedded":
        return settings
    endpoint = remote_of(settings.var_dir, settings.base_iri)
    return dataclasses.replace(settings, endpoint=endpoint.query, store_endpoint=endpoint.store)


@pytest.fixture(scope="session", params=BACKENDS)
def client(var_dir, remote_of, request):
    """A read-only app on the fixture graph (in-process), on each backend in turn."""
    settings = on_backend(settings_for(var_dir, max_rows=5), request.param, remote_of)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
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
