"""Check the YAML records against the record contract (``kg/records.py``).

Every problem is collected, none stops the check: unknown key, wrong type, bad date or
date-time (an offset is required), bad URL, bad slug, duplicate id, unknown reference or a
reference to a record of the wrong kind, unknown concept, unknown Wikidata ID, missing
required key. Each problem names the file, line and column, the record (kind and id) and
the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg import iris, value_types
from kg.errors import UserError
from kg.records import KINDS_BY_PLURAL, Field, Kind, fields_of
from kg.sources import Document, Location, Mapping, Scalar, Sequence
from kg.values import Record, Ref, Value


@dataclass(frozen=True, order=True)
class Problem:
    loc: Location
    message: str
    kind: str | None = None
    id: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.kind:
            where += f"{self.kind} '{self.id}'" if self.id else f"a {self.kind}"
        if self.key:
            where += f"{', ' if where else ''}key '{self.key}'"
        return f"{self.loc}: {where + ': ' if where else ''}{self.message}"


class ValidationFailed(UserError):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        n = len(self.problems)
        lines.append(f"{n} problem{'s' if n != 1 else ''} found; nothing was built.")
        return "\n".join(lines)


def allowed_wikidata(shared_dir: Path) -> set[str] | None:
    """The Q-numbers listed in ``reference/wikidata-ids.md`` (None when the file is absent)."""
    path = shared_dir / "reference" / "wikidata-ids.md"
    if not path.is_file():
        return None
    return set(re.findall(r"\bQ\d+\b", path.read_text(encoding="utf-8")))


def _loc_of(value, fallback: Location) -> Location:
    return getattr(value, "loc", None) or fallback


class _Checker:
    def __init__(self, concepts: set[str], wikidata: set[str] | None):
        self.vocabulary = value_types.Vocabulary(concepts, wikidata)
        self.problems: list[Problem] = []
        self.records: list[Record] = []
        self.refs: list[tuple[Record, Field, Ref, Location]] = []
        self.seen: dict[tuple[str, str], Location] = {}

    def problem(self, loc, message, kind=None, ident=None, key=None) -> None:
        self.problems.append(Problem(loc, message, kind, ident, key))

    # -- files and records -------------------------------------------------------------

    def document(self, doc: Document) -> None:
        root = doc.root
        top = Location(doc.name, 1, 1)
        if root is None:
            return  # an empty file (or one that failed to parse, already reported)
        if not isinstance(root, Mapping):
            self.problem(_loc_of(root, top), "a data file must be a mapping of record kinds")
            return
        default_doc = None
        if "document" in root:
            value = root["document"]
            if isinstance(value, Scalar) and iris.SLUG.match(value):
                default_doc = str(value)
                self.refs.append((None, None, Ref("source", default_doc), value.loc))
            else:
                self.problem(
                    _loc_of(value, root.key_locs["document"]),
                    "'document' must be the id of a source record",
                    key="document",
                )
        for key, value in root.items():
            if key == "document":
                continue
            kind = KINDS_BY_PLURAL.get(key)
            if kind is None:
                known = ", ".join(sorted(KINDS_BY_PLURAL))
                self.problem(root.key_locs[key], f"unknown record kind '{key}' (known: {known})")
                continue
            if value is None:
                continue
            if not isinstance(value, Sequence):
                self.problem(
                    _loc_of(value, root.key_locs[key]), f"'{key}' must be a list of records"
                )
                continue
            for item in value:
                self.record(kind, item, default_doc, value.loc)

    def record(self, kind: Kind, raw, default_doc: str | None, fallback: Location) -> None:
        if not isinstance(raw, Mapping):
            self.problem(_loc_of(raw, fallback), "a record must be a mapping", kind.name)
            return
        fields = fields_of(kind)
        ident_raw = raw.get("id")
        ident = str(ident_raw) if isinstance(ident_raw, Scalar) else None
        if ident is None:
            self.problem(raw.loc, "missing required key 'id'", kind.name, None, "id")
        elif not iris.SLUG.match(ident):
            self.problem(
                ident_raw.loc,
                f"bad id '{ident}': use lower-case letters, digits and '-' (a slug)",
                kind.name,
                ident,
                "id",
            )
            ident = None
        elif (kind.name, ident) in self.seen:
            first = self.seen[(kind.name, ident)]
            self.problem(
                ident_raw.loc,
                f"duplicate id: {_a(kind.name)} '{ident}' is already defined at {first}",
                kind.name,
                ident,
                "id",
            )
            ident = None
        else:
            self.seen[(kind.name, ident)] = ident_raw.loc
        shown = str(ident_raw) if isinstance(ident_raw, Scalar) else None
        record = Record(kind, ident or "", default_doc or "", raw.loc)
        ok = ident is not None
        for key, value in raw.items():
            key_loc = raw.key_locs[key]
            fl = fields.get(key)
            if fl is None:
                self.problem(
                    key_loc, f"unknown key '{key}' for {_a(kind.name)}", kind.name, shown, key
                )
                ok = False
                continue
            if key == "id":
                continue
            values = self.field(kind, shown, fl, value, key_loc)
            if values is None:
                ok = False
                continue
            record.values[key] = values
        for fl in fields.values():
            if fl.required and fl.key not in raw:
                self.problem(raw.loc, f"missing required key '{fl.key}'", kind.name, shown, fl.key)
                ok = False
        if "document" in record.values:
            record.document = record.values["document"][0].id
        elif not default_doc and kind.name != "source":
            self.problem(
                raw.loc,
                "no source document: give 'document' in the record or at the top of the file",
                kind.name,
                shown,
                "document",
            )
            ok = False
        if not record.document and kind.name == "source" and ident:
            record.document = ident  # a source document is its own source
        if ok:
            self.records.append(record)

    # -- values --------------------------------------------------------------------------

    def field(self, kind: Kind, ident, fl: Field, value, key_loc: Location) -> list[Value] | None:
        where = (kind.name, ident, fl.key)
        if value is None:
            self.problem(key_loc, "empty value", *where)
            return None
        items = value if isinstance(value, Sequence) else [value]
        if isinstance(value, Sequence) and not fl.many:
            self.problem(value.loc, "expects a single value, not a list", *where)
            return None
        if isinstance(value, Sequence) and not value:
            self.problem(value.loc, "empty list", *where)
            return None
        out: list[Value] = []
        good = True
        for item in items:
            loc = _loc_of(item, key_loc)
            if item is None:
                self.problem(loc, "empty value", *where)
                good = False
                continue
            try:
                typed = value_types.read(fl, item, loc, self.vocabulary)
            except value_types.BadValue as bad:
                self.problem(bad.loc, bad.message, *where)
                good = False
                continue
            out.extend(typed)
            self.refs.extend((where, fl, v, loc) for v in typed if isinstance(v, Ref))
        return out if good else None

    # -- references ----------------------------------------------------------------------

    def resolve(self) -> None:
        by_id: dict[str, list[str]] = {}
        for kind_name, ident in self.seen:
            by_id.setdefault(ident, []).append(kind_name)
        valid_records = {(r.kind.name, r.id): r for r in self.records}
        for where, fl, ref, loc in self.refs:
            targets = fl.targets if fl else ("source",)
            found = [k for k in by_id.get(ref.id, []) if k in targets]
            if fl is None:  # a file's `document:`
                if not found:
                    self.problem(loc, f"unknown source document '{ref.id}'", key="document")
                continue
            if len(found) == 1:
                ref.kind = found[0]
            elif len(found) > 1:
                self.problem(
                    loc, f"ambiguous reference '{ref.id}': it is {_list(found, 'and')}", *where
                )
                self._drop(valid_records, where)
            else:
                others = by_id.get(ref.id)
                expected = " or ".join(targets)
                if others:
                    msg = (
                        f"'{ref.id}' is {_list(others, 'and')}, "
                        f"expected {_list(targets, 'or')} here"
                    )
                else:
                    msg = f"unknown reference '{ref.id}' (no {expected} has this id)"
                self.problem(loc, msg, *where)
                self._drop(valid_records, where)
        self.records = [r for r in self.records if (r.kind.name, r.id) in valid_records]

    @staticmethod
    def _drop(valid_records, where) -> None:
        kind_name, ident, _ = where
        valid_records.pop((kind_name, ident), None)

    def figures_unique(self) -> None:
        for record in self.records:
            seen: set[str] = set()
            for fig in record.values.get("figures", []):
                if fig.id in seen:
                    self.problem(
                        record.loc,
                        f"duplicate figure id '{fig.id}'",
                        record.kind.name,
                        record.id,
                        "figures",
                    )
                seen.add(fig.id)


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _list(words, conj: str) -> str:
    return f" {conj} ".join(_a(w) for w in words)


def check(
    documents: Iterable[Document], concepts: set[str], wikidata: set[str] | None = None
) -> tuple[list[Record], list[Problem]]:
    """Type and check every record; returns the good records and all the problems found."""
    checker = _Checker(concepts, wikidata)
    for doc in documents:
        checker.document(doc)
    checker.resolve()
    checker.figures_unique()
    return checker.records, sorted(checker.problems)
