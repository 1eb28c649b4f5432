"""Read the curated YAML of ``data/**/*.yaml``, keeping the file, line and column of every value.

Scalars stay strings (YAML 1.2-ish: ``yes``, ``on``, ``2024-01-09`` or ``150`` are not turned
into booleans, dates or numbers here); the record contract (``kg/records.py``) types them in
``kg/validation.py``. Only a plain ``null``, ``~`` or an empty value reads as ``None``.

>>> doc = parse_text("events:\\n  - id: codons\\n    start_date: 2024-01-09\\n", "x.yaml")
>>> start = doc["events"][0]["start_date"]
>>> start, start.loc.line, start.loc.column
('2024-01-09', 3, 17)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # the C composer is faster and keeps the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

NULLS = ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True, order=True, slots=True)  # slots: made for every value read
class Location:
    """Where a value was read: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Scalar(str):
    """A YAML scalar, as the string written, with its location."""

    loc: Location

    def __new__(cls, value: str, loc: Location) -> Scalar:  # noqa: PYI034
        obj = super().__new__(cls, value)
        obj.loc = loc
        return obj


class Mapping(dict):
    """A YAML mapping; ``key_locs`` gives where each key was written."""

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs: dict[str, Location] = {}


class Sequence(list):
    """A YAML sequence with its location."""

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc


@dataclass(frozen=True)
class SyntaxProblem:
    """A file that is not well-formed YAML, or a structure YAML allows but we do not."""

    loc: Location
    message: str


@dataclass
class Document:
    """One data file: its path (as shown in messages) and its top-level mapping."""

    path: Path
    name: str
    root: object  # Mapping normally; anything else is reported by validation


def _loc(name: str, mark) -> Location:
    return Location(name, mark.line + 1, mark.column + 1)


def _convert(node: yaml.Node, name: str, problems: list[SyntaxProblem], seen: set | None = None):
    mark = node.start_mark
    loc = Location(name, mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.ScalarNode):  # most nodes: checked first
        if not node.style and node.value in NULLS:  # plain: None (Python) or "" (C loader)
            return None
        return Scalar(node.value, loc)
    # an alias (*name) makes the composer hand out the same node again: repeated, it can expand
    # a 200-byte file into millions of values, or loop forever when it refers to itself
    seen = set() if seen is None else seen
    if id(node) in seen:
        problems.append(SyntaxProblem(loc, "YAML aliases (*name) are not supported in data "
                                           "files: write the value out"))
        return None
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(loc)
        seq.extend([_convert(item, name, problems, seen) for item in node.value])
        return seq
    mapping = Mapping(loc)
    key_locs = mapping.key_locs
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        key_loc = Location(name, mark.line + 1, mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(SyntaxProblem(key_loc, "a mapping key must be a plain string"))
            continue
        key = key_node.value
        if key in key_locs:
            problems.append(
                SyntaxProblem(key_loc, f"duplicate key '{key}' (first at line {key_locs[key].line})")
            )
            continue
        key_locs[key] = key_loc
        mapping[key] = _convert(value_node, name, problems, seen)
    return mapping


def parse_text(text: str, name: str, problems: list[SyntaxProblem] | None = None):
    """Parse one YAML text; YAML errors are appended to ``problems`` (or raised if None)."""
    sink: list[SyntaxProblem] = [] if problems is None else problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _loc(name, mark) if mark else Location(name, 1, 1)
        what = exc.problem or "syntax error"
        if exc.context and exc.context_mark is not None:
            what = f"{exc.context} (line {exc.context_mark.line + 1}): {what}"
        sink.append(SyntaxProblem(loc, f"not valid YAML: {what}"))
        node = None
    except yaml.YAMLError as exc:
        sink.append(SyntaxProblem(Location(name, 1, 1), f"not valid YAML: {exc}"))
        node = None
    root = None if node is None else _convert(node, name, sink)
    if problems is None and sink:
        raise ValueError("; ".join(f"{p.loc}: {p.message}" for p in sink))
    return root


def display_name(path: Path) -> str:
    """The path as messages show it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


IMPORTS_DIR = "imports"  # data/imports/*.yaml are import lists (kg/imports.py), not records


def data_files(data_dir: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` record file under ``data_dir`` (``imports/`` excepted), in a
    stable order."""
    if not data_dir.is_dir():
        return []
    files = [*data_dir.rglob("*.yaml"), *data_dir.rglob("*.yml")]
    # data/imports/ holds import lists (kg.imports) and data/reconciliation/ review files
    # (kg.reconcile.review): neither are records
    skipped = {IMPORTS_DIR, "reconciliation"}
    return sorted(
        p for p in files if p.is_file() and p.relative_to(data_dir).parts[0] not in skipped
    )


def read(data_dir: Path) -> tuple[list[Document], list[SyntaxProblem]]:
    """Read every data file; problems (bad YAML) are collected, never raised."""
    documents: list[Document] = []
    problems: list[SyntaxProblem] = []
    for path in data_files(data_dir):
        name = display_name(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(SyntaxProblem(Location(name, 1, 1), f"not UTF-8 text: {exc.reason}"))
            continue
        root = parse_text(text, name, problems)
        documents.append(Document(path, name, root))
    return documents, problems
