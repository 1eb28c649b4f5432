"""Read a folder of pages and map them all: the I/O around the pure parser and mapping.

A corpus folder is either the pages root itself or a checkout whose pages are under
``content/fr/bluehats/`` (the code.gouv.fr repository's layout); the corpus commit is read from
``SOURCE_COMMIT.txt`` at the corpus root when present.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.bluehats_pages.curated import Curated
from kg.bluehats_pages.mapping import Context, PageGraph, bh, map_page, project_names
from kg.bluehats_pages.page import Page, PageError, parse_page
from kg.bluehats_pages.rules import Rules
from kg.errors import UserError

PAGES_UNDER = Path("content/fr/bluehats")
COMMIT = re.compile(r"\b[0-9a-f]{40}\b")
START = bh("startDate")


class ImportFailed(UserError, ValueError):
    """Pages that cannot be imported: every problem, each naming its page."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

    def report(self) -> str:
        n = len(self.problems)
        return "\n".join([*self.problems, f"{n} problem{'s' if n != 1 else ''}; nothing imported."])


@dataclass
class Result:
    root: Path
    commit: str | None
    graphs: list[PageGraph] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # navigation pages
    warnings: list[str] = field(default_factory=list)
    curated_starts: dict[str, str] = field(default_factory=dict)  # curated event id → start date

    def events_per_year(self) -> Counter:
        """Events by the year they start (a curated event by its curated date)."""
        starts: dict[str, str] = {}
        for pg in self.graphs:
            kind, ident = pg.subject
            if kind != "event":
                continue
            if ident in self.curated_starts:
                starts[ident] = self.curated_starts[ident]
            for _, p, o, _ in pg.quads:
                if p == START:
                    starts[ident] = str(o)
        return Counter(int(d[:4]) for d in starts.values())

    def counts(self) -> Counter:
        """Entities by what they are: event, newsletter, project (new or merged)."""
        c: Counter = Counter()
        seen = set()
        for pg in self.graphs:
            if pg.subject in seen:
                continue
            seen.add(pg.subject)
            what = {"source": "newsletter"}.get(pg.subject[0], pg.subject[0])
            c[what + (" (curated, merged)" if pg.merged else "")] += 1
        return c

    def pages_per_folder(self) -> Counter:
        return Counter(pg.page.folder for pg in self.graphs)

    def quads(self) -> list:
        return [q for pg in self.graphs for q in pg.quads]


def checkout_of(folder: Path) -> Path:
    """The corpus root of a folder given as its pages (``…/content/fr/bluehats``), so that a
    corpus is listed once however it was named."""
    folder = folder.resolve()
    if folder.parts[-3:] == PAGES_UNDER.parts:
        return folder.parents[2]
    return folder


def pages_root(folder: Path) -> Path:
    return folder / PAGES_UNDER if (folder / PAGES_UNDER).is_dir() else folder


def read_commit(folder: Path) -> str | None:
    for d in (folder, *folder.parents):
        f = d / "SOURCE_COMMIT.txt"
        if f.is_file():
            m = COMMIT.search(f.read_text(encoding="utf-8"))
            return m.group(0) if m else None
    return None


def read_pages(root: Path) -> tuple[list[Page], list[str]]:
    """Every ``*.md`` page under ``root`` (sorted by path), and the problems of those that fail."""
    pages, problems = [], []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        try:
            pages.append(parse_page(path.read_text(encoding="utf-8"), rel))
        except UnicodeDecodeError as exc:
            problems.append(f"{rel}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        except PageError as exc:
            problems.append(str(exc))
    return pages, problems


def import_folder(folder: Path, rules: Rules, curated: Curated, base: str,
                  shared_dir: Path | None = None) -> Result:
    """Parse and map every page of ``folder``. Raises ImportFailed listing every problem."""
    root = pages_root(folder)
    if not root.is_dir():
        raise ImportFailed([f"{folder}: no such folder"])
    pages, problems = read_pages(root)
    result = Result(root, read_commit(folder))
    shown = root.resolve()
    if shared_dir is not None and shown.is_relative_to(shared_dir.resolve()):
        prefix = "shared/" + shown.relative_to(shared_dir.resolve()).as_posix() + "/"
    else:
        prefix = ""
    names = curated.names()
    ctx = Context(base, curated, names, result.commit, prefix, rules.ignored)
    content = [p for p in pages if not p.is_navigation]
    result.skipped = [p.path for p in pages if p.is_navigation]
    try:
        for name, ident in project_names(content, ctx):
            names.add(name, "project", ident)
    except ValueError as exc:
        problems.append(str(exc))
    owners: dict[tuple[str, str], list[str]] = {}
    for page in content:
        rule = rules.rule(page.path)
        try:
            pg = map_page(page, rule, ctx)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        result.graphs.append(pg)
        if not rule.event:
            owners.setdefault(pg.subject, []).append(page.path)
    named = {r.event for r in rules.pages.values() if r.event and r.name}
    for page in content:
        event = rules.rule(page.path).event
        if event and event not in named and not curated.has("event", event):
            problems.append(f"{page.path}: {rules.name} says the page is about event '{event}', "
                            "which is no curated event and no rule names")
    for (kind, ident), paths in owners.items():
        if len(paths) > 1:
            problems.append(f"{', '.join(paths)}: these pages all become {kind} '{ident}'; "
                            f"give them rules in {rules.name}")
    if problems:
        raise ImportFailed(problems)
    result.warnings = _unmapped_curated_events(result, curated)
    result.curated_starts = {
        ident: str(rec["start_date"]) for (kind, ident), rec in curated.records.items()
        if kind == "event" and rec.get("start_date")
    }
    return result


def _unmapped_curated_events(result: Result, curated: Curated) -> list[str]:
    """Curated events that an imported event page may describe (same start date) without a
    rule saying so: reported, never merged by guess."""
    covered = {pg.subject[1] for pg in result.graphs if pg.merged and pg.subject[0] == "event"}
    by_date: dict[str, list[str]] = {}
    for pg in result.graphs:
        if pg.subject[0] == "event" and not pg.merged and pg.page.date:
            by_date.setdefault(pg.page.date.isoformat(), []).append(pg.page.path)
    warnings = []
    for (kind, ident), rec in sorted(curated.records.items()):
        if kind != "event" or ident in covered:
            continue
        start = str(rec.get("start_date") or "")
        for path in by_date.get(start, []):
            warnings.append(f"{path} has the start date of curated event '{ident}' ({start}); "
                            "if it describes it, add a rule 'event: " + ident + "'")
    return warnings
