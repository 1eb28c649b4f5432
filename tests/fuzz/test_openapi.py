"""Schemathesis against our own OpenAPI schema, over every route, on a real uvicorn server
serving the built graph: no 500, no hang, every error a 4xx (or the documented 503 of a query
past its limit) with the stable JSON shape, or an HTML page for browsers.

The published schema (``/openapi.json``) leaves out the linked-data pages and declares no
parameter for ``/sparql`` and ``/store`` (their handlers read the request themselves); the
schema fuzzed here is the published one completed with those routes and parameters, read from
the app's own routing table, so a new route is fuzzed as soon as it exists.

CI runs a few examples per operation; for a longer run:

    KG_FUZZ_EXAMPLES=200 python -m pytest tests/fuzz/test_openapi.py
"""

from __future__ import annotations

import os
import re
import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.main import create_app
from api.settings import Settings
from tests.api.conftest import Server

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "3"))
SKIPPED = ("/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json")
EXPECTED_503 = {"query_timeout", "busy"}  # documented: a query past its limit, a full pool
STRING = {"type": "string"}


def _param(name: str, where: str = "query", schema: dict | None = None,
           required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema or STRING}


def _routes(app) -> list[tuple[str, set[str]]]:
    out = []

    def walk(items):
        for r in items:
            if hasattr(r, "original_router"):
                walk(r.original_router.routes)
            elif getattr(r, "methods", None):
                out.append((r.path, set(r.methods)))

    walk(app.router.routes)
    return out


def fuzz_schema() -> dict:
    """The app's OpenAPI schema, completed with the routes and parameters it leaves out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate operation ids (GET and HEAD share one)
        app = create_app(Settings())
        schema = app.openapi()
    paths = schema["paths"]
    for template, methods in _routes(app):
        if template in SKIPPED or "GET" not in methods:
            continue
        path = re.sub(r"\{(\w+):path\}", r"{\1}", template)
        names = re.findall(r"\{(\w+)\}", path)
        op = paths.setdefault(path, {}).setdefault("get", {"responses": {"200": {
            "description": "OK"}}})
        op.setdefault("parameters", [])
        known = {p["name"] for p in op["parameters"]}
        op["parameters"] += [_param(n, "path", required=True) for n in names if n not in known]
        op["parameters"] += [_param(n) for n in ("lang", "format", "page") if n not in known]
        op.setdefault("operationId", f"fuzz_get_{path}")
    sparql = paths["/sparql"]
    sparql["get"]["parameters"] = [
        _param("query"), _param("format"), _param("timeout"),
        _param("default-graph-uri", schema={"type": "array", "items": STRING}),
        _param("named-graph-uri", schema={"type": "array", "items": STRING})]
    sparql["post"]["requestBody"] = {"content": {"application/x-www-form-urlencoded": {
        "schema": {"type": "object", "properties": {"query": STRING, "update": STRING,
                                                    "format": STRING}}}}}
    store = paths["/store"]
    for method in ("get", "put", "post", "delete"):
        store[method]["parameters"] = [_param("graph"), _param("default"), _param("format")]
    return schema


schema = schemathesis.openapi.from_dict(fuzz_schema())


@pytest.fixture(scope="module")
def server(built):
    s = Server({**built.env(), "KG_QUERY_WORKERS": "2", "KG_QUERY_TIMEOUT": "3"})
    yield s
    s.stop()


def error_shape(response, case) -> None:
    status = response.status_code
    assert status < 500 or status == 503, f"{status} on {case.method} {case.formatted_path}"
    ctype = response.headers.get("content-type", "")
    if isinstance(ctype, list):
        ctype = ctype[0]
    if case.method.upper() == "HEAD":
        return  # no body to read
    if status >= 400 and ctype.startswith("application/json"):
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
        assert isinstance(error, dict), f"not the error shape: {response.text[:300]}"
        assert error["status"] == status and isinstance(error["code"], str)
        assert isinstance(error["message"], str) and error["message"]
        if status == 503:
            assert error["code"] in EXPECTED_503, error
    elif status >= 400:
        assert ctype.startswith(("text/html", "application/javascript")), (status, ctype)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("KG_FUZZ_EXAMPLES"),
          suppress_health_check=list(HealthCheck))
def test_every_route(case, server):
    response = case.call(base_url=server.url, timeout=30)
    error_shape(response, case)
