"""Run SPARQL queries on a store and serialise their results.

Queries see the default graph as the union of all named graphs. Results are consumed and
serialised in the function that runs the query (pyoxigraph's iterators must stay on the
thread that made them).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Variable,
    serialize,
)

RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "xml": QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "table": RdfFormat.TURTLE,
    "json": RdfFormat.JSON_LD,
    "csv": RdfFormat.N_TRIPLES,
    "tsv": RdfFormat.N_TRIPLES,
    "xml": RdfFormat.RDF_XML,
    "ttl": RdfFormat.TURTLE,
}


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
    shorten IRIs in tables; ``substitutions`` bind variables (by name) to terms.
    """
    subs = {Variable(k): v for k, v in (substitutions or {}).items()}
    try:
        result = store.query(
            query,
            use_default_graph_as_union=True,
            substitutions=subs or None,
            prefixes=prefixes or None,
        )
        if isinstance(result, QuerySolutions):
            if fmt == "table":
                variables = [v.value for v in result.variables]
                rows = [[row[v] for v in result.variables] for row in result]
                return Output(
                    table(variables, rows, prefixes or {}).encode(), "solutions", len(rows)
                )
            return Output(result.serialize(format=RESULT_FORMATS[fmt]), "solutions")
        if isinstance(result, QueryBoolean):
            if fmt in ("json", "xml"):
                return Output(result.serialize(format=RESULT_FORMATS[fmt]), "boolean")
            return Output((("true" if bool(result) else "false") + "\n").encode(), "boolean")
        triples = list(result)
        body = serialize(
            triples,
            format=GRAPH_FORMATS[fmt],
            prefixes=prefixes if fmt in ("table", "ttl") else None,
        )
        return Output(body or b"", "graph", len(triples))
    except SyntaxError as exc:
        raise QueryError(str(exc)) from exc
    except (OSError, RuntimeError) as exc:  # evaluation errors, e.g. a failing SERVICE call
        message = str(exc)
        if "SELECT projection" in message:
            message += " (a parameter's variable must be selected by the query)"
        raise QueryError(message) from exc


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
