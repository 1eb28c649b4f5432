"""The write path: read-only mode refuses every write on every route; writable mode asks for the
bearer token off loopback, compares it in constant time and never logs or shows it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.api.conftest import ROOT, free_port, settings_for

WRITE_METHODS = ("PUT", "POST", "DELETE", "PATCH")
TTL = {"content-type": "text/turtle"}
UPDATE = {"content-type": "application/sparql-update"}
INSERT = b"INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> a <http://example.org/T> } }"
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
# sample values for the path parameters of the app's routes
PATH_VALUES = {"ident": "kubic", "event": "garagethon-2024", "figure": "1", "name": "fixture",
               "term": "Project", "direct": "g", "path": "/x", "kind": "projects", "id": "kubic"}
# POST routes that only read (a query or a reconciliation); each gets its write form too
READING_POSTS = {"/sparql", "/reconcile", "/reconcile/properties"}


def routes(app) -> list[tuple[str, set[str]]]:
    """Every (path template, methods) of the app, routers and mounts included."""
    out = []

    def walk(items, prefix=""):
        for r in items:
            if hasattr(r, "original_router"):
                walk(r.original_router.routes, prefix)
            elif hasattr(r, "methods") and r.methods is not None:
                out.append((prefix + r.path, set(r.methods)))
            elif hasattr(r, "path"):  # a mount (static files): every method reaches it
                out.append((prefix + r.path + "/kg.css", set()))

    walk(app.router.routes)
    return out


def concrete(template: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: PATH_VALUES.get(m.group(1), "x"), template)


def snapshot(client) -> str:
    r = client.get("/sparql", params={"query": ALL_QUADS, "format": "csv"})
    assert r.status_code == 200
    return r.text


def test_every_write_method_on_every_route_is_refused_in_read_only_mode(var_dir):
    app = create_app(settings_for(var_dir, query_workers=1))
    with TestClient(app, raise_server_exceptions=False) as c:
        before = snapshot(c)
        paths = sorted({concrete(t) for t, _ in routes(app)})
        assert "/sparql" in paths and "/store" in paths and len(paths) > 10
        seen = []
        for path in paths:
            for method in WRITE_METHODS:
                for body, headers in ((b"<http://e/s> <http://e/p> <http://e/o> .", TTL),
                                      (INSERT, UPDATE), ({"update": INSERT.decode()}, None)):
                    kwargs = {"data": body} if isinstance(body, dict) else {"content": body}
                    r = c.request(method, path, headers=headers, **kwargs)
                    seen.append((method, path, r.status_code))
                    if method == "POST" and path in READING_POSTS and r.status_code in (200, 204):
                        assert "update" not in str(kwargs) or path != "/sparql", (path, r.text)
                        continue
                    assert 400 <= r.status_code < 500, (method, path, headers, r.status_code,
                                                        r.text[:200])
        after = snapshot(c)
    assert after == before
    # the write endpoints say why
    refused = {(m, p) for m, p, s in seen if s == 403}
    for method in ("PUT", "POST", "DELETE"):
        assert (method, "/store") in refused and (method, "/store/g") in refused
    assert ("POST", "/sparql") in refused


WRITERS = [  # (client address, token set on the server, Authorization sent, expected status)
    (("127.0.0.1", 5000), "", None, 204),          # loopback, no token set: allowed
    (("::1", 5000), "", None, 204),
    (("192.0.2.10", 5000), "", None, 403),         # another machine, no token set: refused
    (("192.0.2.10", 5000), "", "Bearer anything", 403),
    (("192.0.2.10", 5000), "s3cret-token", None, 401),
    (("192.0.2.10", 5000), "s3cret-token", "Bearer wrong", 401),
    (("192.0.2.10", 5000), "s3cret-token", "Bearer s3cret-token-and-more", 401),
    (("192.0.2.10", 5000), "s3cret-token", "Basic s3cret-token", 401),
    (("192.0.2.10", 5000), "s3cret-token", "Bearer s3cret-token", 204),
    (("127.0.0.1", 5000), "s3cret-token", None, 401),  # a token set: loopback needs it too
]


def from_client(app):
    """``app`` seen from the address in the request's ``x-test-client`` header (a test's way
    to be another machine; one client, one event loop, one worker pool)."""
    async def wrapped(scope, receive, send):
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"x-test-client":
                    scope = {**scope, "client": (value.decode(), 5000)}
        await app(scope, receive, send)

    return wrapped


@pytest.mark.parametrize("token", ["", "s3cret-token"])
def test_writes_need_the_token_off_loopback(fresh_var, token):
    """Whatever interface uvicorn was really bound to (``uvicorn --host 0.0.0.0`` by hand
    leaves the ``host`` setting at loopback), a write from another machine needs the token."""
    app = create_app(settings_for(fresh_var, writable=True, token=token, query_workers=1))
    with TestClient(from_client(app), raise_server_exceptions=False) as c:
        for client, set_token, sent, status in WRITERS:
            if set_token != token:
                continue
            headers = {"x-test-client": client[0], **({"authorization": sent} if sent else {})}
            r = c.post("/sparql", content=INSERT, headers={**UPDATE, **headers})
            assert r.status_code == status, (client, sent, r.text[:300])
            r = c.put("/store?graph=http://example.org/g2", content=b"<http://e/s> <http://e/p> 1 .",
                      headers={**TTL, **headers})
            assert r.status_code in ((201, 204) if status == 204 else (status,)), (client, sent)


@pytest.mark.parametrize("host, token, ok", [
    ("127.0.0.1", "", True), ("::1", "", True), ("localhost", "", True),
    ("0.0.0.0", "", False), ("::", "", False), ("192.0.2.1", "", False),
    ("127.evil.example", "", False),  # a name could resolve anywhere
    ("0.0.0.0", "s3cret", True),
])
def test_writable_mode_off_loopback_needs_a_token(host, token, ok):
    settings = Settings(writable=True, host=host, token=token)
    if ok:
        settings.check()
    else:
        with pytest.raises(ValueError, match="needs a token"):
            settings.check()


def test_the_token_is_compared_in_constant_time(fresh_var, monkeypatch):
    """Every presented token goes through ``hmac.compare_digest``, whatever its length."""
    import api.deps

    calls = []
    real = api.deps.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(api.deps.hmac, "compare_digest", spy)
    app = create_app(settings_for(fresh_var, writable=True, token="s3cret-token", query_workers=1))
    with TestClient(app, raise_server_exceptions=False) as c:
        for given in ("", "s", "s3cret-tokem", "s3cret-token-longer", "s3cret-token"):
            c.post("/sparql", content=INSERT,
                   headers={**UPDATE, "authorization": f"Bearer {given}"})
    assert [a for a, _ in calls] == [b"", b"s", b"s3cret-tokem", b"s3cret-token-longer",
                                     b"s3cret-token"]
    assert all(b == b"s3cret-token" for _, b in calls)


def _descendants(pid: int) -> list[int]:
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def test_the_token_is_never_logged_or_shown(fresh_var, tmp_path):
    """``kg serve --writable --token-file``: the token appears in no log line, no page, no
    process's command line, whatever the clients send."""
    token = "tok-" + os.urandom(12).hex()
    token_file = tmp_path / "token"
    token_file.write_text(token + "\n")
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "KG_VAR_DIR": str(fresh_var), "KG_BASE_IRI": "https://w3id.org/bluehats-kg/"}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--no-build", "--writable", "--host", "0.0.0.0",
             "--port", str(port), "--token-file", str(token_file), "--query-workers", "1",
             "--access-log"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/-/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        pages = []
        with httpx.Client(base_url=url, timeout=20) as http:
            good = {**UPDATE, "authorization": f"Bearer {token}"}
            assert http.post("/sparql", content=INSERT, headers=good).status_code == 204
            for wrong in (token[:-1], token + "x", token.upper()):
                r = http.post("/sparql", content=INSERT,
                              headers={**UPDATE, "authorization": f"Bearer {wrong}"})
                assert r.status_code == 401
                pages.append(r.text)
            r = http.post("/sparql", content=INSERT,
                          headers={**UPDATE, "authorization": "Bearer nope", "accept": "text/html"})
            pages.append(r.text)
            for path in ("/-/settings", "/-/health", "/sparql", "/openapi.json", "/"):
                pages.append(http.get(path, headers={"accept": "text/turtle, text/html;q=0.5"}).text)
            cmdlines = [Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
                        for p in _descendants(server.pid) if Path(f"/proc/{p}/cmdline").exists()]
    finally:
        server.terminate()
        server.wait(15)
    text = log.read_text(errors="replace")
    assert "POST /sparql" in text  # the access log (off by default) is on, and says nothing of the token
    assert token not in text
    for page in pages:
        assert token not in page
    assert len(cmdlines) >= 2 and not any(token in c for c in cmdlines)
