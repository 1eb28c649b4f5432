"""The ``kg`` command line: argument parsing only; the work is done by the modules it calls.

Each subcommand is two functions, one that declares its arguments and one that runs it,
registered in ``COMMANDS``; adding a subcommand is adding one entry. Only the arguments of the
command being run are declared, and each command imports its modules itself, so that ``kg
--help`` and ``kg query`` do not load the importers, the web server or rdflib.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.config import Settings
from kg.errors import UserError


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Settings], int]


# -- build -----------------------------------------------------------------------------------


def build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    parser.add_argument("--endpoint", metavar="URL",
                        help="also push the built graph to this SPARQL 1.1 server (its query URL)")
    parser.add_argument("--update-endpoint", metavar="URL",
                        help="the server's SPARQL Update URL (one DROP + INSERT DATA per graph)")
    parser.add_argument("--store-endpoint", metavar="URL",
                        help="the server's Graph Store Protocol URL (one PUT per graph; "
                             "preferred over --update-endpoint)")


def build_run(args: argparse.Namespace, settings: Settings) -> int:
    from kg import queries
    from kg.build import build

    queries.registry(settings.queries_dir)  # a broken named query stops the build before it runs
    result = build(settings)
    if not args.quiet:
        m = result.manifest
        t = result.timings
        print(
            f"Built {m['triples']} triples ({m['quads']} quads in {len(m['graphs'])} graphs) "
            f"from {result.records} records in {t['total']:.2f} s"
        )
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in t.items() if k != "total")
        print(f"  steps: {steps}")
        print(f"  {result.shacl.text().splitlines()[-1]}")
        print(f"  published {result.path} as {settings.current_build}")
        print(f"  content hash {m['content_hash']}")
    if args.endpoint or args.update_endpoint or args.store_endpoint:
        push_build(args, settings, result.path, quiet=args.quiet)
    return 0


def push_build(args: argparse.Namespace, settings: Settings, build_dir, *, quiet: bool) -> None:
    """``kg build --endpoint``: the build's named graphs replace the server's, graph by graph."""
    from kg.store.query import QueryFailed
    from kg.store.remote import Endpoint, build_graphs, push

    endpoint = Endpoint(args.endpoint or "", args.update_endpoint, args.store_endpoint)
    if not endpoint.query:
        raise UserError("kg build: --update-endpoint/--store-endpoint need --endpoint (the query URL)")
    try:
        sent = push(endpoint, build_graphs(build_dir / "store"), base_iri=settings.base_iri,
                    log=(lambda *_: None) if quiet else print)
    except (ValueError, QueryFailed, OSError) as exc:
        raise UserError(f"kg build: pushing to {endpoint.query} failed: {exc}") from None
    except Exception as exc:  # httpx errors: the server is down or unreachable
        raise UserError(f"kg build: pushing to {endpoint.query} failed: {type(exc).__name__} {exc}") from None
    if not quiet:
        print(f"  pushed {sum(sent.values())} triples in {len(sent)} graphs to {endpoint.query}")


# -- query -----------------------------------------------------------------------------------

FORMATS = ("table", "json", "csv", "tsv")


def query_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        nargs="?",
        metavar="QUERY_OR_FILE",
        help="a SPARQL query, a file holding one, or - for standard input",
    )
    parser.add_argument("--name", "-n", help="run the named query queries/NAME.rq")
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the named query (repeatable)",
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="table",
        help="output format (json: SPARQL 1.1 Query Results JSON)",
    )
    parser.add_argument("--list", action="store_true", help="list the named queries")


def query_run(args: argparse.Namespace, settings: Settings) -> int:
    from kg import queries
    from kg.namespaces import data_prefixes
    from kg.store import StoreMissing, current_build, open_read_only
    from kg.store.sparql import QueryError, execute

    if args.list:
        for name, q in queries.registry(settings.queries_dir).items():
            params = " ".join(
                f"[{p.name}={p.type}]" if p.optional else f"{p.name}={p.type}" for p in q.params
            )
            print(f"{name}: {q.title.get('en') or next(iter(q.title.values()))} {params}".rstrip())
        return 0
    prefixes = data_prefixes(settings.base_iri)
    substitutions = None
    if args.name:
        if args.query:
            raise UserError("give either a query or --name, not both")
        named = queries.get(settings.queries_dir, args.name)
        text = named.text
        substitutions = named.bind(parse_params(args.param), prefixes)
    elif args.query:
        if args.param:
            raise UserError("--param only applies to a named query (--name)")
        text = read_query(args.query)
    else:
        raise UserError("give a query, a file holding one, or --name NAME (see kg query --help)")
    build = current_build(settings.var_dir)
    if build is None:
        raise UserError(f"nothing built yet in {settings.var_dir}: run `kg build` first")
    try:
        store = open_read_only(build / "store")
    except StoreMissing as exc:
        raise UserError(str(exc)) from exc
    try:
        out = execute(store, text, args.format, substitutions=substitutions, prefixes=prefixes)
    except QueryError as exc:
        raise BadQuery(f"query error: {exc}") from exc
    sys.stdout.buffer.write(out.body)
    sys.stdout.flush()
    return 0


class BadQuery(UserError):
    exit_code = 2


def parse_params(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"bad --param '{pair}': expected KEY=VALUE")
        values[key.strip()] = value
    return values


def read_query(arg: str) -> str:
    if arg == "-":
        return sys.stdin.read()
    path = Path(arg)
    if "\n" not in arg and len(arg) < 4096 and path.is_file():
        return path.read_text(encoding="utf-8")
    return arg


# -- validate --------------------------------------------------------------------------------


def validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--published",
        action="store_true",
        help="check the published build (var/current) instead of data/",
    )


def validate_run(args: argparse.Namespace, settings: Settings) -> int:
    from kg.build import assemble, published, shacl

    report = shacl(published(settings) if args.published else assemble(settings))
    print(report.text())
    return 0 if report.conforms else 1


# -- import ----------------------------------------------------------------------------------


def import_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.imports import IMPORTERS, module

    subs = parser.add_subparsers(dest="importer", metavar="IMPORTER", required=True)
    for importer in IMPORTERS.values():
        sub = subs.add_parser(importer.name, help=importer.help, description=importer.help)
        module(importer.name).arguments(sub)


def import_run(args: argparse.Namespace, settings: Settings) -> int:
    from kg.imports import module

    return module(args.importer).run(args, settings)


# -- serve -----------------------------------------------------------------------------------
# the web server lives in api/; kg/ only hands it the command line


def serve_arguments(parser: argparse.ArgumentParser) -> None:
    from api.serve import add_arguments

    add_arguments(parser)


def serve_run(args: argparse.Namespace, settings: Settings) -> int:
    from api.serve import run

    return run(args)


# -- reconcile, export (kg.reconcile) ---------------------------------------------------------


def _wikidata_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.reconcile.wikidata import CONTACT_URL, WDQS

    parser.add_argument("--endpoint", default=WDQS,
                        help=f"a SPARQL endpoint in Wikidata's shape (default {WDQS})")
    parser.add_argument("--contact", default=CONTACT_URL,
                        help="contact URL sent in the User-Agent (Wikimedia's policy)")


def reconcile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", choices=["wikidata"], help="what to reconcile against")
    _wikidata_arguments(parser)
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text",
                        help="json: per entity, its IRI and the candidates (QID, label, score, "
                             "evidence)")
    parser.add_argument("--no-write", action="store_true",
                        help="do not update the review file data/reconciliation/wikidata.yaml")


def reconcile_run(args: argparse.Namespace, settings: Settings) -> int:
    from kg.reconcile.commands import reconcile_wikidata

    sys.stdout.write(reconcile_wikidata(settings, args.endpoint, args.format,
                                        write=not args.no_write, contact=args.contact))
    return 0


def export_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.publiccode.export import arguments as publiccode_arguments

    subs = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    quickstatements = subs.add_parser("quickstatements",
                                      help="what Wikidata lacks, as QuickStatements v1")
    _wikidata_arguments(quickstatements)
    quickstatements.add_argument("--dry-run", action="store_true", help="explain each line")
    publiccode = subs.add_parser("publiccode", help="a publiccode.yml for a project of the graph "
                                 "(checked by our validator; says what the graph lacks)")
    publiccode_arguments(publiccode)


def export_run(args: argparse.Namespace, settings: Settings) -> int:
    if args.format == "publiccode":
        from kg.publiccode.export import run

        return run(args, settings)
    from kg.reconcile.commands import export_quickstatements

    sys.stdout.write(export_quickstatements(settings, args.endpoint, dry_run=args.dry_run,
                                            contact=args.contact))
    return 0


COMMANDS: list[Command] = [
    Command("build", "validate data/ and ontology/, build and publish the graph",
            build_arguments, build_run),
    Command("query", "run a SPARQL query (or a named query) on the built graph",
            query_arguments, query_run),
    Command("validate", "check the data and run the SHACL shapes (exit 0 when it conforms)",
            validate_arguments, validate_run),
    Command("import", "check and import sources listed under data/imports/ (kg/imports.py)",
            import_arguments, import_run),
    Command("serve", "serve the graph: SPARQL endpoint, Graph Store, linked-data pages "
            "(builds it first when none is published)", serve_arguments, serve_run),
    Command("reconcile", "propose Wikidata items for our entities (review file under data/)",
            reconcile_arguments, reconcile_run),
    Command("export", "export from the graph: QuickStatements for Wikidata, publiccode.yml",
            export_arguments, export_run),
]


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: every command is listed, but only the arguments of the one
    ``argv`` names are declared (declaring them may import heavy modules); without ``argv``,
    every command's."""
    top = argparse.ArgumentParser(
        prog="kg", description="Build and query the BlueHats knowledge graph."
    )
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for cmd in COMMANDS:
        sub = subs.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        if chosen is None or chosen == cmd.name:
            cmd.arguments(sub)
        sub.set_defaults(run=cmd.run)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser(argv).parse_args(argv)
    try:
        return args.run(args, Settings())
    except UserError as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a folder that cannot be written, a disk that is full…
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
