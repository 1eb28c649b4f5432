"""Benchmark: the latency of an entity's page, against the store lookups it needs.

    python benchmarks/entity_pages.py [--triples 1000000] [--requests 300] [--seed 1]

Generates a synthetic graph shaped like ours (organisations, people, topics, sessions and
projects with labels in two languages, links between them, provenance) of about ``--triples``
triples beside the real ontology, publishes it as a build, then measures in the same run, on
random entities:

1. *lookups* (the reference): the store reads a page needs (``Graph.statements`` and
   ``Graph.incoming``), in process, no rendering;
2. *page in process*: the whole HTML page through the app (``TestClient``, no network);
3. *HTML over HTTP* and *Turtle over HTTP*: sequential requests to a real uvicorn server.

Prints a Markdown table of p50, p90 and p99 in milliseconds and the ratio of each p50 to the
reference's. Issue 7's target: an entity's HTML page at 1M triples under 20 ms at p50.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import iris
from kg.config import Settings
from kg.ontology import load as load_ontology
from kg.store import new_build_dir, open_read_only, publish
from kg.store.describe import Graph
from kg.store.loader import write_from_file
from kg.store.serializer import nquads
from kg.store.terms import quads_to_oxigraph

BH = "https://w3id.org/bluehats-kg/ontology/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
SCHEMA_NAME = "https://schema.org/name"
PER_ENTITY = 14  # about as many triples as a curated project has
BROWSER = "text/html,application/xhtml+xml"


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def generate(path: Path, triples: int, base: str, seed: int) -> dict[str, int]:
    """Write about ``triples`` N-Quads of synthetic entities to ``path``; returns counts."""
    rnd = random.Random(seed)
    n = max(triples // PER_ENTITY, 50)
    counts = {"organisation": max(n // 100, 5), "person": max(n // 10, 10), "topic": 200,
              "session": max(n // 20, 10)}
    counts["project"] = max(n - sum(counts.values()), 10)
    g = f"<{iris.graph(base, 'synthetic')}>"
    src = f"<{iris.entity(base, 'source', 'synthetic')}>"
    e = lambda kind, i: f"<{iris.entity(base, kind, f'{kind[:3]}-{i}')}>"

    def pick(kind: str) -> str:
        return e(kind, rnd.randrange(counts[kind]))

    with path.open("w", encoding="utf-8") as out:
        def q(s, p, o):
            out.write(f"{s} <{p}> {o} {g} .\n")

        def common(s, kind, cls, i):
            q(s, RDF_TYPE, f"<{BH}{cls}>")
            q(s, LABEL, _lit(f"{kind} {i} nom", "fr"))
            q(s, LABEL, _lit(f"{kind} {i} name", "en"))
            q(s, f"{BH}name", _lit(f"{kind} {i} nom", "fr"))
            q(s, SCHEMA_NAME, _lit(f"{kind} {i} nom", "fr"))
            q(s, f"{BH}source", src)
            q(s, DERIVED, src)
            q(s, f"{BH}sourceSection", _lit(f"Section {i % 97}"))

        q(src, RDF_TYPE, f"<{BH}SourceDocument>")
        q(src, LABEL, _lit("Synthetic source", "en"))
        for i in range(counts["organisation"]):
            common(e("organisation", i), "organisation", "Organisation", i)
        for i in range(counts["topic"]):
            common(e("topic", i), "topic", "Topic", i)
        for i in range(counts["person"]):
            s = e("person", i)
            common(s, "person", "Person", i)
            q(s, f"{BH}affiliation", pick("organisation"))
        for i in range(counts["session"]):
            s = e("session", i)
            common(s, "session", "Session", i)
            q(s, f"{BH}startDate",
              f'"2024-01-{9 + i % 2:02d}T{9 + i % 8:02d}:00:00+01:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>')
            q(s, f"{BH}speaker", pick("person"))
            q(s, f"{BH}aboutProject", pick("project"))
            q(s, f"{BH}topic", pick("topic"))
        for i in range(counts["project"]):
            s = e("project", i)
            common(s, "project", "SoftwareProject", i)
            q(s, f"{BH}description", _lit(f"A synthetic project number {i}, for measuring.", "en"))
            q(s, f"{BH}developer", pick("organisation"))
            q(s, f"{BH}topic", pick("topic"))
            q(s, f"{BH}repository", f"<https://git.example.org/p/{i}>")
            q(s, f"{BH}keyword", _lit(f"kw{i % 50}", "fr"))
            q(s, f"{BH}uses", pick("project"))
    return counts


def publish_build(var_dir: Path, settings: Settings, triples: int, seed: int) -> tuple[dict, int]:
    build = new_build_dir(var_dir)
    data = build / "data.nq"
    counts = generate(data, triples, settings.base_iri, seed)
    onto = load_ontology(settings.ontology_dir)
    from rdflib import URIRef

    g_onto = URIRef(iris.graph(settings.base_iri, "ontology"))
    with data.open("ab") as out:
        out.write(nquads(quads_to_oxigraph([(s, p, o, g_onto) for s, p, o in onto.graph])))
    lines = sum(1 for _ in data.open("rb"))
    write_from_file(build / "store", data)
    data.unlink()
    (build / "manifest.json").write_text(json.dumps({
        "build_id": build.name, "base_iri": settings.base_iri, "triples": lines,
        "content_hash": f"sha256:{seed:064x}", "dumps": {}, "graphs": {}, "classes": {}}))
    publish(var_dir, build)
    return counts, lines


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    s = sorted(samples)
    at = lambda f: s[min(len(s) - 1, int(f * len(s)))]
    return statistics.median(s), at(0.90), at(0.99)


def timed(fn, targets: list[str]) -> list[float]:
    out = []
    for t in targets:
        start = time.perf_counter()
        fn(t)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import httpx
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings as AppSettings
    from tests.servers import uvicorn_server

    with tempfile.TemporaryDirectory() as tmp:
        var_dir = Path(tmp) / "var"
        var_dir.mkdir()
        settings = Settings(var_dir=var_dir)
        t0 = time.perf_counter()
        counts, lines = publish_build(var_dir, settings, args.triples, args.seed)
        print(f"generated and loaded {lines:,} quads in {time.perf_counter() - t0:.1f} s: "
              + ", ".join(f"{v:,} {k}" for k, v in counts.items()), file=sys.stderr)
        rnd = random.Random(args.seed + 1)
        kinds = ("project", "person", "organisation", "session")
        paths = [f"/{k}/{k[:3]}-{rnd.randrange(counts[k])}"
                 for k in (rnd.choice(kinds) for _ in range(args.requests))]
        base = settings.base_iri

        graph = Graph(open_read_only(var_dir / "current" / "store"), base)

        def lookups(path: str) -> None:
            iri = base + path[1:]
            graph.statements(iri)
            graph.incoming(iri, namespace=BH)

        rows = [("lookups (reference)", timed(lookups, paths))]


        app_settings = AppSettings(var_dir=var_dir, query_workers=1)
        with TestClient(create_app(app_settings)) as client:
            client.get(paths[0], headers={"accept": BROWSER})  # open the store, warm the caches
            rows.append(("page in process", timed(
                lambda p: client.get(p, headers={"accept": BROWSER}).raise_for_status(), paths)))

        env = {"KG_VAR_DIR": str(var_dir), "KG_QUERY_WORKERS": "1"}
        with uvicorn_server("api.main:create_app_from_env", env=env, ready_path="/-/health",
                            log_dir=Path(tmp)) as url, httpx.Client(base_url=url) as http:
            http.get(paths[0], headers={"accept": BROWSER})
            rows.append(("HTML over HTTP", timed(
                lambda p: http.get(p, headers={"accept": BROWSER}).raise_for_status(), paths)))
            rows.append(("Turtle over HTTP", timed(
                lambda p: http.get(p, headers={"accept": "text/turtle"}).raise_for_status(), paths)))

    reference = statistics.median(rows[0][1])
    print(f"\nEntity pages at {lines:,} triples, {args.requests} random entities, "
          f"{os.cpu_count()} cores\n")
    print("| measure | p50 ms | p90 ms | p99 ms | p50 / reference |")
    print("|---|---:|---:|---:|---:|")
    for name, samples in rows:
        p50, p90, p99 = percentiles(samples)
        print(f"| {name} | {p50:.2f} | {p90:.2f} | {p99:.2f} | {p50 / reference:.1f}× |")


if __name__ == "__main__":
    main()
