"""The build: data/ + ontology/ → a checked, aligned graph in a fresh Oxigraph store.

load → validate (every problem reported, nothing built) → map → import (the sources listed
in data/imports/, kg/imports.py) → align → SHACL → write a new
``var/builds/<id>/`` (store, dumps, manifest) → publish it atomically as ``var/current``.
A failure at any step leaves ``var/current`` as it was, and removes the half-made build.
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from kg import dumps, imports, iris, manifest, mapping, ontology
from kg.alignment import Alignment
from kg.checks import Report
from kg.checks import run as run_shacl
from kg.config import Settings
from kg.errors import UserError
from kg.namespaces import data_prefixes
from kg.reconcile.review import link_quads
from kg.sources import display_name, read
from kg.store import new_build_dir, publish
from kg.store.loader import write as write_store
from kg.store.serializer import Sorted
from kg.store.terms import quads_to_oxigraph
from kg.validation import Problem, ValidationFailed, allowed_wikidata, check


class ShapesViolated(UserError):
    def __init__(self, report: Report):
        self.shacl = report
        super().__init__("the graph does not conform to the SHACL shapes")

    def report(self) -> str:
        return self.shacl.text() + "\nNothing was built."


@dataclass
class Graphs:
    """The graph a build would publish, before it is written."""

    quads: list  # rdflib (s, p, o, g): data, aligned, then the ontology graph
    ontology: ontology.Ontology
    ontology_graph: URIRef
    records: int
    inputs: dict[str, str]
    locations: dict[str, str]  # entity IRI → file:line of its record
    timings: dict[str, float] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    _oxigraph: list | None = field(default=None, repr=False)

    def oxigraph_quads(self) -> list:
        """``quads`` as pyoxigraph quads (converted once, for SHACL and for the store)."""
        if self._oxigraph is None:
            self._oxigraph = quads_to_oxigraph(self.quads)
        return self._oxigraph


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector (reference counting still frees everything).

    A build makes millions of small objects (YAML nodes, records, terms, quads) that form no
    cycles; the collector would walk all of them again each time enough were made: a third of
    the time of reading the YAML of 1M triples. Also usable as a decorator.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def data_dir_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*.y*ml") if p.is_file()] if data_dir.is_dir() else []


def _inputs(settings: Settings, files: list[Path]) -> dict[str, str]:
    return {display_name(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@gc_paused()
def assemble(settings: Settings) -> Graphs:
    """Read, check, map and align: every step before anything is written."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    onto = ontology.load(settings.ontology_dir)
    documents, syntax = read(settings.data_dir)
    timings["load"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    records, problems = check(documents, onto.concepts(), allowed_wikidata(settings.shared_dir))
    problems = [Problem(p.loc, p.message) for p in syntax] + problems
    if not documents and not syntax:
        raise UserError(f"no data files (*.yaml) under {display_name(settings.data_dir)}")
    if problems:
        raise ValidationFailed(problems)
    timings["validate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    base = settings.base_iri
    quads = mapping.quads(records, base)
    # accepted Wikidata links of data/reconciliation/wikidata.yaml (kg.reconcile.review)
    quads += link_quads(settings.data_dir, base, {str(q[0]) for q in quads})
    timings["map"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    imported = imports.run(imports.ImportContext(settings, documents, records))
    quads += imported.quads
    timings["import"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    quads += Alignment(onto.graph).materialise(quads)
    g_onto = URIRef(iris.graph(base, "ontology"))
    quads += [(s, p, o, g_onto) for s, p, o in onto.graph]
    timings["align"] = time.perf_counter() - t0

    # every file the graph depends on, review files of data/reconciliation/ and the files
    # of imported sources included
    files = sorted({*data_dir_files(settings.data_dir), *(d.path for d in documents),
                    *onto.files, *imported.files})
    locations = {
        **imported.locations,
        **{str(mapping.subject_of(r, base)): f"{r.loc.file}:{r.loc.line}" for r in records},
    }
    return Graphs(
        quads,
        onto,
        g_onto,
        len(records),
        _inputs(settings, files),
        locations,
        timings,
        data_prefixes(base),
    )


def published(settings: Settings) -> Graphs:
    """The graph of the published build (``var/current``), to check it again."""
    from kg.store import current_build
    from kg.store.loader import read as read_store
    from kg.store.terms import to_rdflib

    path = current_build(settings.var_dir)
    if path is None:
        raise UserError(f"nothing built yet in {settings.var_dir}: run `kg build` first")
    onto = ontology.load(settings.ontology_dir)
    quads = [
        tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
        for q in read_store(path / "store")
    ]
    g_onto = URIRef(iris.graph(settings.base_iri, "ontology"))
    onto.graph = Graph()
    for s, p, o, g in quads:
        if g == g_onto:
            onto.graph.add((s, p, o))
    return Graphs(quads, onto, g_onto, 0, {}, {}, {}, data_prefixes(settings.base_iri))


def dataset(graphs: Graphs) -> Sorted:
    """The graphs as pyoxigraph quads, sorted once for SHACL, the store and the dumps."""
    t0 = time.perf_counter()
    quads = graphs.oxigraph_quads()
    graphs.timings["terms"] = time.perf_counter() - t0  # rdflib → pyoxigraph
    t0 = time.perf_counter()
    result = Sorted(quads)
    graphs.timings["sort"] = time.perf_counter() - t0
    return result


def shacl(graphs: Graphs, data: Sorted | None = None) -> Report:
    data = data or dataset(graphs)
    t0 = time.perf_counter()
    # the union of every graph, the ontology's included (kg.checks)
    report = run_shacl(
        data.ntriples,
        graphs.ontology.shapes,
        prefixes=graphs.prefixes,
        locations=graphs.locations,
    )
    graphs.timings["shacl"] = time.perf_counter() - t0
    return report


@dataclass
class Build:
    path: Path
    manifest: dict
    shacl: Report
    timings: dict[str, float]
    records: int


@gc_paused()
def build(settings: Settings | None = None) -> Build:
    """Run the whole pipeline and publish the result; raises UserError on bad input."""
    settings = settings or Settings()
    start = time.perf_counter()
    graphs = assemble(settings)
    data = dataset(graphs)
    report = shacl(graphs, data)
    if not report.conforms:
        raise ShapesViolated(report)

    t0 = time.perf_counter()
    build_dir = new_build_dir(settings.var_dir)
    try:
        write_store(build_dir / "store", data.nquads)
        graphs.timings["store"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        written = dumps.write(data, build_dir / "dumps", settings.base_iri)
        graphs.timings["dumps"] = time.perf_counter() - t0
        info = manifest.describe(
            data,
            build_id=build_dir.name,
            base_iri=settings.base_iri,
            dumps={k: f"dumps/{v}" for k, v in written.items()},
            inputs=graphs.inputs,
        )
        manifest.write(info, build_dir)
        publish(settings.var_dir, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    graphs.timings["total"] = time.perf_counter() - start
    return Build(build_dir, info, report, graphs.timings, graphs.records)
