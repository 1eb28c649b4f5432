"""No route serves a file outside the places it should: raw requests (no client-side
normalisation of ``..``) against a real uvicorn server, with a sentinel file beside the build."""

from __future__ import annotations

import pytest

from tests.api.conftest import Server, env_for
from tests.security.test_oversized import raw_request

SENTINEL = "SENTINEL-7f3a9c-not-to-be-served"
TARGETS = ["etc/passwd", "var/secret.txt", "api/settings.py", "pyproject.toml"]
PREFIXES = ["/-/static/", "/-/dumps/", "/store/", "/ontology/", "/project/", "/graph/",
            "/api/projects/", "/api/queries/", "/"]
DOTS = ["../", "..%2f", "%2e%2e/", "%2e%2e%2f", "..%5c", "....//", "%252e%252e/", "..;/",
        "%c0%ae%c0%ae/"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.api.conftest import FIXTURE, make_var_dir

    var = make_var_dir(tmp_path_factory.mktemp("traversal") / "var", FIXTURE.read_bytes())
    (var / "secret.txt").write_text(SENTINEL)
    (var.parent / "secret.txt").write_text(SENTINEL)
    s = Server(env_for(var, query_workers=1))
    yield s
    s.stop()


def paths():
    for prefix in PREFIXES:
        for dots in DOTS:
            for target in TARGETS:
                yield prefix + dots * 8 + target


def test_no_path_leaves_the_served_places(server):
    leaks = []
    statuses = set()
    for path in paths():
        status, data = raw_request(server.url, f"GET {path} HTTP/1.1\r\nHost: x\r\n"
                                               "Connection: close\r\n\r\n".encode())
        statuses.add(status)
        text = data.decode("latin-1")
        if SENTINEL in text or "root:x:0:0" in text or "def setting(" in text \
                or "[build-system]" in text:
            leaks.append(path)
        assert status < 500, (path, text[:300])
    assert leaks == []
    assert statuses <= {200, 301, 302, 303, 307, 308, 400, 404, 405, 406}, statuses


def test_the_static_files_are_still_served(server):
    status, data = raw_request(server.url, b"GET /-/static/kg.css HTTP/1.1\r\nHost: x\r\n"
                                           b"Connection: close\r\n\r\n")
    assert status == 200
