"""Oversized requests are refused early (413 or 400), over HTTP against a real uvicorn server.

The request size limit (``max_request_bytes``, 1 MB by default) guards every route before it
reads a body; reconciliation bounds its batches and texts too, since its scoring runs in the
server process without the query workers' time limit.
"""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from kg.reconcile.service import MAX_QUERIES, MAX_TEXT
from tests.api.conftest import Server, env_for

MB = 1_000_000
TEN_MB = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (10 * MB)


@pytest.fixture(scope="module")
def server(var_dir):
    s = Server(env_for(var_dir, query_workers=1))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    from tests.api.conftest import FIXTURE, make_var_dir

    var = make_var_dir(tmp_path_factory.mktemp("oversized") / "var", FIXTURE.read_bytes())
    s = Server(env_for(var, query_workers=1, writable="true"))
    yield s
    s.stop()


def raw_request(url: str, head: bytes, body_chunks=(), timeout: float = 20) -> tuple[int, bytes]:
    """Send bytes as they are (no client-side normalisation); the status and what came back."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the end of the body: that is the point
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                more = sock.recv(65536)
                if not more:
                    break
                data += more
        except ConnectionResetError:
            pass
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data


def test_a_10_mb_query_body_is_refused_with_413(server):
    r = httpx.post(server.url + "/sparql", content=TEN_MB,
                   headers={"content-type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 413
    assert r.json()["error"] == {"status": 413, "code": "payload_too_large",
                                 "message": r.json()["error"]["message"], "limit": MB}


def test_a_10_mb_chunked_body_is_refused_once_the_limit_is_crossed(server):
    """No Content-Length: the body is counted as it arrives."""
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    piece = b"#" + b"x" * 65535

    def chunks():
        for _ in range(10 * MB // len(piece)):
            yield b"%x\r\n%s\r\n" % (len(piece), piece)
        yield b"0\r\n\r\n"

    status, data = raw_request(server.url, head, chunks())
    assert status == 413, data[:300]


def test_a_declared_length_over_the_limit_is_refused_before_the_body(server):
    """The answer comes although not one byte of the announced 10 MB was sent."""
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 10000000\r\n\r\n")
    status, data = raw_request(server.url, head, timeout=10)
    assert status == 413, data[:300]


def test_a_10_mb_query_in_the_url_is_refused(server):
    head = b"GET /sparql?query=" + b"x" * (10 * MB) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    status, data = raw_request(server.url, head)
    assert status in (400, 413, 414), data[:300]
    assert httpx.get(server.url + "/-/health").status_code == 200  # and the server lives on


def test_a_huge_header_is_refused(server):
    """Regression: uvicorn (httptools) let a 2 MB header through to the app."""
    head = b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * (2 * MB) + b"\r\n\r\n"
    status, data = raw_request(server.url, head)
    assert status in (0, 400, 413, 431), data[:300]  # 0: the server closed the connection
    assert httpx.get(server.url + "/-/health").status_code == 200


def test_a_100k_query_reconciliation_batch_is_refused(server):
    batch = {f"q{i}": {"query": "Kubic"} for i in range(100_000)}
    r = httpx.post(server.url + "/reconcile", data={"queries": json.dumps(batch)}, timeout=30)
    assert r.status_code in (400, 413), r.text[:300]
    assert r.json()["error"]["code"] in ("payload_too_large", "bad_request")


def test_a_reconciliation_batch_over_the_cap_is_refused_with_400(server):
    """Regression: a 22 kB batch of 1,000 queries kept the server busy for a minute."""
    batch = {f"q{i}": {"query": "Ku"} for i in range(MAX_QUERIES + 1)}
    r = httpx.post(server.url + "/reconcile", data={"queries": json.dumps(batch)}, timeout=30)
    assert r.status_code == 400
    assert f"at most {MAX_QUERIES} queries" in r.json()["error"]["message"]


@pytest.mark.parametrize("path, params", [
    # regression: one 10,000-character query took 11 s of the server's time
    ("/reconcile", {"queries": json.dumps({"q0": {"query": "ab " * 3000}})}),
    ("/reconcile", {"queries": json.dumps({"q0": {"query": "Kubic", "properties": [
        {"pid": "name", "v": "ab " * 3000}]}})}),
    # regression: a 10,000-character prefix took 30 s
    ("/reconcile/suggest/entity", {"prefix": "ab " * 3000}),
    ("/reconcile/suggest/type", {"prefix": "ab " * 3000}),
    ("/reconcile/suggest/property", {"prefix": "ab " * 3000}),
    ("/search", {"q": "ab " * 3000, "format": "json"}),
])
def test_an_overlong_text_to_match_is_refused_with_400(server, path, params):
    r = httpx.get(server.url + path, params=params, timeout=30)
    assert r.status_code == 400, r.text[:300]
    assert r.json()["error"]["code"] == "bad_request"


def test_the_largest_accepted_batch_is_answered(server):
    """The worst request the caps let through still gets its answer (the time is printed)."""
    batch = {f"q{i}": {"query": ("Kubic Grist " * 20)[:MAX_TEXT]} for i in range(MAX_QUERIES)}
    start = time.monotonic()
    r = httpx.post(server.url + "/reconcile", data={"queries": json.dumps(batch)}, timeout=120)
    print(f"largest accepted reconciliation batch: {time.monotonic() - start:.2f} s")
    assert r.status_code == 200 and len(r.json()) == MAX_QUERIES


@pytest.mark.parametrize("content_type", ["text/turtle", "multipart/form-data; boundary=b"])
def test_a_10_mb_upload_is_refused_in_writable_mode(writable, content_type):
    r = httpx.put(writable.url + "/store?graph=http://example.org/big", content=b"#" * (10 * MB),
                  headers={"content-type": content_type}, timeout=30)
    assert r.status_code == 413
