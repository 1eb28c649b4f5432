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

Importing never touches the curated records; re-importing a file updates its entry.
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


def register(imported: list[tuple[Path, str | None, bool]], settings: Settings) -> list[dict]:
    """Add or update the entries of ``imported`` (path, its ``url``, lenient) in the import
    list."""
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
    write_list(sorted(entries, key=lambda e: e["id"]), settings)
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
    files = find(args.paths)
    if not files:
        raise UserError("no publiccode.yml file found in " + ", ".join(map(str, args.paths)))
    counts = {"valid": 0, "valid_with_warnings": 0, "invalid": 0}
    to_import: list[tuple[Path, str | None, bool]] = []  # no report kept: memory stays flat
    for path, report in _validate_all(files):
        counts[report.verdict] += 1
        importable = report.data is not None and (report.ok or args.lenient)
        if importable and not args.dry_run:
            url = report.data.get("url")
            to_import.append((path, url if isinstance(url, str) else None, not report.ok))
        _show(report, args.format, importable and not args.dry_run)
    imported = register(to_import, settings) if to_import else []
    summary = (
        f"{len(files)} file(s): {counts['valid']} valid, {counts['valid_with_warnings']} valid "
        f"with warnings, {counts['invalid']} invalid"
    )
    if imported:
        summary += f"; {len(imported)} listed in {list_path(settings)} (run `kg build`)"
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


def entry_quads(entry: dict, settings: Settings, ctx: Context) -> tuple[list[Quad], Path]:
    """The quads of one listed file; raises when it is missing or has become invalid."""
    path = resolve(str(entry["path"]), settings)
    if not path.is_file():
        raise ListedFileError(f"{list_path(settings)}: listed file {entry['path']} not found")
    report = validate_file(path)
    if report.data is None or (report.errors and not entry.get("lenient")):
        problems = "\n".join(f"  {f}" for f in report.errors)
        raise ListedFileError(
            f"{entry['path']} (listed in {list_path(settings)}) no longer validates:\n{problems}"
        )
    prov = Provenance(
        id=str(entry["id"]),
        path=str(entry["path"]),
        repository=entry.get("repository"),
        commit=str(entry["commit"]) if entry.get("commit") else None,
        read=str(entry["read"]) if entry.get("read") else None,
    )
    return file_quads(report.data, report.findings, prov, ctx), path


def build_quads(settings: Settings, records: list, ontology_graph) -> tuple[list[Quad], list[Path]]:
    """Every listed file's quads (the build's hook) and the files read."""
    quads, files, _ = _build(settings, records, ontology_graph)
    return quads, files


def _build(settings: Settings, records: list, ontology_graph):
    entries = read_list(settings)
    if not entries:
        return [], [], {}
    ctx = context(settings, records, ontology_graph)
    quads: dict[Quad, None] = {}
    files = [list_path(settings)]
    locations: dict[str, str] = {}
    for entry in entries:
        got, path = entry_quads(entry, settings, ctx)
        quads.update(dict.fromkeys(got))
        files.append(path)
        for s, _, _, _ in got:
            locations.setdefault(str(s), str(entry["path"]))
    return list(quads), files, locations


def quads(spec, context):
    """The hook of ``kg/imports.py``: the quads of the import list ``spec`` for one build."""
    from kg.imports import Imported
    from kg.ontology import load

    settings = context.settings
    graph = load(settings.ontology_dir).graph
    found, files, locations = _build(settings, context.records, graph)
    return Imported(found, files[1:], locations)  # kg/imports.py counts the list file itself
