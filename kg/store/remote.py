"""A remote SPARQL 1.1 server as the store (Oxigraph server, Fuseki, QLever, Virtuoso…).

Three parts, each usable without the web app:

- ``RemoteStore``: the read-only lookups the pages make (``quads_for_pattern``, ``query``,
  ``named_graphs``, ``contains_named_graph``: the subset of ``pyoxigraph.Store`` that
  ``kg.store.describe.Graph`` and the reconciliation index use), done with SPARQL over HTTP,
  so that ``Graph`` does not know which store it reads;
- ``query_request`` / ``query_answer``: one user query as an HTTP request, and the server's
  response as a ``kg.store.query.Answer`` with our own row cap, formats and errors (the
  server's 400 becomes ``QuerySyntaxError`` with its message, line and column); the time limit
  is the caller's (``api/remote.py`` cancels the HTTP request);
- ``push``: a build's named graphs sent to the server (Graph Store Protocol ``PUT`` per graph,
  or one SPARQL Update per graph ``DROP SILENT GRAPH`` + ``INSERT DATA``), graphs under the
  base IRI that the build no longer has dropped.

Terms bound into a query (named queries' parameters, page lookups) are written by
``sparql_term`` with SPARQL escaping and placed in a ``VALUES`` block
(``kg.sparql_text.bind_values``): user text never becomes query syntax.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urlencode

import httpx
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Variable,
    parse,
    parse_query_results,
    serialize,
)

from kg import sparql_text
from kg.namespaces import PREFIXES
from kg.store import StoreMissing
from kg.store.graph_store import GraphNotFound
from kg.store.query import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Answer,
    QueryFailed,
    QuerySyntaxError,
    ResultNotAcceptable,
    _prefixes,
    _solutions,
    _used_prefixes,
)

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LOOKUP_TIMEOUT = 30.0  # seconds, for the pages' own lookups (not user queries)


@dataclass(frozen=True)
class Endpoint:
    """Where the server answers: queries, updates (optional), Graph Store (optional)."""

    query: str
    update: str | None = None
    store: str | None = None


# --- terms as SPARQL text -------------------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def escape_string(text: str) -> str:
    r"""``text`` as the inside of a SPARQL ``"…"`` string: backslash, quote, line breaks escaped.

    Every backslash is doubled, so no ``\u`` escape can be formed from user text either.

    >>> escape_string('a"b\\c\nd')
    'a\\"b\\\\c\\nd'
    """
    return (text.replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r"))


def sparql_term(term) -> str:
    """An IRI or literal written as a SPARQL term; anything that cannot be written safely
    (an IRI with forbidden characters, a malformed language tag, a blank node) is refused."""
    cls = term.__class__
    if cls is NamedNode:
        if _IRI_FORBIDDEN.search(term.value):
            raise ValueError(f"not an IRI that can be written in SPARQL: {term.value!r}")
        return f"<{term.value}>"
    if cls is Literal:
        text = '"' + escape_string(term.value) + '"'
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise ValueError(f"not a language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype.value == XSD_STRING:
            return text
        return f"{text}^^{sparql_term(term.datatype)}"
    raise ValueError(f"only IRIs and literals can be bound in a query, not {term!r}")


def bind(query: str, substitutions: dict | None) -> str:
    """``query`` with ``substitutions`` ({variable name: term}) bound by a VALUES block."""
    if not substitutions:
        return query
    bound = sparql_text.bind_values(query, {k: sparql_term(v) for k, v in substitutions.items()})
    if bound is None:
        raise QueryFailed("parameters can be bound only in a query with a WHERE group")
    return bound


def prologue(base_iri: str | None, prefixes: dict[str, str] | None) -> str:
    """BASE and PREFIX declarations on one line (no line break: the server's error positions
    stay those of the user's text, shifted by this prologue's length on the first line)."""
    parts = [f"BASE <{base_iri}>"] if base_iri else []
    parts += [f"PREFIX {p}: <{ns}>" for p, ns in (prefixes or {}).items()]
    return " ".join(parts) + " " if parts else ""


# --- errors ---------------------------------------------------------------------------------

_POSITIONS = (re.compile(r"error at (\d+):(\d+)"),  # Oxigraph
              re.compile(r"line (\d+), column (\d+)"),  # Jena (Fuseki), Virtuoso
              re.compile(r"at line (\d+):(\d+)"))


def server_error(status: int, body: bytes, shift: int = 0) -> Exception:
    """The exception for a server's error answer: 400 is the query's fault (its message,
    line and column, moved back by ``shift`` columns on the first line), others are failures."""
    text = body.decode("utf-8", "replace").strip()
    if status == 400:
        line = column = None
        for pattern in _POSITIONS:
            m = pattern.search(text)
            if m:
                line, column = int(m.group(1)), int(m.group(2))
                if line == 1 and shift:
                    column = max(1, column - shift)
                    where = m.group(0)[:m.start(2) - m.start(0)] + str(column) + m.group(0)[m.end(2) - m.start(0):]
                    text = text[:m.start()] + where + text[m.end():]
                break
        return QuerySyntaxError(text[:2000] or "the SPARQL server refused the query", line, column)
    if status == 404:
        return GraphNotFound(text)
    return QueryFailed(f"the SPARQL server answered {status}: {text[:500]}")


# --- one user query ----------------------------------------------------------------------------


@dataclass
class Request:
    """An HTTP request for one query, and what ``query_answer`` needs to read its answer."""

    url: str
    data: list[tuple[str, str]]
    headers: dict[str, str]
    result_format: str | None
    graph_format: str | None
    max_rows: int
    shift: int
    as_given: list[tuple[str, str]] | None = None  # the query without our LIMIT, if rewritten


def query_request(endpoint: Endpoint, query: str, *, result_format: str | None,
                  graph_format: str | None, max_rows: int, base_iri: str | None = None,
                  union_default_graph: bool = True, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None,
                  substitutions: dict | None = None) -> Request:
    """The request for ``query`` (the arguments of ``kg.store.query.run_query``).

    A SELECT gets ``LIMIT max_rows+1`` (``kg.sparql_text.with_limit``) so that the server
    stops early; the answer is cut at ``max_rows`` and says so. The default graph is the
    server's (configure it as the union of the named graphs, see the README).
    """
    form = sparql_text.query_form(query)
    if form in ("SELECT", "ASK") and result_format is None:
        raise ResultNotAcceptable("solutions" if form == "SELECT" else "boolean")
    if form in ("CONSTRUCT", "DESCRIBE") and graph_format is None:
        raise ResultNotAcceptable("graph")
    text = given = bind(query, substitutions)
    if form == "SELECT":
        limited = sparql_text.with_limit(text, max_rows + 1)
        if limited is not None:
            text = limited[0]
    head = prologue(base_iri, _prefixes(base_iri))
    dataset = [("default-graph-uri", g) for g in default_graphs or []]
    dataset += [("named-graph-uri", g) for g in named_graphs or []]
    data = [("query", head + text), *dataset]
    as_given = [("query", head + given), *dataset] if text != given else None
    accept = []
    if result_format is not None:
        accept.append(SPARQL_JSON)
    if graph_format is not None:
        accept.append(N_TRIPLES + (";q=0.9" if accept else ""))
    return Request(endpoint.query, data, {"Accept": ", ".join(accept)}, result_format,
                   graph_format, max_rows, len(head), as_given)


def query_answer(req: Request, status: int, content_type: str, body: bytes) -> Answer:
    """The server's answer in the client's format, capped at ``max_rows``."""
    if status != 200:
        raise server_error(status, body, req.shift)
    media = content_type.split(";")[0].strip().lower()
    try:
        if media in (SPARQL_JSON, "application/json"):
            results = parse_query_results(body, format=QueryResultsFormat.JSON)
            if isinstance(results, QueryBoolean):
                if req.result_format is None:
                    raise ResultNotAcceptable("boolean")
                return Answer("boolean", req.result_format,
                              results.serialize(format=RESULT_FORMATS[req.result_format]), rows=1)
            if req.result_format is None:
                raise ResultNotAcceptable("solutions")
            return _solutions(results, req.result_format, req.max_rows)
        fmt = {N_TRIPLES: RdfFormat.N_TRIPLES, "text/plain": RdfFormat.N_TRIPLES,
               "text/turtle": RdfFormat.TURTLE, N_QUADS: RdfFormat.N_QUADS}.get(media)
        if fmt is None:
            raise QueryFailed(f"the SPARQL server answered in an unexpected format: {media!r}")
        if req.graph_format is None:
            raise ResultNotAcceptable("graph")
        triples = [q.triple for q in islice(parse(body, format=fmt), req.max_rows + 1)]
    except SyntaxError as exc:
        raise QueryFailed(f"the SPARQL server's answer does not parse: {exc}") from None
    truncated = len(triples) > req.max_rows
    del triples[req.max_rows:]
    out = serialize(triples, format=GRAPH_FORMATS[req.graph_format],
                    prefixes=_used_prefixes(triples, req.graph_format))
    return Answer("graph", req.graph_format, out or b"", rows=len(triples), truncated=truncated)


def graph_request(endpoint: Endpoint, graph: str | None) -> tuple[str, str, dict]:
    """(method, url, form data) reading one graph as N-Triples: Graph Store GET when the
    server has one, else a CONSTRUCT."""
    if endpoint.store:
        sep = "&" if "?" in endpoint.store else "?"
        query = "default" if graph is None else urlencode({"graph": graph})
        return "GET", f"{endpoint.store}{sep}{query}", {}
    where = "{ ?s ?p ?o }" if graph is None else f"{{ GRAPH {sparql_term(NamedNode(graph))} {{ ?s ?p ?o }} }}"
    return "POST", endpoint.query, {"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {where}"}


def graph_answer(status: int, content_type: str, body: bytes, fmt: str) -> Answer:
    if status == 404:
        raise GraphNotFound(body.decode("utf-8", "replace"))
    if status != 200:
        raise server_error(status, body)
    triples = [q.triple for q in parse(body, format=RdfFormat.N_TRIPLES)]
    if fmt in ("trig", "nquads"):
        out = serialize(triples, format=GRAPH_FORMATS[fmt])
    else:  # as the embedded Graph Store writes it (kg.store.graph_store.get)
        out = serialize(triples, format=GRAPH_FORMATS[fmt],
                        prefixes=PREFIXES if fmt == "turtle" else None)
    return Answer("graph", fmt, out or b"")


GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"


# --- the pages' lookups --------------------------------------------------------------------


class RemoteStore:
    """The read-only subset of ``pyoxigraph.Store`` that pages use, over SPARQL (sync)."""

    def __init__(self, endpoint: Endpoint, *, timeout: float = LOOKUP_TIMEOUT,
                 client: httpx.Client | None = None):
        self.endpoint = endpoint
        self.client = client or httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.client.close()

    def _post(self, query: str, accept: str) -> httpx.Response:
        try:
            response = self.client.post(self.endpoint.query, data={"query": query},
                                        headers={"Accept": accept})
        except httpx.HTTPError as exc:
            raise StoreMissing(f"the SPARQL server at {self.endpoint.query} cannot be reached: "
                               f"{exc}") from None
        if response.status_code != 200:
            raise server_error(response.status_code, response.content)
        return response

    def select(self, query: str):
        """A SELECT or ASK of ours, parsed (``QuerySolutions`` or ``QueryBoolean``)."""
        return parse_query_results(self._post(query, SPARQL_JSON).content,
                                   format=QueryResultsFormat.JSON)

    def query(self, query: str, *, use_default_graph_as_union: bool = True,
              substitutions: dict | None = None, prefixes: dict[str, str] | None = None,
              base_iri: str | None = None, **_ignored):
        """Like ``Store.query`` for the app's own queries: solutions, a boolean, or triples."""
        subs = {(k.value if isinstance(k, Variable) else k): v for k, v in (substitutions or {}).items()}
        text = prologue(base_iri, prefixes) + bind(query, subs)
        response = self._post(text, f"{SPARQL_JSON}, {N_TRIPLES};q=0.9")
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == N_TRIPLES:
            return [q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)]
        return parse_query_results(response.content, format=QueryResultsFormat.JSON)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        """Every quad in a named graph matching the pattern (``None`` matches anything)."""
        slots = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        if isinstance(graph_name, DefaultGraph):
            return []  # the builds' default graph is empty: every triple is in a named graph
        text = {k: ("?" + k if v is None else sparql_term(v)) for k, v in slots.items()}
        free = [k for k, v in slots.items() if v is None]
        if not free:
            ask = f"ASK {{ GRAPH {text['g']} {{ {text['s']} {text['p']} {text['o']} }} }}"
            return [Quad(subject, predicate, object, graph_name)] if self.select(ask) else []
        query = (f"SELECT {' '.join('?' + k for k in free)} WHERE "
                 f"{{ GRAPH {text['g']} {{ {text['s']} {text['p']} {text['o']} }} }}")
        out = []
        for row in self.select(query):
            s, p, o, g = ((row[k] if v is None else v) for k, v in slots.items())
            out.append(Quad(s, p, o, g))
        return out

    def named_graphs(self):
        return [row["g"] for row in self.select(GRAPH_NAMES) if isinstance(row["g"], NamedNode)]

    def contains_named_graph(self, graph) -> bool:
        return bool(self.select(f"ASK {{ GRAPH {sparql_term(graph)} {{ }} }}"))

    def counts(self) -> dict:
        """What a manifest says of a graph, read from the server: triples, per graph, per class."""
        graphs = {row["g"].value: int(row["n"].value) for row in self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
        classes = {row["c"].value: int(row["n"].value) for row in self.select(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } FILTER(isIRI(?c)) } "
            "GROUP BY ?c")}
        return {"triples": sum(graphs.values()), "graphs": graphs, "classes": classes}


# --- pushing a build ---------------------------------------------------------------------------


def build_graphs(store_path) -> dict[str, bytes]:
    """Each named graph of a finished build's store as N-Triples."""
    store = Store.read_only(str(store_path))
    out = {}
    for g in store.named_graphs():
        if isinstance(g, NamedNode):
            out[g.value] = store.dump(format=RdfFormat.N_TRIPLES, from_graph=g) or b""
    return out


def push(endpoint: Endpoint, graphs: dict[str, bytes], *, base_iri: str,
         timeout: float = 600.0, log=print) -> dict[str, int]:
    """Replace each of ``graphs`` ({IRI: N-Triples}) on the server, then drop the graphs under
    ``base_iri`` the build no longer has. Each graph is replaced in one request (a Graph Store
    ``PUT``, else one SPARQL Update ``DROP SILENT GRAPH … ; INSERT DATA …``), which servers
    apply as one transaction: a reader sees the old graph or the new one. Returns the number of
    lines sent per graph."""
    if not endpoint.store and not endpoint.update:
        raise ValueError("pushing needs a Graph Store endpoint (--store-endpoint) or an update "
                         "endpoint (--update-endpoint)")
    sent = {}
    with httpx.Client(timeout=timeout) as client:
        for iri, data in sorted(graphs.items()):
            started = time.monotonic()
            if endpoint.store:
                sep = "&" if "?" in endpoint.store else "?"
                response = client.put(f"{endpoint.store}{sep}{urlencode({'graph': iri})}",
                                      content=data, headers={"Content-Type": N_TRIPLES})
            else:
                name = sparql_term(NamedNode(iri))
                update = (f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n"
                          + data.decode("utf-8") + "\n} }")
                response = client.post(endpoint.update, content=update.encode(),
                                       headers={"Content-Type": "application/sparql-update"})
            if response.status_code >= 300:
                raise QueryFailed(f"the server refused graph {iri}: {response.status_code} "
                                  f"{response.text[:500]}")
            sent[iri] = data.count(b"\n")
            log(f"  pushed {iri}: {sent[iri]} triples in {time.monotonic() - started:.2f} s")
        remote = RemoteStore(endpoint, client=client)
        for g in remote.named_graphs():
            if g.value.startswith(base_iri) and g.value not in graphs:
                drop(endpoint, client, g.value)
                log(f"  dropped {g.value} (not in this build)")
    return sent


def drop(endpoint: Endpoint, client: httpx.Client, iri: str) -> None:
    if endpoint.store:
        sep = "&" if "?" in endpoint.store else "?"
        response = client.delete(f"{endpoint.store}{sep}{urlencode({'graph': iri})}")
    else:
        response = client.post(endpoint.update, content=f"DROP SILENT GRAPH <{iri}>".encode(),
                               headers={"Content-Type": "application/sparql-update"})
    if response.status_code >= 300 and response.status_code != 404:
        raise QueryFailed(f"the server refused to drop {iri}: {response.status_code}")

