"""The keys of ``data/imports/bluehats-pages.yaml`` that are this importer's own (the shape
shared by every import list is in ``kg/imports.py``): the editorial decisions taken page by
page (which curated event a page describes, a kind or dates the page only gives in prose),
each with a note saying why.

    importer: bluehats-pages
    sources:
      - path: corpora/bluehats-pages        # relative to Settings.shared_dir
    pages:
      rencontres/codons-2024.md:
        event: garagethon-2024               # the curated event: one event, two sources
      bsoc/2022/contributions/:              # a folder rule (trailing "/") applies to its pages
        presented_at: bsoc-2022

``ignore_names`` lists entities (``person/ada-lovelace``) whose names are not to be taken as
mentions, each with a note (a room named after someone does not name that person).

Keys of a page rule: ``event`` (the id of the event the page is about, curated or shared by
several pages), ``name``, ``kind``, ``start_date``, ``end_date``, ``presented_at`` (for project
pages: the event the project was put forward at), ``note`` (English: why).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.errors import UserError
from kg.iris import SLUG

RULE_KEYS = {"event", "name", "kind", "start_date", "end_date", "presented_at", "note"}


class RulesError(UserError, ValueError):
    """A bad page rule; the message names the import list and the key."""


@dataclass(frozen=True)
class PageRule:
    event: str | None = None
    name: str | None = None
    kind: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    presented_at: str | None = None
    note: str | None = None

    def merged(self, other: PageRule) -> PageRule:
        """``other``'s keys over this rule's."""
        return PageRule(**{k: getattr(other, k) or getattr(self, k) for k in RULE_KEYS})


@dataclass(frozen=True)
class Rules:
    name: str  # the import list, as messages show it
    pages: dict[str, PageRule] = field(default_factory=dict)
    ignored: frozenset[tuple[str, str]] = frozenset()  # (kind, id) never taken as named

    def rule(self, page_path: str) -> PageRule:
        """The rules of the page's folders (outermost first), then the page's own."""
        rule = PageRule()
        parts = page_path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i]) + "/"
            if folder in self.pages:
                rule = rule.merged(self.pages[folder])
        return rule.merged(self.pages.get(page_path, PageRule()))


def _date(value, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RulesError(f"{where}: {value!r} is not a date YYYY-MM-DD") from None


def _where(value, fallback: str) -> str:
    loc = getattr(value, "loc", None)  # kg.sources keeps where each value was written
    return str(loc) if loc else fallback


def parse(data: object, name: str) -> Rules:
    """The page rules and ignored names of one import list (a mapping read by kg.sources or
    plain YAML); every error names the file (and line when known) and the key."""
    if not isinstance(data, dict):
        raise RulesError(f"{name}: an import list must be a mapping")
    pages = {}
    for page, raw in (data.get("pages") or {}).items():
        where = f"{_where(raw, name)}: pages.{page}"
        if not isinstance(raw, dict):
            raise RulesError(f"{where}: a page rule must be a mapping")
        unknown = set(raw) - RULE_KEYS
        if unknown:
            raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}"
                             f" (known: {', '.join(sorted(RULE_KEYS))})")
        for key in ("event", "kind", "presented_at"):
            if raw.get(key) is not None and not SLUG.match(str(raw[key])):
                raise RulesError(f"{where}.{key}: {raw[key]!r} is not an id [a-z0-9-]")
        text = {k: (str(raw[k]) if raw.get(k) is not None else None)
                for k in ("event", "name", "kind", "presented_at", "note")}
        pages[str(page)] = PageRule(
            **text,
            start_date=_date(raw.get("start_date"), where + ".start_date"),
            end_date=_date(raw.get("end_date"), where + ".end_date"),
        )
    ignored = set()
    for i, item in enumerate(data.get("ignore_names") or []):
        entity = item.get("entity") if isinstance(item, dict) else None
        kind, _, ident = str(entity or "").partition("/")
        if kind not in ("project", "organisation", "person") or not SLUG.match(ident):
            raise RulesError(f"{_where(item, name)}: ignore_names[{i}].entity must be "
                             f"'project/<id>', 'organisation/<id>' or 'person/<id>', "
                             f"not {entity!r}")
        ignored.add((kind, ident))
    return Rules(name, pages, frozenset(ignored))


def read(path: Path) -> Rules:
    """The rules of an import list file (for tools and tests; the build reads it through
    kg.imports)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        raise RulesError(f"{path}{line}: not valid YAML: {exc.problem}") from None
    return parse(data, str(path))
