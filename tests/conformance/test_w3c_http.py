"""The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description suites, run by
``../shared/tools/w3c-http-suites`` (node + npm) against our server under uvicorn.

- Writable mode: every suite passes (34/34, 13/13, 3/3).
- Read-only mode (the default): every query test of the Protocol suite passes. The tool loads a
  test's graph data with a SPARQL Update first, which a read-only server refuses (403), so the
  query tests that need data are replayed here from the same manifest against a published
  build that already holds that data; the update tests must be refused with a 4xx.

Needs node and npm (``.ci/run`` installs them); with ``CI=true`` a missing tool is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import rdflib
import rdflib.collection
from rdflib.namespace import RDFS

from kg.config import Settings as KgSettings
from kg.store import RdfFormat, new_build_dir, open_writable, publish
from tests.servers import uvicorn_server

SHARED = KgSettings().shared_dir
TOOL = SHARED / "tools" / "w3c-http-suites"
PROTOCOL = SHARED / "corpora" / "w3c-sparql-http" / "sparql" / "sparql11" / "protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULT = re.compile(r"^([✔✖]) .*\((http\S+#(\w+))\)")
QUERY_FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "application/n-quads",
            "application/trig", "application/ld+json"),
}


def _require_tool() -> None:
    missing = [c for c in ("node", "npm") if shutil.which(c) is None]
    if not TOOL.is_file():
        missing.append(str(TOOL))
    if missing:
        message = f"the W3C suites need {', '.join(missing)} (.ci/run installs node and npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def run_suites(base: str, *suites: str) -> tuple[int, str, dict[str, bool]]:
    """Run the tool; returns its exit status, its output and each test's verdict by id."""
    env = {**os.environ, "QUERY_EP": base + "/sparql", "GSP_EP": base + "/store",
           "SD_EP": base + "/sparql"}
    done = subprocess.run([str(TOOL), *suites], env=env, capture_output=True, text=True,
                          timeout=600)
    verdicts = {}
    for line in done.stdout.splitlines():
        m = RESULT.match(line.strip())
        if m:
            verdicts[m.group(3)] = m.group(1) == "✔"
    return done.returncode, done.stdout + done.stderr, verdicts


def _published(var_dir: Path, nquads: bytes = b"") -> Path:
    build = new_build_dir(var_dir)
    store = open_writable(build / "store")
    if nquads:
        store.load(nquads, format=RdfFormat.N_QUADS)
    store.flush()
    del store
    publish(var_dir, build)
    return var_dir


def _env(var_dir: Path, **settings) -> dict[str, str]:
    env = {"KG_VAR_DIR": str(var_dir), "KG_QUERY_WORKERS": "2"}
    env.update({"KG_" + k.upper(): str(v) for k, v in settings.items()})
    return env


def test_writable_mode_passes_every_suite(tmp_path, report_table):
    _require_tool()
    var_dir = _published(tmp_path / "var")
    with uvicorn_server("api.main:create_app_from_env", env=_env(var_dir, writable="true"),
                        ready_path="/-/health", log_dir=tmp_path) as base:
        status, output, verdicts = run_suites(base, "protocol", "gsp", "sd")
    scores = re.findall(r"[✔✖] (\d+) / (\d+) tests succeeded", output)
    report_table("W3C suites, writable mode: " + ", ".join(
        f"{name} {a}/{b}" for name, (a, b) in zip(("Protocol", "Graph Store", "Service Description"),
                                                  scores)))
    assert status == 0, output
    assert scores == [("34", "34"), ("13", "13"), ("3", "3")], output


# --- read-only mode -------------------------------------------------------------------------

def _manifest() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(PROTOCOL / "manifest.ttl", format="turtle", publicID=(PROTOCOL / "manifest.ttl").as_uri())
    return g


def _requests(g: rdflib.Graph, test) -> list[dict]:
    action = g.value(test, MF.action)
    out = []
    for req in rdflib.collection.Collection(g, g.value(action, HT.requests)):
        headers = {}
        hlist = g.value(req, HT.headers)
        if hlist is not None:
            for h in rdflib.collection.Collection(g, hlist):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = g.value(req, HT.body)
        resp = g.value(req, HT.resp)
        out.append({
            "method": str(g.value(req, HT.methodName)),
            "path": str(g.value(req, HT.absolutePath)),
            "headers": headers,
            "body": None if body is None else str(g.value(body, CNT.chars)),
            "status": sorted(int(str(s)[-3]) for s in g.objects(resp, MF.expectedStatus)),
            "format": g.value(resp, MF.expectedFormat),
            "boolean": g.value(resp, MF.expectedBoolean),
        })
    return out


def _is_update(req: dict) -> bool:
    text = (req["body"] or "") + req["path"]
    ctype = req["headers"].get("content-type", "")
    return "sparql-update" in ctype or "update=" in text


def _graph_data(g: rdflib.Graph, test) -> list[tuple[Path, str]]:
    return [(Path(urlsplit(str(g.value(d, UT.graph))).path), str(g.value(d, RDFS.label)))
            for d in g.objects(test, UT.graphData)]


def _read_only_cases():
    g = _manifest()
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    entries = rdflib.collection.Collection(g, g.value(manifest, MF.entries))
    cases = []
    for test in entries:
        requests = _requests(g, test)
        cases.append((str(test).split("#")[-1], requests, _graph_data(g, test)))
    return cases


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory):
    """A read-only server whose published build holds every graph the protocol tests use."""
    tmp = tmp_path_factory.mktemp("w3c-ro")
    lines = set()
    for _, _, data in _read_only_cases():
        for path, graph in data:
            for line in path.read_text().splitlines():
                if line.strip():
                    lines.add(line.strip().rstrip(".").rstrip() + f" <{graph}> .\n")
    var_dir = _published(tmp / "var", "".join(sorted(lines)).encode())
    with uvicorn_server("api.main:create_app_from_env", env=_env(var_dir), ready_path="/-/health",
                        log_dir=tmp) as base:
        yield base


CASES = _read_only_cases() if PROTOCOL.is_dir() else []


@pytest.mark.parametrize("name, requests, data", CASES, ids=[c[0] for c in CASES])
def test_read_only_mode_protocol_case(read_only_server, name, requests, data):
    """Each protocol test, replayed: query tests pass, updates get a 4xx (403 read-only)."""
    with httpx.Client(timeout=30) as http:
        for req in requests:
            # as the tool does: the manifest's "/sparql/" prefix becomes the endpoint
            url = read_only_server + "/sparql" + req["path"][len("/sparql/"):]
            body = req["body"].encode("utf-16" if "UTF-16" in req["headers"].get("content-type", "")
                                      else "utf-8") if req["body"] is not None else None
            r = http.request(req["method"], url, headers=req["headers"], content=body)
            if _is_update(req) and 4 not in req["status"]:
                # a write the read-only server must refuse, with the reason
                assert r.status_code == 403, (name, r.status_code, r.text)
                assert r.json()["error"]["code"] == "read_only"
                return
            assert r.status_code // 100 in req["status"], (name, r.status_code, r.text)
            ctype = r.headers.get("content-type", "")
            if req["format"] is not None:
                assert any(t in ctype for t in QUERY_FORMATS[str(req["format"])]), (name, ctype)
            if req["boolean"] is not None:
                expected = str(req["boolean"]) == "true"
                assert r.json()["boolean"] is expected, (name, r.text)


def test_read_only_mode_tool_run(read_only_server, report_table):
    """The tool against the read-only server: every query test without graph data passes; the
    others fail only because their data load (a SPARQL Update) is refused."""
    _require_tool()
    status, output, verdicts = run_suites(read_only_server, "protocol")
    cases = {name: (requests, data) for name, requests, data in _read_only_cases()}
    for name, passed in verdicts.items():
        requests, data = cases[name]
        needs_write = bool(data) or any(_is_update(r) and 4 not in r["status"] for r in requests)
        if not needs_write:
            assert passed, f"{name} failed in read-only mode:\n{output}"
    with_data = sum(1 for n in cases if cases[n][1])
    report_table(f"W3C Protocol suite, read-only mode: tool {sum(verdicts.values())}/34; the "
                 f"others are the {with_data} query tests whose data load is an update (replayed "
                 "on preloaded data: pass) and the update tests (refused with 403)")
    assert len(verdicts) == 34
