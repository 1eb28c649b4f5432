"""Imported sources: the import lists ``data/imports/*.yaml`` that ``kg build`` includes, and
the registry of importers behind ``kg import <importer>``.

Every import list has the same shape, whatever the importer::

    importer: bluehats-pages             # a name of IMPORTERS
    sources:                             # what to read, relative to Settings.shared_dir
      - path: corpora/bluehats-pages     # (or an absolute path)
    # ... keys of that importer's own (page rules, options)

An importer is a module with three functions:

- ``arguments(parser)`` and ``run(args, settings) -> int``: its ``kg import <name>`` command
  (which adds the source to the import list, so that the next build includes it);
- ``quads(spec, context) -> Imported``: what the build adds to the graph for one import list,
  each quad in a named graph of the import's own. Imports never change curated records: they
  may add facts about curated entities, in their own graphs. A large import returns its quads
  as a ``Stream`` of pieces (one file each) that the build reads batch by batch, in bounded
  memory (``kg/build.py``).

Importers run in the order of ``IMPORTERS``, and each sees what it needs of those before it
(``ImportContext.imported``: the quads of small imports, and the software projects and their
names of streamed ones): the software projects of publiccode.yml files are known when the
BlueHats pages are read, so that a page about one names it, or is it.

A source that is not there (a fresh checkout without the shared folder) is a warning that the
build prints and records in its manifest, and the build goes on without it; a malformed import
list is an error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg import iris
from kg.config import Settings
from kg.errors import UserError
from kg.sources import IMPORTS_DIR, Document, Mapping, display_name, parse_text


@dataclass(frozen=True)
class Importer:
    name: str
    help: str
    module: str  # imported when used


IMPORTERS: dict[str, Importer] = {  # in the order the build runs them
    i.name: i
    for i in (
        Importer("publiccode", "validate publiccode.yml files like the reference validator and "
                 "import the sound ones, each into its own graph", "kg.publiccode.importer"),
        Importer("bluehats-pages", "import the code.gouv.fr BlueHats pages (events, newsletters, "
                 "Semester-of-Code projects)", "kg.bluehats_pages.importer"),
    )
}


class ImportListError(UserError):
    """A bad import list; the message names the file and line."""


@dataclass(frozen=True)
class ImportSpec:
    """One import list: its file, its importer, its sources (resolved) and all its keys."""

    file: Path
    importer: str
    sources: tuple[Path, ...]
    data: Mapping  # the whole mapping, with locations (kg.sources)

    @property
    def name(self) -> str:
        return display_name(self.file)


@dataclass
class ImportContext:
    """What an importer may use of the build: settings, the curated data, earlier imports."""

    settings: Settings
    documents: list[Document]  # the curated data files (kg.sources), as read
    records: list  # the checked curated records (kg.values.Record)
    imported: list = field(default_factory=list)  # quads of the importers run before this one
    ontology: object = None  # the ontology graph (rdflib), when the build has read it


@dataclass
class Piece:
    """One unit of a streamed import: the quads of one source file (its own named graph)."""

    quads: list  # rdflib (s, p, o, g)
    location: str  # the file, as the import list names it (for reports)


@dataclass
class Stream:
    """A large import (thousands of files), mapped piece by piece while the build reads it:
    the build holds one batch of pieces at a time, never the whole import. ``inputs`` and
    ``counts`` are filled as the pieces are read."""

    name: str  # the importer's
    total: int  # pieces expected (for the progress bar; skipped files included)
    counts: dict[str, int] = field(default_factory=dict)  # files read, skipped...
    inputs: dict[str, str] = field(default_factory=dict)  # display name → SHA-256
    pieces: Iterator[Piece] = field(default_factory=lambda: iter(()))


@dataclass
class Imported:
    quads: list  # rdflib (s, p, o, g)
    files: list[Path] = field(default_factory=list)  # every file read (for the manifest's inputs)
    locations: dict[str, str] = field(default_factory=dict)  # entity IRI → file it comes from
    streams: list[Stream] = field(default_factory=list)  # large imports, read by the build
    warnings: list[str] = field(default_factory=list)  # e.g. a source that is not there
    inputs: dict[str, str] = field(default_factory=dict)  # of the streams, once read


def module(name: str):
    if name not in IMPORTERS:
        raise ImportListError(f"unknown importer '{name}' (known: {', '.join(sorted(IMPORTERS))})")
    return importlib.import_module(IMPORTERS[name].module)


def list_files(settings: Settings) -> list[Path]:
    folder = settings.data_dir / IMPORTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def read_spec(path: Path, settings: Settings) -> ImportSpec:
    name = display_name(path)
    problems: list = []
    root = parse_text(path.read_text(encoding="utf-8"), name, problems)
    if problems:
        raise ImportListError("\n".join(f"{p.loc}: {p.message}" for p in problems))
    if not isinstance(root, Mapping):
        raise ImportListError(f"{name}:1: an import list must be a mapping (importer:, sources:)")
    importer = root.get("importer")
    if importer not in IMPORTERS:
        loc = getattr(importer, "loc", f"{name}:1")
        raise ImportListError(f"{loc}: importer must be one of {', '.join(sorted(IMPORTERS))}, "
                              f"not {importer!r}")
    sources = []
    for item in root.get("sources") or []:
        path_value = item.get("path") if isinstance(item, Mapping) else None
        if not path_value:
            raise ImportListError(f"{getattr(item, 'loc', name)}: each source is a mapping "
                                  "with a 'path'")
        p = Path(path_value)
        sources.append(p if p.is_absolute() else settings.shared_dir / p)
    return ImportSpec(path, str(importer), tuple(sources), root)


def specs(settings: Settings) -> list[ImportSpec]:
    return [read_spec(p, settings) for p in list_files(settings)]


def _summary(quads, into: dict) -> None:
    """What later importers use of earlier ones (the BlueHats pages: software projects and
    their names, kg/bluehats_pages/curated.py): project types, names, alternative and short
    names, and one description each (its presence is what matters), without graphs."""
    from rdflib import Literal, URIRef

    from kg.namespaces import RDF

    rdf_type = URIRef(RDF + "type")
    project = URIRef(iris.term("SoftwareProject"))
    names = {URIRef(iris.term(p)) for p in ("name", "altName", "shortName")}
    description = URIRef(iris.term("description"))
    projects = {s for s, p, o, _ in quads if p == rdf_type and o == project}
    for s, p, o, _ in quads:
        if s not in projects:
            continue
        if p == rdf_type and o == project or p in names:
            into.setdefault((s, p, o, None), None)
        elif p == description:  # that it has one, not its text (memory stays small)
            into.setdefault((s, p, Literal("…"), None), None)


def _summarised(pieces: Iterator[Piece], summary: dict) -> Iterator[Piece]:
    for piece in pieces:
        _summary(piece.quads, summary)
        yield piece


def read_in_memory(stream: Stream) -> list:
    """Every quad of a stream, in memory (``kg validate``, tests, small imports)."""
    quads: dict = {}
    for piece in stream.pieces:
        quads.update(dict.fromkeys(piece.quads))
    return list(quads)


def missing_sources(spec: ImportSpec, settings: Settings) -> list[str]:
    """A warning for each source of ``spec`` that is not there (one for all of them when the
    shared folder itself is missing, as on a fresh clone)."""
    missing = [p for p in spec.sources if not p.exists()]
    shared = settings.shared_dir
    if not shared.exists():
        under = [p for p in missing if p.is_relative_to(shared)]
        if under:
            warnings = [
                (f"{spec.name}: {len(under)} source(s) not read: the shared folder {shared} is "
                 "not there (set KG_SHARED_DIR to the folder holding corpora/); built without them")
            ]
            return warnings + [f"{spec.name}: source {p} not found; built without it"
                               for p in missing if p not in under]
    return [f"{spec.name}: source {p} not found; built without it" for p in missing]


def run(context: ImportContext, consume: Callable[[Stream], None] | None = None) -> Imported:
    """Every import list of the data folder, imported: the hook of ``kg build``.

    A large import comes as a ``Stream``: ``consume`` reads it (the build maps, checks and
    writes it batch by batch) before the next importer runs; without ``consume`` its quads
    are gathered in memory. A source that is not there (a fresh checkout without the shared
    folder) is a warning, and the build goes on without it; a bad import list is an error.
    """
    total = Imported([])
    summary: dict = {}
    order = list(IMPORTERS)
    for spec in sorted(specs(context.settings), key=lambda s: order.index(s.importer)):
        total.files.append(spec.file)
        missing = missing_sources(spec, context.settings)
        total.warnings += missing
        if missing:
            spec = replace(spec, sources=tuple(p for p in spec.sources if p.exists()))
            if not spec.sources:
                continue
        context.imported = [*total.quads, *(q for q in summary if len(q) == 4)]
        got = module(spec.importer).quads(spec, context)
        for stream in got.streams:
            if consume is None:
                got.quads += read_in_memory(stream)
            else:
                stream.pieces = _summarised(stream.pieces, summary)
                consume(stream)
            total.inputs.update(stream.inputs)
            total.streams.append(stream)
        total.quads += got.quads
        total.files += got.files
        total.locations.update(got.locations)
        total.warnings += got.warnings
    return total


def source_path(folder: Path, settings: Settings) -> str:
    """How an import list names ``folder``: relative to the shared folder when inside it."""
    folder = folder.resolve()
    shared = settings.shared_dir.resolve()
    return folder.relative_to(shared).as_posix() if folder.is_relative_to(shared) else str(folder)


def register(importer: str, folder: Path, settings: Settings) -> tuple[Path, bool]:
    """Add ``folder`` to the sources of ``data/imports/<importer>.yaml`` (created if need be),
    keeping the file's comments and other keys. Returns (file, whether it changed)."""
    from ruamel.yaml import YAML

    path = settings.data_dir / IMPORTS_DIR / f"{importer}.yaml"
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if data is None:
        data = {"importer": importer, "sources": []}
    if data.get("importer") != importer:
        raise ImportListError(f"{display_name(path)}: importer is {data.get('importer')!r}, "
                              f"expected '{importer}'")
    wanted = source_path(folder, settings)
    sources = data.setdefault("sources", [])
    known = {source_path(Path(s["path"]) if Path(s["path"]).is_absolute()
                         else settings.shared_dir / s["path"], settings) for s in sources}
    if wanted in known:
        return path, False
    sources.append({"path": wanted})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return path, True
