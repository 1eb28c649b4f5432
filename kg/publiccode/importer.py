"""``kg import publiccode PATH…``: validate publiccode.yml files and list the sound ones for the
build, and the build's side: the quads of every listed file.

The import list is ``data/imports/publiccode.yaml`` (the shape of ``kg/imports.py``)::

    importer: publiccode
    sources:
      - path: corpora/publiccode-fr/gristlabs+grist-core/publiccode.yml  # shared dir, or absolute
        id: gristlabs-grist-core      # the named graph {base}graph/publiccode/<id>
        repository: https://github.com/gristlabs/grist-core
        commit: f98cda95ac9a39d27c976c9db84ca131bf020f84
        read: 2026-11-28              # when it was imported
        lenient: false                # true: imported despite errors (what is sound)
      - path: /data/publiccode-corpus # a folder given to `kg import`: one entry for all its
        read: 2026-11-28              # files, whose id, repository and commit the build
        lenient: false                # derives as `kg import` would (``Plan``)

Importing never touches the curated records; re-importing a file or folder updates its entry.
The build reads the listed files one at a time (``quads`` returns a ``kg.imports.Stream``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from kg.config import Settings
from kg.errors import UserError
from kg.publiccode.findings import Report
from kg.publiccode.mapping import (
    Context,
    Provenance,
    Quad,
    bh,
    file_quads,
    name_key,
    properties_from,
    repository_key,
    repository_slug,
    slug,
)
from kg.publiccode.validator import validate_file
from kg.sources import display_name

NAME = "publiccode"
LIST_FILE = Path("imports") / "publiccode.yaml"
FILE_NAMES = ("publiccode.yml", "publiccode.yaml")
PROGRESS_FROM = 200  # files: show a progress bar on runs at least this long

_COMMIT_NOTE = re.compile(r"(?:at commit|copy taken from) ([0-9a-f]{7,40}\^?)")
_COMMIT_DIR = re.compile(r"^[0-9a-f]{7,40}$")


class ListedFileError(UserError):
    """A file listed for import that is missing or no longer valid."""


# --- finding files and their provenance -------------------------------------------------------


def find(paths: Iterable[Path]) -> list[Path]:
    """Files, and in folders every publiccode.yml (or, when there is none, every YAML file)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            named = sorted(p for n in FILE_NAMES for p in path.rglob(n) if p.is_file())
            if not named:
                named = sorted(
                    p for p in [*path.rglob("*.yml"), *path.rglob("*.yaml")] if p.is_file()
                )
            found += named
        elif path.exists():
            found.append(path)
        else:
            raise UserError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Origin:
    repository: str | None
    commit: str | None


def origin(path: Path, url: str | None) -> Origin:
    """Repository and commit of a file: from an ``index.json`` of a folder above it (a corpus
    of real files), else the file's own ``url`` and no commit."""
    path = path.resolve()
    for folder in list(path.parents)[:4]:
        index = folder / "index.json"
        if not index.is_file():
            continue
        entries = _index(index)
        if entries is None:
            break
        rel = path.relative_to(folder).as_posix()
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not entry.get("repo"):
                continue
            own_dir = str(entry.get("file", "")).split("/", 1)[0]
            if rel != entry.get("file") and not rel.startswith(own_dir + "/"):
                continue
            return Origin(_repository(entry["repo"], url), _commit(entry, rel))
        break
    return Origin(url if url and repository_key(url) else None, None)


@lru_cache(maxsize=64)
def _index(path: Path) -> list | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _repository(repo: str, url: str | None) -> str:
    key = repository_key(url) if url else None
    if key and key.lower().endswith("/" + repo.lower()):
        return url.strip().rstrip("/").removesuffix(".git")
    return f"https://github.com/{repo}"


def _commit(entry: dict, rel: str) -> str | None:
    parts = rel.split("/")
    if "_commits" in parts:  # a copy of the file at another commit
        i = parts.index("_commits")
        if i + 1 < len(parts) and _COMMIT_DIR.match(parts[i + 1]):
            return parts[i + 1]
    if rel == entry.get("file"):
        found = _COMMIT_NOTE.search(str(entry.get("note") or ""))
        if found:
            return found.group(1)
        return entry.get("commit") or entry.get("snapshot_head")
    return None


# --- the import list --------------------------------------------------------------------------


def list_path(settings: Settings) -> Path:
    return settings.data_dir / LIST_FILE


def shown_path(path: Path, settings: Settings) -> str:
    path = path.resolve()
    shared = settings.shared_dir.resolve()
    return path.relative_to(shared).as_posix() if path.is_relative_to(shared) else str(path)


def resolve(shown: str, settings: Settings) -> Path:
    p = Path(shown)
    return p if p.is_absolute() else settings.shared_dir / p


def read_list(settings: Settings) -> list[dict]:
    path = list_path(settings)
    if not path.is_file():
        return []
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or data.get("importer") != NAME:
        raise UserError(f"{path}: expected an import list with 'importer: {NAME}'")
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and s.get("path") for s in sources
    ):
        raise UserError(f"{path}: 'sources' must be a list of mappings with a 'path'")
    return [dict(s) for s in sources]


HEADER = """\
# publiccode.yml files imported by `kg import publiccode`; `kg build` maps each into its own
# named graph ({base}graph/publiccode/<id>). Paths are relative to the shared folder
# (KG_SHARED_DIR) unless absolute. Written by the importer: re-import rather than edit.
"""


def write_list(entries: list[dict], settings: Settings) -> Path:
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    out = StringIO()
    yaml.dump({"importer": NAME, "sources": entries}, out)
    path = list_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(HEADER + out.getvalue(), encoding="utf-8")
    tmp.replace(path)
    return path


def register(
    imported: list[tuple[Path, str | None, bool]],
    settings: Settings,
    folders: list[tuple[Path, bool]] = (),
) -> list[dict]:
    """Add or update the entries of ``imported`` (path, its ``url``, lenient) in the import
    list, and one folder entry for each of ``folders`` (folder, lenient): a folder's files are
    not listed one by one (their ids, repository and commit are derived when the build reads
    them), so that a corpus of 100,000 files is one line."""
    entries = read_list(settings)
    by_path = {e["path"]: e for e in entries}
    ids = {e.get("id") for e in entries}
    today = datetime.now(UTC).date().isoformat()
    touched = []
    for path, url, lenient in imported:
        shown = shown_path(path, settings)
        where = origin(path, url if isinstance(url, str) else None)
        entry = by_path.get(shown)
        if entry is None:
            ident = _new_id(where.repository or (url if isinstance(url, str) else None), path, ids)
            ids.add(ident)
            entry = {"path": shown, "id": ident}
            entries.append(entry)
            by_path[shown] = entry
        entry.update(repository=where.repository, commit=where.commit, read=today, lenient=lenient)
        touched.append(entry)
    for folder, lenient in folders:
        shown = shown_path(folder, settings)
        entry = by_path.get(shown)
        if entry is None:
            entry = {"path": shown}
            entries.append(entry)
            by_path[shown] = entry
        entry.update(read=today, lenient=lenient)
        touched.append(entry)
    # file entries by id, then folder entries by path: the order the build reads them
    entries.sort(key=lambda e: (is_folder_entry(e), str(e.get("id") or e["path"])))
    write_list(entries, settings)
    return touched


def _new_id(url: str | None, path: Path, taken: set) -> str:
    base = (repository_slug(url) if url else None) or slug(path.parent.name or path.stem)
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


# --- kg import publiccode ---------------------------------------------------------------------


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="publiccode.yml files, or folders holding them",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one object per file (verdict, findings) on each line",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="also import files with errors: what is sound, with the findings",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="validate only: list nothing for the build"
    )
    parser.add_argument(
        "--check-files",
        action="store_true",
        help="check that logo, screenshots and AUTHORS exist beside each file "
        "(when it sits in a checkout of its repository)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    files: list[Path] = []
    in_folder: set[Path] = set()  # files found in a folder argument: the folder is listed
    for arg in args.paths:
        found = find([arg])
        files += found
        if arg.is_dir():
            in_folder.update(found)
    files = list(dict.fromkeys(files))
    if not files:
        raise UserError("no publiccode.yml file found in " + ", ".join(map(str, args.paths)))
    folders = [p for p in args.paths if p.is_dir()]
    counts = {"valid": 0, "valid_with_warnings": 0, "invalid": 0}
    to_import: list[tuple[Path, str | None, bool]] = []  # no report kept: memory stays flat
    importable_files = 0
    for path, report in _validate_all(files):
        counts[report.verdict] += 1
        importable = report.data is not None and (report.ok or args.lenient)
        if importable and not args.dry_run:
            importable_files += 1
            if path not in in_folder:
                url = report.data.get("url")
                to_import.append((path, url if isinstance(url, str) else None, not report.ok))
        _show(report, args.format, importable and not args.dry_run)
    listed_folders = [(f, args.lenient) for f in folders] if importable_files else []
    if (to_import or listed_folders) and not args.dry_run:
        register(to_import, settings, listed_folders)
    summary = (
        f"{len(files)} file(s): {counts['valid']} valid, {counts['valid_with_warnings']} valid "
        f"with warnings, {counts['invalid']} invalid"
    )
    if importable_files:
        where = []
        if to_import:
            where.append(f"{len(to_import)} file(s)")
        if listed_folders:
            where.append(f"{len(listed_folders)} folder(s)")
        summary += (f"; {importable_files} imported, listed as {' and '.join(where)} in "
                    f"{list_path(settings)} (run `kg build`)")
    elif not args.dry_run:
        summary += "; nothing imported"
    print(summary, file=sys.stderr if args.format == "json" else sys.stdout)
    return 1 if counts["invalid"] else 0


def _validate_all(files: list[Path]) -> Iterator[tuple[Path, Report]]:
    progress = None
    if len(files) >= PROGRESS_FROM:
        from tqdm import tqdm

        progress = tqdm(total=len(files), unit="file", file=sys.stderr, disable=None)
    for path in files:
        yield path, validate_file(path)
        if progress is not None:
            progress.update()
    if progress is not None:
        progress.close()


def _show(report: Report, fmt: str, imported: bool) -> None:
    if fmt == "json":
        print(json.dumps({**report.as_dict(), "imported": imported}, ensure_ascii=False))
        return
    print(report.describe())
    if report.data is None and report.errors:
        print("  not imported: the file cannot be read as publiccode.yml")
    elif not imported and report.errors:
        print("  not imported: fix the errors above, or use --lenient to import what is sound")


# --- kg build ---------------------------------------------------------------------------------


def context(settings: Settings, records: list, ontology_graph) -> Context:
    """What the mapping needs of the build: the annotations, the curated entities."""
    from kg.mapping import subject_of
    from kg.records import fields_of

    ctx = Context(settings.base_iri, properties_from(ontology_graph))
    names: dict[tuple[str, str], set] = {}
    for record in records:
        subject = subject_of(record, settings.base_iri)
        ctx.curated.add(subject)
        if record.kind.name in ("project", "organisation"):
            for key in ("name", "short_name", "alt_names"):
                for value in record.values.get(key, []):
                    text = getattr(value, "text", None)
                    if text:
                        names.setdefault((record.kind.name, name_key(text)), set()).add(subject)
        if record.kind.name != "project":
            continue
        fields = fields_of(record.kind)
        ctx.curated_values[subject] = {bh(fields[k].prop) for k in record.values if fields[k].prop}
        for value in record.values.get("repository", []):
            key = repository_key(getattr(value, "iri", ""))
            if key:
                ctx.curated_projects.setdefault(key, subject)
    ctx.curated_names = {k: next(iter(v)) for k, v in names.items() if len(v) == 1}
    return ctx


def is_folder_entry(entry: dict) -> bool:
    """A folder entry (no ``id``): every publiccode.yml under the folder, ids derived."""
    return "id" not in entry


def _provenance(entry: dict, ident: str, shown: str, repository, commit) -> Provenance:
    return Provenance(
        id=ident,
        path=shown,
        repository=repository,
        commit=str(commit) if commit else None,
        read=str(entry["read"]) if entry.get("read") else None,
    )


def _check(report: Report, shown: str, settings: Settings, lenient: bool) -> None:
    if report.data is None or (report.errors and not lenient):
        problems = "\n".join(f"  {f}" for f in report.errors)
        raise ListedFileError(
            f"{shown} (listed in {list_path(settings)}) no longer validates:\n{problems}"
        )


@dataclass
class Mapped:
    """One file of the build: its quads (one named graph) and what the manifest says of it."""

    quads: list[Quad]
    path: Path
    shown: str  # as the import list (or its folder entry) names it
    digest: str  # SHA-256 of the file's bytes
    provenance: Provenance


class Plan:
    """The files a build reads for the import list, in a fixed order: the file entries, then
    each folder entry's files (sorted, files listed on their own left out). Ids of a folder's
    files come from their repository, as ``kg import`` gives them, in that order."""

    def __init__(self, entries: list[dict], settings: Settings):
        self.settings = settings
        self.files = [e for e in entries if not is_folder_entry(e)]
        self.folders = [e for e in entries if is_folder_entry(e)]
        self.taken = {str(e["id"]) for e in self.files}
        self.listed = {resolve(str(e["path"]), settings).resolve() for e in self.files}
        self.counts = {"files": 0, "skipped": 0}  # filled as the files are read
        self.folder_digests: dict[str, str] = {}  # folder as listed → hash of its files read
        self._found: dict[str, list[Path]] = {}  # folder as listed → its files, in order

    def folder_files(self, entry: dict) -> list[Path]:
        key = str(entry["path"])
        if key not in self._found:
            folder = resolve(key, self.settings)
            found = find([folder]) if folder.is_dir() else [folder]
            self._found[key] = [p for p in found if p.resolve() not in self.listed]
        return self._found[key]

    def __len__(self) -> int:
        return len(self.files) + sum(len(self.folder_files(e)) for e in self.folders)

    def mapped(self, ctx: Context) -> Iterator[Mapped]:
        """Every file, validated and mapped, one at a time (nothing kept between files)."""
        import hashlib

        from kg.publiccode.validator import validate_bytes

        settings = self.settings
        for entry in self.files:
            path = resolve(str(entry["path"]), settings)
            data = path.read_bytes()
            report = validate_bytes(data, str(path))
            _check(report, str(entry["path"]), settings, bool(entry.get("lenient")))
            prov = _provenance(entry, str(entry["id"]), str(entry["path"]),
                               entry.get("repository"), entry.get("commit"))
            self.counts["files"] += 1
            yield Mapped(file_quads(report.data, report.findings, prov, ctx), path,
                         str(entry["path"]), hashlib.sha256(data).hexdigest(), prov)
        for entry in self.folders:
            lenient = bool(entry.get("lenient"))
            folder = resolve(str(entry["path"]), settings)
            whole = hashlib.sha256()
            for path in self.folder_files(entry):
                data = path.read_bytes()
                shown = shown_path(path, settings)
                whole.update(f"{shown}\0{hashlib.sha256(data).hexdigest()}\n".encode())
                report = validate_bytes(data, str(path))
                if report.data is None or (report.errors and not lenient):
                    self.counts["skipped"] += 1  # reported by `kg import`, not imported
                    continue
                url = report.data.get("url")
                url = url if isinstance(url, str) else None
                where = origin(path, url)
                ident = _new_id(where.repository or url, path, self.taken)
                self.taken.add(ident)
                prov = _provenance(entry, ident, shown, where.repository, where.commit)
                self.counts["files"] += 1
                yield Mapped(file_quads(report.data, report.findings, prov, ctx), path, shown,
                             hashlib.sha256(data).hexdigest(), prov)
            self.folder_digests[shown_path(folder, settings)] = whole.hexdigest()


def build_quads(settings: Settings, records: list, ontology_graph) -> tuple[list[Quad], list[Path]]:
    """Every listed file's quads (in memory: for tests and small lists) and the files read."""
    ctx = context(settings, records, ontology_graph)
    quads: dict[Quad, None] = {}
    files = [list_path(settings)]
    for got in Plan(read_list(settings), settings).mapped(ctx):
        quads.update(dict.fromkeys(got.quads))
        files.append(got.path)
    return list(quads), files


def quads(spec, context):
    """The hook of ``kg/imports.py``: the import list ``spec`` as a stream of files, each
    mapped when the build reads it (see ``kg.imports.Stream``). Sources the build could not
    find (``spec.sources``) are left out: ``kg/imports.py`` has warned about them."""
    from kg.imports import Imported, Piece, Stream
    from kg.ontology import load

    settings = context.settings
    present = {p.resolve() for p in spec.sources}
    entries = [e for e in read_list(settings) if resolve(str(e["path"]), settings).resolve()
               in present]
    if not entries:
        return Imported([])
    plan = Plan(entries, settings)
    graph = context.ontology if context.ontology is not None else load(settings.ontology_dir).graph
    ctx = context_for(settings, context.records, graph)
    stream = Stream(NAME, len(plan), plan.counts)

    def pieces() -> Iterator[Piece]:
        # the manifest's inputs: each file entry's file, each folder as one hash of its files
        for got in plan.mapped(ctx):
            if got.path.resolve() in plan.listed:
                stream.inputs[display_name(got.path)] = got.digest
            yield Piece(got.quads, got.shown)
        for entry in plan.folders:
            folder = resolve(str(entry["path"]), settings)
            stream.inputs[display_name(folder)] = plan.folder_digests[shown_path(folder, settings)]

    stream.pieces = pieces()
    return Imported([], streams=[stream])


context_for = context
