"""SPARQL for the command line (``kg query``) and the build's own checks.

Running and serialising live in one place, ``kg/store/query.py`` (the server's query workers
use it too); this module only adds what the command line needs on top: its format names
(``table``, a text table, and the graph formats each of them stands for), no row cap, every
failure as one ``QueryError`` with the engine's message. The default graph is the union of
all named graphs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Store

from kg.store.query import QueryFailed, QuerySyntaxError, ResultNotAcceptable, run_query

# the format of a SELECT or ASK answer (``table`` is written here from SPARQL JSON) and the
# format the same name gives a CONSTRUCT or DESCRIBE answer
RESULT_FORMATS = {"json": "json", "csv": "csv", "tsv": "tsv", "xml": "xml", "table": "json"}
GRAPH_FORMATS = {"table": "turtle", "ttl": "turtle", "json": "jsonld", "csv": "ntriples",
                 "tsv": "ntriples", "xml": "rdfxml"}


class QueryError(ValueError):
    """A query that does not parse or cannot be evaluated; the message is the engine's."""


@dataclass
class Output:
    body: bytes
    kind: str  # "solutions" | "boolean" | "graph"
    rows: int | None = None


def execute(
    store: Store,
    query: str,
    fmt: str = "json",
    *,
    substitutions=None,
    prefixes: dict[str, str] | None = None,
) -> Output:
    """Run ``query`` and serialise its result as ``fmt`` (json, csv, tsv, xml or table).

    ``prefixes`` are known to the parser (a query may use ``bh:`` without declaring it) and
    shorten IRIs in tables and Turtle; ``substitutions`` bind variables (by name) to terms.
    """
    try:
        answer = run_query(
            store, query, result_format=RESULT_FORMATS.get(fmt), graph_format=GRAPH_FORMATS.get(fmt),
            max_rows=None, substitutions=substitutions or None, prefixes=prefixes or {},
            graph_prefixes=(prefixes or None) if fmt in ("table", "ttl") else None)
    except (QuerySyntaxError, QueryFailed) as exc:
        message = str(exc)
        if "SELECT projection" in message:
            message += " (a parameter's variable must be selected by the query)"
        raise QueryError(message) from exc
    except ResultNotAcceptable as exc:
        raise QueryError(f"a {exc.kind} answer cannot be written as {fmt}") from exc
    if answer.kind == "boolean":
        if fmt in ("json", "xml"):
            return Output(answer.body, "boolean")
        value = json.loads(answer.body)["boolean"]
        return Output((("true" if value else "false") + "\n").encode(), "boolean")
    if answer.kind == "graph":
        return Output(answer.body, "graph", answer.rows)
    if fmt == "table":
        doc = json.loads(answer.body)
        variables = doc["head"]["vars"]
        rows = [[_term(b.get(v)) for v in variables] for b in doc["results"]["bindings"]]
        return Output(table(variables, rows, prefixes or {}).encode(), "solutions", len(rows))
    return Output(answer.body, "solutions")


def _term(binding: dict | None):
    """A term of SPARQL JSON as the pyoxigraph term ``show`` reads."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        return BlankNode(value)
    if kind == "literal":
        if "xml:lang" in binding:
            return Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return Literal(value, datatype=NamedNode(binding["datatype"]))
        return Literal(value)
    return str(value)  # a quoted triple


def show(term, prefixes: dict[str, str]) -> str:
    """A term for a text table: prefixed names, bare literal values (no tag, no datatype)."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        iri = term.value
        best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default="")
        if best:
            prefix = next(p for p, ns in prefixes.items() if ns == best)
            local = iri[len(best) :]
            if local and all(c.isalnum() or c in "-_" for c in local):
                return f"{prefix}:{local}"
        return f"<{iri}>"
    if isinstance(term, Literal):
        return term.value  # the table is for reading; json/csv/tsv keep tags and datatypes
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def table(variables: list[str], rows: list[list], prefixes: dict[str, str]) -> str:
    cells = [[show(t, prefixes).replace("\n", " ") for t in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    line = lambda vals: " | ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def check(query: str, substitutions=None, prefixes: dict[str, str] | None = None) -> None:
    """Raise QueryError if ``query`` does not parse or cannot take ``substitutions``.

    The query runs on an empty in-memory store, so this costs next to nothing.
    """
    execute(Store(), query, "json", substitutions=substitutions, prefixes=prefixes)
