"""Run SPARQL on a store and serialise the answer in the same call: the one place that does.

pyoxigraph's result iterators must be consumed on the thread that created them, so each
function here runs the query *and* writes its bytes. Query workers (``api/pool.py``) call them
inside a process that can be killed when a query runs past its time limit; the command line
(``kg query``, through ``kg/store/sparql.py``) calls ``run_query`` too, without a row cap.

Formats are named by short keys (``json``, ``turtle``…) so that callers need not import
pyoxigraph. SELECT results are capped at ``max_rows`` rows; an answer says when it was cut.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from kg.namespaces import PREFIXES, data_prefixes
from kg.sparql_text import add_using, one_pattern, with_limit
from kg.store.results import cut

RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class QuerySyntaxError(ValueError):
    """The query or update does not parse; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message, line, column)
        self.message, self.line, self.column = message, line, column

    def __str__(self) -> str:
        return self.message


class ResultNotAcceptable(ValueError):
    """The query's results cannot be written in any format the client accepts."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind  # "solutions", "boolean" or "graph"


class QueryFailed(RuntimeError):
    """The query parsed but could not be evaluated (e.g. a failed SERVICE call)."""


@dataclass
class Answer:
    kind: str  # "solutions", "boolean", "graph" or "update"
    format: str | None
    body: bytes
    rows: int = 0
    truncated: bool = False
    extra: dict = field(default_factory=dict)


_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_error(exc: SyntaxError) -> QuerySyntaxError:
    message = str(exc.msg if exc.msg else exc)
    if exc.lineno:
        return QuerySyntaxError(message, exc.lineno, exc.offset)
    m = _POSITION.search(message)
    return QuerySyntaxError(message, *(int(g) for g in m.groups())) if m else QuerySyntaxError(message)


def graph_iris(iris: list[str] | None, param: str) -> list[NamedNode]:
    """The graphs a protocol parameter names; a value that is not an absolute IRI is a client
    error (``QuerySyntaxError``), not a worker failure."""
    out = []
    for iri in iris or []:
        try:
            out.append(NamedNode(iri))
        except ValueError as exc:
            raise QuerySyntaxError(f"{param}: {iri!r} is not an absolute IRI ({exc})") from None
    return out


def run_query(
    store: Store,
    query: str,
    *,
    result_format: str | None,
    graph_format: str | None,
    max_rows: int | None,
    base_iri: str | None = None,
    union_default_graph: bool = True,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    substitutions: dict | None = None,
    prefixes: dict[str, str] | None = None,
    graph_prefixes: dict[str, str] | None = None,
) -> Answer:
    """Evaluate ``query`` and serialise its results.

    ``result_format`` is used for SELECT and ASK, ``graph_format`` for CONSTRUCT and DESCRIBE;
    when the one needed is None, ``ResultNotAcceptable`` is raised before any result is read.
    ``max_rows`` caps the rows (triples); None leaves the answer whole.
    A dataset given by the protocol (``default_graphs``/``named_graphs``) replaces the store's.
    ``substitutions`` binds variables (by name) to RDF terms before evaluation (named queries'
    parameters: never pasted into the text). The query may use the predeclared prefixes of
    ``base_iri`` undeclared, or exactly ``prefixes`` when given; a graph in Turtle or TriG is
    written with the prefixes of its predicates, or ``graph_prefixes`` when given.
    """
    kwargs: dict = {"base_iri": base_iri,
                    "prefixes": _used(base_iri, query) if prefixes is None else (prefixes or None)}
    if default_graphs or named_graphs:
        # an empty list is an empty default graph (only named graphs were given)
        kwargs["default_graph"] = graph_iris(default_graphs, "default-graph-uri")
        kwargs["named_graphs"] = graph_iris(named_graphs, "named-graph-uri")
    else:
        kwargs["use_default_graph_as_union"] = union_default_graph
    if substitutions:
        kwargs["substitutions"] = {Variable(k): v for k, v in substitutions.items()}
    if result_format is not None and max_rows is not None:
        answer = _capped_select(store, query, kwargs, result_format, max_rows)
        if answer is not None:
            return answer
    try:
        results = store.query(query, **kwargs)
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a substitution the query cannot take
        raise QueryFailed(str(exc)) from None
    try:
        if isinstance(results, QueryBoolean):
            if result_format is None:
                raise ResultNotAcceptable("boolean")
            body = results.serialize(format=RESULT_FORMATS[result_format])
            return Answer("boolean", result_format, body, rows=1)
        if isinstance(results, QuerySolutions):
            if result_format is None:
                raise ResultNotAcceptable("solutions")
            if max_rows is None:
                body = results.serialize(format=RESULT_FORMATS[result_format])
                return Answer("solutions", result_format, body)
            return _solutions(results, result_format, max_rows)
        if graph_format is None:
            raise ResultNotAcceptable("graph")
        triples = list(results if max_rows is None else islice(results, max_rows + 1))
        truncated = max_rows is not None and len(triples) > max_rows
        if truncated:
            del triples[max_rows:]
        if graph_prefixes is None:
            graph_prefixes = _used_prefixes(triples, graph_format)
        elif graph_format not in ("turtle", "trig"):
            graph_prefixes = None
        body = serialize(triples, format=GRAPH_FORMATS[graph_format], prefixes=graph_prefixes)
        return Answer("graph", graph_format, body or b"", rows=len(triples), truncated=truncated)
    except OSError as exc:  # evaluation errors surface while iterating
        raise QueryFailed(str(exc)) from None


BOUNDED_ROWS = 100  # rows a bounded query may give before it goes to a killable worker
BOUNDED_TEXT = 4000  # characters: a longer lookup is parsed in a worker


def run_bounded(store: Store, query: str, *, result_format: str | None, max_rows: int,
                **kwargs) -> Answer | None:
    """``run_query`` for a query whose work is bounded by construction, or None.

    A SELECT of one triple pattern with nothing else (``kg.sparql_text.one_pattern``) is an
    index scan that stops after the rows it is asked for: run with at most ``BOUNDED_ROWS``
    rows it takes a fraction of a millisecond, so a server may run it in its own process
    instead of a worker it can kill. None when the query is not of that kind, or when it has
    more rows than that (the caller then runs it in a worker, with the real row cap).
    """
    if (result_format is None or len(query) > BOUNDED_TEXT or kwargs.get("default_graphs")
            or kwargs.get("named_graphs") or kwargs.get("substitutions")
            or not _one_pattern(query)):
        return None
    kwargs.pop("graph_format", None)  # a SELECT: no graph to write
    cap = min(max_rows, BOUNDED_ROWS)
    answer = run_query(store, query, result_format=result_format, graph_format=None,
                       max_rows=cap, **kwargs)
    if answer.truncated and cap < max_rows:
        return None
    return answer


def _capped_select(store: Store, query: str, kwargs: dict, fmt: str, max_rows: int) -> Answer | None:
    """The fast path of a SELECT: run it with ``LIMIT max_rows+1``, let pyoxigraph write the
    results, then cut the bytes (``kg/store/results.py``). None when it does not apply (not a
    SELECT, or text this path does not understand): the caller then runs the query as given,
    which also reports syntax errors against the user's own text."""
    limited = _with_limit(query, max_rows + 1)
    if limited is None:
        return None
    try:
        results = store.query(limited[0], **kwargs)
    except (SyntaxError, OSError, RuntimeError):
        return None
    if not isinstance(results, QuerySolutions):
        return None
    try:
        body = results.serialize(format=RESULT_FORMATS[fmt])
    except OSError as exc:  # evaluation errors surface while iterating
        raise QueryFailed(str(exc)) from None
    body, rows, truncated = cut(body, fmt, max_rows)
    return Answer("solutions", fmt, body, rows=rows, truncated=truncated)


def run_update(
    store: Store,
    update: str,
    *,
    base_iri: str | None = None,
    using_graphs: list[str] | None = None,
    using_named_graphs: list[str] | None = None,
) -> Answer:
    # checked before they are written into the text: "<" or ">" in one would change the update
    graph_iris(using_graphs, "using-graph-uri")
    graph_iris(using_named_graphs, "using-named-graph-uri")
    text = add_using(update, using_graphs or [], using_named_graphs or [])
    try:
        store.update(text, base_iri=base_iri, prefixes=_used(base_iri, text))
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    except OSError as exc:
        raise QueryFailed(str(exc)) from None
    return Answer("update", None, b"")


# the same queries come back (dashboards, pages, lookups): their reading is remembered
_with_limit = lru_cache(maxsize=256)(with_limit)
_one_pattern = lru_cache(maxsize=256)(one_pattern)


@lru_cache(maxsize=4)
def _prefixes(base_iri: str | None) -> dict[str, str]:
    """Prefixes a query may use undeclared: bh:, rdfs:, schema:… and project:, person:…"""
    return data_prefixes(base_iri) if base_iri else dict(PREFIXES)


@lru_cache(maxsize=4)
def _needles(base_iri: str | None) -> tuple[tuple[str, str, str], ...]:
    """``(prefix + ":", prefix, namespace)`` for each of ``_prefixes(base_iri)``."""
    return tuple((p + ":", p, ns) for p, ns in _prefixes(base_iri).items())


def _used(base_iri: str | None, text: str) -> dict[str, str] | None:
    """The predeclared prefixes a text may use (handing pyoxigraph all of them costs more than
    a cheap lookup itself)."""
    return {p: ns for needle, p, ns in _needles(base_iri) if needle in text} or None


def _used_prefixes(triples: list, graph_format: str) -> dict[str, str] | None:
    if graph_format not in ("turtle", "trig"):
        return None
    iris = {t.predicate.value for t in triples[:200]}
    return {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)} or None


# --- SELECT results, capped --------------------------------------------------------------
# pyoxigraph serialises only a whole result set; a capped one is written here. The cost is
# bounded by the cap (about 5 µs a term).


def _solutions(results: QuerySolutions, fmt: str, max_rows: int) -> Answer:
    names = [v.value for v in results.variables]
    rows = [list(s) for s in islice(results, max_rows + 1)]
    truncated = len(rows) > max_rows
    del rows[max_rows:]
    body = _WRITERS[fmt](names, rows, truncated)
    return Answer("solutions", fmt, body, rows=len(rows), truncated=truncated)


def _json_term(t) -> dict:
    cls = t.__class__
    if cls is NamedNode:
        return {"type": "uri", "value": t.value}
    if cls is Literal:
        if t.language:
            return {"type": "literal", "value": t.value, "xml:lang": t.language}
        dt = t.datatype.value
        if dt == XSD_STRING:
            return {"type": "literal", "value": t.value}
        return {"type": "literal", "value": t.value, "datatype": dt}
    if cls is BlankNode:
        return {"type": "bnode", "value": t.value}
    if cls is Triple:
        return {"type": "triple", "value": {"subject": _json_term(t.subject),
                                            "predicate": _json_term(t.predicate),
                                            "object": _json_term(t.object)}}
    raise TypeError(f"unexpected term {t!r}")


def _write_json(names: list[str], rows: list[list], truncated: bool) -> bytes:
    bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
    doc = {"head": {"vars": names}, "results": {"bindings": bindings}, "truncated": truncated}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_term(t) -> str:
    cls = t.__class__
    if cls is NamedNode:
        return f"<uri>{escape(t.value)}</uri>"
    if cls is Literal:
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        dt = t.datatype.value
        if dt == XSD_STRING:
            return f"<literal>{escape(t.value)}</literal>"
        return f"<literal datatype={quoteattr(dt)}>{escape(t.value)}</literal>"
    if cls is BlankNode:
        return f"<bnode>{escape(t.value)}</bnode>"
    if cls is Triple:
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>"
                f"{_xml_term(t.predicate)}</predicate><object>{_xml_term(t.object)}</object></triple>")
    raise TypeError(f"unexpected term {t!r}")


def _write_xml(names: list[str], rows: list[list], truncated: bool) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
           "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head>"]
    if truncated:
        out.insert(1, "<!-- truncated: the row cap was reached -->")
    out.append("<results>")
    for row in rows:
        out.append("<result>")
        out.extend(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                   for n, t in zip(names, row) if t is not None)
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_cell(t) -> str:
    if t is None:
        return ""
    value = t.value if t.__class__ is not Triple else str(t)
    if t.__class__ is BlankNode:
        value = "_:" + value
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _write_csv(names: list[str], rows: list[list], truncated: bool) -> bytes:
    lines = [",".join(names)]
    lines.extend(",".join(_csv_cell(t) for t in row) for row in rows)
    return ("\r\n".join(lines) + "\r\n").encode()


_XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE = {  # literals Turtle (hence TSV) may write without quotes, as pyoxigraph does
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _tsv_cell(t) -> str:
    if t is None:
        return ""
    if t.__class__ is Literal and not t.language:
        bare = _BARE.get(t.datatype.value)
        if bare is not None and bare.fullmatch(t.value):
            return t.value
    return str(t)


def _write_tsv(names: list[str], rows: list[list], truncated: bool) -> bytes:
    lines = ["\t".join("?" + n for n in names)]
    lines.extend("\t".join(_tsv_cell(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode()


_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}
