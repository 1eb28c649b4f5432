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
  may add facts about curated entities, in their own graphs.

Importers run in the order of ``IMPORTERS``, and each sees the quads of those before it
(``ImportContext.imported``): the software projects of publiccode.yml files are known when the
BlueHats pages are read, so that a page about one names it, or is it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Imported:
    quads: list  # rdflib (s, p, o, g)
    files: list[Path] = field(default_factory=list)  # every file read (for the manifest's inputs)
    locations: dict[str, str] = field(default_factory=dict)  # entity IRI → file it comes from


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


def run(context: ImportContext) -> Imported:
    """Every import list of the data folder, imported: the hook of ``kg build``."""
    total = Imported([])
    order = list(IMPORTERS)
    for spec in sorted(specs(context.settings), key=lambda s: order.index(s.importer)):
        context.imported = list(total.quads)
        got = module(spec.importer).quads(spec, context)
        total.quads += got.quads
        total.files += [spec.file, *got.files]
        total.locations.update(got.locations)
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
