"""The build: data/ + ontology/ → a checked, aligned graph in a fresh Oxigraph store.

load → validate (every problem reported, nothing built) → map → import (the sources listed
in data/imports/, kg/imports.py) → align → write the store → SHACL → dumps and manifest in
a new ``var/builds/<id>/`` → publish it atomically as ``var/current``. A failure at any step
leaves ``var/current`` as it was, and removes the half-made build.

Memory stays bounded whatever the size of the imports (``docs/imports.md``, "Scale"): the
curated data and small imports are held in memory as before, but a large import (a
``kg.imports.Stream``, e.g. 100,000 publiccode.yml files) is read file by file: each file's
quads are aligned, appended to an N-Quads file and SHACL-checked with the other files of their
batch, then dropped. The store is bulk-loaded from that file; dumps and manifest are written
from it through sorted files (``kg.store.serializer.SortedFiles``).

SHACL (``docs/imports.md`` says why this is the verdict of one check of the whole graph):

- the curated data, small imports and the ontology, with what the store holds about the
  entities they describe or point to, in one run (``check_all``);
- the streamed imports in batches of ``BATCH_FILES`` files, each with the descriptions of the
  curated entities it names (``ImportSink.check``).
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg import dumps, imports, iris, manifest, mapping, ontology
from kg.alignment import SAME_AS, Alignment
from kg.checks import Report, Violation, short
from kg.checks import run as run_shacl
from kg.config import Settings
from kg.errors import UserError
from kg.namespaces import WD, data_prefixes
from kg.reconcile.review import link_quads
from kg.sources import display_name, read
from kg.store import new_build_dir, publish
from kg.store.loader import write_from_file
from kg.store.serializer import Sorted, SortedFiles
from kg.store.terms import quads_to_oxigraph
from kg.validation import Problem, ValidationFailed, allowed_wikidata, check

BATCH_FILES = 1000  # files of a streamed import checked by SHACL together
DESCRIPTION_CAP = 2000  # triples: beyond, an entity the curated data names is checked by parts
PROGRESS_FROM = 200  # files: a progress bar (on a terminal) for imports at least this long


class ShapesViolated(UserError):
    def __init__(self, report: Report):
        self.shacl = report
        super().__init__("the graph does not conform to the SHACL shapes")

    def report(self) -> str:
        return self.shacl.text() + "\nNothing was built."


@dataclass
class Graphs:
    """The graph a build would publish, before it is written (the streamed imports aside)."""

    quads: list  # rdflib (s, p, o, g): data, aligned, then the ontology graph
    ontology: ontology.Ontology
    ontology_graph: URIRef
    records: int
    inputs: dict[str, str]
    locations: dict[str, str]  # entity IRI → file:line of its record
    timings: dict[str, float] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector (reference counting still frees everything).

    A build makes millions of small objects (YAML nodes, records, terms, quads) that form no
    cycles; the collector would walk all of them again each time enough were made: a third of
    the time of reading the YAML of 1M triples. Also usable as a decorator. Not around the
    streamed imports: what a file leaves in cycles must be collected before the next ones.
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


@dataclass
class Curated:
    """The curated data, checked and mapped: what every later step starts from."""

    onto: ontology.Ontology
    documents: list
    records: list
    quads: list  # mapped records and accepted Wikidata links (rdflib)
    timings: dict[str, float]


@gc_paused()
def curated(settings: Settings) -> Curated:
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
    return Curated(onto, documents, records, quads, timings)


def _warn(warnings: Iterable[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def _graphs(settings: Settings, cur: Curated, imported: imports.Imported,
            timings: dict[str, float]) -> Graphs:
    """Curated data + the imports held in memory, aligned, with the ontology graph."""
    t0 = time.perf_counter()
    quads = cur.quads + imported.quads
    quads += Alignment(cur.onto.graph).materialise(quads)
    g_onto = URIRef(iris.graph(settings.base_iri, "ontology"))
    quads += [(s, p, o, g_onto) for s, p, o in cur.onto.graph]
    timings["align"] = timings.get("align", 0.0) + time.perf_counter() - t0

    # every file the graph depends on, review files of data/reconciliation/ and the files
    # of imported sources included
    files = sorted({*data_dir_files(settings.data_dir), *(d.path for d in cur.documents),
                    *cur.onto.files, *imported.files})
    base = settings.base_iri
    locations = {
        **imported.locations,
        **{str(mapping.subject_of(r, base)): f"{r.loc.file}:{r.loc.line}" for r in cur.records},
    }
    return Graphs(
        quads,
        cur.onto,
        g_onto,
        len(cur.records),
        {**_inputs(settings, files), **imported.inputs},
        locations,
        timings,
        data_prefixes(base),
        list(imported.warnings),
    )


def assemble(settings: Settings) -> Graphs:
    """Read, check, map, import and align, everything in memory (``kg validate``)."""
    cur = curated(settings)
    t0 = time.perf_counter()
    imported = imports.run(
        imports.ImportContext(settings, cur.documents, cur.records, ontology=cur.onto.graph)
    )
    timings = {**cur.timings, "import": time.perf_counter() - t0}
    _warn(imported.warnings)
    return _graphs(settings, cur, imported, timings)


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


def shacl(graphs: Graphs) -> Report:
    """SHACL over a graph held in memory (``kg validate``): the union of every graph, the
    ontology's included (``kg.checks``)."""
    t0 = time.perf_counter()
    report = shacl_ntriples(ntriples(graphs.quads), graphs.ontology, graphs.prefixes,
                            graphs.locations)
    graphs.timings["shacl"] = graphs.timings.get("shacl", 0.0) + time.perf_counter() - t0
    return report


# --- streamed imports -------------------------------------------------------------------------


def shape_predicates(shapes: Graph) -> set | None:
    """Every IRI the shapes name (paths, targets, IRIs in SPARQL constraints), or None when a
    shape is closed (then every predicate matters). A triple whose predicate is none of these
    (nor ``rdf:type``) cannot change a SHACL result, so a batch leaves it out."""
    import re

    if any(True for _ in shapes.subject_objects(SH.closed)):
        return None
    found = {n for t in shapes for n in t if isinstance(n, URIRef)}
    for text in shapes.objects(None, SH.select):
        found |= {URIRef(i) for i in re.findall(r"<([^<>\s]+)>", str(text))}
    for text in shapes.objects(None, SH.ask):
        found |= {URIRef(i) for i in re.findall(r"<([^<>\s]+)>", str(text))}
    return found | {RDF.type}


def _line(t) -> str:
    """An N-Triples line of pyoxigraph terms (a quad's or a triple's first three)."""
    return f"{t.subject} {t.predicate} {t.object} .\n"


def ntriples(triples: Iterable[tuple], keep: set | None = None) -> str:
    """N-Triples of rdflib triples (or quads: the graph is dropped); with ``keep``, only the
    triples whose predicate is in it."""
    from kg.store.terms import to_oxigraph

    out = []
    for t in triples:
        if keep is None or t[1] in keep:
            out.append(f"{to_oxigraph(t[0])} {to_oxigraph(t[1])} {to_oxigraph(t[2])} .\n")
    return "".join(out)


def shacl_ntriples(text: str, onto: ontology.Ontology, prefixes: dict[str, str],
                   locations: dict[str, str]) -> Report:
    """SHACL over N-Triples that hold the ontology too (what pyshacl's ontology graph does)."""
    return run_shacl(text.encode("utf-8"), onto.shapes, prefixes=prefixes, locations=locations)


class ImportSink:
    """Reads the streams of large imports for a build: aligns each file's quads, writes them
    as N-Quads to ``out``, and SHACL-checks them ``BATCH_FILES`` files at a time (as
    N-Triples text: no rdflib graph of the batch)."""

    def __init__(self, out: Path, cur: Curated, settings: Settings,
                 batch_files: int | None = None):
        self.out = out.open("wb")
        self.onto = cur.onto
        self.onto_nt = ntriples(cur.onto.graph)
        self.alignment = Alignment(cur.onto.graph)
        self.prefixes = data_prefixes(settings.base_iri)
        self.batch_files = batch_files or BATCH_FILES
        self.keep = shape_predicates(cur.onto.shapes)
        self.keep_nt = None if self.keep is None else {f"<{p}>" for p in self.keep}
        aligned = cur.quads + self.alignment.materialise(cur.quads)
        described: dict = defaultdict(list)
        self.same: dict = defaultdict(list)  # curated entity → its sameAs quads (Wikidata)
        for q in aligned:
            described[q[0]].append(q)
            if q[1] in SAME_AS and str(q[2]).startswith(WD):
                self.same[q[0]].append(q)
        # curated entity → N-Triples of its description, and of its types
        self.described = {n: ntriples(ts, self.keep) for n, ts in described.items()}
        self.types = {n: ntriples(t for t in ts if t[1] == RDF.type)
                      for n, ts in described.items()}
        self.points_to = {n: {t[2] for t in ts} & described.keys() for n, ts in described.items()}
        self.batch: list[str] = []
        self.nodes: set = set()
        self.in_batch = 0
        self.locations: dict[str, str] = {}
        self.results: list[Violation] = []
        self.quads = 0
        self.seconds = {"shacl": 0.0}

    def consume(self, stream: imports.Stream) -> None:
        progress = None
        if stream.total >= PROGRESS_FROM:
            from tqdm import tqdm

            progress = tqdm(total=stream.total, unit="file", desc=f"kg build: {stream.name}",
                            file=sys.stderr, disable=None, leave=False)
        for piece in stream.pieces:
            self.add(piece)
            if progress is not None:  # files read so far, skipped ones included
                done = stream.counts.get("files", 0) + stream.counts.get("skipped", 0)
                progress.update(done - progress.n)
        self.check()
        if progress is not None:
            progress.close()

    def add(self, piece: imports.Piece) -> None:
        quads = piece.quads
        graphs = {q[3] for q in quads}
        nodes = {n for q in quads for n in (q[0], q[2]) if not isinstance(n, Literal)}
        context = [q for n in nodes if n in self.same for q in self.same[n]]
        added = [q for q in self.alignment.materialise([*quads, *context]) if q[3] in graphs]
        every = [*quads, *added]
        oxi = quads_to_oxigraph(every)
        self.out.write("".join(
            f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in oxi
        ).encode("utf-8"))
        self.quads += len(every)
        keep = self.keep_nt
        self.batch += [_line(q) for q in oxi if keep is None or str(q.predicate) in keep]
        self.nodes |= nodes | {q[0] for q in added}
        for q in quads:
            self.locations.setdefault(str(q[0]), piece.location)
        self.in_batch += 1
        if self.in_batch >= self.batch_files:
            self.check()

    def check(self) -> None:
        """SHACL over the current batch, with the descriptions of the curated entities it
        names (and the types of what those point to)."""
        if not self.batch:
            return
        t0 = time.perf_counter()
        named = self.nodes & self.described.keys()
        pointed = set().union(*(self.points_to[n] for n in named)) - named if named else set()
        text = "".join([*self.batch, *(self.described[n] for n in named),
                        *(self.types[n] for n in pointed), self.onto_nt])
        report = shacl_ntriples(text, self.onto, self.prefixes, self.locations)
        shown = {short(n, self.prefixes) for n in self.nodes}
        self.results += [v for v in report.results if v.focus in shown]
        self.batch, self.nodes, self.in_batch, self.locations = [], set(), 0, {}
        self.seconds["shacl"] += time.perf_counter() - t0

    def close(self) -> None:
        self.out.close()


def _unlocated(v: Violation) -> tuple:
    return (v.severity, v.focus, v.path, v.message, v.value, v.shape)


def merge_results(*parts: list[Violation]) -> list[Violation]:
    """One result per (focus, constraint, value): the located one when checks overlap."""
    best: dict[tuple, Violation] = {}
    for v in sorted(r for part in parts for r in part):
        key = _unlocated(v)
        if key not in best or (v.where and not best[key].where):
            best[key] = v
    return sorted(best.values())


def check_all(graphs: Graphs, sink: ImportSink, store_path: Path) -> Report:
    """The build's SHACL verdict: the streamed batches' results (``ImportSink``), and one
    check of the curated data and small imports with what the store holds about the entities
    they name.

    A subject of the curated data or of a small import comes with its whole description from
    the store (e.g. the facts a publiccode.yml file adds to a curated project). An entity they
    only point to (an imported project a page names) comes with its description too, but when
    it is large (a dependency thousands of files name) with one graph's part of it only: each
    file describes such an entity in full (type, name, source), the batches check every part,
    and memory stays bounded. The types of everything those point to come along.
    """
    from kg.store.loader import describe

    t0 = time.perf_counter()
    primary = [q[:3] for q in graphs.quads if q[3] != graphs.ontology_graph]
    subjects = {t[0] for t in primary}
    nodes = subjects | {t[2] for t in primary if not isinstance(t[2], Literal)}
    context = []
    for node, parts in describe(store_path, nodes, exclude_graph=graphs.ontology_graph).items():
        if node not in subjects and sum(map(len, parts.values())) > DESCRIPTION_CAP:
            parts = {g: parts[g] for g in sorted(parts)[:1]}
        context += [t for part in parts.values() for t in part]
    pointed = {t[2] for t in context if not isinstance(t[2], Literal)} - nodes
    for parts in describe(store_path, pointed, exclude_graph=graphs.ontology_graph).values():
        context += [t for part in parts.values() for t in part if t[1] == RDF.type]
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    shapes_count = len({s for t in targets for s in graphs.ontology.shapes.subjects(t, None)})
    keep = shape_predicates(graphs.ontology.shapes)
    text = ntriples(primary, keep) + ntriples(context, keep) + ntriples(graphs.ontology.graph)
    report = shacl_ntriples(text, graphs.ontology, graphs.prefixes, graphs.locations)
    shown = {short(n, graphs.prefixes) for n in nodes}
    found = [v for v in report.results if v.focus in shown]
    results = merge_results(found, sink.results)
    graphs.timings["shacl"] = graphs.timings.get("shacl", 0.0) + time.perf_counter() - t0
    conforms = not any(v.severity == "Violation" for v in results)
    return Report(conforms, results, shapes_count)


# --- the build --------------------------------------------------------------------------------


@dataclass
class Build:
    path: Path
    manifest: dict
    shacl: Report
    timings: dict[str, float]
    records: int
    warnings: list[str] = field(default_factory=list)


def build(settings: Settings | None = None) -> Build:
    """Run the whole pipeline and publish the result; raises UserError on bad input."""
    settings = settings or Settings()
    start = time.perf_counter()
    cur = curated(settings)
    timings = dict(cur.timings)
    build_dir = new_build_dir(settings.var_dir)
    try:
        nquads = build_dir / "quads.nq"
        sink = ImportSink(nquads, cur, settings)
        t0 = time.perf_counter()
        try:
            imported = imports.run(
                imports.ImportContext(settings, cur.documents, cur.records,
                                      ontology=cur.onto.graph),
                consume=sink.consume,
            )
        finally:
            sink.close()
        timings["import"] = time.perf_counter() - t0 - sink.seconds["shacl"]
        timings["shacl"] = sink.seconds["shacl"]
        _warn(imported.warnings)
        graphs = _graphs(settings, cur, imported, timings)

        t0 = time.perf_counter()
        with nquads.open("ab") as out:  # the curated data and small imports
            out.write(Sorted(quads_to_oxigraph(graphs.quads)).nquads)
        write_from_file(build_dir / "store", nquads)
        timings["store"] = time.perf_counter() - t0

        report = check_all(graphs, sink, build_dir / "store")
        if not report.conforms:
            raise ShapesViolated(report)

        t0 = time.perf_counter()
        # from the N-Quads the store was loaded from: the store names blank nodes afresh
        dataset = SortedFiles(nquads, build_dir / "work")
        nquads.unlink()
        written = dumps.write(dataset, build_dir / "dumps", settings.base_iri)
        timings["dumps"] = time.perf_counter() - t0
        info = manifest.describe_files(
            dataset,
            build_id=build_dir.name,
            base_iri=settings.base_iri,
            dumps={k: f"dumps/{v}" for k, v in written.items()},
            inputs=graphs.inputs,
        )
        info["warnings"] = graphs.warnings
        dataset.close()
        manifest.write(info, build_dir)
        publish(settings.var_dir, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    timings["total"] = time.perf_counter() - start
    return Build(build_dir, info, report, timings, len(cur.records), graphs.warnings)
