"""Bounded load on loopback: many clients mixing cheap and costly requests for a fixed time.

    python benchmarks/load.py                       # 32 clients for 60 s on a server of its own
    python benchmarks/load.py --clients 8 --duration 10
    python benchmarks/load.py --url http://127.0.0.1:8000   # a server already running here

Without ``--url`` it starts ``kg serve --no-build`` on the published build (``KG_VAR_DIR``,
default ``var/``; run ``kg build`` first) on a free loopback port, and stops it at the end.
Only loopback addresses are accepted: this is a check of our own server, not a load tool.

Each client loops, drawing its next request from a fixed mix: cheap SPARQL lookups, aggregate
queries, linked-data pages (HTML and Turtle), REST calls, search and suggest, reconciliation
batches of ten names; and, a few times per run, a runaway query (a cross product over all
triples) that only the time limit stops. The report gives requests/s, p50/p99 latency per kind
(``cheap`` is the figure to watch), the count of each status (503s by error code), and the
resident memory of the server and its query workers before the run, right after it and after a
few seconds of rest. ``--json FILE`` writes the same report as JSON.

Acceptance (issue 6): no status but 2xx, 3xx, 4xx and 503 ``query_timeout`` for the runaways;
memory back near its start after the run.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
MAX_DURATION = 600.0  # seconds: the script stops by itself whatever it is asked
MAX_CLIENTS = 256
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?p ?q ?r . ?t ?u ?v }")
AGGREGATES = (
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
)
# kind -> weight in the mix (runaways are not drawn: they come at a fixed pace)
MIX = {"cheap": 35, "aggregate": 8, "page": 20, "turtle": 7, "rest": 15, "search": 7,
       "reconcile": 8}


@dataclass
class Report:
    clients: int
    duration: float
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)  # "200", "503 query_timeout", "error …"
    latencies: dict = field(default_factory=lambda: defaultdict(list))  # kind -> seconds
    by_kind: dict = field(default_factory=lambda: defaultdict(Counter))  # kind -> statuses
    memory: dict = field(default_factory=dict)  # moment -> {pid: rss bytes}
    url: str = ""

    def unexpected(self) -> dict[str, int]:
        """Statuses outside what the issue accepts (2xx, 3xx, 4xx, 503 for runaways)."""
        out = {}
        for kind, counts in self.by_kind.items():
            for status, n in counts.items():
                code = status.split()[0]
                ok = code[:1] in "234" and code.isdigit()
                if kind == "runaway" and status == "503 query_timeout":
                    ok = True
                if not ok:
                    out[f"{kind}: {status}"] = n
        return out

    def figures(self) -> dict:
        def pct(values, p):
            if not values:
                return None
            values = sorted(values)
            return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1)

        return {
            "url": self.url, "clients": self.clients, "duration_s": round(self.duration, 1),
            "requests": self.requests,
            "requests_per_s": round(self.requests / self.duration, 1) if self.duration else 0,
            "latency_ms": {kind: {"n": len(v), "p50": pct(v, 0.5), "p99": pct(v, 0.99),
                                  "mean": round(statistics.fmean(v) * 1000, 1) if v else None}
                           for kind, v in sorted(self.latencies.items())},
            "statuses": dict(sorted(self.statuses.items())),
            "statuses_by_kind": {k: dict(sorted(v.items())) for k, v in sorted(self.by_kind.items())},
            "unexpected": self.unexpected(),
            "memory_mb": {moment: {"total": round(sum(pids.values()) / 2**20, 1),
                                   "processes": len(pids)}
                          for moment, pids in self.memory.items()},
        }

    def text(self) -> str:
        f = self.figures()
        lines = [f"{f['requests']} requests in {f['duration_s']} s from {f['clients']} clients "
                 f"on {f['url']}: {f['requests_per_s']} requests/s", "",
                 f"{'kind':<10} {'n':>7} {'p50 ms':>8} {'p99 ms':>8}"]
        for kind, lat in f["latency_ms"].items():
            lines.append(f"{kind:<10} {lat['n']:>7} {lat['p50'] or 0:>8} {lat['p99'] or 0:>8}")
        lines += ["", "statuses: " + ", ".join(f"{k}: {v}" for k, v in f["statuses"].items())]
        lines.append("memory (RSS of the server and its query workers): " + ", ".join(
            f"{m} {v['total']} MB ({v['processes']} processes)" for m, v in f["memory_mb"].items()))
        lines.append("unexpected statuses: " + (json.dumps(f["unexpected"]) if f["unexpected"]
                                                 else "none"))
        return "\n".join(lines)


# --- memory ------------------------------------------------------------------------------

def _rss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from ``/proc``)."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def memory(root_pid: int | None, url: str) -> dict[int, int]:
    """RSS of every process serving ``url``: the tree under ``root_pid`` when we started the
    server, else the server process and query workers that ``/-/health`` names."""
    if root_pid is not None:
        pids = process_tree(root_pid)
    else:
        health = httpx.get(url + "/-/health", timeout=10).json()
        pids = [health["pid"], *health.get("query_worker_pids", [])]
    return {p: rss for p in pids if (rss := _rss(p)) is not None}


# --- the requests ------------------------------------------------------------------------

@dataclass
class Material:
    """What the requests are made of, read from the server before the run."""
    entities: list[str]  # local paths of entities (/project/x)
    iris: list[str]
    names: list[str]
    rest: list[str]  # GET paths of the REST layer without path parameters
    classes: list[str]


async def discover(http: httpx.AsyncClient, base: str) -> Material:
    q = ("SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
         f"FILTER(STRSTARTS(STR(?s), \"{base}\")) }} LIMIT 500")
    r = await http.get("/sparql", params={"query": q})
    r.raise_for_status()
    rows = r.json()["results"]["bindings"]
    iris = sorted({b["s"]["value"] for b in rows})
    names = sorted({b["l"]["value"] for b in rows})
    entities = ["/" + i[len(base):] for i in iris]
    classes = sorted({"/" + p.strip("/").split("/")[0] + "/" for p in entities})
    schema = (await http.get("/openapi.json")).json()
    rest = [p for p, ops in schema.get("paths", {}).items()
            if p.startswith("/api/") and "{" not in p and "get" in ops]
    if not iris:
        raise SystemExit("the server's graph has no labelled entity under its base IRI")
    return Material(entities, iris, names, rest, classes)


def request_for(kind: str, m: Material, rnd: random.Random) -> tuple[str, str, dict]:
    """``(method, path, httpx keyword arguments)`` of one request of ``kind``."""
    if kind == "cheap":
        iri = rnd.choice(m.iris)
        return "GET", "/sparql", {"params": {
            "query": f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 50"}}
    if kind == "aggregate":
        return "GET", "/sparql", {"params": {"query": rnd.choice(AGGREGATES)}}
    if kind == "page":
        path = rnd.choice(m.entities) if rnd.random() < 0.8 else rnd.choice(m.classes + ["/"])
        return "GET", path, {"headers": {"accept": BROWSER, "accept-language": "fr"}}
    if kind == "turtle":
        return "GET", rnd.choice(m.entities), {"headers": {"accept": "text/turtle"}}
    if kind == "rest":
        if m.rest:
            return "GET", rnd.choice(m.rest), {}
        return "GET", "/search", {"params": {"q": rnd.choice(m.names)[:20], "format": "json"}}
    if kind == "search":
        word = rnd.choice(m.names).split()[0][:12]
        if rnd.random() < 0.5:
            return "GET", "/search", {"params": {"q": word, "format": "json"}}
        return "GET", "/reconcile/suggest/entity", {"params": {"prefix": word[:4]}}
    if kind == "reconcile":
        batch = {f"q{i}": {"query": rnd.choice(m.names)[:60]} for i in range(10)}
        return "POST", "/reconcile", {"data": {"queries": json.dumps(batch)}}
    if kind == "runaway":
        return "GET", "/sparql", {"params": {"query": RUNAWAY}}
    raise ValueError(kind)


async def _send(http, report: Report, kind: str, method: str, path: str, kwargs: dict) -> None:
    start = time.perf_counter()
    try:
        r = await http.request(method, path, **kwargs)
        status = str(r.status_code)
        if r.status_code >= 500:
            try:
                status += " " + r.json()["error"]["code"]
            except (ValueError, KeyError, TypeError):
                pass
    except httpx.HTTPError as exc:
        status = f"error {type(exc).__name__}"
    elapsed = time.perf_counter() - start
    report.requests += 1
    report.statuses[status] += 1
    report.by_kind[kind][status] += 1
    if status[:1] == "2":
        report.latencies[kind].append(elapsed)


async def _client(http, report, m, seed: int, stop: float) -> None:
    rnd = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    while time.monotonic() < stop:
        kind = rnd.choices(kinds, weights)[0]
        await _send(http, report, kind, *request_for(kind, m, rnd))


async def _runaways(http, report, m, every: float, stop: float) -> None:
    rnd = random.Random(0)
    tasks = []
    while time.monotonic() + every < stop:
        await asyncio.sleep(every)
        tasks.append(asyncio.create_task(
            _send(http, report, "runaway", *request_for("runaway", m, rnd))))
    await asyncio.gather(*tasks)


async def load(url: str, clients: int, duration: float, *, runaway_every: float = 10.0,
               root_pid: int | None = None, rest_after: float = 5.0, timeout: float = 60.0,
               base_iri: str | None = None) -> Report:
    """Run the load and return its report (also what the CI test calls)."""
    check_loopback(url)
    clients = max(1, min(clients, MAX_CLIENTS))
    duration = max(1.0, min(duration, MAX_DURATION))
    report = Report(clients, duration, url=url)
    limits = httpx.Limits(max_connections=clients + 8, max_keepalive_connections=clients + 8)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as http:
        m = await discover(http, base_iri or default_base_iri())
        warm = Report(1, 1)
        for kind in MIX:  # one of each, so that every code path is loaded before measuring
            await _send(http, warm, kind, *request_for(kind, m, random.Random(1)))
        report.memory["before"] = memory(root_pid, url)
        start = time.monotonic()
        stop = start + duration
        await asyncio.gather(
            *(_client(http, report, m, seed, stop) for seed in range(clients)),
            _runaways(http, report, m, runaway_every, stop))
        report.duration = time.monotonic() - start
        report.memory["after"] = memory(root_pid, url)
        await asyncio.sleep(rest_after)
        report.memory[f"after {rest_after:g} s rest"] = memory(root_pid, url)
    return report


def default_base_iri() -> str:
    sys.path.insert(0, str(ROOT))
    from kg.config import Settings

    return Settings().base_iri


# --- the server --------------------------------------------------------------------------

def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loop = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loop = False
    if not loop:
        raise SystemExit(f"refusing to load {url}: only loopback servers are checked")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnServer:
    """``kg serve --no-build`` on a free loopback port, stopped on exit."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--no-build", "--host", "127.0.0.1",
             "--port", str(self.port), *args],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("kg serve stopped: " + self.process.stderr.read().decode()[-2000:])
            try:
                if httpx.get(self.url + "/-/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("kg serve did not answer within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    p.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    p.add_argument("--url", help="a server already running on loopback (default: start one)")
    p.add_argument("--runaway-every", type=float, default=10,
                   help="seconds between two runaway queries (default 10)")
    p.add_argument("--workers", type=int, default=1, help="uvicorn processes of our own server")
    p.add_argument("--query-workers", type=int, default=2,
                   help="query workers per server process of our own server (default 2)")
    p.add_argument("--query-timeout", type=float, default=10,
                   help="time limit of our own server, seconds (default 10, the setting's)")
    p.add_argument("--base-iri", help="the served graph's base IRI (default: KG_BASE_IRI or "
                   "the project's default)")
    p.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = p.parse_args(argv)

    def run(url, root_pid):
        return asyncio.run(load(url, args.clients, args.duration,
                                runaway_every=args.runaway_every, root_pid=root_pid,
                                base_iri=args.base_iri))

    if args.url:
        report = run(args.url.rstrip("/"), None)
    else:
        with OwnServer(["--workers", str(args.workers), "--query-workers",
                        str(args.query_workers), "--query-timeout", str(args.query_timeout)]) as s:
            report = run(s.url, s.process.pid)
    print(report.text())
    if args.json:
        args.json.write_text(json.dumps(report.figures(), indent=2) + "\n", encoding="utf-8")
    return 1 if report.unexpected() else 0


if __name__ == "__main__":
    sys.exit(main())
