"""The importer behind ``kg import bluehats-pages DIR`` and the build's import of the list
``data/imports/bluehats-pages.yaml`` (see ``kg/imports.py``).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from kg import imports, iris
from kg.bluehats_pages import corpus, curated, rules
from kg.config import Settings
from kg.errors import UserError

NAME = "bluehats-pages"


def _curated(documents) -> curated.Curated:
    return curated.from_roots(d.root for d in documents)


def _import(folder: Path, page_rules: rules.Rules, cur: curated.Curated,
            settings: Settings) -> corpus.Result:
    return corpus.import_folder(folder, page_rules, cur, settings.base_iri, settings.shared_dir)


def quads(spec: imports.ImportSpec, context: imports.ImportContext) -> imports.Imported:
    """The build's hook: every source folder of the import list, mapped."""
    page_rules = rules.parse(spec.data, spec.name)
    cur = _curated(context.documents)
    curated.add_imported(cur, context.imported, context.settings.base_iri)
    out = imports.Imported([])
    for folder in spec.sources:
        result = _import(folder, page_rules, cur, context.settings)
        out.quads += result.quads()
        out.files += [result.root / pg.page.path for pg in result.graphs]
        for pg in result.graphs:
            kind, ident = pg.subject
            iri = iris.entity(context.settings.base_iri, kind, ident)
            out.locations.setdefault(iri, str(result.root / pg.page.path))
    return out


# -- kg import bluehats-pages DIR ---------------------------------------------------------------


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", type=Path,
                        help="the pages: a code.gouv.fr checkout (content/fr/bluehats/ inside) "
                             "or a folder of pages (rencontres/, webinaires/, gazettes/, bsoc/)")
    parser.add_argument("--dry-run", action="store_true",
                        help="check and report, but do not add DIR to the import list")


def run(args: argparse.Namespace, settings: Settings) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    list_file = settings.data_dir / imports.IMPORTS_DIR / f"{NAME}.yaml"
    if list_file.is_file():
        page_rules = rules.parse(imports.read_spec(list_file, settings).data, str(list_file))
    else:
        page_rules = rules.Rules(str(list_file))
    result = _import(folder, page_rules, curated.read(settings.data_dir), settings)
    print(report(result))
    if args.dry_run:
        print("Dry run: the import list was not changed.")
        return 0
    folder = corpus.checkout_of(folder)
    path, changed = imports.register(NAME, folder, settings)
    if changed:
        print(f"Added {imports.source_path(folder, settings)} to {path}: `kg build` includes it.")
    else:
        print(f"{path} already lists this folder: `kg build` includes it.")
    return 0


def report(result: corpus.Result) -> str:
    pages = result.pages_per_folder()
    lines = [
        f"Read {sum(pages.values())} pages from {result.root}"
        + (f" (commit {result.commit})" if result.commit else "")
        + f"; {len(result.skipped)} menu pages skipped.",
        "  pages:    " + ", ".join(f"{k} {v}" for k, v in sorted(pages.items())),
        "  entities: " + ", ".join(f"{k} {v}" for k, v in sorted(result.counts().items())),
    ]
    years = result.events_per_year()
    lines.append("  events by year: " + ", ".join(f"{y} {n}" for y, n in sorted(years.items())))
    mentions = Counter(kind for pg in result.graphs for kind, _ in pg.mentions)
    named = {m for pg in result.graphs for m in pg.mentions}
    lines.append(f"  names found: {sum(mentions.values())} mentions of {len(named)} entities ("
                 + ", ".join(f"{k} {v}" for k, v in sorted(mentions.items())) + ")")
    lines += [f"  warning: {w}" for w in result.warnings]
    return "\n".join(lines)
