"""The benchmarks of issue 7, in one command: build and endpoint, ratios against Oxigraph.

    python benchmarks/run.py            # full: build at 10k and 100k triples, endpoint at 100k
                                        # and 1M, memory at 5M (about 20 minutes on 2 cores)
    python benchmarks/run.py --quick    # a smoke test (< 1 minute): small sizes, short rounds
    python benchmarks/run.py --sizes 100000 --build-sizes 10000 --memory-size 0

Prints Markdown tables (and writes them to ``--out`` if given), with the machine's load
(``uptime``) at the start and the end. Everything is measured in the same run, on loopback:

1. **Build**: ``kg build`` of synthetic YAML records (``benchmarks/synthetic.py``) in a child
   process: records/s, triples/s, peak memory, time per step; next to pyoxigraph's
   ``bulk_load`` of the same N-Quads into a fresh store, in another child process.
2. **Endpoint**: a synthetic graph shaped like ours (``benchmarks/entity_pages.py``) served by
   our server (``kg serve``'s app under uvicorn, 1 and 2 server processes, each with its pool
   of query workers, time limit and row cap on), by ``oxigraph serve-read-only`` on the same
   store and by rdflib-endpoint (``pip install '.[bench]'``) on the same triples. Three loads,
   each for ``--duration`` seconds with ``--connections`` connections (``wrk`` when installed,
   else a Python client), median of ``--rounds`` rounds: a cheap lookup (one project's name,
   100 projects in turn), an aggregate over all projects (projects per organisation), an
   entity page (ours: the HTML page; the others: a CONSTRUCT of the triples it shows). Each
   figure comes with its ratio to ``oxigraph serve``.
3. **Memory**: resident memory of each of our processes serving ``--memory-size`` triples
   after a load of pages and lookups.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

BH = "https://w3id.org/bluehats-kg/ontology/"
BASE = "https://w3id.org/bluehats-kg/"
BROWSER = "text/html,application/xhtml+xml"
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"

LOOKUP = "SELECT ?name WHERE {{ <{iri}> <" + BH + "name> ?name }}"
AGGREGATE = ("SELECT ?org (COUNT(?p) AS ?projects) WHERE { ?p a <" + BH + "SoftwareProject> ; <"
             + BH + "developer> ?org } GROUP BY ?org ORDER BY DESC(?projects) LIMIT 20")
PAGE = "CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"


# --- child processes (timed apart from this one, peak memory their own) ---------------------


def child_build(data_dir: str, var_dir: str, nquads_out: str) -> None:
    from kg.build import build
    from kg.config import Settings
    from kg.store import RdfFormat, current_build, open_read_only

    settings = Settings(data_dir=Path(data_dir), var_dir=Path(var_dir))
    started = time.perf_counter()
    result = build(settings)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store = open_read_only(current_build(Path(var_dir)) / "store")
    store.dump(output=nquads_out, format=RdfFormat.N_QUADS)
    print(json.dumps({"records": result.records, "triples": result.manifest["triples"],
                      "quads": result.manifest.get("quads"), "seconds": seconds,
                      "timings": result.timings, "peak_mb": peak}))


def child_bulk(nquads: str, store_dir: str) -> None:
    from kg.store import RdfFormat, open_writable

    started = time.perf_counter()
    store = open_writable(Path(store_dir))
    store.bulk_load(path=nquads, format=RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    lines = sum(1 for _ in open(nquads, "rb"))
    print(json.dumps({"quads": lines, "seconds": seconds,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def in_child(*args: str, timeout: float = 7200) -> dict:
    run = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         timeout=timeout, cwd=ROOT)
    if run.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# --- build ----------------------------------------------------------------------------------


def bench_build(sizes: list[int], tmp: Path, log) -> list[str]:
    from synthetic import records_for, write_data

    out = ["### Build: `kg build` of synthetic records, next to pyoxigraph's `bulk_load`", "",
           "| triples | records | kg build s | records/s | triples/s | peak MB | bulk_load s "
           "| bulk_load triples/s | peak MB | build / bulk_load rate |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    steps = []
    for size in sizes:
        work = tmp / f"build-{size}"
        write_data(work / "data", records_for(size))
        log(f"build: {size:,} triples…")
        ours = in_child("_build", str(work / "data"), str(work / "var"), str(work / "graph.nq"))
        ref = in_child("_bulk", str(work / "graph.nq"), str(work / "bulk-store"))
        rate, ref_rate = ours["quads"] / ours["seconds"], ref["quads"] / ref["seconds"]
        out.append(f"| {ours['quads']:,} | {ours['records']:,} | {ours['seconds']:.1f} | "
                   f"{ours['records'] / ours['seconds']:,.0f} | {rate:,.0f} | {ours['peak_mb']:,.0f} | "
                   f"{ref['seconds']:.2f} | {ref_rate:,.0f} | {ref['peak_mb']:,.0f} | "
                   f"{rate / ref_rate:.3f}× |")
        total = ours["timings"]["total"]
        steps.append(f"| {ours['quads']:,} | " + " | ".join(
            f"{k} {v:.1f} s ({100 * v / total:.0f}%)" for k, v in ours["timings"].items()
            if k != "total" and v >= 0.05) + " |")
        shutil.rmtree(work, ignore_errors=True)
    out += ["", "Where the build's time goes (steps of `kg build`, `BuildResult.timings`):", "",
            "| triples | steps |", "|---:|---|", *steps]
    return out


# --- data for the endpoint -----------------------------------------------------------------


def make_graph(var_dir: Path, triples: int, seed: int = 1) -> tuple[dict, int, Path]:
    """Publish a synthetic build of about ``triples``; returns (counts, quads, N-Triples file)."""
    import entity_pages
    from kg import iris
    from kg.config import Settings
    from kg.ontology import load as load_ontology
    from kg.store import new_build_dir, publish
    from kg.store.loader import write_from_file
    from kg.store.serializer import nquads
    from kg.store.terms import quads_to_oxigraph
    from rdflib import URIRef

    settings = Settings(var_dir=var_dir)
    build = new_build_dir(var_dir)
    data = build.parent.parent / f"data-{triples}.nq"
    counts = entity_pages.generate(data, triples, settings.base_iri, seed)
    onto = load_ontology(settings.ontology_dir)
    g_onto = URIRef(iris.graph(settings.base_iri, "ontology"))
    with data.open("ab") as out:
        out.write(nquads(quads_to_oxigraph([(s, p, o, g_onto) for s, p, o in onto.graph])))
    nt = data.with_suffix(".nt")
    lines = 0
    with data.open("rb") as src, nt.open("wb") as dst:
        for line in src:  # every line ends with its graph IRI: drop it
            lines += 1
            dst.write(line.rstrip()[:-1].rstrip().rsplit(b" ", 1)[0] + b" .\n")
    write_from_file(build / "store", data)
    data.unlink()
    (build / "manifest.json").write_text(json.dumps({
        "build_id": build.name, "base_iri": settings.base_iri, "triples": lines,
        "content_hash": f"sha256:{seed:064x}", "dumps": {}, "graphs": {}, "classes": {}}))
    publish(var_dir, build)
    return counts, lines, nt


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, timeout: float, log_file: Path) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_file.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not up after {timeout} s: {url}")


class Served:
    """One server under test: how to start it and the URL of each load."""

    def __init__(self, name: str, args: list[str], env: dict, ready: str, timeout: float = 120):
        self.name, self.args, self.env, self.ready, self.timeout = name, args, env, ready, timeout
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.log = Path(tempfile.gettempdir()) / f"bench-{self.name.replace(' ', '-')}-{os.getpid()}.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(self.args, env={**os.environ, **self.env}, stdout=out,
                                            stderr=subprocess.STDOUT, cwd=ROOT,
                                            start_new_session=True)
        wait_up(self.ready, self.process, self.timeout, self.log)
        return self

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def rss_mb(self) -> list[tuple[str, float]]:
        """(command, resident MB) of every process of this server's session."""
        out = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if os.getsid(int(pid)) != self.process.pid:
                    continue
                status = Path(f"/proc/{pid}/status").read_text()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:80]
            except (OSError, ProcessLookupError):
                continue
            m = re.search(r"VmRSS:\s+(\d+) kB", status)
            if m:
                out.append((cmd, int(m.group(1)) / 1024))
        return out


def oxigraph_cli() -> str:
    from tests.servers import oxigraph_cli as find

    return find()


def ours(var_dir: Path, workers: int, port: int) -> Served:
    # `kg serve` itself, with its defaults (no access log, limits and row cap on)
    args = [sys.executable, "-m", "kg", "serve", "--no-build", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers)]
    env = {"KG_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT)}
    return Served(f"ours, {workers} worker{'s' if workers > 1 else ''}", args, env,
                  f"http://127.0.0.1:{port}/-/health")


def oxigraph(store: Path, port: int) -> Served:
    args = [oxigraph_cli(), "serve-read-only", "--location", str(store), "--bind",
            f"127.0.0.1:{port}", "--union-default-graph"]
    ask = urllib.parse.urlencode({"query": "ASK {}"})
    return Served("oxigraph serve", args, {}, f"http://127.0.0.1:{port}/query?{ask}")


def rdflib_endpoint(nt: Path, port: int) -> Served | None:
    cli = Path(sys.executable).parent / "rdflib-endpoint"
    if not cli.is_file():
        return None
    args = [str(cli), "serve", "--host", "127.0.0.1", "--port", str(port), str(nt)]
    ask = urllib.parse.urlencode({"query": "ASK {}"})
    return Served("rdflib-endpoint", args, {}, f"http://127.0.0.1:{port}/?{ask}", timeout=900)


# --- loads ---------------------------------------------------------------------------------


def paths_for(server: str, load: str, counts: dict, n: int = 100) -> tuple[list[str], str]:
    """The request paths of one load on one kind of server, and their Accept header."""
    projects = [f"{BASE}project/pro-{(i * 7919) % counts['project']}" for i in range(n)]
    query_path = {"ours": "/sparql", "oxigraph": "/query", "rdflib": "/"}[server]
    q = lambda text: f"{query_path}?{urllib.parse.urlencode({'query': text})}"
    if load == "lookup":
        return [q(LOOKUP.format(iri=p)) for p in projects], JSON
    if load == "aggregate":
        return [q(AGGREGATE)], JSON
    if server == "ours":
        return [p[len(BASE) - 1:] for p in projects], BROWSER
    return [q(PAGE.format(iri=p)) for p in projects], TURTLE


LUA = """
paths = {%s}
counter = 0
wrk.headers["Accept"] = "%s"
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(base: str, paths: list[str], accept: str, duration: float, connections: int,
            tmp: Path) -> dict:
    script = tmp / "load.lua"
    script.write_text(LUA % (", ".join(json.dumps(p) for p in paths), accept))
    run = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
                          "--latency", "-s", str(script), base], capture_output=True, text=True,
                         timeout=duration + 60)
    text = run.stdout
    found = lambda pattern: re.search(pattern, text, re.M)
    rps = float(found(r"Requests/sec:\s+([\d.]+)").group(1))
    # no request finished within the round (a very slow server): no latency to report
    p50 = _ms(found(r"^\s+50%\s+(\S+)").group(1)) if found(r"^\s+50%\s+\d") else float("nan")
    p99 = _ms(found(r"^\s+99%\s+(\S+)").group(1)) if found(r"^\s+99%\s+\d") else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*timeout (\d+)", text)
    return {"rps": rps, "p50": p50, "p99": p99,
            "errors": (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0)}


def run_python(base: str, paths: list[str], accept: str, duration: float,
               connections: int) -> dict:
    """The same measure without wrk (slower client: figures are lower bounds)."""
    import httpx

    async def main():
        latencies, errors = [], 0
        end = time.perf_counter() + duration
        async with httpx.AsyncClient(base_url=base, headers={"accept": accept}, timeout=60,
                                     limits=httpx.Limits(max_connections=connections)) as client:
            async def one(k: int):
                nonlocal errors
                i = k
                while time.perf_counter() < end:
                    t = time.perf_counter()
                    r = await client.get(paths[i % len(paths)])
                    latencies.append((time.perf_counter() - t) * 1000)
                    errors += r.status_code >= 400
                    i += connections
            started = time.perf_counter()
            await asyncio.gather(*(one(k) for k in range(connections)))
            return latencies, errors, time.perf_counter() - started

    latencies, errors, elapsed = asyncio.run(main())
    s = sorted(latencies) or [0.0]
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(s),
            "p99": s[min(len(s) - 1, int(0.99 * len(s)))], "errors": errors}


def measure(base: str, paths: list[str], accept: str, args, tmp: Path, connections: int) -> dict:
    import httpx

    first = httpx.get(base + paths[0], headers={"accept": accept}, timeout=120)
    if first.status_code != 200:
        raise RuntimeError(f"{base}{paths[0][:200]} answered {first.status_code}: {first.text[:300]}")
    rounds = []
    for _ in range(args.rounds):
        if shutil.which("wrk"):
            rounds.append(run_wrk(base, paths, accept, args.duration, connections, tmp))
        else:
            rounds.append(run_python(base, paths, accept, args.duration, connections))
    return {k: statistics.median(r[k] for r in rounds) for k in ("rps", "p50", "p99")} | {
        "errors": sum(r["errors"] for r in rounds)}


def bench_endpoint(size: int, args, tmp: Path, log) -> tuple[list[str], dict]:
    var_dir = tmp / f"var-{size}"
    var_dir.mkdir()
    log(f"endpoint: generating and loading {size:,} triples…")
    counts, quads, nt = make_graph(var_dir, size)
    store = (var_dir / "current").resolve() / "store"
    servers = [("oxigraph", lambda p: oxigraph(store, p)),
               ("ours", lambda p: ours(var_dir, 1, p))]
    if not args.quick:  # the smoke test checks that each kind of figure can be made
        servers.append(("ours", lambda p: ours(var_dir, 2, p)))
    if not args.quick and size <= args.rdflib_max:
        servers.append(("rdflib", lambda p: rdflib_endpoint(nt, p)))
    results: dict[tuple[str, str], dict] = {}
    names = []
    loads = ("lookup", "aggregate", "page")
    for kind, make in servers:
        served = make(free_port())
        if served is None:
            log("rdflib-endpoint is not installed (pip install '.[bench]'): left out")
            continue
        log(f"endpoint: {served.name} at {size:,} triples…")
        with served:
            names.append(served.name)
            base = served.ready.split("/", 3)
            base = "/".join(base[:3])
            for load in loads:
                paths, accept = paths_for(kind, load, counts)
                results[(served.name, load)] = measure(base, paths, accept, args, tmp,
                                                       args.connections)
                log(f"  {load}: {results[(served.name, load)]}")
            if kind in ("ours", "oxigraph") and not args.quick:  # the page's own latency
                paths, accept = paths_for(kind, "page", counts)
                results[(served.name, "page, 1 client")] = measure(base, paths, accept, args, tmp, 1)
                log(f"  page, 1 client: {results[(served.name, 'page, 1 client')]}")
    nt.unlink(missing_ok=True)
    shutil.rmtree(var_dir, ignore_errors=True)
    title = {"lookup": "cheap lookup (one project's name)",
             "aggregate": "aggregate (projects per organisation, all projects)",
             "page": "entity page (ours: HTML; others: CONSTRUCT of its triples)",
             "page, 1 client": "entity page, one client at a time"}
    out = [f"### Endpoint at {quads:,} triples ({args.connections} connections, "
           f"{args.rounds} × {args.duration:g} s, medians)", "",
           "| load | server | req/s | × oxigraph | p50 ms | p99 ms | p50 × oxigraph | errors |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for load in (*loads, "page, 1 client"):
        ref = results.get(("oxigraph serve", load))
        for name in names:
            r = results.get((name, load))
            if r is None:
                continue
            ratio = f"{r['rps'] / ref['rps']:.2f}×" if ref and ref["rps"] else "–"
            lat = f"{r['p50'] / ref['p50']:.2f}×" if ref and ref["p50"] and r["p50"] == r["p50"] else "–"
            out.append(f"| {title[load]} | {name} | {r['rps']:,.1f} | {ratio} | {r['p50']:.2f} | "
                       f"{r['p99']:.2f} | {lat} | {r['errors']} |")
    return out, results


def bench_memory(size: int, args, tmp: Path, log) -> list[str]:
    var_dir = tmp / f"var-mem-{size}"
    var_dir.mkdir()
    log(f"memory: generating and loading {size:,} triples…")
    counts, quads, nt = make_graph(var_dir, size)
    nt.unlink(missing_ok=True)
    out = [f"### Memory serving {quads:,} triples (after {args.duration:g} s of pages and of "
           f"lookups)", "", "| process | resident MB |", "|---|---:|"]
    with ours(var_dir, 2, free_port()) as served:
        base = "/".join(served.ready.split("/", 3)[:3])
        for load in ("page", "lookup", "aggregate"):
            paths, accept = paths_for("ours", load, counts)
            measure(base, paths, accept, args, tmp, args.connections)
        for cmd, mb in sorted(served.rss_mb(), key=lambda x: -x[1]):
            what = "query worker" if "kg.store.worker" in cmd else (
                "uvicorn supervisor" if "--workers" in cmd and "multiprocessing" not in cmd
                else "server process")
            out.append(f"| {what} (`{cmd[:60]}`) | {mb:,.0f} |")
    shutil.rmtree(var_dir, ignore_errors=True)
    return out


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: small sizes, short rounds")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x],
                        help="endpoint sizes in triples (default 100000,1000000)")
    parser.add_argument("--build-sizes", type=lambda s: [int(x) for x in s.split(",") if x],
                        help="build sizes in triples (default 10000,100000)")
    parser.add_argument("--memory-size", type=int, help="triples for the memory figure (default 5000000, 0: none)")
    parser.add_argument("--rounds", type=int, help="rounds per figure (default 3)")
    parser.add_argument("--duration", type=float, help="seconds per round (default 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rdflib-max", type=int, default=1_000_000,
                        help="largest size served by rdflib-endpoint (it loads everything in memory)")
    parser.add_argument("--out", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    q = args.quick
    args.sizes = args.sizes if args.sizes is not None else ([5_000] if q else [100_000, 1_000_000])
    args.build_sizes = args.build_sizes if args.build_sizes is not None else (
        [1_000] if q else [10_000, 100_000])
    args.memory_size = args.memory_size if args.memory_size is not None else (0 if q else 5_000_000)
    args.rounds = args.rounds or (1 if q else 3)
    args.duration = args.duration or (1.0 if q else 5.0)

    log = lambda msg: print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
    lines = ["## Benchmarks (`python benchmarks/run.py" + (" --quick" if q else "") + "`)", "",
             f"- machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
             f"load generator: {'wrk' if shutil.which('wrk') else 'Python (httpx)'}",
             f"- at start: `{uptime()}`", ""]
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if args.build_sizes:
            lines += bench_build(args.build_sizes, tmp, log) + [""]
        for size in args.sizes:
            table, _ = bench_endpoint(size, args, tmp, log)
            lines += table + [""]
        if args.memory_size:
            lines += bench_memory(args.memory_size, args, tmp, log) + [""]
    lines.append(f"- at end: `{uptime()}`")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        child_build(*sys.argv[2:5])
    elif len(sys.argv) > 1 and sys.argv[1] == "_bulk":
        child_bulk(*sys.argv[2:4])
    else:
        sys.exit(main())
